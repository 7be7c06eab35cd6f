from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from monev.reports.leader import leader_landing


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in lands (LOGIN_REDIRECT_URL): a pimpinan and nothing else, in one
    institution, on the leader's view of its latest period; an evaluator who is no member of
    an institution on the evaluation round's progress; everyone else on their periods."""
    if request.user.is_authenticated:
        period = leader_landing(request.user)
        if period is not None:
            return redirect("reports:leader", period_id=period.pk)
        if request.user.evaluator_scope and not request.user.memberships.exists():
            # A national or provincial evaluator follows the round, not one institution.
            return redirect("benchmarking:progress")
        return redirect("evaluations:periods")
    return redirect("login")

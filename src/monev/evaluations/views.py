"""Evaluation-cycle pages. Views stay thin: a selector to read, a service to write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.evaluations import selectors


@require_safe
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    periods = selectors.periods_for_user(request.user)
    return render(request, "evaluations/period_list.html", {"periods": periods})

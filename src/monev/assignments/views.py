"""The evaluator's assessor assignments page and the assessor's queue across institutions
(the evaluator's bulk creation from files is monev.imports.evaluator_views). Thin: selectors
read, services write."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.accounts.models import User
from monev.assignments import selectors, services
from monev.assignments.forms import AssignForm, BoardFilter, QueueFilter
from monev.evaluations.models import Period
from monev.lib.errors import DomainError, InvalidInput
from monev.lib.http import invalid, is_htmx
from monev.lib.params import id_param, old_query_names


def _board_filters(request: HttpRequest) -> dict:
    form = BoardFilter(request.GET)
    if not form.is_valid():
        raise invalid(form)
    data = form.cleaned_data
    return {
        "year": data["year"],
        "kind": data["kind"] or "",
        "province": (data["province"] or "").strip(),
        "page": data["page"] or 1,
    }


@require_safe
@old_query_names("tahun", "jenis", "provinsi", "halaman")
@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Institutions in the evaluator's scope, the year's evaluation of each and its assessors."""
    filters = _board_filters(request)
    view = selectors.assignment_board(request.user, **filters)
    query = {"year": view.year, "kind": filters["kind"], "province": filters["province"]}
    context = {
        "board": view,
        "filters": filters,
        "kinds": BoardFilter.base_fields["kind"].choices,
        "query": urlencode({k: v for k, v in query.items() if v}),
        "here": request.get_full_path(),
    }
    return render(request, "assignments/board.html", context)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("assignments:board")


def _row_response(request, period: Period, *, error=None, status=200) -> HttpResponse:
    row = selectors.institution_row(request.user, period)
    context = {"row": row, "error": error, "here": _back(request), "board": None}
    return render(request, "assignments/_row.html", context, status=status)


@require_POST
@login_required
def assign(request: HttpRequest) -> HttpResponse:
    """Assign an assessor to a period (or change their aspects): HTMX swaps the institution's
    row; without JavaScript the page reloads with a message."""
    selectors.require_evaluator(request.user)
    period = selectors.period_to_assign(request.user, id_param(request.POST.get("period")))
    codes = [code for code, _name in selectors.aspect_choices(period)]
    form = AssignForm(request.POST, aspect_codes=codes)
    try:
        if not form.is_valid():
            raise invalid(form)
        username = form.cleaned_data["assessor"].strip()
        assessor = User.objects.filter(username=username).first()
        if assessor is None:
            message = _("No active user has the username “%(name)s”.") % {"name": username[:60]}
            raise InvalidInput(message, details=[{"location": "assessor", "message": message}])
        _assignment, created = services.assignment_set(
            request.user,
            period_id=period.pk,
            assessor_id=assessor.pk,
            aspects=form.cleaned_data["aspects"],
            expected_fingerprint=form.cleaned_data["seen"] or None,
        )
    except DomainError as error:
        if is_htmx(request) and error.status in (409, 422):
            return _row_response(request, period, error=error, status=error.status)
        if error.status not in (409, 422):
            raise
        messages.error(request, error.message)
        return redirect(_back(request))
    text = (
        _("%(user)s is assigned to %(period)s.")
        if created
        else _("The aspects of %(user)s in %(period)s are saved.")
    ) % {"user": username, "period": period}
    if is_htmx(request):
        return _row_response(request, period)
    messages.success(request, text)
    return redirect(_back(request))


@require_POST
@login_required
def unassign(request: HttpRequest, assignment_id: int) -> HttpResponse:
    selectors.require_evaluator(request.user)
    assignment = selectors.assignment_for(request.user, assignment_id)
    services.assignment_remove(request.user, assignment_id=assignment_id)
    if is_htmx(request):
        return _row_response(request, assignment.period)
    messages.success(
        request,
        _("%(user)s is no longer assigned to %(period)s.")
        % {"user": assignment.assessor.username, "period": assignment.period},
    )
    return redirect(_back(request))


# --- the assessor's queue ------------------------------------------------------------------


@require_safe
@old_query_names("instansi", "tahun", "tahap")
@login_required
def assessor_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilter(request.GET)
    if not form.is_valid():
        raise invalid(form)
    data = form.cleaned_data
    queue = selectors.assessor_queue(
        request.user,
        institution_id=data["institution_id"],
        year=data["year"],
        stage=data["stage"] or "",
    )
    context = {"queue": queue, "filters": data}
    return render(request, "assignments/queue.html", context)

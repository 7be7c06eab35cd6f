"""Import pages: upload -> preview (every rejected row, every change) -> Terapkan -> result.
Thin: the services parse, validate and write; the batch keeps the upload between the steps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.evaluations import navigation
from monev.imports import selectors, services
from monev.imports.report import Report
from monev.imports.uploads import refused_upload, upload_path
from monev.imports.workbooks import template_extension, template_response
from monev.institutions.access import access_for, institution_for_user, require
from monev.institutions.permissions import Capability
from monev.lib.errors import InvalidInput, InvalidTransition


def _period_kinds(access) -> list:
    return [
        services.KINDS[n] for n in services.PERIOD_KINDS if access.can(services.KINDS[n].capability)
    ]


def _titled(batches: list) -> list:
    for batch in batches:
        batch.title = services.KINDS[batch.kind].title
    return batches


def _render_period(request, period, access, *, error=None, status=200):
    context = {
        "period": period,
        "kinds": _period_kinds(access),
        "recent": _titled(selectors.recent_batches(request.user, period_id=period.pk)),
        "tabs": navigation.period_tabs(period, access),
        "error": error,
    }
    return render(request, "imports/period.html", context, status=status)


@require_safe
@login_required
def period_page(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(
        request.user, period_id, Capability.EDIT_ANSWER, Capability.ASSIGN_UNITS
    )
    return _render_period(request, period, access)


def _preview(request, kind: str, **target):
    if message := refused_upload(request):
        raise InvalidInput(message, details=[{"location": "file", "message": message}])
    uploaded = request.FILES.get("file")
    with upload_path(uploaded) as path:
        return services.import_preview(
            actor=request.user, kind=kind, path=path, filename=uploaded.name, **target
        )


@require_POST
@login_required
def period_upload(request: HttpRequest, period_id: int, kind: str) -> HttpResponse:
    services.kind_of(kind, "period")
    period, access = navigation.period_or_404(
        request.user, period_id, services.KINDS[kind].capability
    )
    try:
        batch = _preview(request, kind, period_id=period.pk)
    except InvalidInput as error:
        return _render_period(request, period, access, error=error, status=422)
    return redirect("imports:batch", batch_id=batch.pk)


def _render_institution(request, institution, *, error=None, status=200):
    context = {
        "institution": institution,
        "kinds": [services.KINDS[n] for n in services.INSTITUTION_KINDS],
        "recent": _titled(selectors.recent_batches(request.user, institution_id=institution.pk)),
        "error": error,
    }
    return render(request, "imports/institution.html", context, status=status)


@require_safe
@login_required
def institution_page(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution, access = institution_for_user(request.user, institution_id)
    require(access, Capability.MANAGE_INSTITUTION)
    return _render_institution(request, institution)


@require_POST
@login_required
def institution_upload(request: HttpRequest, institution_id: int, kind: str) -> HttpResponse:
    services.kind_of(kind, "institution")
    institution, access = institution_for_user(request.user, institution_id)
    require(access, Capability.MANAGE_INSTITUTION)
    try:
        batch = _preview(request, kind, institution_id=institution.pk)
    except InvalidInput as error:
        return _render_institution(request, institution, error=error, status=422)
    return redirect("imports:batch", batch_id=batch.pk)


@require_safe
@login_required
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = services.batch_for(request.user, batch_id)
    return _render_batch(request, batch)


def _render_batch(request, batch, *, status=200, outcome=None):
    report = Report.from_json(batch.report) if batch.report else Report(kind=batch.kind)
    tabs = None
    if batch.period is not None:
        tabs = navigation.period_tabs(
            batch.period, access_for(request.user, batch.period.institution_id)
        )
    context = {
        "batch": batch,
        "kind": services.KINDS[batch.kind],
        "report": report,
        "counts": report.counts,
        "writes": report.writes,
        "unchanged": [c for c in report.changes if not c.writes],
        "period": batch.period,
        "tabs": tabs,
        "outcome": outcome,
        "can_apply": batch.status == batch.Status.PREVIEW and report.ok and bool(report.writes),
    }
    return render(request, "imports/batch.html", context, status=status)


@require_POST
@login_required
def batch_apply(request: HttpRequest, batch_id: int) -> HttpResponse:
    try:
        outcome = services.import_apply(actor=request.user, batch_id=batch_id)
    except InvalidTransition as error:
        messages.error(request, error.message)
        return redirect("imports:batch", batch_id=batch_id)
    if outcome.applied:
        messages.success(request, outcome.message)
        return redirect("imports:batch", batch_id=batch_id)
    return _render_batch(request, outcome.batch, status=409, outcome=outcome)


@require_POST
@login_required
def batch_discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = services.import_discard(actor=request.user, batch_id=batch_id)
    messages.success(request, _("The preview was discarded; nothing was written."))
    if batch.period_id:
        return redirect("imports:period", period_id=batch.period_id)
    if batch.institution_id is None:
        return redirect(services.KINDS[batch.kind].page or "home")
    return redirect("imports:institution", institution_id=batch.institution_id)


@require_safe
@login_required
def template_download(request: HttpRequest, kind: str, extension: str = "xlsx") -> HttpResponse:
    import_kind = services.kind_of(kind)
    if template_extension(import_kind) != extension:
        raise Http404  # tauval.xlsx, levels.json: no such file
    return template_response(import_kind)

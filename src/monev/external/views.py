"""External values pages: an institution's results of other agencies' indices (history per
indicator, the form to record one) and the file import of many institutions' results.
Thin: selectors read, monev.external.services and monev.imports.services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.errors import Forbidden, InvalidInput
from monev.evidence.models import Evidence
from monev.external import selectors, services
from monev.external.forms import FIELDS, ResultForm
from monev.imports import selectors as import_selectors
from monev.imports import services as import_services
from monev.imports.uploads import refused_upload, upload_path
from monev.institutions.models import Membership
from monev.institutions.permissions import Access
from monev.web.params import number_param


def _evidence(view) -> list[Evidence]:
    if not view.can_record:
        return []
    return list(
        Evidence.objects.filter(institution_id=view.institution.pk)
        .only("pk", "title", "kind")
        .order_by("title", "pk")
    )


def _render(request, view, *, form=None, error=None, status=200):
    if form is None and view.can_record:
        form = ResultForm(histories=view.indicators, evidence=_evidence(view))
    context = {
        "view": view,
        "institution": view.institution,
        "instrument": view.instrument,
        "form": form,
        "error": error,
    }
    return render(request, "external/institution.html", context, status=status)


@require_safe
@login_required
def institution_page(request: HttpRequest, institution_id: int) -> HttpResponse:
    view = selectors.institution_external(request.user, institution_id)
    return _render(request, view)


@require_POST
@login_required
def record(request: HttpRequest, institution_id: int) -> HttpResponse:
    view = selectors.institution_external(request.user, institution_id)
    if not view.can_record:
        raise Forbidden(
            _(
                "Only the institution's koordinator or an evaluator whose scope covers it may "
                "record external values."
            )
        )
    form = ResultForm(request.POST, histories=view.indicators, evidence=_evidence(view))
    if not form.is_valid():
        error = InvalidInput(_("Please correct the marked fields."))
        return _render(request, view, form=form, error=error, status=422)
    data = form.cleaned_data
    try:
        result = services.result_record(
            request.user,
            institution_id=view.institution.pk,
            indicator=data["indicator"],
            data_year=_year(data["data_year"]),
            source_value=services.parse_number(data["source_value"], "source_value"),
            value=services.parse_number(data["value"], "value"),
            evidence_id=data["evidence_id"],
            source_note=data["source_note"],
            source_url=data["source_url"],
            instrument=view.instrument.id,
        )
    except InvalidInput as error:
        for detail in error.details:
            if detail.get("location") in FIELDS:
                form.add_error(detail["location"], detail["message"])
        return _render(request, view, form=form, error=error, status=422)
    messages.success(
        request,
        _("Recorded: indicator %(number)s = %(value)s (data year %(year)s).")
        % {
            "number": result.indicator,
            "value": services.number_text(result.value),
            "year": result.data_year,
        },
    )
    return redirect("external:institution", institution_id=view.institution.pk)


def _year(text: str) -> int | None:
    return number_param(text)


# --- the import of many institutions ------------------------------------------------------


def _may_import(user) -> bool:
    """An evaluator, or a koordinator (admin) of at least one institution: the rows are then
    checked one by one against what the user may record for."""
    if getattr(user, "evaluator_scope", ""):
        return True
    grouped: dict[int, list] = {}
    for membership in Membership.objects.filter(user=user).only("institution_id", "role"):
        grouped.setdefault(membership.institution_id, []).append(membership)
    return any(selectors.can_record(Access(ms)) for ms in grouped.values())


def _render_imports(request, *, error=None, status=200):
    kind = import_services.KINDS["external"]
    context = {
        "kind": kind,
        "kinds": [kind],
        "recent": _titled(import_selectors.recent_batches(request.user, institution_id=None)),
        "error": error,
    }
    return render(request, "external/imports.html", context, status=status)


def _titled(batches):
    batches = [b for b in batches if b.kind == "external"]
    for batch in batches:
        batch.title = import_services.KINDS[batch.kind].title
    return batches


@require_safe
@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise Forbidden(_("Your role does not allow this."))
    return _render_imports(request)


@require_POST
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise Forbidden(_("Your role does not allow this."))
    if message := refused_upload(request):
        error = InvalidInput(message, details=[{"location": "file", "message": message}])
        return _render_imports(request, error=error, status=422)
    uploaded = request.FILES.get("file")
    try:
        with upload_path(uploaded) as path:
            batch = import_services.import_preview(
                actor=request.user,
                kind="external",
                path=path,
                filename=uploaded.name,
            )
    except InvalidInput as error:
        return _render_imports(request, error=error, status=422)
    return redirect("imports:batch", batch_id=batch.pk)

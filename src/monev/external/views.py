"""External values pages: an institution's results of other agencies' indices (history per
indicator, the form to record one); the file import of many institutions' results is
monev.imports.external_views. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.evidence.models import Evidence
from monev.external import selectors, services
from monev.external.forms import FIELDS, ResultForm
from monev.lib.errors import Forbidden, InvalidInput
from monev.lib.params import number_param


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

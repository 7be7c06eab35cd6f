"""Report pages: the period's downloads, and the evaluator's recap over many institutions.
Views stay thin: the export registry builds, the selectors read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.evaluations import navigation
from monev.lib.downloads import bytes_download
from monev.lib.errors import InvalidInput
from monev.lib.params import old_query_names
from monev.reports import exports, institutions, leader, selectors
from monev.reports.exports import ExportFile


def file_response(exported: ExportFile) -> HttpResponse:
    """The file as a download (attachment), never cached, never sniffed."""
    return bytes_download(exported.content, exported.filename, exported.content_type)


@require_safe
@login_required
def period_reports(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    available = [e for e in exports.EXPORTS.values() if access.can(e.capability)]
    context = {
        "period": period,
        "tabs": navigation.period_tabs(period, access),
        "workbooks": [(e, e.filename(period)) for e in available if e.is_workbook],
        "pdf_exports": [e for e in available if not e.is_workbook],
        "operator_only": access.is_operator_only,
        "many_institutions": len(institutions.viewable_institution_ids(request.user)) > 1,
    }
    return render(request, "reports/period.html", context)


@require_safe
@login_required
def leader_view(request: HttpRequest, period_id: int) -> HttpResponse:
    """The leader's one-minute view of the period (reports.leader); its printable twin is the
    one-page PDF (reports:summary_pdf)."""
    period, access = navigation.period_or_404(request.user, period_id)
    context = {
        "period": period,
        "summary": leader.leader_summary(period, access),
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "reports/leader.html", context)


@require_safe
@login_required
def period_download(request: HttpRequest, period_id: int, kind: str) -> HttpResponse:
    """Any export of the registry, by kind (the PDFs too: reports:report_pdf and
    reports:summary_pdf are this view with the kind fixed)."""
    period, access = navigation.period_or_404(request.user, period_id)
    return file_response(exports.export_period(period, access, kind))


def _asked(request: HttpRequest) -> tuple[str, str]:
    return request.GET.get("year", "").strip(), request.GET.get("instrument", "").strip()


@require_safe
@old_query_names("tahun", "instrumen")
@login_required
def institutions_page(request: HttpRequest) -> HttpResponse:
    """Choose a year and an instrument; see the ranking of the institutions one may view,
    and download the recap workbook."""
    year, instrument_id = _asked(request)
    choices = selectors.recap_choices(request.user)
    context = {"choices": choices, "year": year, "instrument": instrument_id, "recap": None}
    status = 200
    if year or instrument_id:
        try:
            checked_year, checked_instrument = institutions.check_arguments(year, instrument_id)
            context["recap"] = institutions.institutions_recap(
                request.user, checked_year, checked_instrument
            )
        except InvalidInput as error:
            context["error"], status = error, error.status
    elif choices:
        context["year"], context["instrument"] = choices[0]
    return render(request, "reports/institutions.html", context, status=status)


@require_safe
@old_query_names("tahun", "instrumen")
@login_required
def institutions_download(request: HttpRequest) -> HttpResponse:
    year, instrument_id = _asked(request)
    return file_response(exports.export_institutions(request.user, year, instrument_id))

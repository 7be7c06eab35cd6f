"""The institution-wide readiness page (/data-dukung/periode/ID/kesiapan/) and its workbook:
every error and warning of the period's answers, by unit and indicator. Any member of the
institution; an operator sees their own units' answers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.evaluations import navigation
from monev.evidence import readiness_export
from monev.evidence.readiness import Severity
from monev.evidence.readiness_report import parse_severity, period_readiness_report
from monev.lib.downloads import bytes_download
from monev.lib.errors import InvalidInput
from monev.lib.params import id_param


@require_safe
@login_required
def readiness_page(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    status, error = 200, None
    try:
        severity = parse_severity(request.GET.get("severity"))
    except InvalidInput as problem:
        # Shown above the whole list, which stays as it would be without the filter.
        status, error, severity = problem.status, problem, None
    unit_id = id_param(request.GET.get("unit_id"))
    report = period_readiness_report(period, access, severity=severity, unit_id=unit_id)
    context = {
        "period": period,
        "report": report,
        "error": error,
        "severities": [(s, Severity.LABELS[s]) for s in (Severity.ERROR, Severity.WARNING)],
        "query": request.GET.urlencode() if error is None else "",
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "evidence/readiness.html", context, status=status)


@require_safe
@login_required
def readiness_download(request: HttpRequest, period_id: int) -> HttpResponse:
    """The page's list as a workbook, with the same filters (a bad one answers 422)."""
    period, access = navigation.period_or_404(request.user, period_id)
    report = period_readiness_report(
        period,
        access,
        severity=parse_severity(request.GET.get("severity")),
        unit_id=id_param(request.GET.get("unit_id")),
    )
    content = readiness_export.build(report)
    return bytes_download(content, readiness_export.filename(report), readiness_export.CONTENT_TYPE)

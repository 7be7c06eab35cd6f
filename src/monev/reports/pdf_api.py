"""The PDF reports through the API at their own addresses, built by the export registry like
the pages' downloads, so with the same permissions: any member of the institution; an
operator's report covers their units' answers and action items."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from monev.evaluations.selectors import period_for_user
from monev.lib.api_schemas import READ_ERRORS, Id
from monev.reports.exports import export_period
from monev.reports.views import file_response

router = Router(tags=["reports"])


def _pdf_doc(description: str) -> dict:
    return {
        "responses": {
            "200": {
                "description": description,
                "headers": {
                    "Content-Disposition": {
                        "description": "attachment, with the file name",
                        "schema": {"type": "string"},
                    }
                },
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/periods/{period_id}/report.pdf",
    response={200: None, **READ_ERRORS},
    summary="The period's report for leadership (PDF)",
    openapi_extra=_pdf_doc("The full report as a PDF attachment (A4)."),
)
def period_report(request: HttpRequest, period_id: Id) -> HttpResponse:
    """Cover, index and predicate, domain and aspect charts against the target and last year,
    the gap and the plan, unit progress, overdue answers and the assessors' recommendations.
    In the request's language (Accept-Language; Bahasa Indonesia by default)."""
    period, access = period_for_user(request.auth, period_id)
    return file_response(export_period(period, access, "pdf"))


@router.get(
    "/periods/{period_id}/summary.pdf",
    response={200: None, **READ_ERRORS},
    summary="The period's one-page summary (PDF)",
    openapi_extra=_pdf_doc("The one-page summary as a PDF attachment (A4)."),
)
def period_summary(request: HttpRequest, period_id: Id) -> HttpResponse:
    """Index, predicate, target and gap, the domain chart, the top five actions and the key
    dates, on one page."""
    period, access = period_for_user(request.auth, period_id)
    return file_response(export_period(period, access, "summary-pdf"))

"""A period's readiness across the institution through the API: every error and warning of the
answers the caller sees, by unit and indicator, and the same as a workbook - the page's
selector (monev.evidence.readiness_report), so the same permissions."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Schema

from monev.evaluations import selectors as evaluation_selectors
from monev.evidence import readiness_export
from monev.evidence.api.routers import router
from monev.evidence.api.schemas import CheckOut
from monev.evidence.api.shaping import check_out, unit_out
from monev.evidence.readiness_report import PeriodReadiness, period_readiness_report
from monev.lib.api_schemas import READ_ERRORS, ErrorOut, Id, UnitOut
from monev.lib.downloads import bytes_download

SeverityName = Literal["error", "warning"]


class ReadinessAnswerOut(Schema):
    answer_id: int
    indicator: str
    name: str
    status: str
    level: str | None
    errors: int
    warnings: int
    checks: list[CheckOut]


class ReadinessUnitOut(Schema):
    unit: UnitOut | None = Field(description="null: the answers no unit is responsible for")
    errors: int
    warnings: int
    answers: list[ReadinessAnswerOut]


class ReadinessTotalsOut(Schema):
    errors: int = Field(description="each answer counted once, whichever units share it")
    warnings: int
    answers_with_errors: int
    answers_with_warnings: int


class PeriodReadinessOut(Schema):
    period_id: int
    severity: SeverityName | None
    unit_id: int | None
    totals: ReadinessTotalsOut
    units: list[ReadinessUnitOut]
    download_url: str = Field(description="the same list as an .xlsx workbook")


def readiness_out(report: PeriodReadiness, query: str) -> dict:
    totals = report.totals
    return {
        "period_id": report.period.pk,
        "severity": report.severity,
        "unit_id": report.unit_id,
        "totals": {
            "errors": totals.errors,
            "warnings": totals.warnings,
            "answers_with_errors": totals.answers_with_errors,
            "answers_with_warnings": totals.answers_with_warnings,
        },
        "units": [
            {
                "unit": unit_out(group.unit),
                "errors": group.errors,
                "warnings": group.warnings,
                "answers": [
                    {
                        "answer_id": entry.answer.pk,
                        "indicator": entry.answer.indicator,
                        "name": entry.item.name,
                        "status": entry.answer.status,
                        "level": None if entry.answer.level is None else str(entry.answer.level),
                        "errors": entry.errors,
                        "warnings": entry.warnings,
                        "checks": [check_out(check) for check in entry.checks],
                    }
                    for entry in group.answers
                ],
            }
            for group in report.groups
        ],
        "download_url": f"/api/v1/periods/{report.period.pk}/readiness.xlsx"
        + (f"?{query}" if query else ""),
    }


def _report(request, period_id: int, severity, unit_id) -> PeriodReadiness:
    period, access = evaluation_selectors.period_for_user(request.auth, period_id)
    return period_readiness_report(period, access, severity=severity, unit_id=unit_id)


def _query(severity, unit_id) -> str:
    parts = [f"severity={severity}"] if severity else []
    if unit_id:
        parts.append(f"unit_id={unit_id}")
    return "&".join(parts)


@router.get(
    "/periods/{period_id}/readiness",
    response={200: PeriodReadinessOut, **READ_ERRORS, 422: ErrorOut},
    summary="Readiness across the institution",
)
def period_readiness(
    request, period_id: Id, severity: SeverityName | None = None, unit_id: Id | None = None
):
    """Every readiness error and warning of the period's answers the caller sees (an
    operator: their units'), under each responsible unit in code order, indicators in the
    instrument's order; `severity` keeps one kind, `unit_id` one unit. Totals count each
    answer once."""
    report = _report(request, period_id, severity, unit_id)
    return readiness_out(report, _query(severity, unit_id))


@router.get(
    "/periods/{period_id}/readiness.xlsx",
    response={200: None, **READ_ERRORS, 422: ErrorOut},
    summary="Readiness across the institution (.xlsx)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The workbook: one row per check and unit, and a Keterangan "
                "sheet explaining the columns.",
                "content": {
                    readiness_export.CONTENT_TYPE: {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
            }
        }
    },
)
def period_readiness_download(
    request, period_id: Id, severity: SeverityName | None = None, unit_id: Id | None = None
):
    """The same list as a workbook (an attachment), with the same filters."""
    report = _report(request, period_id, severity, unit_id)
    content = readiness_export.build(report)
    return bytes_download(content, readiness_export.filename(report), readiness_export.CONTENT_TYPE)

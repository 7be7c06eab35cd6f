"""The exports through the API, with the same permissions as the pages: the period's
workbooks and PDFs by kind, the list of them, and the evaluator's recap over institutions
(its ranking as JSON, the workbook as a file)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from monev.evaluations.selectors import period_for_user
from monev.lib.api_schemas import ErrorOut, Id
from monev.reports import exports, institutions
from monev.reports.views import file_response
from monev.reports.workbook import CONTENT_TYPE as XLSX

router = Router(tags=["reports"])

FILE_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _binary(description: str, *content_types: str) -> dict:
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
                "content": {
                    content_type: {"schema": {"type": "string", "format": "binary"}}
                    for content_type in content_types
                },
            }
        }
    }


class ExportOut(Schema):
    kind: str = Field(examples=["self-assessment"])
    label: str
    purpose: str
    filename: str = Field(examples=["penilaian-mandiri-kota-bandung-2025.xlsx"])
    content_type: str
    url: str = Field(description="GET it for the file")


class RecapQuery(Schema):
    year: int = Field(ge=2000, le=2100, examples=[2025])
    instrument: str = Field(
        min_length=1,
        max_length=60,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]*$",
        examples=["spbe-2020"],
    )


class RankingRowOut(Schema):
    rank: int | None = Field(description="null: no level given yet, not ranked")
    institution_id: int
    institution_code: str
    institution: str
    kind: str
    province: str
    period_id: int
    period_kind: str
    stage: str | None = Field(description="self, verified, provisional or final", examples=["self"])
    index: str | None = Field(examples=["3.00"])
    predicate: str | None = Field(examples=["Baik"])
    given: int
    total: int


class RankingOut(Schema):
    year: int
    instrument: str
    rows: list[RankingRowOut]
    download_url: str


@router.get(
    "/periods/{period_id}/exports",
    response={200: list[ExportOut], **FILE_ERRORS},
    summary="The period's downloads",
)
def export_list(request: HttpRequest, period_id: Id):
    """Every export the caller may download for the period: Excel workbooks and PDFs."""
    period, access = period_for_user(request.auth, period_id)
    return [
        {
            "kind": export.kind,
            "label": str(export.label),
            "purpose": str(export.purpose),
            "filename": export.filename(period),
            "content_type": export.content_type,
            "url": f"/api/v1/periods/{period.pk}/exports/{export.kind}",
        }
        for export in exports.EXPORTS.values()
        if access.can(export.capability)
    ]


@router.get(
    "/periods/{period_id}/exports/{kind}",
    response={200: None, **FILE_ERRORS},
    summary="Download one of the period's exports",
    openapi_extra=_binary(
        "The file as an attachment: an .xlsx workbook for self-assessment, units and recap; "
        "a PDF for pdf and summary-pdf.",
        XLSX,
        exports.PDF,
    ),
)
def export_download(request: HttpRequest, period_id: Id, kind: str):
    """`kind`: self-assessment (Penilaian Mandiri, in the ministry's order), units (a task
    list per unit), recap (scores per stage and per Triwulan), pdf, summary-pdf. An
    operator's files hold only their own units' indicators."""
    period, access = period_for_user(request.auth, period_id)
    return file_response(exports.export_period(period, access, kind))


@router.get(
    "/exports/institutions",
    response={200: None, **FILE_ERRORS},
    summary="Download the recap over institutions (.xlsx)",
    openapi_extra=_binary(
        "The workbook: a ranking sheet and one row per institution x indicator.", XLSX
    ),
)
def institutions_download(request: HttpRequest, query: Query[RecapQuery]):
    """For an evaluator: every institution the caller may view that has a period in `year`
    under `instrument` (the evaluasi where there is one, else the pemantauan)."""
    exported = exports.export_institutions(request.auth, query.year, query.instrument)
    return file_response(exported)


@router.get(
    "/exports/institutions/ranking",
    response={200: RankingOut, **FILE_ERRORS},
    summary="The ranking over institutions",
)
def institutions_ranking(request: HttpRequest, query: Query[RecapQuery]):
    """The recap page's ranking: each institution scored at the furthest stage all its
    indicators have a value at (else its self-assessment); equal indices share a rank."""
    year, instrument = institutions.check_arguments(query.year, query.instrument)
    recap = institutions.institutions_recap(request.auth, year, instrument)
    return {
        "year": year,
        "instrument": instrument,
        "download_url": "/api/v1/exports/institutions?"
        + urlencode({"year": year, "instrument": instrument}),
        "rows": [
            {
                "rank": row.rank,
                "institution_id": row.institution.pk,
                "institution_code": row.institution.code,
                "institution": row.institution.name,
                "kind": row.institution.kind,
                "province": row.institution.province,
                "period_id": row.period.pk,
                "period_kind": row.period.kind,
                "stage": row.stage,
                "index": str(row.result.index.reported) if row.result else None,
                "predicate": row.result.predicate.name if row.result else None,
                "given": row.given,
                "total": row.total,
            }
            for row in recap.rows
        ],
    }

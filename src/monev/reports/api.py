"""The exports through the API, with the same permissions as the pages: the period's
workbooks and PDFs by kind, the list of them, the evaluator's recap over institutions (its
ranking as JSON, the workbook as a file), and the leader's one-minute view as JSON."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from monev.core.numbers import exact_str
from monev.evaluations.selectors import period_for_user
from monev.lib.api_schemas import READ_ERRORS, ErrorOut, Id
from monev.reports import exports, institutions, leader
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


# --- the leader's view -------------------------------------------------------------------------


class LeaderNowOut(Schema):
    stage: str | None = Field(description="the headline stage: self, verified, provisional, final")
    stage_label: str
    index: str | None = Field(examples=["3.00"], description="reported (two decimals)")
    index_exact: str | None
    predicate: str | None = Field(examples=["Baik"])
    predicate_label: str = Field(
        description="the predicate as the page shows it: the other reading on a contested "
        'band edge ("Cukup (bila batas bawah inklusif: Baik)")'
    )
    given: int = Field(description="items with a value at the stage")
    total: int


class LeaderTargetOut(Schema):
    index: str = Field(examples=["4.62"])
    predicate: str
    gap: str | None = Field(description="exact shortfall of the index now; 0 when reached")
    reached: bool | None


class LeaderLastYearOut(Schema):
    year: int
    source: str = Field(description="period (the previous period) or published (index only)")
    stage: str | None = Field(description="final for a published result")
    stage_label: str
    instrument: str
    same_instrument: bool
    crosswalk: bool
    index: str | None
    predicate: str
    predicate_note: str
    doubtful: bool
    change: str | None = Field(
        description="the index now minus last year's; null where they are not comparable "
        "(another instrument, or a value missing)"
    )


class LeaderDifferenceOut(Schema):
    code: str = Field(description="not_final, incomplete, stage, instrument or doubtful")
    text: str = Field(description="in the request's language")


class LeaderGapPartOut(Schema):
    code: str
    name: str
    share: str = Field(description="the aspect's exact part of the gap; the parts add up to it")


class LeaderPlanOut(Schema):
    plan_id: int
    target: str
    steps: int = Field(description="the plan's steps the caller sees (an operator: their units')")
    done: int
    overdue: int
    open_gain: str = Field(description="exact: what the open steps would add to the index")


class LeaderGainOut(Schema):
    item_id: int
    answer_id: int
    indicator: str
    label: str
    from_level: str
    to_level: int
    gain: str = Field(description="exact: what this step adds to the index")
    unit_id: int | None
    unit: str | None
    due_date: date | None
    status: str = Field(description="open or done")
    overdue: bool


class LeaderBehindOut(Schema):
    unit_id: int | None = Field(description="null: what no unit is responsible for")
    code: str | None
    name: str
    overdue: int
    answers: int = Field(description="overdue answers not yet submitted")
    readiness: int = Field(description="overdue answers with evidence errors")
    actions: int = Field(description="overdue plan actions")
    oldest_due: date | None


class LeaderMilestoneOut(Schema):
    kind: str
    title: str
    day: date
    days: int = Field(description="days from today; negative once passed")


class LeaderSummaryOut(Schema):
    period_id: int
    institution: str
    year: int
    kind: str
    instrument: str
    index_name: str
    provisional: bool
    today: date = Field(description="the institution's day the dues are counted on")
    now: LeaderNowOut
    target: LeaderTargetOut | None
    last_year: LeaderLastYearOut | None
    differences: list[LeaderDifferenceOut]
    gap_parts: list[LeaderGapPartOut] = Field(description="aspects below the target, largest first")
    sentences: list[str] = Field(
        description="where we stand, what the gap is made of, what is due next; in the "
        "request's language"
    )
    plan: LeaderPlanOut | None = Field(description="null: no plan computed yet")
    gains: list[LeaderGainOut] = Field(description="the plan's ten biggest steps, biggest first")
    behind: list[LeaderBehindOut] = Field(description="every unit with something overdue")
    overdue: int = Field(description="overdue dues of those units, as the deadline view counts")
    next_milestone: LeaderMilestoneOut | None
    page_url: str
    summary_pdf_url: str
    deadlines_url: str
    plan_url: str


def _dec(value) -> str | None:
    return None if value is None else str(value)


def leader_payload(summary: leader.LeaderSummary) -> dict:
    """The leader's view as JSON: the page's figures, unrounded where they are exact."""
    period, head = summary.period, summary.headline
    result, score, last, gap, plan = (
        head.result,
        head.score,
        head.last_year,
        head.gap,
        summary.plan,
    )
    entry = summary.next_milestone
    return {
        "period_id": period.pk,
        "institution": period.institution.name,
        "year": period.year,
        "kind": period.kind,
        "instrument": summary.instrument.id,
        "index_name": summary.instrument.index_name,
        "provisional": summary.instrument.provisional,
        "today": summary.today,
        "now": {
            "stage": head.stage,
            "stage_label": head.stage_label,
            "index": _dec(head.index),
            "index_exact": exact_str(result.index.exact) if result else None,
            "predicate": result.predicate.name if result else None,
            "predicate_label": head.predicate,
            "given": score.given if score else 0,
            "total": score.total if score else len(summary.instrument.scored_items),
        },
        "target": None
        if head.target is None
        else {
            "index": str(head.target),
            "predicate": head.target_predicate,
            "gap": exact_str(gap.shortfall) if gap else None,
            "reached": gap.reached if gap else None,
        },
        "last_year": None
        if last is None
        else {
            "year": last.year,
            "source": last.source,
            "stage": head.last_stage,
            "stage_label": head.last_stage_label,
            "instrument": last.instrument_id,
            "same_instrument": last.same_instrument,
            "crosswalk": last.crosswalk,
            "index": _dec(last.index),
            "predicate": last.predicate,
            "predicate_note": last.predicate_note,
            "doubtful": last.doubtful,
            "change": _dec(head.change),
        },
        "differences": [{"code": d.code, "text": d.text} for d in head.differences],
        "gap_parts": [
            {"code": p.code, "name": p.name, "share": exact_str(p.share)} for p in head.gap_parts
        ],
        "sentences": summary.sentences,
        "plan": None
        if plan is None
        else {
            "plan_id": plan.pk,
            "target": str(plan.target),
            "steps": len(summary.steps),
            "done": summary.done,
            "overdue": summary.overdue,
            "open_gain": exact_str(summary.open_gain),
        },
        "gains": [
            {
                "item_id": step.item.pk,
                "answer_id": step.item.answer_id,
                "indicator": step.item.answer.indicator,
                "label": step.item.label,
                "from_level": str(step.item.from_level),
                "to_level": step.item.to_level,
                "gain": exact_str(step.gain),
                "unit_id": step.item.unit_id,
                "unit": step.item.unit.name if step.item.unit else None,
                "due_date": step.item.due_date,
                "status": step.item.status,
                "overdue": step.overdue,
            }
            for step in summary.gains
        ],
        "behind": [
            {
                "unit_id": b.unit.pk if b.unit else None,
                "code": b.unit.code if b.unit else None,
                "name": b.name,
                "overdue": b.overdue,
                "answers": b.answers,
                "readiness": b.readiness,
                "actions": b.actions,
                "oldest_due": b.oldest,
            }
            for b in summary.behind
        ],
        "overdue": summary.behind_overdue,
        "next_milestone": None
        if entry is None
        else {
            "kind": entry.milestone.kind,
            "title": str(entry.milestone),
            "day": entry.day,
            "days": entry.days,
        },
        "page_url": reverse("reports:leader", args=[period.pk]),
        "summary_pdf_url": f"/api/v1/periods/{period.pk}/summary.pdf",
        "deadlines_url": f"/api/v1/periods/{period.pk}/deadlines",
        "plan_url": f"/api/v1/periods/{period.pk}/plan",
    }


@router.get(
    "/periods/{period_id}/leader-summary",
    response={200: LeaderSummaryOut, **READ_ERRORS},
    summary="The leader's one-minute view",
)
def leader_summary(request: HttpRequest, period_id: Id):
    """The index now against the target and last year's result with the predicates and why
    they differ (stage, instrument); three sentences (where the institution stands, what the
    gap is made of, what is due next); the plan's ten biggest steps; the units behind
    schedule. The page /laporan/periode/{id}/pimpinan/ and the one-page PDF state the same
    numbers. Any member of the institution; an operator sees their units' steps and dues."""
    period, access = period_for_user(request.auth, period_id)
    return leader_payload(leader.leader_summary(period, access))

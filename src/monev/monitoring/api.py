"""Monitoring through the API: the period dashboard, snapshots, history and forecast, with
the same permissions as the pages (any member of the institution reads; taking a snapshot
needs the koordinator or admin role)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from monev.core.numbers import exact_str
from monev.evaluations.selectors import period_for_user
from monev.evaluations.stages import SELF
from monev.institutions.access import institution_for_user
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, DateIn, ErrorOut, Id
from monev.monitoring import selectors, services
from monev.monitoring.models import Snapshot

router = Router(tags=["monitoring"])


def _dec(value) -> str | None:
    return None if value is None else str(value)


def _other_reading(result) -> str | None:
    other = result.predicate_other_reading if result is not None else None
    return other.name if other is not None else None


# --- schemas ---------------------------------------------------------------------------------


class StageOut(Schema):
    stage: str
    label: str
    given: int
    total: int
    index: str | None
    index_exact: str | None
    predicate: str | None
    predicate_other_reading: str | None = Field(
        None,
        description="on a contested band edge (pemdi-2026 at 1.50, 2.50, 3.50, 4.00): the "
        "predicate the other reading gives",
    )
    gap_to_target: str | None = Field(description="exact shortfall; 0 when reached")


class LastYearOut(Schema):
    year: int
    source: str = Field(description="period (the previous period) or published (index only)")
    instrument: str
    same_instrument: bool
    instrument_note: str = Field(
        description="why last year is not compared with this year (different instruments); "
        '"" when it is'
    )
    crosswalk: bool = Field(
        description="a crosswalk (a judgement, not an official mapping) leads from last "
        "year's instrument: see the history's aspect comparison"
    )
    index: str | None
    predicate: str
    doubtful: bool


class ComparisonOut(Schema):
    code: str
    name: str
    score: str | None
    last_year: str | None
    target: str | None


class UnitProgressOut(Schema):
    unit_id: int
    code: str
    name: str
    assigned: int
    submitted: int
    verified: int
    with_evidence: int
    overdue: int


class UpcomingOut(Schema):
    kind: str
    title: str
    due_at: datetime
    days_left: int


class UnitChangesOut(Schema):
    unit_id: int
    code: str
    counts: dict[str, int]


class ChangesOut(Schema):
    since: datetime
    until: datetime
    totals: dict[str, int] = Field(description="audit action -> events in the last 7 days")
    by_unit: list[UnitChangesOut]


class DashboardReadinessOut(Schema):
    errors: int
    warnings: int
    answers_with_errors: int
    details_url: str = Field(description="every finding: GET /api/v1/periods/{id}/readiness")


class DashboardOut(Schema):
    period_id: int
    instrument: str
    provisional: bool
    target: str | None
    stages: list[StageOut]
    scores_stage: str | None = Field(description="the stage the domain/aspect scores are at")
    last_year: LastYearOut | None
    domains: list[ComparisonOut]
    aspects: list[ComparisonOut]
    weakest_aspects: list[str] = Field(description="aspect codes, weakest first")
    units: list[UnitProgressOut]
    upcoming: list[UpcomingOut]
    changes: ChangesOut
    readiness: DashboardReadinessOut = Field(
        description="the readiness errors and warnings of the answers the caller sees"
    )


class SnapshotOut(Schema):
    id: int
    label: str
    kind: str
    checkpoint: str
    taken_at: datetime
    taken_by: str | None
    self_index: str | None
    levels: dict[str, dict[str, str | None]]
    scores: dict[str, Any]


class SnapshotIn(Schema):
    label: str = Field(examples=["Triwulan II"], max_length=100)


class HistoryPointOut(Schema):
    year: int
    value: str
    instrument: str
    source: str
    predicate: str
    doubtful: bool
    period_id: int | None


class SeriesOut(Schema):
    source: str
    instrument: str
    line: bool = Field(description="false: points only, never joined (doubtful/unknown)")
    points: list[HistoryPointOut]


class InstrumentChangeOut(Schema):
    before_year: int
    after_year: int
    before: str
    after: str
    label: str


class CrosswalkRowOut(Schema):
    aspect: str
    name: str
    score: str | None
    counterparts: list[str]
    counterpart_mean: str | None


class CrosswalkOut(Schema):
    id: str
    judgement: str = Field(description="the file's own statement that this is not official")
    old_period_id: int
    rows: list[CrosswalkRowOut]


class HistoryOut(Schema):
    institution_id: int
    points: list[HistoryPointOut]
    series: list[SeriesOut]
    instrument_changes: list[InstrumentChangeOut]
    snapshots: list[SnapshotOut]
    crosswalk: CrosswalkOut | None


class ForecastPointOut(Schema):
    at: datetime
    label: str
    index: str
    index_exact: str


class ForecastOut(Schema):
    period_id: int
    as_of: datetime
    frozen: bool = Field(description="the deadline passed: the forecast as it stood before it")
    deadline: datetime | None
    target: str | None
    points: list[ForecastPointOut]
    pace_per_30_days: str | None
    projected: str | None = Field(description="the index expected at the deadline (2 places)")
    projected_exact: str | None
    likely: bool | None = Field(description="projected exact index >= target")
    needed_per_30_days: str | None
    method: str


# --- shaping ---------------------------------------------------------------------------------


def _points(points) -> list[dict]:
    return [
        {
            "year": p.year,
            "value": str(p.value),
            "instrument": p.instrument_id,
            "source": p.source,
            "predicate": p.predicate,
            "doubtful": p.doubtful,
            "period_id": p.period_id,
        }
        for p in points
    ]


def _snapshot(s: Snapshot) -> dict:
    return {
        "id": s.pk,
        "label": s.label,
        "kind": s.kind,
        "checkpoint": s.checkpoint,
        "taken_at": s.taken_at,
        "taken_by": str(s.taken_by) if s.taken_by_id else None,
        "self_index": s.index_of(SELF),
        "levels": s.levels,
        "scores": s.scores,
    }


def _comparisons(rows) -> list[dict]:
    return [
        {
            "code": r.code,
            "name": r.name,
            "score": _dec(r.score),
            "last_year": _dec(r.last_year),
            "target": _dec(r.target),
        }
        for r in rows
    ]


def _dashboard(board: selectors.Dashboard) -> dict:
    last = board.last_year
    return {
        "period_id": board.period.pk,
        "instrument": board.period.instrument_reference,
        "provisional": board.provisional,
        "target": _dec(board.period.target),
        "stages": [
            {
                "stage": c.score.stage,
                "label": str(c.score.label),
                "given": c.score.given,
                "total": c.score.total,
                "index": str(c.score.result.index.reported) if c.score.result else None,
                "index_exact": exact_str(c.score.result.index.exact) if c.score.result else None,
                "predicate": c.score.result.predicate.name if c.score.result else None,
                "predicate_other_reading": _other_reading(c.score.result),
                "gap_to_target": exact_str(c.gap.shortfall) if c.gap else None,
            }
            for c in board.cards
        ],
        "scores_stage": board.stage,
        "last_year": None
        if last is None
        else {
            "year": last.year,
            "source": last.source,
            "instrument": last.instrument_id,
            "same_instrument": last.same_instrument,
            "instrument_note": last.instrument_note,
            "crosswalk": last.crosswalk,
            "index": _dec(last.index),
            "predicate": last.predicate,
            "doubtful": last.doubtful,
        },
        "domains": _comparisons(board.domains),
        "aspects": _comparisons(board.aspects),
        "weakest_aspects": [c.code for c in board.weakest],
        "units": [
            {
                "unit_id": u.unit.pk,
                "code": u.unit.code,
                "name": u.unit.name,
                "assigned": u.assigned,
                "submitted": u.submitted,
                "verified": u.verified,
                "with_evidence": u.with_evidence,
                "overdue": u.overdue,
            }
            for u in board.units
        ],
        "upcoming": [
            {"kind": m.kind, "title": str(m), "due_at": m.due_at, "days_left": days}
            for m, days in board.upcoming
        ],
        "changes": {
            "since": board.changes.since,
            "until": board.changes.until,
            "totals": board.changes.totals,
            "by_unit": [
                {"unit_id": unit.pk, "code": unit.code, "counts": counts}
                for unit, counts in board.changes.by_unit
            ],
        },
        "readiness": {
            "errors": board.readiness.errors,
            "warnings": board.readiness.warnings,
            "answers_with_errors": board.readiness.answers_with_errors,
            "details_url": f"/api/v1/periods/{board.period.pk}/readiness",
        },
    }


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/periods/{period_id}/dashboard",
    response={200: DashboardOut, **READ_ERRORS},
    summary="Period dashboard",
)
def dashboard(request, period_id: Id):
    """The index at every stage, domain and aspect scores against last year and the target,
    progress per unit, milestones ahead and the changes of the last seven days."""
    period, access = period_for_user(request.auth, period_id)
    return _dashboard(selectors.dashboard(period, access))


@router.get(
    "/periods/{period_id}/snapshots",
    response={200: list[SnapshotOut], **READ_ERRORS},
    summary="List snapshots",
)
def snapshot_list(request, period_id: Id):
    """The period's snapshots (Triwulan checkpoints and on demand), oldest first."""
    period, _access = period_for_user(request.auth, period_id)
    return [_snapshot(s) for s in selectors.snapshots_of(period)]


@router.post(
    "/periods/{period_id}/snapshots",
    response={201: SnapshotOut, **WRITE_ERRORS},
    summary="Take a snapshot",
)
def snapshot_take(request, period_id: Id, payload: SnapshotIn):
    """Every answer's level at every stage and the computed scores, as they stand now.
    Needs the koordinator or admin role."""
    snapshot = services.snapshot_take(actor=request.auth, period_id=period_id, label=payload.label)
    return Status(201, _snapshot(snapshot))


@router.get(
    "/periods/{period_id}/history",
    response={200: HistoryOut, **READ_ERRORS},
    summary="History across years and quarters",
)
def history(request, period_id: Id):
    """Published and computed indexes by year, in series that never cross an instrument
    change; this period's snapshots; the crosswalk comparison where one applies."""
    period, access = period_for_user(request.auth, period_id)
    return _history(selectors.period_history(period, access))


@router.get(
    "/institutions/{institution_id}/history",
    response={200: HistoryOut, **READ_ERRORS},
    summary="An institution's history",
)
def institution_history(request, institution_id: Id):
    """The institution's published and computed indexes by year across all its periods, in
    series that never cross an instrument change (the institution's history page)."""
    institution, _access = institution_for_user(request.auth, institution_id)
    return _history(selectors.institution_history(institution))


def _history(result) -> dict:
    view = result.crosswalk
    return {
        "institution_id": result.institution.pk,
        "points": _points(result.points),
        "series": [
            {
                "source": s.source,
                "instrument": s.instrument_id,
                "line": s.line,
                "points": _points(s.points),
            }
            for s in result.series
        ],
        "instrument_changes": [
            {
                "before_year": c.before_year,
                "after_year": c.after_year,
                "before": c.before,
                "after": c.after,
                "label": c.label,
            }
            for c in result.changes
        ],
        "snapshots": [_snapshot(s) for s in result.snapshots],
        "crosswalk": None
        if view is None
        else {
            "id": view.crosswalk.id,
            "judgement": view.crosswalk.statement,
            "old_period_id": view.old_period.pk,
            "rows": [
                {
                    "aspect": r.code,
                    "name": r.name,
                    "score": _dec(r.score),
                    "counterparts": list(r.counterparts),
                    "counterpart_mean": _dec(r.counterpart_mean),
                }
                for r in view.rows
            ],
        },
    }


@router.get(
    "/periods/{period_id}/forecast",
    response={200: ForecastOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Forecast at the deadline",
)
def forecast(request, period_id: Id, as_of: DateIn | None = None):
    """The self-assessed index expected at the evidence deadline at the current pace: a
    straight line through the earliest snapshot and now (or `as_of`, a past day)."""
    period, access = period_for_user(request.auth, period_id)
    moment = None
    if as_of is not None:
        moment = timezone.make_aware(datetime.combine(as_of, time(23, 59, 59)))
    result = selectors.forecast(period, access, as_of=moment)
    return {
        "period_id": period.pk,
        "as_of": result.as_of,
        "frozen": result.frozen,
        "deadline": result.deadline.due_at if result.deadline else None,
        "target": _dec(result.target),
        "points": [
            {
                "at": p.at,
                "label": p.label,
                "index": str(p.reported),
                "index_exact": exact_str(p.index),
            }
            for p in result.points
        ],
        "pace_per_30_days": _dec(result.pace_per_30_days),
        "projected": _dec(result.projected_reported),
        "projected_exact": exact_str(result.projected) if result.projected is not None else None,
        "likely": result.likely,
        "needed_per_30_days": _dec(result.needed_per_30_days),
        "method": "linear on the self-assessed index between the earliest snapshot and the "
        "latest point (now, or the last snapshot before the deadline once it has passed)",
    }

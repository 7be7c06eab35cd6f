"""The instrument transition through the API: crosswalk suggestions of a period (list, make,
accept, reject, accept all of one indicator), with the same selectors and services as the
"Peralihan instrumen" page. The crosswalk is a judgement, not an official mapping: every
answer carries its statement."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from monev.evidence.models import EvidenceLink
from monev.lib.api_schemas import WRITE_ERRORS, ErrorOut, Id
from monev.transition import selectors, services
from monev.transition.models import CrosswalkSuggestion

router = Router(tags=["transition"])
READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class TransitionCrosswalkOut(Schema):
    id: str
    from_instrument: str
    to_instrument: str
    status: str = Field(description='always "judgement": never an official mapping')
    statement: str = Field(description="the crosswalk file's own words; show it with the data")
    source: str


class CrosswalkSourcePeriodOut(Schema):
    id: int
    year: int
    instrument: str
    instrument_name: str


class CrosswalkSourceLevelOut(Schema):
    indicator: str
    level: int


class CrosswalkSuggestionOut(Schema):
    id: int
    kind: str = Field(description="evidence (to link) or answer (penjelasan as a draft)")
    state: str = Field(description="pending, accepted or rejected")
    indicator: str = Field(description="the new instrument's indicator")
    answer_id: int
    source_period_id: int
    source_indicators: list[str] = Field(description="the old instrument's indicators")
    partly: bool = Field(description="only through indicators that cover part of it")
    evidence_id: int | None
    evidence_title: str | None
    source_levels: list[CrosswalkSourceLevelOut] = Field(
        description="evidence: the old levels it supported (context only)"
    )
    source_explanation: str | None = Field(description="answer: the old penjelasan")
    source_level: str | None = Field(description="answer: the old level (context only)")
    already_linked: bool
    level: int | None = Field(description="evidence: the level it was linked at on acceptance")
    reason: str
    decided_by: str | None
    decided_at: datetime | None


class TransitionIndicatorOut(Schema):
    indicator: str
    name: str
    note: str = Field(description="the crosswalk's note for this indicator (a judgement)")
    counterparts: list[str]
    partly: list[str]
    answer_id: int
    answer_version: int = Field(description="send as expected_version when accepting")
    suggestions: list[CrosswalkSuggestionOut]


class TransitionOut(Schema):
    period_id: int
    instrument: str
    provisional: bool
    crosswalk: TransitionCrosswalkOut | None
    source_period: CrosswalkSourcePeriodOut | None
    counts: dict[str, int]
    indicators: list[TransitionIndicatorOut]


class CrosswalkGeneratedOut(Schema):
    created: int
    total: int
    source_period_id: int
    crosswalk: str


class CrosswalkAcceptIn(Schema):
    level: int | None = Field(
        None, description="evidence only: the level to link it at (default 1)", examples=[1]
    )
    expected_version: int | None = Field(
        None, description="the new answer's version; required for a penjelasan suggestion"
    )


class CrosswalkRejectIn(Schema):
    reason: str = Field("", max_length=2000)


class CrosswalkAcceptAllIn(CrosswalkAcceptIn):
    indicator: str


def _suggestion(row: CrosswalkSuggestion, already_linked: bool) -> dict:
    old = row.source_answer
    is_answer = row.kind == CrosswalkSuggestion.Kind.ANSWER
    return {
        "id": row.pk,
        "kind": row.kind,
        "state": row.state,
        "indicator": row.indicator,
        "answer_id": row.answer_id,
        "source_period_id": row.source_period_id,
        "source_indicators": row.source_indicators,
        "partly": row.partly,
        "evidence_id": row.evidence_id,
        "evidence_title": row.evidence.title if row.evidence_id else None,
        "source_levels": row.source_levels,
        "source_explanation": old.explanation if is_answer else None,
        "source_level": str(old.level) if is_answer and old.level is not None else None,
        "already_linked": already_linked,
        "level": row.level,
        "reason": row.reason,
        "decided_by": str(row.decided_by) if row.decided_by_id else None,
        "decided_at": row.decided_at,
    }


def _view(view: selectors.TransitionView) -> dict:
    crosswalk, source = view.crosswalk, view.source
    return {
        "period_id": view.period.pk,
        "instrument": view.period.instrument_reference,
        "provisional": view.instrument.provisional,
        "crosswalk": None
        if crosswalk is None
        else {
            "id": crosswalk.id,
            "from_instrument": crosswalk.source_instrument,
            "to_instrument": crosswalk.target_instrument,
            "status": "judgement",
            "statement": crosswalk.statement,
            "source": crosswalk.source,
        },
        "source_period": None
        if source is None
        else {
            "id": source.pk,
            "year": source.year,
            "instrument": source.instrument_reference,
            "instrument_name": view.source_instrument.short_name,
        },
        "counts": {str(k): v for k, v in view.counts.items()},
        "indicators": [
            {
                "indicator": g.indicator.number,
                "name": g.indicator.name,
                "note": g.entry.note if g.entry else "",
                "counterparts": list(g.entry.counterparts) if g.entry else [],
                "partly": list(g.entry.partly) if g.entry else [],
                "answer_id": g.answer.pk,
                "answer_version": g.answer.version,
                "suggestions": [
                    _suggestion(s.row, s.already_linked) for s in (*g.evidence, *g.answers)
                ],
            }
            for g in view.groups
        ],
    }


def _current(request, period_id: int) -> dict:
    period, access = selectors.period_for_transition(request.auth, period_id)
    return _view(selectors.transition_view(period, access))


def _one(request, period_id: int, suggestion_id: int) -> dict:
    row, _period, _access = selectors.suggestion_for(
        request.auth, suggestion_id, period_id=period_id
    )
    linked = (
        bool(row.evidence_id)
        and EvidenceLink.objects.filter(
            answer_id=row.answer_id, evidence_id=row.evidence_id
        ).exists()
    )
    return _suggestion(row, linked)


@router.get(
    "/periods/{period_id}/crosswalk-suggestions",
    response={200: TransitionOut, **READ},
    summary="Crosswalk suggestions",
)
def suggestion_list(request, period_id: Id):
    """The period's suggestions from its source period (its `previous`, or the latest earlier
    period under an instrument with a crosswalk into this one), grouped by the new
    instrument's indicators, with the crosswalk's statement (a judgement, not an official
    mapping). `crosswalk` is null when there is nothing to carry over. Koordinator only."""
    return _current(request, period_id)


@router.post(
    "/periods/{period_id}/crosswalk-suggestions",
    response={201: CrosswalkGeneratedOut, **WRITE_ERRORS},
    summary="Make crosswalk suggestions",
)
def suggestion_generate(request, period_id: Id):
    """Suggest the evidence and penjelasan of the source period's counterpart indicators for
    every indicator. Idempotent: running it again adds only what is new and keeps every
    decision. 422 when there is no source period or crosswalk. Koordinator only."""
    result = services.suggestions_generate(actor=request.auth, period_id=period_id)
    return Status(
        201,
        {
            "created": result.created,
            "total": result.total,
            "source_period_id": result.source_period_id,
            "crosswalk": result.crosswalk_id,
        },
    )


@router.post(
    "/periods/{period_id}/crosswalk-suggestions/accept-all",
    response={200: TransitionOut, **WRITE_ERRORS},
    summary="Accept all suggestions of an indicator",
)
def suggestion_accept_all(request, period_id: Id, payload: CrosswalkAcceptAllIn):
    """Accept every pending suggestion of one new indicator: evidence linked at `level`
    (default 1), the penjelasan added together in one save of the answer, which must still be
    at `expected_version` (409 otherwise, and nothing changes). Levels are never copied."""
    services.suggestions_accept_indicator(
        actor=request.auth,
        period_id=period_id,
        indicator=payload.indicator,
        level=payload.level,
        expected_version=payload.expected_version,
    )
    return _current(request, period_id)


@router.post(
    "/periods/{period_id}/crosswalk-suggestions/{suggestion_id}/accept",
    response={200: CrosswalkSuggestionOut, **WRITE_ERRORS},
    summary="Accept a crosswalk suggestion",
)
def suggestion_accept(request, period_id: Id, suggestion_id: Id, payload: CrosswalkAcceptIn):
    """Evidence: linked to the new answer at `level` (default 1; levels mean different things
    across instruments). Penjelasan: added to the new answer's penjelasan as a draft, prefixed
    with its origin, if the answer is still at `expected_version` (409 with the current answer
    otherwise). The level is never copied. Through the answer and evidence services: their
    deadline and checks apply."""
    services.suggestion_accept(
        actor=request.auth,
        suggestion_id=suggestion_id,
        period_id=period_id,
        level=payload.level,
        expected_version=payload.expected_version,
    )
    return _one(request, period_id, suggestion_id)


@router.post(
    "/periods/{period_id}/crosswalk-suggestions/{suggestion_id}/reject",
    response={200: CrosswalkSuggestionOut, **WRITE_ERRORS},
    summary="Reject a crosswalk suggestion",
)
def suggestion_reject(request, period_id: Id, suggestion_id: Id, payload: CrosswalkRejectIn):
    """Reject a pending suggestion, with an optional reason. Koordinator only."""
    services.suggestion_reject(
        actor=request.auth,
        suggestion_id=suggestion_id,
        period_id=period_id,
        reason=payload.reason,
    )
    return _one(request, period_id, suggestion_id)

"""The evaluation cycle through the API: periods, answers, reviews and assessments.

The same selectors and services as the pages: handlers parse the request, call one selector
to read or one service to write (which checks permissions, locks, versions and deadlines and
records the audit event), and shape the answer. Errors answer the API's one error shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from monev.api_schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    DateTimeIn,
    DecimalIn,
    ErrorOut,
    Id,
    InstitutionRefOut,
    Paged,
    UnitOut,
    ValueIn,
    resolved,
)
from monev.assignments.selectors import assigned_aspects
from monev.audit import selectors as audit_selectors
from monev.core.numbers import display_value, exact_fraction, exact_str
from monev.core.report import result_to_dict
from monev.errors import NotFound
from monev.evaluations import selectors, services
from monev.evaluations.models import Answer, AssessorPass, Comment, Milestone, Period
from monev.evaluations.selectors import AnswerRow, StageScore
from monev.institutions.access import require
from monev.institutions.permissions import Access, Capability
from monev.instruments.api import ScoreOut

periods_router = Router(tags=["periods"])
answers_router = Router(tags=["answers"])

PeriodKind = Literal[tuple(Period.Kind.values)]  # type: ignore[valid-type]
MilestoneKind = Literal[tuple(Milestone.Kind.values)]  # type: ignore[valid-type]
StageName = Literal[tuple(AssessorPass.Stage.values)]  # type: ignore[valid-type]

LEVEL_EXAMPLES = ["3"]
VERSION = Field(description="the version you read; a stale one answers 409", examples=[2])


# --- output schemas ------------------------------------------------------------------------


class PeriodOut(Schema):
    id: int
    institution: InstitutionRefOut
    year: int
    kind: str
    kind_label: str
    instrument: str = Field(description="id@version the period is pinned to")
    target: str | None
    previous_id: int | None
    created_at: datetime


class InstrumentRefOut(Schema):
    reference: str
    id: str
    version: int
    name: str
    provisional: bool = Field(description="true while the instrument's weights are provisional")


class MilestoneOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    due_at: datetime
    days_left: int


class StageScoreOut(Schema):
    stage: Literal["self", "verified", "provisional", "final"]
    label: str
    given: int = Field(description="answers with a value at this stage")
    total: int
    complete: bool
    index: str | None = Field(description="rounded as published; null if nothing given yet")
    index_exact: str | None
    predicate: str | None
    result: ScoreOut | None = Field(None, description="the whole result, with ?full=true")


class FlagOut(Schema):
    code: str
    message: str


class AnswerRowOut(Schema):
    id: int
    number: str = Field(description="the instrument's item number", examples=["35.1"])
    indicator: str = Field(description="the indicator the item belongs to")
    name: str
    aspect: str
    status: str
    status_label: str
    level: str | None
    verified_level: str | None
    provisional_level: str | None = Field(description="the latest external judgement")
    final_level: str | None
    computed_level: str | None = Field(
        None,
        description="the value the items give at the latest external stage (pemdi-2026)",
    )
    differs: bool = Field(
        False, description="the latest external level was entered and differs from it"
    )
    version: int
    reopened: bool
    unit_ids: list[int]
    comment_count: int
    flags: list[FlagOut]


class PeriodOverviewOut(Schema):
    period: PeriodOut
    instrument: InstrumentRefOut
    my_roles: list[str]
    my_capabilities: list[str]
    scores: list[StageScoreOut] = Field(description="the index at every stage, computed now")
    milestones: list[MilestoneOut]
    status_counts: dict[str, int]
    units: list[UnitOut] = Field(description="the units named in `answers`")
    answers: list[AnswerRowOut]


class AnswerListOut(Schema):
    period_id: int
    milestones: list[MilestoneOut]
    units: list[UnitOut]
    answers: list[AnswerRowOut]


class LevelOut(Schema):
    level: int
    name: str
    criteria: str
    evidence: str


class CommentOut(Schema):
    id: int
    author: str | None
    body: str
    created_at: datetime


class PassOut(Schema):
    stage: str
    stage_label: str
    level: str
    computed_level: str | None = Field(
        description="the value the instrument's item rule gives from the judged items "
        "(pemdi-2026); null where no items were judged"
    )
    level_entered: bool = Field(
        description="the level was entered directly, not taken from the items"
    )
    differs: bool = Field(description="computed_level is set and differs from level: show both")
    level_exact: str = Field(description="the exact level (level is shown to two places)")
    computed_level_exact: str | None = Field(description="the exact computed_level")
    notes: str
    institution_response: str
    assessor: str | None
    version: int
    updated_at: datetime


class AnswerStateOut(Schema):
    id: int
    period_id: int
    number: str
    status: str
    status_label: str
    level: str | None
    verified_level: str | None
    explanation: str
    reopened: bool
    version: int
    updated_by: str | None
    updated_at: datetime


class AnswerDetailOut(AnswerStateOut):
    indicator: str
    name: str
    aspect: str
    provisional_level: str | None
    final_level: str | None
    unit_ids: list[int]
    units: list[UnitOut]
    institution_units: list[UnitOut] = Field(description="units that can be made responsible")
    levels: list[LevelOut] = Field(description="criteria and evidence per level (cumulative)")
    comments: list[CommentOut]
    passes: list[PassOut]
    flags: list[FlagOut]
    my_capabilities: list[str] = Field(description="what the caller may do on this answer")


class AssignmentAnswerOut(Schema):
    id: int
    number: str


class AssignmentsOut(Schema):
    fingerprint: str = Field(description="send it back with PUT; a stale one answers 409")
    units: list[UnitOut]
    answers: list[AssignmentAnswerOut]
    assignments: dict[int, list[int]] = Field(description="answer id -> unit ids")
    changed: int | None = Field(None, description="after PUT: answers whose units changed")


class CloseOut(Schema):
    answers_locked: int


class UnitIdsOut(Schema):
    unit_ids: list[int]


class AuditEventOut(Schema):
    seq: int
    at: datetime
    actor: str = Field(alias="actor_label", description="who, as they were named then")
    action: str
    object_type: str
    object_id: str
    answer_id: int | None
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str


# --- input schemas ---------------------------------------------------------------------------


class PeriodCreateIn(Schema):
    institution_id: int = Field(examples=[1])
    year: int = Field(ge=2000, le=2100, examples=[2026])
    kind: PeriodKind = Field(examples=["evaluasi"])  # type: ignore[valid-type]
    instrument: str = Field(description="id or id@version", examples=["spbe-2020"])
    target: DecimalIn | None = Field(None, examples=["4.62"])
    carry_over_from: int | None = Field(
        None, description="a previous period whose answers are the baseline"
    )
    milestones: dict[MilestoneKind, DateTimeIn] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        description="kind -> ISO date-time with a UTC offset; any given replace the "
        "instrument's default schedule",
        examples=[
            {
                "self_assessment_open": "2026-03-01T08:00:00+07:00",
                "self_assessment_close": "2026-08-18T23:59:00+07:00",
            }
        ],
    )
    use_schedule: bool = Field(
        True,
        description="with no milestones given, start from the instrument's default schedule "
        "in the period's year (pemdi-2026: the national schedule); false: no milestones",
    )


class PeriodPatchIn(Schema):
    target: DecimalIn | None = Field(
        description="the target index; null clears it", examples=["4.62"]
    )


class MilestoneIn(Schema):
    kind: MilestoneKind = Field(examples=["evidence_deadline"])  # type: ignore[valid-type]
    due_at: DateTimeIn = Field(examples=["2025-08-18T23:59:00+07:00"])
    title: str = Field("", max_length=200, examples=["Batas unggah bukti dukung"])


class AssignmentsIn(Schema):
    fingerprint: str = Field(examples=["3f2a9c0d1b7e4a55"])
    assignments: dict[int, list[int]] = Field(
        description="answer id -> unit ids; answers not named keep their units",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]+$"}},
        examples=[{"101": [1, 2], "102": [2]}],
    )


class AnswerSaveIn(Schema):
    level: ValueIn | None = Field(description="null clears the level", examples=LEVEL_EXAMPLES)
    explanation: str = Field("", description="the penjelasan", examples=["Perwal 12/2024 ..."])
    version: int = VERSION


class VersionIn(Schema):
    version: int = VERSION


class ReturnIn(Schema):
    version: int = VERSION
    note: str = Field(description="why it goes back (required)", examples=["Lampirkan SK."])


class ReopenIn(Schema):
    version: int = VERSION
    reason: str = Field(description="why (required, on record)", examples=["Perbaikan data."])


class UnitsIn(Schema):
    unit_ids: list[int] = Field(examples=[[1, 2]])


class CommentIn(Schema):
    body: str = Field(min_length=1, examples=["Sudah diunggah di folder bersama."])


class PassIn(Schema):
    level: ValueIn = Field(examples=LEVEL_EXAMPLES)
    notes: str = Field("", examples=["Dokumen kebijakan ada, belum ditetapkan."])
    version: int = Field(0, description="0 when the stage has no judgement yet", examples=[0])


class ItemOut(Schema):
    level: int
    position: int = Field(description="the item's index at its level, from 0")
    number: str = Field(description="level.item, from 1", examples=["1.2"])
    text: str
    status: Literal["belum", "diterima", "revisi", "otomatis_ditolak"] = Field(
        description="as shown: otomatis_ditolak when a level below is not accepted"
    )
    status_label: str
    judged: str = Field(description="what the assessor stored ('' when not judged)")
    reason_kind: str = Field(description="tidak_tepat | belum_diunggah | lainnya, for revisi")
    reason: str
    reason_text: str = Field(description="the reason as the institution reads it")
    assessor: str | None
    updated_at: datetime | None


class ItemLevelOut(Schema):
    level: int
    name: str
    accepted: int
    total: int
    items: list[ItemOut]


class ItemRuleOut(Schema):
    method: str
    confidence: str = Field(description="how sure the rule is (low: inferred, not published)")
    note: str


class ItemSheetOut(Schema):
    answer_id: int
    number: str
    stage: str
    stage_label: str
    stages_judged: list[str] = Field(description="stages with item judgements, in order")
    version: int = Field(description="the stage pass's version (0 if none); send it with PUT")
    computed_level: str = Field(description="the value the items give now, to two places")
    computed_level_exact: str = Field(
        description="the exact value (1 of 3 equal items at level 1: 7/6, "
        "written 1.16666666666666666667)"
    )
    weights_known: bool = Field(
        description="false where the items of the level that sets the value have unknown "
        "weights: computed_level weighs them equally (show it beside the assessor's value)"
    )
    weights_unknown_level: int | None = Field(
        description="that level, where weights_known is false"
    )
    level: str | None = Field(description="the stage's level (null: no pass yet)")
    entered_level: str | None = Field(description="the level entered directly, if it was")
    differs: bool = Field(description="entered_level is set and differs from computed_level")
    provisional: bool = Field(description="the instrument (and so the value) is provisional")
    rule: ItemRuleOut
    levels: list[ItemLevelOut]


class ItemIn(Schema):
    level: int = Field(examples=[1])
    position: int = Field(ge=0, description="the item's index at its level, from 0", examples=[0])
    status: Literal["diterima", "revisi", "belum"] = Field(
        description="belum clears the judgement", examples=["revisi"]
    )
    reason_kind: Literal["", "tidak_tepat", "belum_diunggah", "lainnya"] = Field(
        "", description="required with revisi", examples=["tidak_tepat"]
    )
    reason: str = Field(
        "", max_length=1000, description="required with lainnya", examples=["Belum ditetapkan."]
    )


class ItemsIn(Schema):
    version: int = Field(description="the stage pass's version you read (0 if none)", examples=[0])
    items: list[ItemIn] = Field(description="only the items to change; others stay")
    follow_items: bool = Field(
        False, description="drop a directly entered level: the level follows the items again"
    )


class ResponseIn(Schema):
    response: str = Field(examples=["Perwal sudah ditetapkan 2 Juni 2025, terlampir."])
    version: int = Field(description="the document-review pass's version", examples=[1])


# --- shaping ---------------------------------------------------------------------------------


def _level(value: Decimal | None) -> str | None:
    """A value shown to two places, an exact one (7/6) rounded once, half up."""
    return None if value is None else f"{display_value(value):.2f}"


def _exact(value: Decimal | None) -> str | None:
    """The exact value, as every `*_exact` is written: in full where it terminates."""
    return None if value is None else exact_str(exact_fraction(value))


def _unit(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name}


def _period(period: Period) -> dict:
    return {
        "id": period.pk,
        "institution": period.institution,
        "year": period.year,
        "kind": period.kind,
        "kind_label": str(period.get_kind_display()),
        "instrument": period.instrument_reference,
        "target": _level(period.target),
        "previous_id": period.previous_id,
        "created_at": period.created_at,
    }


def _milestone(milestone: Milestone, now: datetime) -> dict:
    return {
        "id": milestone.pk,
        "kind": milestone.kind,
        "kind_label": str(milestone.get_kind_display()),
        "title": milestone.title,
        "due_at": milestone.due_at,
        "days_left": (timezone.localdate(milestone.due_at) - timezone.localdate(now)).days,
    }


def _score(score: StageScore, full: bool) -> dict:
    result = score.result
    return {
        "stage": score.stage,
        "label": str(score.label),
        "given": score.given,
        "total": score.total,
        "complete": score.complete,
        "index": str(result.index.reported) if result else None,
        "index_exact": exact_str(result.index.exact) if result else None,
        "predicate": result.predicate.name if result else None,
        "result": result_to_dict(result) if result and full else None,
    }


def _flags(flags) -> list[dict]:
    return [{"code": f.code, "message": str(f.message)} for f in flags]


def _row(row: AnswerRow) -> dict:
    answer, values, latest = row.answer, row.values, row.latest_pass
    return {
        "id": answer.pk,
        "number": answer.indicator,
        "indicator": row.indicator.number,
        "name": row.item.name,
        "aspect": row.item.aspect,
        "status": answer.status,
        "status_label": str(answer.get_status_display()),
        "level": _level(answer.level),
        "verified_level": _level(answer.verified_level),
        "provisional_level": _level(values["provisional"]),
        "final_level": _level(values["final"]),
        "computed_level": _level(latest.computed_level) if latest else None,
        "differs": latest.differs if latest else False,
        "version": answer.version,
        "reopened": answer.reopened,
        "unit_ids": [unit.pk for unit in row.units],
        "comment_count": row.comment_count,
        "flags": _flags(row.flags),
    }


def _units_of(rows: Iterable[AnswerRow]) -> list[dict]:
    units = {unit.pk: unit for row in rows for unit in row.units}
    return [_unit(u) for u in sorted(units.values(), key=lambda u: u.code)]


def _answer_list(period: Period, rows: list[AnswerRow], milestones, now) -> dict:
    return {
        "period_id": period.pk,
        "milestones": [_milestone(m, now) for m in milestones],
        "units": _units_of(rows),
        "answers": [_row(r) for r in rows],
    }


def _state(answer: Answer) -> dict:
    return {
        "id": answer.pk,
        "period_id": answer.period_id,
        "number": answer.indicator,
        "status": answer.status,
        "status_label": str(answer.get_status_display()),
        "level": _level(answer.level),
        "verified_level": _level(answer.verified_level),
        "explanation": answer.explanation,
        "reopened": answer.reopened,
        "version": answer.version,
        "updated_by": str(answer.updated_by) if answer.updated_by_id else None,
        "updated_at": answer.updated_at,
    }


def _pass(assessor_pass: AssessorPass) -> dict:
    return {
        "stage": assessor_pass.stage,
        "stage_label": str(assessor_pass.get_stage_display()),
        "level": _level(assessor_pass.level),
        "computed_level": _level(assessor_pass.computed_level),
        "level_entered": assessor_pass.level_entered,
        "differs": assessor_pass.differs,
        "level_exact": _exact(assessor_pass.level),
        "computed_level_exact": _exact(assessor_pass.computed_level),
        "notes": assessor_pass.notes,
        "institution_response": assessor_pass.institution_response,
        "assessor": str(assessor_pass.assessor) if assessor_pass.assessor_id else None,
        "version": assessor_pass.version,
        "updated_at": assessor_pass.updated_at,
    }


def _comment(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "author": str(comment.author) if comment.author_id else None,
        "body": comment.body,
        "created_at": comment.created_at,
    }


def _capabilities(access: Access, unit_ids: Iterable[int] | None = None) -> list[str]:
    if unit_ids is None:
        return sorted(c.value for c in Capability if access.can(c))
    return sorted(c.value for c in Capability if access.can_on_answer(c, unit_ids))


def _matrix(matrix: selectors.AssignmentMatrix, changed: int | None = None) -> dict:
    return {
        "fingerprint": matrix.fingerprint,
        "units": [_unit(u) for u in matrix.units],
        "answers": [{"id": a.pk, "number": a.indicator} for a in matrix.answers],
        "assignments": matrix.assignments,
        "changed": changed,
    }


# --- periods ---------------------------------------------------------------------------------


@periods_router.get("", response={200: list[PeriodOut], 401: ErrorOut}, summary="List periods")
def period_list(request):
    """The periods of every institution the caller has a membership in."""
    return [_period(p) for p in selectors.periods_for_user(request.auth)]


@periods_router.post("", response={201: PeriodOut, **WRITE_ERRORS}, summary="Create a period")
def period_create(request, payload: PeriodCreateIn):
    """A new evaluation or monitoring period with one draft answer per scored item. With
    `carry_over_from`, the previous period's answers and units are the baseline to revise.
    Without `milestones` it starts from the instrument's default schedule, if it has one.
    Needs the koordinator or admin role in the institution."""
    period = services.period_create(
        actor=request.auth,
        institution_id=payload.institution_id,
        year=payload.year,
        kind=payload.kind,
        instrument=payload.instrument,
        target=payload.target,
        carry_over_from=payload.carry_over_from,
        milestones=dict(payload.milestones),
        use_schedule=payload.use_schedule,
    )
    return Status(201, _period(period))


@periods_router.get(
    "/{period_id}", response={200: PeriodOverviewOut, **READ_ERRORS}, summary="Period overview"
)
def period_overview(request, period_id: Id, full: bool = False):
    """Every indicator with status, levels, units, comment count and flags, and the index at
    every stage (self-assessed, verified, provisional, final), computed now by the scoring
    engine. An operator sees only their units' answers; the scores always cover the whole
    period. `full=true` adds each stage's whole scoring result."""
    period, access = selectors.period_for_user(request.auth, period_id)
    overview = selectors.period_overview(period, access)
    counts = {status: overview.status_counts.get(status, 0) for status in Answer.Status.values}
    instrument = overview.instrument
    return {
        "period": _period(period),
        "instrument": {
            "reference": period.instrument_reference,
            "id": instrument.id,
            "version": instrument.version,
            "name": instrument.name,
            "provisional": instrument.provisional,
        },
        "my_roles": sorted(access.roles),
        "my_capabilities": _capabilities(access),
        "scores": [_score(s, full) for s in overview.scores.values()],
        "milestones": [_milestone(m, overview.now) for m in overview.milestones],
        "status_counts": counts,
        "units": _units_of(overview.rows),
        "answers": [_row(r) for r in overview.rows],
    }


@periods_router.patch(
    "/{period_id}", response={200: PeriodOut, **WRITE_ERRORS}, summary="Set the target"
)
def period_patch(request, period_id: Id, payload: PeriodPatchIn):
    """Set (or clear, with null) the period's target index."""
    return _period(
        services.period_set_target(actor=request.auth, period_id=period_id, target=payload.target)
    )


@periods_router.put(
    "/{period_id}/milestones",
    response={200: MilestoneOut, **WRITE_ERRORS},
    summary="Set a milestone",
)
def milestone_set(request, period_id: Id, payload: MilestoneIn):
    """Set the date of a milestone. Every kind but `mentoring` occurs once per period, so its
    date is replaced; each `mentoring` session is added."""
    milestone = services.milestone_set(
        actor=request.auth,
        period_id=period_id,
        kind=payload.kind,
        due_at=payload.due_at,
        title=payload.title,
    )
    return _milestone(milestone, timezone.now())


@periods_router.delete(
    "/{period_id}/milestones/{milestone_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a milestone",
)
def milestone_delete(request, period_id: Id, milestone_id: Id):
    """Remove a milestone (e.g. a cancelled mentoring session)."""
    period, _access = selectors.period_for_user(request.auth, period_id)
    if not period.milestones.filter(pk=milestone_id).exists():  # not this period's
        raise NotFound(_("Milestone not found."))
    services.milestone_delete(actor=request.auth, milestone_id=milestone_id)
    return Status(204, None)


@periods_router.post(
    "/{period_id}/close-self-assessment",
    response={200: CloseOut, **WRITE_ERRORS},
    summary="Close the self-assessment",
)
def period_close(request, period_id: Id):
    """Lock every answer as final mandiri; from now on only the koordinator can reopen one,
    with a reason. The external assessment can start."""
    return {
        "answers_locked": services.period_close_self_assessment(
            actor=request.auth, period_id=period_id
        )
    }


@periods_router.get(
    "/{period_id}/todo", response={200: AnswerListOut, **READ_ERRORS}, summary="To-do list"
)
def period_todo(request, period_id: Id):
    """What the caller's units still owe - answers in draft or returned to them - with the
    deadlines ahead. For a koordinator, every open answer."""
    period, access = selectors.period_for_user(request.auth, period_id)
    now = timezone.now()
    rows = selectors.unit_todo(period, access, now=now)
    return _answer_list(period, rows, selectors.upcoming_milestones(period, now=now), now)


@periods_router.get(
    "/{period_id}/review-queue",
    response={200: AnswerListOut, **READ_ERRORS},
    summary="Review queue",
)
def period_review_queue(request, period_id: Id):
    """For an asesor internal: submitted answers waiting for verification. For an asesor
    eksternal: final answers without a final level yet. Empty for other roles."""
    period, access = selectors.period_for_user(request.auth, period_id)
    now = timezone.now()
    aspects = assigned_aspects(request.auth, period) if access.can(Capability.ASSESS) else []
    rows = selectors.review_queue(period, access, now=now, aspects=aspects)
    return _answer_list(period, rows, selectors.upcoming_milestones(period, now=now), now)


@periods_router.get(
    "/{period_id}/assignments",
    response={200: AssignmentsOut, **READ_ERRORS, 403: ErrorOut},
    summary="Unit x indicator matrix",
)
def assignments_get(request, period_id: Id):
    """Which units are responsible for which answer, and the matrix's fingerprint to send
    back when saving. For whoever assigns units (the koordinator), as the matrix page."""
    period, access = selectors.period_for_user(request.auth, period_id)
    require(access, Capability.ASSIGN_UNITS)
    return _matrix(selectors.assignment_matrix(period, access))


@periods_router.put(
    "/{period_id}/assignments",
    response={200: AssignmentsOut, **WRITE_ERRORS},
    summary="Assign units in bulk",
)
def assignments_put(request, period_id: Id, payload: AssignmentsIn):
    """Set the responsible units of many answers at once. Refused with 409 if the matrix
    changed since `fingerprint` was read."""
    changed = services.period_assign_matrix(
        actor=request.auth,
        period_id=period_id,
        assignments={a: set(units) for a, units in payload.assignments.items()},
        expected_fingerprint=payload.fingerprint,
    )
    period, access = selectors.period_for_user(request.auth, period_id)
    return _matrix(selectors.assignment_matrix(period, access), changed)


@periods_router.get(
    "/{period_id}/audit",
    response={200: list[AuditEventOut], **READ_ERRORS, 403: ErrorOut},
    summary="Period audit trail",
)
@paginate(Paged)
@resolved
def period_audit(request, period_id: Id):
    """Every recorded change in the period - who, when, what, before and after, why -
    newest first. Needs the koordinator, asesor internal or admin role."""
    period, access = selectors.period_for_user(request.auth, period_id)
    require(access, Capability.VIEW_AUDIT)
    return audit_selectors.period_events(period.pk)


# --- answers ---------------------------------------------------------------------------------


@answers_router.get(
    "/{answer_id}", response={200: AnswerDetailOut, **READ_ERRORS}, summary="Answer detail"
)
def answer_detail(request, answer_id: Id):
    """One answer with its version (send it back with every write), the criteria and
    evidence of every level beside it, its units, comments, the external passes and flags,
    and what the caller may do on it."""
    detail = selectors.answer_detail(request.auth, answer_id)
    row = detail.row
    unit_ids = [unit.pk for unit in row.units]
    passes = sorted(row.passes.values(), key=lambda p: AssessorPass.ORDER.index(p.stage))
    return {
        **_state(row.answer),
        "indicator": row.indicator.number,
        "name": row.item.name,
        "aspect": row.item.aspect,
        "provisional_level": _level(row.values["provisional"]),
        "final_level": _level(row.values["final"]),
        "unit_ids": unit_ids,
        "units": [_unit(u) for u in row.units],
        "institution_units": [_unit(u) for u in detail.institution_units],
        "levels": detail.levels,
        "comments": [_comment(c) for c in detail.comments],
        "passes": [_pass(p) for p in passes],
        "flags": _flags(row.flags),
        "my_capabilities": _capabilities(detail.access, unit_ids),
    }


@answers_router.put(
    "/{answer_id}", response={200: AnswerStateOut, **WRITE_ERRORS}, summary="Save an answer"
)
def answer_save(request, answer_id: Id, payload: AnswerSaveIn):
    """Save the level and penjelasan. `version` is the one you read: if someone saved since,
    the answer is 409 with their saved state in `error.current`, and nothing is overwritten.
    Changing a submitted or verified answer sends it back to draft."""
    answer = services.answer_save(
        actor=request.auth,
        answer_id=answer_id,
        expected_version=payload.version,
        level=payload.level,
        explanation=payload.explanation,
    )
    return _state(answer)


@answers_router.post(
    "/{answer_id}/submit", response={200: AnswerStateOut, **WRITE_ERRORS}, summary="Submit"
)
def answer_submit(request, answer_id: Id, payload: VersionIn):
    """Submit a draft or returned answer (diajukan) for the asesor internal's review."""
    return _state(
        services.answer_submit(
            actor=request.auth, answer_id=answer_id, expected_version=payload.version
        )
    )


@answers_router.post(
    "/{answer_id}/verify", response={200: AnswerStateOut, **WRITE_ERRORS}, summary="Verify"
)
def answer_verify(request, answer_id: Id, payload: VersionIn):
    """Verify a submitted answer (asesor internal): its level becomes the verified level."""
    return _state(
        services.answer_verify(
            actor=request.auth, answer_id=answer_id, expected_version=payload.version
        )
    )


@answers_router.post(
    "/{answer_id}/return",
    response={200: AnswerStateOut, **WRITE_ERRORS},
    summary="Return with a note",
)
def answer_return(request, answer_id: Id, payload: ReturnIn):
    """Send a submitted or verified answer back to its unit (asesor internal); the note
    saying why is required and is added to the comments."""
    return _state(
        services.answer_return(
            actor=request.auth,
            answer_id=answer_id,
            expected_version=payload.version,
            note=payload.note,
        )
    )


@answers_router.post(
    "/{answer_id}/reopen",
    response={200: AnswerStateOut, **WRITE_ERRORS},
    summary="Reopen after the deadline",
)
def answer_reopen(request, answer_id: Id, payload: ReopenIn):
    """Let an answer be edited again after the self-assessment closed (koordinator only);
    the reason is recorded."""
    return _state(
        services.answer_reopen(
            actor=request.auth,
            answer_id=answer_id,
            expected_version=payload.version,
            reason=payload.reason,
        )
    )


@answers_router.put(
    "/{answer_id}/units",
    response={200: UnitIdsOut, **WRITE_ERRORS},
    summary="Set the responsible units",
)
def answer_units(request, answer_id: Id, payload: UnitsIn):
    """Replace the units responsible for this answer (koordinator)."""
    unit_ids = services.answer_assign_units(
        actor=request.auth, answer_id=answer_id, unit_ids=payload.unit_ids
    )
    return {"unit_ids": sorted(unit_ids)}


@answers_router.post(
    "/{answer_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="Comment"
)
def answer_comment(request, answer_id: Id, payload: CommentIn):
    """Add a comment to the answer's thread."""
    comment = services.comment_add(actor=request.auth, answer_id=answer_id, body=payload.body)
    return Status(201, _comment(comment))


@answers_router.put(
    "/{answer_id}/passes/{stage}",
    response={200: PassOut, **WRITE_ERRORS},
    summary="Record an external assessment",
)
def answer_pass(request, answer_id: Id, stage: StageName, payload: PassIn):  # type: ignore[valid-type]
    """An asesor eksternal's level and notes at one stage: dokumen (document review) first,
    then interviu, visitasi (optional) and final. Once the self-assessment is final mandiri.
    `version` is 0 for a stage not judged yet."""
    assessor_pass = services.assessor_pass_save(
        actor=request.auth,
        answer_id=answer_id,
        stage=stage,
        level=payload.level,
        notes=payload.notes,
        expected_version=payload.version,
    )
    return _pass(assessor_pass)


@answers_router.put(
    "/{answer_id}/response",
    response={200: PassOut, **WRITE_ERRORS},
    summary="Respond to the provisional level",
)
def answer_response(request, answer_id: Id, payload: ResponseIn):
    """The institution's clarification or objection to the document-review level, for the
    interview (koordinator). `version` is the document-review pass's version."""
    assessor_pass = services.assessor_response_save(
        actor=request.auth,
        answer_id=answer_id,
        response=payload.response,
        expected_version=payload.version,
    )
    return _pass(assessor_pass)


def _item_sheet(sheet: selectors.ItemSheet) -> dict:
    rule = sheet.rule
    current = sheet.assessor_pass
    return {
        "answer_id": sheet.answer.pk,
        "number": sheet.answer.indicator,
        "stage": sheet.stage,
        "stage_label": str(sheet.stage_label),
        "stages_judged": sheet.stages_judged,
        "version": sheet.version,
        "computed_level": _level(sheet.computed),
        "computed_level_exact": _exact(sheet.computed),
        "weights_known": sheet.weights_known,
        "weights_unknown_level": None if sheet.weights_known else sheet.computed_at_level,
        "level": _level(current.level) if current else None,
        "entered_level": _level(sheet.entered),
        "differs": sheet.differs,
        "provisional": sheet.instrument.provisional,
        "rule": {"method": rule.method, "confidence": rule.confidence.value, "note": rule.note},
        "levels": [
            {
                "level": level.level,
                "name": level.name,
                "accepted": level.accepted,
                "total": len(level.items),
                "items": [
                    {
                        "level": item.level,
                        "position": item.position,
                        "number": item.number,
                        "text": item.text,
                        "status": item.status,
                        "status_label": str(item.status_label),
                        "judged": item.judged,
                        "reason_kind": item.reason_kind,
                        "reason": item.reason,
                        "reason_text": item.reason_text,
                        "assessor": item.assessor,
                        "updated_at": item.updated_at,
                    }
                    for item in level.items
                ],
            }
            for level in sheet.levels
        ],
    }


@answers_router.get(
    "/{answer_id}/items",
    response={200: ItemSheetOut, 422: ErrorOut, **READ_ERRORS},
    summary="Item-level assessment",
)
def answer_items_get(request, answer_id: Id, stage: StageName | None = None):  # type: ignore[valid-type]
    """Every evidence item of every level of the answer at one stage (pemdi-2026): its text,
    status (otomatis_ditolak above a level not accepted), the reason for revision, the value
    the items give and the stage's level - and whether a directly entered level differs.
    Without `stage`: the latest stage with judgements, else dokumen. Anyone who sees the
    answer may read it; 422 for an instrument without item-level assessment (spbe-2020) or
    an indicator scored from another agency's index."""
    sheet, _access = selectors.item_sheet_for_user(request.auth, answer_id, stage)
    return _item_sheet(sheet)


@answers_router.put(
    "/{answer_id}/items",
    response={200: ItemSheetOut, **WRITE_ERRORS},
    summary="Judge items",
)
def answer_items_put(request, answer_id: Id, stage: StageName, payload: ItemsIn):  # type: ignore[valid-type]
    """Judge items of one answer at one stage in one call (asesor eksternal): diterima,
    revisi (with `reason_kind`, and `reason` for lainnya) or belum (clears). The stage's level
    then follows the items unless it was entered directly (PUT .../passes/{stage}).
    `version` is the stage pass's version: a stale one answers 409 with the current pass in
    `error.current`. Problems answer 422 with one detail per item, located as
    items[<index>].<field>."""
    services.items_judge(
        actor=request.auth,
        answer_id=answer_id,
        stage=stage,
        decisions=[
            services.ItemDecision(i.level, i.position, i.status, i.reason_kind, i.reason)
            for i in payload.items
        ],
        expected_version=payload.version,
        follow_items=payload.follow_items,
    )
    sheet, _access = selectors.item_sheet_for_user(request.auth, answer_id, stage)
    return _item_sheet(sheet)

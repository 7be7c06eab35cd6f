"""The evaluation API's request and response shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from monev.core.items import ItemStatus
from monev.evaluations import legacy
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement, Milestone, Period
from monev.instruments.api import ScoreOut
from monev.lib.api_schemas import (
    DateTimeIn,
    DecimalIn,
    InstitutionRefOut,
    UnitOut,
    ValueIn,
    choice_in,
)

PeriodKind = Literal[tuple(Period.Kind.values)]  # type: ignore[valid-type]
MilestoneKind = Literal[tuple(Milestone.Kind.values)]  # type: ignore[valid-type]
# Inputs naming a stage or an item's status also take the old Indonesian values (deprecated).
StageName = choice_in(AssessorPass.Stage.values, legacy.STAGES, what="stage")
ItemStatusIn = choice_in(
    [*ItemJudgement.Status.values, ItemStatus.PENDING],
    {old: new for old, new in legacy.ITEM_STATUSES.items() if new != ItemStatus.AUTO_REJECTED},
    what="status",
    description="pending clears the judgement",
)
ReasonKindIn = choice_in(
    ["", *ItemJudgement.Reason.values],
    legacy.REASONS,
    what="reason_kind",
    description="required with revision",
)
ItemStatusOut = Literal[tuple(status.value for status in ItemStatus)]  # type: ignore[valid-type]
AnswerStatusOut = Literal[tuple(Answer.Status.values)]  # type: ignore[valid-type]
StageOut = Literal[tuple(AssessorPass.Stage.values)]  # type: ignore[valid-type]

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
    status: AnswerStatusOut  # type: ignore[valid-type]
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
    stage: StageOut  # type: ignore[valid-type]
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
    status: AnswerStatusOut  # type: ignore[valid-type]
    status_label: str
    level: str | None
    verified_level: str | None
    explanation: str
    reopened: bool
    version: int
    updated_by: str | None
    updated_at: datetime


class ActionOut(Schema):
    allowed: bool = Field(description="the caller may do it now (the server checks again)")
    reason: str | None = Field(
        description="why not, in the request's language (null when allowed)",
        examples=["Penilaian mandiri ditutup pada 18 Agustus 2025 23.59; hanya koordinator ..."],
    )


class SubmitOut(AnswerStateOut):
    readiness_errors: list[FlagOut] = Field(
        description="the evidence's readiness errors at submission (an assessor is likely to "
        "reject what they describe); the answer is submitted all the same - the answer page "
        "asks for a confirmation first"
    )


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
    actions: dict[str, ActionOut] = Field(
        description="each action on the answer - save, link_evidence, submit, verify, return, "
        "reopen, assess, respond, comment, units - with whether the caller may do it now and "
        "why not (the answer's status, the self-assessment window, the role, the external "
        "assessor's assignment), from the rules the server applies when it is tried",
        examples=[
            {
                "save": {"allowed": False, "reason": "Penilaian mandiri ditutup pada ..."},
                "comment": {"allowed": True, "reason": None},
            }
        ],
    )
    state_notes: list[str] = Field(
        description="the answer's state in sentences: why it is locked and who can change it"
    )


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
    status: ItemStatusOut = Field(  # type: ignore[valid-type]
        description="as shown: auto_rejected when a level below is not accepted"
    )
    status_label: str
    judged: str = Field(description="what the assessor stored ('' when not judged)")
    reason_kind: str = Field(
        description="not_appropriate | not_uploaded | other, for revision ('' otherwise)"
    )
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
    stage: StageOut  # type: ignore[valid-type]
    stage_label: str
    stages_judged: list[StageOut] = Field(  # type: ignore[valid-type]
        description="stages with item judgements, in order"
    )
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
    status: ItemStatusIn = Field(examples=["revision"])  # type: ignore[valid-type]
    reason_kind: ReasonKindIn = Field("", examples=["not_appropriate"])  # type: ignore[valid-type]
    reason: str = Field(
        "", max_length=1000, description="required with other", examples=["Belum ditetapkan."]
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

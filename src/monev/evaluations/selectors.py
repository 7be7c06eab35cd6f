"""Reads of periods and answers shared by the pages and the API. Each runs a fixed number of
queries however many answers, units or comments there are."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.items import ItemStatus
from monev.core.model import Indicator, Instrument, ScoredItem
from monev.evaluations import hooks, legacy
from monev.evaluations.deadlines import extended_window, unit_extensions
from monev.evaluations.models import (
    Answer,
    AnswerUnit,
    AssessorPass,
    Comment,
    ItemJudgement,
    Milestone,
    Period,
)
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.services.common import self_assessment_problem
from monev.evaluations.stages import ScoreStage as ScoreStage
from monev.evaluations.stages import StageScore, stage_scores
from monev.evaluations.stages import answer_values as stage_values
from monev.institutions.access import access_for
from monev.institutions.clock import now_for
from monev.institutions.models import Institution, Membership, Unit
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import NotFound

Status = Answer.Status
Stage = AssessorPass.Stage


# --- stages and their scores ------------------------------------------------------------------

# They live in monev.evaluations.stages (imported above; ScoreStage, StageScore, stage_scores
# and stage_values - of an Answer and its AssessorPass instances - are still read from here).


# --- flags ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


def answer_flags(answer: Answer, unit_count: int, now: datetime, deadline: datetime | None):
    flags = []
    if unit_count == 0:
        flags.append(Flag("no_unit", _("No responsible unit")))
    if answer.level is not None and not answer.explanation:
        flags.append(Flag("no_explanation", _("Level without penjelasan")))
    if deadline and now >= deadline and answer.status in (Status.DRAFT, Status.RETURNED):
        flags.append(Flag("overdue", _("Not submitted by the deadline")))
    if answer.reopened:
        flags.append(Flag("reopened", _("Reopened after the deadline")))
    return flags


# --- the period --------------------------------------------------------------------------------


def period_for_user(user, period_id: int, *, not_found=None) -> tuple[Period, Access]:
    """The period and the user's access; NotFound if the user has no membership in its
    institution (its existence is not revealed). `not_found`: the message when the period was
    reached through another object, the one a missing id of that object gets."""
    period = Period.objects.select_related("institution", "previous").filter(pk=period_id).first()
    access = access_for(user, period.institution_id) if period else Access(())
    if period is None or not access:
        raise NotFound(not_found or _("Period not found."))
    return period, access


def periods_for_user(user) -> list[Period]:
    if not user.is_authenticated:
        return []
    institution_ids = Membership.objects.filter(user=user).values("institution_id")
    return list(
        Period.objects.filter(institution_id__in=institution_ids)
        .select_related("institution")
        .order_by("institution__name", "-year", "kind")
    )


@dataclass
class AnswerRow:
    answer: Answer
    item: ScoredItem
    indicator: Indicator
    units: list[Unit]
    passes: dict[str, AssessorPass]
    comment_count: int
    flags: list[Flag] = field(default_factory=list)
    evidence_count: int | None = None  # evidence items linked; None where not read (to-do)
    blocked: str = ""  # the review queue: why the viewer cannot act on it now ("": they can)

    @property
    def values(self) -> dict[str, Decimal | None]:
        return stage_values(self.answer, self.passes)

    @property
    def latest_pass(self) -> AssessorPass | None:
        """The latest external judgement (final, site visit, interview, document review)."""
        return next(
            (self.passes[s] for s in reversed(AssessorPass.ORDER) if s in self.passes), None
        )


@dataclass
class PeriodOverview:
    period: Period
    instrument: Instrument
    access: Access
    rows: list[AnswerRow]
    scores: dict[str, StageScore]
    milestones: list[Milestone]
    status_counts: dict[str, int]
    now: datetime

    @property
    def upcoming(self) -> list[Milestone]:
        return [m for m in self.milestones if m.due_at >= self.now]

    def days_left(self, milestone: Milestone) -> int:
        return (timezone.localdate(milestone.due_at) - timezone.localdate(self.now)).days


def _deadline(milestones: list[Milestone]) -> datetime | None:
    for kind in (Milestone.Kind.SELF_ASSESSMENT_CLOSE, Milestone.Kind.EVIDENCE_DEADLINE):
        for milestone in milestones:
            if milestone.kind == kind:
                return milestone.due_at
    return None


def _answers(period: Period, access: Access, only_ids=None):
    """Answers with units, passes and comment counts: three queries in all. Each answer gets
    `responsible_units`, its units in code order."""
    queryset = (
        Answer.objects.filter(period=period)
        .annotate(comment_count=Count("comments"))
        .select_related("updated_by")
        .prefetch_related(
            Prefetch("passes", queryset=AssessorPass.objects.select_related("assessor")),
        )
        .order_by("position")
    )
    if access.is_operator_only:
        # An operator sees only the answers their units are responsible for.
        queryset = queryset.filter(unit_links__unit_id__in=access.unit_ids).distinct()
    if only_ids is not None:
        queryset = queryset.filter(pk__in=only_ids)
    answers = list(queryset)
    for answer, units in zip(answers, _units_of(period, answers), strict=True):
        answer.responsible_units = units
    return answers


def answer_units(period: Period, answer_ids=None) -> tuple[dict[int, list[Unit]], dict[int, Unit]]:
    """answer id -> its units (by code), and the units by id, for the period's answers (or
    those of `answer_ids`): one query of plain tuples - a period can have thousands of links,
    and building a model object per link was most of the overview's time."""
    links = AnswerUnit.objects.filter(answer__period=period).order_by("unit__code", "unit_id")
    if answer_ids is not None:
        links = links.filter(answer_id__in=answer_ids)
    units: dict[int, Unit] = {}
    units_of: dict[int, list[Unit]] = {}
    for answer_id, unit_id, code, name, short_name in links.values_list(
        "answer_id", "unit_id", "unit__code", "unit__name", "unit__short_name"
    ):
        unit = units.get(unit_id)
        if unit is None:
            unit = units[unit_id] = Unit(
                pk=unit_id,
                institution_id=period.institution_id,
                code=code,
                name=name,
                short_name=short_name,
            )
        units_of.setdefault(answer_id, []).append(unit)
    return units_of, units


def _units_of(period: Period, answers: list[Answer]) -> list[list[Unit]]:
    """The units of each answer (one query)."""
    # One answer's page, an operator's rows: ask only for theirs.
    few = [answer.pk for answer in answers] if len(answers) < 100 else None
    units_of, _units = answer_units(period, few)
    return [units_of.get(answer.pk, []) for answer in answers]


def _rows(instrument: Instrument, answers, milestones, now) -> list[AnswerRow]:
    deadline = _deadline(milestones)
    rows = []
    for answer in answers:
        item = instrument.items_by_number[answer.indicator]
        units = answer.responsible_units
        rows.append(
            AnswerRow(
                answer=answer,
                item=item,
                indicator=instrument.indicators_by_number[item.indicator],
                units=units,
                passes={p.stage: p for p in answer.passes.all()},
                comment_count=answer.comment_count,
                flags=answer_flags(answer, len(units), now, deadline),
            )
        )
    return rows


def period_overview(period: Period, access: Access, *, now: datetime | None = None):
    """Every indicator with its status, level, units, flags; the index at every stage.
    Scores always cover the whole period, whatever part of it the user sees."""
    now = now or now_for(period.institution)
    instrument = instrument_of(period)
    milestones = list(period.milestones.order_by("due_at"))
    answers = _answers(period, access)
    rows = _rows(instrument, answers, milestones, now)
    hooks.overview_rows(period, rows)  # evidence counts and the no_evidence flag
    if access.is_operator_only:
        all_answers = list(
            Answer.objects.filter(period=period).prefetch_related("passes").order_by("position")
        )
    else:
        all_answers = answers
    values = [stage_values(a, {p.stage: p for p in a.passes.all()}) for a in all_answers]
    scores = stage_scores(instrument, values, [a.indicator for a in all_answers])
    return PeriodOverview(
        period=period,
        instrument=instrument,
        access=access,
        rows=rows,
        scores=scores,
        milestones=milestones,
        status_counts=dict(Counter(row.answer.status for row in rows)),
        now=now,
    )


def upcoming_milestones(period: Period, *, now: datetime | None = None) -> list[Milestone]:
    """The period's milestones still ahead, soonest first (the to-do list's deadlines)."""
    now = now or now_for(period.institution)
    return list(period.milestones.filter(due_at__gte=now).order_by("due_at"))


def units_named(unit_ids) -> list[Unit]:
    """The units with these ids, by name (one query)."""
    return list(Unit.objects.filter(pk__in=unit_ids).order_by("name"))


def unit_todo(period: Period, access: Access, *, now: datetime | None = None) -> list[AnswerRow]:
    """What the user's units still owe: their answers not yet submitted or returned to them."""
    now = now or now_for(period.institution)
    instrument = instrument_of(period)
    milestones = list(period.milestones.order_by("due_at"))
    answers = [
        a
        for a in _answers(period, access)
        if {unit.pk for unit in a.responsible_units} & access.unit_ids
        or not access.is_operator_only
    ]
    rows = _rows(instrument, answers, milestones, now)
    open_statuses = (Status.DRAFT, Status.RETURNED)
    return [row for row in rows if row.answer.status in open_statuses]


def review_queue(period: Period, access: Access, *, now: datetime | None = None, aspects=()):
    """For the internal assessor: answers submitted and waiting for verification. For an
    external assessor: final answers without a judgement at the next stage - of `aspects`
    only, when their assignment names some, and none when they have no assignment on the
    period (`aspects` None; monev.assignments.selectors.assigned_aspects)."""
    now = now or now_for(period.institution)
    instrument = instrument_of(period)
    milestones = list(period.milestones.order_by("due_at"))
    rows = _rows(instrument, _answers(period, access), milestones, now)
    verifying = access.can(Capability.VERIFY_ANSWER)
    assessing = access.can(Capability.ASSESS) and aspects is not None

    def waiting(row: AnswerRow) -> bool:
        status = row.answer.status
        if verifying and status == Status.SUBMITTED:
            return True
        if aspects and row.item.aspect not in aspects:
            return False
        return assessing and status == Status.FINAL and Stage.FINAL not in row.passes

    rows = [row for row in rows if waiting(row)]
    hooks.overview_rows(period, rows)  # the same evidence counts and flags as the overview
    if verifying:
        _mark_blocked(period, rows, milestones, now)
    # What the viewer can act on first; the rest keep the instrument's order.
    return sorted(rows, key=lambda row: bool(row.blocked))


def _mark_blocked(period, rows: list[AnswerRow], milestones, now: datetime) -> None:
    """Why each submitted answer cannot be verified now: its self-assessment window (with its
    units' extensions) is closed and it is not reopened. One query (the extensions)."""
    dates = {m.kind: m.due_at for m in milestones}
    window = (
        dates.get(Milestone.Kind.SELF_ASSESSMENT_OPEN),
        dates.get(Milestone.Kind.SELF_ASSESSMENT_CLOSE),
    )
    extensions = unit_extensions(period)
    for row in rows:
        if row.answer.status != Status.SUBMITTED:
            continue
        own = extended_window(window, extensions, [unit.pk for unit in row.units])
        row.blocked = self_assessment_problem(row.answer, own, now) or ""


@dataclass
class AnswerDetail:
    row: AnswerRow
    period: Period
    instrument: Instrument
    access: Access
    comments: list[Comment]
    levels: list[dict]
    institution_units: list[Unit]
    # What the viewer may do now (actions.AnswerActions), once the page or the API has read it.
    actions: object | None = None


def answer_for_user(user, answer_id: int) -> tuple[Answer, Access]:
    answer = Answer.objects.select_related("period__institution").filter(pk=answer_id).first()
    access = access_for(user, answer.period.institution_id) if answer else Access(())
    if answer is None or not access:
        raise NotFound(_("Answer not found."))
    if access.is_operator_only:
        unit_ids = set(answer.unit_links.values_list("unit_id", flat=True))
        if not unit_ids & access.unit_ids:
            raise NotFound(_("Answer not found."))
    return answer, access


def answer_detail(user, answer_id: int, *, now: datetime | None = None) -> AnswerDetail:
    answer, access = answer_for_user(user, answer_id)
    period = answer.period
    instrument = instrument_of(period)
    milestones = list(period.milestones.order_by("due_at"))
    (loaded,) = _answers(period, Access(()), only_ids=[answer.pk]) or [None]
    row = _rows(instrument, [loaded], milestones, now or now_for(period.institution))[0]
    indicator = row.indicator
    scale = instrument.level_scales_by_code.get(indicator.level_scale)
    levels = [
        {
            "level": level,
            "name": scale.level_name(level) if scale else "",
            "criteria": indicator.criteria.get(level, ""),
            "evidence": indicator.evidence.get(level, ""),
        }
        for level in range(instrument.scale.min, instrument.scale.max + 1)
    ]
    comments = list(answer.comments.select_related("author").order_by("created_at"))
    units = list(Unit.objects.filter(institution_id=period.institution_id).order_by("code"))
    return AnswerDetail(row, period, instrument, access, comments, levels, units)


def institution_units(institution: Institution) -> list[Unit]:
    return list(institution.units.order_by("code"))


# --- unit assignments (the unit x indicator matrix) -------------------------------------------


@dataclass
class AssignmentMatrix:
    fingerprint: str  # of the whole period's matrix: send it back when saving
    answers: list[Answer]  # the answers the user sees, in the instrument's order
    units: list[Unit]
    assignments: dict[int, list[int]]  # answer id -> unit ids, for the answers shown


def assignment_matrix(period: Period, access: Access) -> AssignmentMatrix:
    """Which units answer for which indicator: three queries however large the matrix.
    An operator sees only the rows of their own units' answers."""
    from monev.evaluations.services.answers import assignment_fingerprint

    pairs = list(
        AnswerUnit.objects.filter(answer__period=period)
        .order_by("answer_id", "unit__code")
        .values_list("answer_id", "unit_id")
    )
    by_answer: dict[int, list[int]] = {}
    for answer_id, unit_id in pairs:
        by_answer.setdefault(answer_id, []).append(unit_id)
    answers = list(
        Answer.objects.filter(period=period)
        .only("pk", "indicator", "position")
        .order_by("position")
    )
    if access.is_operator_only:
        answers = [a for a in answers if set(by_answer.get(a.pk, ())) & access.unit_ids]
    return AssignmentMatrix(
        fingerprint=assignment_fingerprint(pairs),
        answers=answers,
        units=institution_units(period.institution),
        assignments={a.pk: by_answer.get(a.pk, []) for a in answers},
    )


# --- item-level assessment (pemdi-2026) -------------------------------------------------------


@dataclass(frozen=True)
class ItemView:
    level: int
    position: int  # the item's index in `indicator.evidence_items_at(level)`
    text: str
    status: str  # the status shown: an ItemStatus (pending, accepted, revision, auto_rejected)
    judged: str  # what the assessor stored ("" when not judged): kept while auto-rejected
    reason_kind: str
    reason: str
    assessor: str | None
    updated_at: datetime | None

    @property
    def key(self) -> str:
        return f"{self.level}-{self.position}"

    @property
    def number(self) -> str:
        return f"{self.level}.{self.position + 1}"

    @property
    def auto_rejected(self) -> bool:
        return self.status == ItemStatus.AUTO_REJECTED

    @property
    def status_label(self):
        return ITEM_STATUS_LABELS[self.status]

    @property
    def reason_text(self) -> str:
        """Why it is not accepted, as the institution reads it."""
        if self.auto_rejected:
            return str(AUTO_REJECTED_REASON)
        if self.status != ItemStatus.REVISION:
            return ""
        if self.reason_kind == ItemJudgement.Reason.OTHER and self.reason:
            return self.reason
        label = str(ItemJudgement.Reason(self.reason_kind).label) if self.reason_kind else ""
        return ": ".join(part for part in (label, self.reason) if part)


@dataclass(frozen=True)
class LevelItemsView:
    level: int
    name: str
    items: list[ItemView]

    @property
    def accepted(self) -> int:
        return sum(item.status == ItemStatus.ACCEPTED for item in self.items)


AUTO_REJECTED_REASON = _("Automatically rejected because the previous maturity level was rejected")
ITEM_STATUS_LABELS = {
    ItemStatus.PENDING: _("Not judged yet"),
    ItemStatus.ACCEPTED: _("Accepted"),
    ItemStatus.REVISION: _("Needs revision"),
    ItemStatus.AUTO_REJECTED: _("Automatically rejected"),
}


@dataclass
class ItemSheet:
    """One answer's items at one stage: what the assessor judged, the cascade applied, and
    the value the rule gives beside the stage's level."""

    answer: Answer
    instrument: Instrument
    indicator: Indicator
    stage: str
    assessor_pass: AssessorPass | None
    levels: list[LevelItemsView]
    computed: Decimal  # the rule's value from the items as they stand (stored or not yet)
    stages_judged: list[str]  # the stages with item judgements, in order
    # The level whose items set `computed` (None: every level accepted), and whether that
    # level's item weights are known; where not, `computed` weighs the items equally.
    computed_at_level: int | None = None
    weights_known: bool = True

    @property
    def version(self) -> int:
        return self.assessor_pass.version if self.assessor_pass else 0

    @property
    def stage_label(self):
        return Stage(self.stage).label

    @property
    def entered(self) -> Decimal | None:
        """The level entered directly, when it was (else the level follows the items)."""
        p = self.assessor_pass
        return p.level if p is not None and p.level_entered else None

    @property
    def differs(self) -> bool:
        return self.entered is not None and self.entered != self.computed

    @property
    def rule(self):
        return self.instrument.item_rule

    @property
    def judged_count(self) -> int:
        return sum(1 for level in self.levels for item in level.items if item.judged)


def item_judgements_of(answer: Answer) -> list[ItemJudgement]:
    """Every stage's item judgements of one answer (one query)."""
    return list(
        ItemJudgement.objects.filter(answer=answer)
        .select_related("assessor")
        .order_by("stage", "level", "position")
    )


def item_sheet(
    answer: Answer,
    instrument: Instrument,
    indicator: Indicator,
    passes: dict[str, AssessorPass],
    judgements: list[ItemJudgement],
    stage: str | None = None,
) -> ItemSheet:
    """The sheet at `stage` (an old stage name too: a link kept from before the values were
    English); without one, the latest stage with judgements (else the document review)."""
    from monev.core.items import cascade, item_value, item_weights, items_of

    judged_stages = {j.stage for j in judgements}
    stages_judged = [s for s in AssessorPass.ORDER if s in judged_stages]
    stage = legacy.current(stage, legacy.STAGES)
    if stage not in Stage.values:
        stage = stages_judged[-1] if stages_judged else Stage.DOCUMENT
    here = {(j.level, j.position): j for j in judgements if j.stage == stage}
    texts = items_of(indicator, instrument)
    judged = {
        level: [
            ItemStatus(here[(level, n)].status) if (level, n) in here else ItemStatus.PENDING
            for n in range(len(items))
        ]
        for level, items in texts.items()
    }
    shown = cascade(judged)
    scale = instrument.level_scales_by_code.get(indicator.level_scale)
    levels = []
    for level, items in sorted(texts.items()):
        views = []
        for n, text in enumerate(items):
            stored = here.get((level, n))
            views.append(
                ItemView(
                    level=level,
                    position=n,
                    text=text,
                    status=shown[level][n].value,
                    judged=stored.status if stored else "",
                    reason_kind=stored.reason_kind if stored else "",
                    reason=stored.reason if stored else "",
                    assessor=stored.assessor.display_name if stored and stored.assessor else None,
                    updated_at=stored.updated_at if stored else None,
                )
            )
        levels.append(LevelItemsView(level, scale.level_name(level) if scale else "", views))
    assert instrument.item_rule is not None
    computed = item_value(instrument.item_rule, judged, item_weights(indicator, instrument))
    return ItemSheet(
        answer=answer,
        instrument=instrument,
        indicator=indicator,
        stage=stage,
        assessor_pass=passes.get(stage),
        levels=levels,
        computed=computed.value,
        stages_judged=stages_judged,
        computed_at_level=computed.level,
        weights_known=computed.weights_known,
    )


def item_sheet_for_user(user, answer_id: int, stage: str | None = None) -> tuple[ItemSheet, Access]:
    """The sheet for anyone who may see the answer (the institution's people read it to know
    what to fix). InvalidInput where the answer's items are not judged one by one."""
    from monev.evaluations.services.items import indicator_of, item_assessment_problem
    from monev.lib.errors import InvalidInput

    answer, access = answer_for_user(user, answer_id)
    instrument = instrument_of(answer.period)
    indicator = indicator_of(instrument, answer)
    if problem := item_assessment_problem(instrument, indicator):
        raise InvalidInput(problem)
    if stage is not None and stage not in Stage.values:
        raise InvalidInput(_("Unknown stage: %(stage)s") % {"stage": stage})
    passes = {p.stage: p for p in AssessorPass.objects.filter(answer=answer)}
    sheet = item_sheet(answer, instrument, indicator, passes, item_judgements_of(answer), stage)
    return sheet, access

"""Reads of plans, efforts and action items, and the what-if computation (nothing stored).
Each runs a fixed number of queries however many indicators, units or items there are.
An action item reached by its id goes through action_item_for, which checks permission as
it fetches."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monev.core import planner
from monev.core.engine import ScoringInputError, WhatIf, what_if
from monev.core.model import Instrument, ScoredItem
from monev.core.numbers import NotExact, parse_decimal
from monev.evaluations.models import Answer, AnswerUnit, Period
from monev.evaluations.period_instrument import instrument_of
from monev.institutions import clock
from monev.institutions.access import access_for, institutions_in_scope
from monev.institutions.models import Unit
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Forbidden, InvalidInput, NotFound
from monev.planning.models import ActionItem, EffortOverride, Plan


def active_plan(period: Period) -> Plan | None:
    plan = (
        Plan.objects.filter(period=period, status=Plan.Status.ACTIVE)
        .select_related("created_by")
        .first()
    )
    if plan is not None:
        plan.period = period  # already read: its labels and dates need no other query
    return plan


def _visible_answer_ids(period: Period, access: Access) -> set[int] | None:
    """The answers an operator-only user may see (their units'); None: all of them."""
    if not access.is_operator_only:
        return None
    return set(
        Answer.objects.filter(period=period, unit_links__unit_id__in=access.unit_ids).values_list(
            "pk", flat=True
        )
    )


# --- one action item -------------------------------------------------------------------------


def action_item_for(
    user, item_id: int, capability: Capability | None = None, *, lock: bool = False
) -> tuple[ActionItem, Period, Access]:
    """The action item with its period and the user's access there. The query reads only the
    institutions in the user's scope, so another institution's item is never loaded: it is
    NotFound with the message of a missing id (its existence is not revealed). An operator
    sees only the items of their units (the item's unit or one responsible for its answer).
    Forbidden unless the user may do `capability` on the item's answer (when given). With
    `lock` (the services, in their transaction) the item's row is locked for update. Two
    queries; a third for an operator whose unit is not the item's."""
    missing = NotFound(_("Action item not found."))
    scope = institutions_in_scope(user)
    items = ActionItem.objects.select_for_update(of=("self",)) if lock else ActionItem.objects
    item = (
        items.filter(pk=item_id, plan__period__institution__in=scope)
        .select_related(
            "plan__period__institution", "plan__period__previous", "answer", "unit", "done_by"
        )
        .first()
    )
    access = access_for(user, item.plan.period.institution_id) if item else Access(())
    if item is None or not access:
        raise missing
    unit_ids = {item.unit_id} if item.unit_id else set()
    # Whose units matter: an operator's (what they see), and a unit-scoped capability's.
    unit_scoped = access.is_operator_only or capability in access.scoped
    if unit_scoped and not access.unit_ids & unit_ids:
        unit_ids |= set(
            AnswerUnit.objects.filter(answer_id=item.answer_id).values_list("unit_id", flat=True)
        )
    if access.is_operator_only and not access.unit_ids & unit_ids:
        raise missing
    if capability is not None and not access.can_on_answer(capability, unit_ids):
        raise Forbidden(_("Your role does not allow this on this action item."))
    return item, item.plan.period, access


# --- the plan page ---------------------------------------------------------------------------


@dataclass
class UnitGroup:
    unit: Unit | None
    items: list[ActionItem]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.status == ActionItem.Status.DONE)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


@dataclass
class PlanView:
    plan: Plan | None
    items: list[ActionItem] = field(default_factory=list)
    groups: list[UnitGroup] = field(default_factory=list)
    past_plans: int = 0
    today: date | None = None

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.status == ActionItem.Status.DONE)

    @property
    def overdue(self) -> int:
        return sum(1 for item in self.items if item.overdue)


def today_for(period: Period) -> date:
    """The day that decides what is overdue for the period's institution (its clock: a demo
    institution's is its story's)."""
    cached = Period.institution.is_cached(period)  # else its offset costs one query
    return clock.today_for(period.institution if cached else period.institution_id)


def describe_items(period: Period, items: list[ActionItem], today: date | None = None) -> None:
    """Give each item its indicator's label (number and short name) and whether it is overdue
    (open, due before `today`). No query: the instrument is read from its file."""
    labels = instrument_of(period).item_labels
    today = today or today_for(period)
    for item in items:
        item.label = labels.get(item.answer.indicator, item.answer.indicator)
        item.overdue = (
            item.status == ActionItem.Status.OPEN
            and item.due_date is not None
            and item.due_date < today
        )


def plan_items(plan: Plan, access: Access, today: date | None = None) -> list[ActionItem]:
    """The plan's action items the user may see (an operator: their units'), in due order,
    with their labels and overdue marks (describe_items)."""
    items = ActionItem.objects.filter(plan=plan).select_related("answer", "unit", "done_by")
    if access.is_operator_only:
        items = items.filter(unit_id__in=access.unit_ids)
    items = list(items.order_by("position"))
    describe_items(plan.period, items, today)
    return items


def plan_view(period: Period, access: Access, today: date | None = None) -> PlanView:
    plan = active_plan(period)
    if plan is None:
        return PlanView(None)
    today = today or today_for(period)
    items = plan_items(plan, access, today)
    groups: dict[int | None, UnitGroup] = {}
    for item in items:
        groups.setdefault(item.unit_id, UnitGroup(item.unit, [])).items.append(item)
    ordered = sorted(groups.values(), key=lambda g: (g.unit is None, g.unit.code if g.unit else ""))
    return PlanView(plan, items, ordered, today=today)


def unit_actions(period: Period, access: Access) -> list[ActionItem]:
    """The open action items of the period's active plan for the user's units (for someone
    who is not only an operator: all of them), soonest due first. One query."""
    items = ActionItem.objects.filter(
        plan__period=period, plan__status=Plan.Status.ACTIVE, status=ActionItem.Status.OPEN
    ).select_related("answer", "unit")
    if access.is_operator_only:
        items = items.filter(unit_id__in=access.unit_ids)
    items = list(items.order_by("due_date", "position"))
    describe_items(period, items)
    return items


# --- efforts ---------------------------------------------------------------------------------


@dataclass
class EffortRow:
    item: ScoredItem
    kind: str
    to_level: int
    default: Decimal
    override: Decimal | None

    @property
    def effort(self) -> Decimal:
        return self.default if self.override is None else self.override


def default_effort(instrument: Instrument, number: str, to_level: int) -> Decimal:
    """The instrument's default effort of the step reaching `to_level` (by indicator kind)."""
    item = instrument.items_by_number[number]
    kind = instrument.indicators_by_number[item.indicator].kind
    return planner.default_effort(kind, to_level)


def step_levels(instrument: Instrument) -> range:
    """The levels a step can reach: one above the scale minimum up to the maximum."""
    return range(instrument.scale.min + 1, instrument.scale.max + 1)


def effort_rows(period: Period, instrument: Instrument | None = None) -> list[EffortRow]:
    """Every indicator x step with its default effort and the koordinator's override."""
    instrument = instrument or instrument_of(period)
    overrides = {
        (o.indicator, o.to_level): o.effort for o in EffortOverride.objects.filter(period=period)
    }
    rows = []
    for item in instrument.scored_items:
        kind = instrument.indicators_by_number[item.indicator].kind
        for level in step_levels(instrument):
            rows.append(
                EffortRow(
                    item=item,
                    kind=kind,
                    to_level=level,
                    default=default_effort(instrument, item.number, level),
                    override=overrides.get((item.number, level)),
                )
            )
    return rows


# --- what-if ---------------------------------------------------------------------------------


@dataclass
class WhatIfRow:
    item: ScoredItem
    level: Decimal | None  # stored
    shown: str  # what the input shows (the change asked for, or the stored level)


@dataclass
class WhatIfView:
    instrument: Instrument
    rows: list[WhatIfRow]
    result: WhatIf


def _level_text(level: Decimal | None) -> str:
    if level is None:
        return ""
    return str(int(level)) if level == level.to_integral_value() else str(level)


def parse_changes(raw: Mapping[str, object]) -> dict[str, Decimal]:
    """Levels typed as text (or numbers from JSON) -> Decimals; empty means no change.
    InvalidInput naming each value that is not a number."""
    changes, problems = {}, []
    for number, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, Decimal):
            changes[number] = value
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            problems.append({"location": number, "message": f"{value!r} is not a number"})
            continue
        try:
            changes[number] = parse_decimal(str(value).replace(",", "."))  # 2,5 as typed in id
        except NotExact as error:
            problems.append({"location": number, "message": str(error)})
    if problems:
        raise InvalidInput(_("A level is not a number."), details=problems)
    return changes


def what_if_view(
    period: Period, access: Access, changes: Mapping[str, Decimal] | None = None
) -> WhatIfView:
    """The period's self-assessed levels with `changes` applied, scored by the engine on
    the period's instrument. Nothing is stored. Changes are allowed to the indicators the
    user sees; a bad value answers InvalidInput with the engine's message."""
    changes = dict(changes or {})
    instrument = instrument_of(period)
    answers = list(
        Answer.objects.filter(period=period)
        .only("pk", "indicator", "level", "level_fraction")
        .order_by("position")
    )
    visible = _visible_answer_ids(period, access)
    shown_numbers = {a.indicator for a in answers if visible is None or a.pk in visible}
    hidden = [n for n in changes if n not in shown_numbers]
    if hidden:
        details = [{"location": n, "message": f"unknown indicator {n}"} for n in hidden]
        raise InvalidInput(_("A level cannot be used."), details=details)
    base = {a.indicator: a.level for a in answers if a.level is not None}
    try:
        result = what_if(instrument, base, changes, missing="min")
    except ScoringInputError as error:
        details = [{"location": p.key, "message": p.message} for p in error.problems]
        raise InvalidInput(
            _("A level cannot be used: %(problem)s") % {"problem": str(error)}, details=details
        ) from None
    items = instrument.items_by_number
    rows = [
        WhatIfRow(
            item=items[a.indicator],
            level=a.level,
            shown=_level_text(changes.get(a.indicator, a.level)),
        )
        for a in answers
        if a.indicator in shown_numbers
    ]
    return WhatIfView(instrument, rows, result)


def plan_tab(period: Period, access: Access) -> bool:
    """The period's "Rencana" tab, the plan and the what-if page (evaluations.hooks.period_tabs):
    every member."""
    return bool(access)

"""Every change to efforts, plans and action items: in a transaction, permission-checked,
with an audit event. Pages and the API call these and nothing else to write."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.core import planner
from monev.core.engine import score_problem
from monev.core.model import Instrument
from monev.core.numbers import decimal_places, exact_str, value_text
from monev.evaluations.models import Answer, AnswerUnit, Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.services.periods import period_get
from monev.institutions.access import institution_for_user, require
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Capability
from monev.instruments.external_indices import imported_refusal
from monev.lib.errors import Conflict, InvalidInput, InvalidTransition
from monev.planning.freshness import basis_of, plan_freshness
from monev.planning.models import ActionItem, EffortOverride, Plan
from monev.planning.selectors import action_item_for, step_levels

MAX_EFFORT = Decimal("99999999.99")


def _managed_period(actor, period_id: int, *, lock: bool = False) -> Period:
    period = period_get(period_id, lock=lock)
    _institution, access = institution_for_user(
        actor, period.institution_id, not_found=_("Period not found.")
    )
    require(access, Capability.MANAGE_PERIOD)
    return period


# --- efforts ---------------------------------------------------------------------------------


def _effort_problem(instrument: Instrument, number: str, to_level, effort) -> str | None:
    if number not in instrument.items_by_number:
        return str(_("Unknown indicator %(number)s.") % {"number": number})
    if not isinstance(to_level, int) or to_level not in step_levels(instrument):
        levels = step_levels(instrument)
        message = _("A step reaches a level from %(low)s to %(high)s.")
        return str(message % {"low": levels[0], "high": levels[-1]})
    if effort is None:
        return None
    if not effort.is_finite() or effort < 0 or effort > MAX_EFFORT:
        return str(_("The effort must be a number from 0 up."))
    if decimal_places(effort) > 2:
        return str(_("The effort has more than two decimals."))
    return None


@transaction.atomic
def efforts_set(*, actor, period_id: int, efforts: Mapping[tuple[str, int], Decimal | None]) -> int:
    """Set (a Decimal) or clear (None: back to the default) the effort of steps, keyed by
    (indicator number, level reached). Returns how many changed."""
    period = _managed_period(actor, period_id, lock=True)
    instrument = instrument_of(period)
    problems = [
        {"location": f"{number}/{level}", "message": problem}
        for (number, level), effort in efforts.items()
        if (problem := _effort_problem(instrument, number, level, effort))
    ]
    if problems:
        raise InvalidInput(_("An effort cannot be used."), details=problems)
    current = {
        (o.indicator, o.to_level): o
        for o in EffortOverride.objects.select_for_update().filter(period=period)
    }
    before, after = {}, {}
    for (number, level), effort in efforts.items():
        override = current.get((number, level))
        have = override.effort if override else None
        if effort == have:
            continue
        key = f"{number}/{level}"
        before[key], after[key] = have, effort
        if effort is None:
            override.delete()
        elif override is None:
            EffortOverride.objects.create(
                period=period, indicator=number, to_level=level, effort=effort, updated_by=actor
            )
        else:
            override.effort, override.updated_by = effort, actor
            override.save(update_fields=["effort", "updated_by", "updated_at"])
    if after:
        audit_record(
            actor=actor,
            action="plan.efforts_set",
            obj=period,
            institution_id=period.institution_id,
            period_id=period.pk,
            before=before,
            after=after,
        )
    return len(after)


def effort_set(*, actor, period_id: int, number: str, to_level: int, effort: Decimal | None):
    """One step's effort (None: back to the default)."""
    return efforts_set(actor=actor, period_id=period_id, efforts={(number, to_level): effort})


# --- plans -----------------------------------------------------------------------------------


def _levels(instrument: Instrument, answers: list[Answer]) -> dict[str, Decimal]:
    """The current self-assessed levels; an indicator without one counts at the minimum."""
    minimum = Decimal(instrument.scale.min)
    return {a.indicator: a.level if a.level is not None else minimum for a in answers}


def _owners(period: Period) -> dict[str, list[Unit]]:
    """Each indicator's responsible units, in code order."""
    owners: dict[str, list[Unit]] = {}
    links = (
        AnswerUnit.objects.filter(answer__period=period)
        .select_related("unit")
        .order_by("unit__code", "unit_id")
    )
    for link in links.only("answer__indicator", "unit"):
        owners.setdefault(link.answer.indicator, []).append(link.unit)
    return owners


def _check_parameters(instrument, units_by_code, target, locked, forced, capacities):
    problems = []
    if (problem := score_problem(instrument, target)) is not None:
        problems.append({"location": "target", "message": problem.replace("score", "target")})
    items = instrument.items_by_number
    for number in locked:
        if number not in items:
            message = _("Unknown indicator %(number)s.") % {"number": number}
            problems.append({"location": "locked", "message": str(message)})
    for number, level in forced.items():
        if number not in items:
            message = _("Unknown indicator %(number)s.") % {"number": number}
            problems.append({"location": "forced", "message": str(message)})
        elif not instrument.scale.min <= level <= instrument.scale.max:
            message = _("Level %(level)s is outside the scale.") % {"level": level}
            problems.append({"location": f"forced.{number}", "message": str(message)})
    for code, capacity in capacities.items():
        if code not in units_by_code:
            message = _("Unknown unit %(code)s.") % {"code": code}
            problems.append({"location": "capacities", "message": str(message)})
        elif capacity < 0:
            message = _("A capacity cannot be negative.")
            problems.append({"location": f"capacities.{code}", "message": str(message)})
    if problems:
        raise InvalidInput(_("The plan's parameters cannot be used."), details=problems)


def _lock_imported(instrument, locked, forced) -> list[str]:
    """Indicators scored from another agency's index (pemdi-2026 5, 6, 7, 18) are not raised
    by the institution's effort: they are always locked, and cannot be forced."""
    fixed = {
        item.number
        for item in instrument.scored_items
        if instrument.indicators_by_number[item.indicator].imported
    }
    problems = [
        {"location": f"forced.{number}", "message": imported_refusal(instrument, number)}
        for number in sorted(fixed & set(forced))
    ]
    if problems:
        raise InvalidInput(problems[0]["message"], details=problems)
    return sorted(set(locked) | fixed)


def evidence_deadline(period: Period) -> datetime | None:
    return (
        Milestone.objects.filter(period=period, kind=Milestone.Kind.EVIDENCE_DEADLINE)
        .values_list("due_at", flat=True)
        .first()
    )


def due_dates(count: int, today: date, deadline: date | None) -> list[date | None]:
    """`count` dates spread evenly from `today` to the day before `deadline` (the last step
    due the day before it); all on the deadline if it is today or past; None without one."""
    if deadline is None:
        return [None] * count
    span = (deadline - today).days - 1
    if span < 0:
        return [deadline] * count
    return [today + timedelta(days=span * (i + 1) // count) for i in range(count)]


def _run_planner(instrument, levels, target, efforts, locked, forced, owners, capacities):
    try:
        return planner.plan(
            instrument,
            levels,
            target,
            efforts=efforts,
            locked=tuple(locked),
            forced=dict(forced),
            owners={n: [u.code for u in units] for n, units in owners.items()},
            capacity=dict(capacities) or None,
        )
    except planner.PlannerInputError as error:
        details = [{"location": p.key, "message": p.message} for p in error.problems]
        raise InvalidInput(
            _("The plan cannot be computed: %(problem)s") % {"problem": str(error)},
            details=details,
        ) from None


@transaction.atomic
def plan_create(
    *,
    actor,
    period_id: int,
    target: Decimal | None = None,
    locked: Collection[str] = (),
    forced: Mapping[str, int] | None = None,
    capacities: Mapping[str, int] | None = None,
    now: datetime | None = None,
) -> Plan:
    """Compute the least-effort plan from the current self-assessed levels to `target` (the
    period's target when None), store it with its action items and supersede the period's
    active plan. When the target cannot be reached, the plan stored is the planner's cheapest
    plan to the best reachable index, marked as not reaching the target (reachable False)."""
    period = _managed_period(actor, period_id, lock=True)
    target = target if target is not None else period.target
    if target is None:
        raise InvalidInput(
            _("Give a target index (the period has none)."),
            details=[{"location": "target", "message": str(_("A target is required."))}],
        )
    parameters = {
        "locked": sorted({str(n) for n in locked}),
        "forced": {str(k): int(v) for k, v in (forced or {}).items()},
        "capacities": {str(k): int(v) for k, v in (capacities or {}).items()},
    }
    return _plan_store(actor, period, target, parameters, now or now_for(period.institution))


@transaction.atomic
def plan_replan(
    *, actor, period_id: int, expected_plan_id: int | None = None, now: datetime | None = None
) -> Plan:
    """Compute the period's plan again from the levels now, with the active plan's target and
    constraints (one click when the plan is stale). A step (indicator, level reached) that is
    still in the new plan keeps its responsible unit, due date and progress (done, when, by
    whom); new steps get the owners and spread dates a new plan gets. Conflict when the active
    plan is no longer `expected_plan_id` (someone re-planned meanwhile)."""
    period = _managed_period(actor, period_id, lock=True)
    current = (
        Plan.objects.select_for_update().filter(period=period, status=Plan.Status.ACTIVE).first()
    )
    if current is None:
        raise InvalidTransition(_("This period has no plan to compute again."))
    if expected_plan_id is not None and expected_plan_id != current.pk:
        raise Conflict(
            _("The plan has been replaced meanwhile; reload to see the new one."),
            current={"plan": current.pk},
        )
    parameters = {
        "locked": list(current.parameters.get("locked", [])),
        "forced": dict(current.parameters.get("forced", {})),
        "capacities": dict(current.parameters.get("capacities", {})),
    }
    now = now or now_for(period.institution)
    return _plan_store(actor, period, current.target, parameters, now, carry_from=current)


def _plan_store(actor, period, target, parameters, now, carry_from: Plan | None = None) -> Plan:
    """Check the parameters, run the planner on the levels now, store the plan and its action
    items (carrying over `carry_from`'s where the step remains) and supersede the active one."""
    instrument = instrument_of(period)
    locked, forced, capacities = (
        parameters["locked"],
        parameters["forced"],
        parameters["capacities"],
    )
    units_by_code = {u.code: u for u in Unit.objects.filter(institution_id=period.institution_id)}
    _check_parameters(instrument, units_by_code, target, locked, forced, capacities)
    locked = _lock_imported(instrument, locked, forced)

    answers = {a.indicator: a for a in Answer.objects.filter(period=period).order_by("position")}
    levels = _levels(instrument, list(answers.values()))
    owners = _owners(period)
    efforts = {
        (o.indicator, o.to_level): o.effort for o in EffortOverride.objects.filter(period=period)
    }
    result = _run_planner(instrument, levels, target, efforts, locked, forced, owners, capacities)
    superseded = list(
        Plan.objects.select_for_update().filter(period=period, status=Plan.Status.ACTIVE)
    )
    Plan.objects.filter(pk__in=[p.pk for p in superseded]).update(
        status=Plan.Status.SUPERSEDED, superseded_at=now
    )
    plan = Plan.objects.create(
        period=period,
        target=target,
        reachable=result.reachable,
        index_before=result.index_before.reported,
        index_before_exact=exact_str(result.index_before.exact),
        index_after=result.index_after.reported,
        index_after_exact=exact_str(result.index_after.exact),
        total_effort=result.total_effort,
        parameters={"locked": locked, "forced": forced, "capacities": capacities},
        basis=basis_of(answers.values(), result.steps),
        created_by=actor,
        created_at=now,
    )
    carried = _carried(carry_from)
    items = _action_items(plan, result.steps, answers, owners, now, carried)
    after = {
        "target": target,
        "reachable": plan.reachable,
        "index_before": plan.index_before_exact,
        "index_after": plan.index_after_exact,
        "total_effort": plan.total_effort,
        "steps": [f"{i.answer.indicator}:{i.from_level}->{i.to_level}" for i in items],
        "parameters": plan.parameters,
    }
    before = {"plan": superseded[0].pk} if superseded else {}
    if carry_from is not None:
        changes = plan_freshness(carry_from, instrument).changes
        before["changes"] = {c.number: [_text(c.before), _text(c.after)] for c in changes}
        after["carried"] = [
            f"{i.answer.indicator}:{i.to_level}" for i in items if _step_key(i) in carried
        ]
    audit_record(
        actor=actor,
        action="plan.replan" if carry_from is not None else "plan.create",
        obj=plan,
        institution_id=period.institution_id,
        period_id=period.pk,
        before=before,
        after=after,
    )
    return plan


def _text(level: Decimal | None) -> str | None:
    return None if level is None else value_text(level)


def _step_key(item: ActionItem) -> tuple[str, int]:
    return item.answer.indicator, item.to_level


def _carried(plan: Plan | None) -> dict[tuple[str, int], ActionItem]:
    """The old plan's action items by step (indicator, level reached)."""
    if plan is None:
        return {}
    items = ActionItem.objects.filter(plan=plan).select_related("answer").order_by("position")
    return {_step_key(item): item for item in items}


def _action_items(plan, steps, answers, owners, now, carried=None) -> list[ActionItem]:
    carried = carried or {}
    ordered = sorted(steps, key=lambda s: (s.from_level, s.to_level, answers[s.number].position))
    deadline = evidence_deadline(plan.period)
    dates = due_dates(
        len(ordered),
        timezone.localdate(now),
        timezone.localdate(deadline) if deadline else None,
    )
    items = []
    for position, (step, due) in enumerate(zip(ordered, dates, strict=True), start=1):
        # The first responsible unit by code (the planner counts a step against every owner's
        # capacity); the koordinator can reassign it.
        unit = next(iter(owners.get(step.number, [])), None)
        item = ActionItem(
            plan=plan,
            answer=answers[step.number],
            position=position,
            from_level=step.from_level,
            to_level=step.to_level,
            effort=step.effort,
            unit=unit,
            due_date=due,
        )
        old = carried.get((step.number, step.to_level))
        if old is not None:
            # The same step of the plan before: what was agreed and done about it stays.
            item.unit_id, item.due_date = old.unit_id, old.due_date
            item.status, item.done_at, item.done_by_id = old.status, old.done_at, old.done_by_id
        items.append(item)
    return ActionItem.objects.bulk_create(items)


# --- action items ----------------------------------------------------------------------------


def _item_for(actor, item_id: int, capability: Capability) -> ActionItem:
    """The action item, locked, if `actor` may do `capability` on its answer: read through
    the getter of pages and API, which fetches only what the actor may see (NotFound else)."""
    item, _period, _access = action_item_for(actor, item_id, capability, lock=True)
    return item


def _item_state(item: ActionItem) -> dict:
    return {
        "status": item.status,
        "unit": item.unit.code if item.unit else None,
        "version": item.version,
    }


def _check_item(item: ActionItem, expected_version: int | None) -> None:
    if item.plan.status != Plan.Status.ACTIVE:
        raise InvalidTransition(_("This plan has been replaced by a newer one."))
    if expected_version is not None and expected_version != item.version:
        raise Conflict(
            _("Someone else changed this action item meanwhile; reload to see it."),
            current=_item_state(item),
        )


@transaction.atomic
def action_item_complete(
    *, actor, item_id: int, expected_version: int | None = None, now: datetime | None = None
) -> ActionItem:
    """Mark an action item done (its unit's operator or the koordinator)."""
    item = _item_for(actor, item_id, Capability.EDIT_ANSWER)
    _check_item(item, expected_version)
    if item.status == ActionItem.Status.DONE:
        raise InvalidTransition(_("This action item is already done."))
    before = _item_state(item)
    now = now or now_for(item.plan.period.institution)  # a demo's is its story's
    item.status, item.done_at, item.done_by = ActionItem.Status.DONE, now, actor
    item.version += 1
    item.save(update_fields=["status", "done_at", "done_by", "version"])
    _record_item(actor, "action_item.done", item, before)
    return item


@transaction.atomic
def action_item_reassign(
    *, actor, item_id: int, unit_id: int, expected_version: int | None = None
) -> ActionItem:
    """Give an action item to another unit of the institution (the koordinator)."""
    item = _item_for(actor, item_id, Capability.MANAGE_PERIOD)
    _check_item(item, expected_version)
    unit = Unit.objects.filter(pk=unit_id, institution_id=item.plan.period.institution_id).first()
    if unit is None:
        raise InvalidInput(
            _("A unit is not part of this institution."),
            details=[{"location": "unit", "message": str(_("Choose a unit."))}],
        )
    if unit.pk == item.unit_id:
        return item
    before = _item_state(item)
    item.unit = unit
    item.version += 1
    item.save(update_fields=["unit", "version"])
    _record_item(actor, "action_item.reassign", item, before)
    return item


def _record_item(actor, action: str, item: ActionItem, before: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=item,
        institution_id=item.plan.period.institution_id,
        period_id=item.plan.period_id,
        answer_id=item.answer_id,
        before=before,
        after=_item_state(item),
    )

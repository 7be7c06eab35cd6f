"""Whether a plan is still true: the self-assessed levels it was built on (Plan.basis) against
the levels now.

A change is **on plan** when an indicator rose the way the plan asks (above the level it was
planned from, not above the highest level planned for it): the plan is being carried out.
Every other change - a level that fell, rose on an indicator the plan leaves alone, or rose
past the plan - makes the plan **stale**: it may no longer reach the target, or asks for more
than is now needed. Re-planning (services.plan_replan) starts again from the levels now."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from monev.core.model import Instrument
from monev.core.numbers import NotExact, exact_fraction, parse_value, value_text
from monev.evaluations.models import Answer
from monev.evaluations.period_instrument import instrument_of
from monev.planning.models import Plan


def basis_of(answers: Iterable[Answer], steps: Iterable) -> dict:
    """What a plan records at its creation: every answer's level (None: not given), and the
    highest level the plan takes each indicator to."""
    planned: dict[str, int] = {}
    for step in steps:
        planned[step.number] = max(planned.get(step.number, step.to_level), step.to_level)
    levels = {a.indicator: None if a.level is None else value_text(a.level) for a in answers}
    return {"levels": levels, "planned": planned}


@dataclass
class PlanChange:
    number: str
    label: str  # number and short name: "11. Arsitektur SPBE" (Instrument.item_labels)
    before: Decimal | None  # the level the plan was built on (None: none given)
    after: Decimal | None  # the level now
    planned_to: int | None  # the highest level the plan takes it to (None: not in the plan)
    on_plan: bool  # it rose as the plan asks


@dataclass
class Freshness:
    changes: list[PlanChange] = field(default_factory=list)
    partial: bool = False  # a plan made before its basis was recorded: planned indicators only

    @property
    def off_plan(self) -> list[PlanChange]:
        return [c for c in self.changes if not c.on_plan]

    @property
    def stale(self) -> bool:
        return bool(self.off_plan)


def _parsed(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return parse_value(str(text))
    except NotExact:
        return None


def plan_freshness(plan: Plan, instrument: Instrument | None = None) -> Freshness:
    """The changes since `plan` was built, in the instrument's order. One query."""
    instrument = instrument or instrument_of(plan.period)
    basis = plan.basis or {}
    recorded = basis.get("levels", {})
    planned = basis.get("planned", {})
    minimum = exact_fraction(instrument.scale.min)
    labels = instrument.item_labels
    answers = (
        Answer.objects.filter(period_id=plan.period_id, indicator__in=list(recorded))
        .only("indicator", "level", "level_fraction")
        .order_by("position")
    )
    changes = []
    for answer in answers:
        before = _parsed(recorded[answer.indicator])
        # The planner counts an indicator without a level at the scale minimum.
        was = minimum if before is None else exact_fraction(before)
        now = minimum if answer.level is None else exact_fraction(answer.level)
        if was == now:
            continue
        planned_to = planned.get(answer.indicator)
        changes.append(
            PlanChange(
                number=answer.indicator,
                label=labels.get(answer.indicator, answer.indicator),
                before=before,
                after=answer.level,
                planned_to=planned_to,
                on_plan=planned_to is not None and was < now <= planned_to,
            )
        )
    return Freshness(changes, partial=bool(basis.get("partial")))

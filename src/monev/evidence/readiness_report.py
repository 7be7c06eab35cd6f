"""Every readiness error and warning of a period at once (docs/evidence.md, "Readiness across
the institution"): the checks of each answer the user sees, grouped by responsible unit and
indicator, filtered by severity and unit. The page, its workbook, the API and the dashboard's
count read it here. A fixed number of queries however many answers, units or files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument, ScoredItem
from monev.evaluations.models import Answer, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.selectors import answer_units
from monev.evidence.readiness import Check, Severity, answers_checks
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Access
from monev.lib.errors import InvalidInput

# What the page lists: the notes (text still being extracted) pass on their own.
SEVERITIES = (Severity.ERROR, Severity.WARNING)


def parse_severity(value: str | None) -> str | None:
    """?severity=: error or warning; empty means both. InvalidInput naming what is allowed."""
    value = (value or "").strip()
    if not value:
        return None
    if value not in SEVERITIES:
        raise InvalidInput(
            _("Unknown severity: choose error or warning."),
            details=[{"location": "severity", "message": str(_("error or warning"))}],
        )
    return value


@dataclass
class AnswerChecks:
    answer: Answer
    item: ScoredItem
    units: list[Unit]  # every responsible unit, in code order
    checks: list[Check]  # those listed (of the severities asked)

    @property
    def errors(self) -> int:
        return sum(1 for check in self.checks if check.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for check in self.checks if check.severity == Severity.WARNING)


@dataclass
class UnitChecks:
    unit: Unit | None  # None: the answers no unit is responsible for
    answers: list[AnswerChecks] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else str(_("No responsible unit"))

    @property
    def errors(self) -> int:
        return sum(a.errors for a in self.answers)

    @property
    def warnings(self) -> int:
        return sum(a.warnings for a in self.answers)


@dataclass
class Totals:
    """Each answer counted once, whichever units share it."""

    errors: int = 0
    warnings: int = 0
    answers_with_errors: int = 0
    answers_with_warnings: int = 0

    @property
    def any(self) -> bool:
        return bool(self.errors or self.warnings)


@dataclass
class PeriodReadiness:
    period: Period
    instrument: Instrument
    access: Access
    severity: str | None
    unit_id: int | None
    groups: list[UnitChecks]  # units in code order, the answers without a unit last
    units: list[Unit]  # the units the user may filter by
    totals: Totals


@dataclass
class _Visible:
    answers: list[Answer]
    units_of: dict[int, list[Unit]]  # answer id -> its units, in code order
    units: list[Unit]  # the units the user may see, in code order


def _visible(period: Period, access: Access) -> _Visible:
    """The answers the user sees (an operator: their units') with their units: two queries
    of plain values (a period can have thousands of unit links)."""
    answers = list(
        Answer.objects.filter(period=period)
        .only("pk", "indicator", "level", "status", "position", "period_id")
        .order_by("position")
    )
    units_of, units = answer_units(period)
    seen = sorted(units.values(), key=lambda u: (u.code, u.pk))
    if access.is_operator_only:
        answers = [
            a for a in answers if any(u.pk in access.unit_ids for u in units_of.get(a.pk, ()))
        ]
        seen = [u for u in seen if u.pk in access.unit_ids]
    return _Visible(answers, units_of, seen)


def totals_of(checks: dict[int, list[Check]]) -> Totals:
    totals = Totals()
    for answer_checks in checks.values():
        errors = sum(1 for c in answer_checks if c.severity == Severity.ERROR)
        warnings = sum(1 for c in answer_checks if c.severity == Severity.WARNING)
        totals.errors += errors
        totals.warnings += warnings
        totals.answers_with_errors += bool(errors)
        totals.answers_with_warnings += bool(warnings)
    return totals


def readiness_totals(
    period: Period, answers: list[Answer], *, now: dt.datetime | None = None
) -> Totals:
    """The errors and warnings of these answers (the dashboard's count: the answers its user
    sees). Four queries at most."""
    return totals_of(answers_checks(period, answers, now=now or now_for(period.institution)))


def period_readiness_report(
    period: Period,
    access: Access,
    *,
    severity: str | None = None,
    unit_id: int | None = None,
    now: dt.datetime | None = None,
) -> PeriodReadiness:
    """Every answer the user sees with an error or warning (of `severity` only, when given;
    of unit `unit_id` only, when given), under each of its responsible units (an operator:
    their own units only), indicators in the instrument's order. Six queries at most."""
    prefetch_related_objects([period], "milestones")
    instrument = instrument_of(period)
    visible = _visible(period, access)
    checks = answers_checks(period, visible.answers, now=now or now_for(period.institution))
    wanted = (severity,) if severity else SEVERITIES
    shown_units = {u.pk for u in visible.units}
    groups: dict[int | None, UnitChecks] = {}
    listed: dict[int, list[Check]] = {}
    for answer in visible.answers:
        kept = [c for c in checks.get(answer.pk, ()) if c.severity in wanted]
        if not kept:
            continue
        units = visible.units_of.get(answer.pk, [])
        row = AnswerChecks(answer, instrument.items_by_number[answer.indicator], units, kept)
        homes = [u for u in units if u.pk in shown_units] or [None]
        if unit_id is not None:
            homes = [u for u in homes if u is not None and u.pk == unit_id]
        for unit in homes:
            key = unit.pk if unit else None
            groups.setdefault(key, UnitChecks(unit)).answers.append(row)
        if homes:
            listed[answer.pk] = kept
    ordered = sorted(groups.values(), key=lambda g: (g.unit is None, g.unit.code if g.unit else ""))
    return PeriodReadiness(
        period=period,
        instrument=instrument,
        access=access,
        severity=severity,
        unit_id=unit_id,
        groups=ordered,
        units=visible.units,
        totals=totals_of(listed),
    )

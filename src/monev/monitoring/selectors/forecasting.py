"""The forecast of the self-assessed index at the evidence deadline (docs/monitoring.md,
"Forecast"); the arithmetic is monev.core.forecast."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core import forecast as forecast_math
from monev.core.model import Instrument
from monev.evaluations.models import Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.stages import ScoreStage
from monev.institutions.clock import now_for
from monev.institutions.permissions import Access
from monev.monitoring.models import Snapshot
from monev.monitoring.selectors.scores import period_state, snapshots_of


@dataclass
class ForecastPoint:
    at: datetime
    index: Fraction
    label: str

    @property
    def reported(self) -> Decimal:
        return forecast_math.reported(self.index)


@dataclass
class Forecast:
    period: Period
    instrument: Instrument
    now: datetime
    as_of: datetime
    deadline: Milestone | None
    target: Decimal | None
    points: list[ForecastPoint]
    frozen: bool  # the deadline has passed: the forecast as it stood at the last snapshot before
    pace_per_day: Fraction | None = None
    projected: Fraction | None = None

    @property
    def start(self) -> ForecastPoint | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> ForecastPoint | None:
        return self.points[-1] if self.points else None

    @property
    def days_left(self) -> int | None:
        """Days from the forecast's moment (now, or the day looked back to) to the deadline;
        None once the deadline has passed (the page says so instead)."""
        if self.deadline is None or self.frozen:
            return None
        days = (timezone.localdate(self.deadline.due_at) - timezone.localdate(self.as_of)).days
        return days if days >= 0 else None

    @property
    def pace_per_30_days(self) -> Decimal | None:
        return forecast_math.per_30_days(self.pace_per_day)

    @property
    def projected_reported(self) -> Decimal | None:
        return None if self.projected is None else forecast_math.reported(self.projected)

    @property
    def likely(self) -> bool | None:
        """Whether the target is reached at the current pace (exact index, not rounded)."""
        return forecast_math.likely(self.projected, self.target)

    @property
    def needed_per_30_days(self) -> Decimal | None:
        """The pace that would reach the target by the deadline."""
        latest = self.latest.index if self.latest else None
        return forecast_math.needed_per_30_days(self.target, latest, self.days_left)


def _deadline(milestones: list[Milestone]) -> Milestone | None:
    for kind in (Milestone.Kind.EVIDENCE_DEADLINE, Milestone.Kind.SELF_ASSESSMENT_CLOSE):
        for milestone in milestones:
            if milestone.kind == kind:
                return milestone
    return None


def _snapshot_index(snapshot: Snapshot) -> Fraction | None:
    score = (snapshot.scores or {}).get(ScoreStage.SELF)
    return Fraction(score["exact"]) if score else None


def forecast(
    period: Period,
    access: Access,
    *,
    now: datetime | None = None,
    as_of: datetime | None = None,
) -> Forecast:
    """The self-assessed index expected at the evidence deadline if it keeps moving at the
    pace it moved between the earliest snapshot and now: a straight line, nothing cleverer.

    `as_of` looks back: only snapshots taken by then count. Once the deadline has passed, the
    forecast is the one that stood at the last snapshot before the deadline."""
    now = now or now_for(period.institution)  # a demo's is its story's
    instrument = instrument_of(period)
    milestones = list(period.milestones.order_by("due_at"))
    deadline = _deadline(milestones)
    snapshots = snapshots_of(period)
    frozen = False
    if as_of is None:
        as_of = now
        if deadline is not None and now > deadline.due_at:
            before = [s for s in snapshots if s.taken_at <= deadline.due_at]
            as_of = before[-1].taken_at if before else deadline.due_at
            frozen = True
    as_of = min(as_of, now)
    points = [
        ForecastPoint(s.taken_at, index, s.label)
        for s in snapshots
        if s.taken_at <= as_of and (index := _snapshot_index(s)) is not None
    ]
    if as_of >= now:
        _levels, scores = period_state(period)
        current = scores.get(ScoreStage.SELF)
        if current is not None:
            points.append(ForecastPoint(now, Fraction(current["exact"]), str(_("Now"))))
    result = Forecast(
        period=period,
        instrument=instrument,
        now=now,
        as_of=as_of,
        deadline=deadline,
        target=period.target,
        points=points,
        frozen=frozen,
    )
    projection = forecast_math.project(
        result.start,
        result.latest,
        deadline.due_at if deadline else None,
        instrument.scale.min,
        instrument.scale.max,
    )
    result.pace_per_day, result.projected = projection.pace_per_day, projection.projected
    return result

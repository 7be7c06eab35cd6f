"""The forecast's arithmetic (docs/monitoring.md, "Forecast"): the index moves in a straight line
at the pace it moved between two readings; exact Fractions in, Decimals to two places out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from monev.core.numbers import round_fraction

DAY = timedelta(days=1)
MICROSECONDS_A_DAY = DAY // timedelta(microseconds=1)


class Reading(Protocol):
    """An index read at a moment (a snapshot's, or the one now)."""

    at: datetime
    index: Fraction


@dataclass(frozen=True)
class Projection:
    pace_per_day: Fraction | None = None
    projected: Fraction | None = None


def reported(value: Fraction) -> Decimal:
    """Two places, half up: as an index is reported."""
    return round_fraction(value, 2, "half_up")


def days(delta: timedelta) -> Fraction:
    """A time span in days, exactly (to the microsecond)."""
    return Fraction(delta // timedelta(microseconds=1), MICROSECONDS_A_DAY)


def project(
    first: Reading | None,
    last: Reading | None,
    deadline: datetime | None,
    low: int,
    high: int,
) -> Projection:
    """The pace per day from `first` to `last` and the index it reaches at `deadline`, kept
    within the scale [low, high]. Without two readings apart in time there is no pace; a last
    reading at or after the deadline is then itself the projection."""
    if deadline is None or first is None or last is None or last.at <= first.at:
        if last is not None and deadline is not None and last.at >= deadline:
            return Projection(projected=last.index)
        return Projection()
    span = days(last.at - first.at)
    if span == 0:
        return Projection()
    pace = (last.index - first.index) / span
    # Past the deadline the line stops at the last reading: nothing is projected backwards.
    ahead = max(days(deadline - last.at), Fraction(0))
    projected = min(max(last.index + pace * ahead, Fraction(low)), Fraction(high))
    return Projection(pace_per_day=pace, projected=projected)


def per_30_days(pace_per_day: Fraction | None) -> Decimal | None:
    return None if pace_per_day is None else reported(pace_per_day * 30)


def likely(projected: Fraction | None, target: Decimal | None) -> bool | None:
    """Whether the projection reaches the target (the exact index, not the rounded one)."""
    if projected is None or target is None:
        return None
    return projected >= Fraction(target)


def needed_per_30_days(
    target: Decimal | None, latest: Fraction | None, days_left: int | None
) -> Decimal | None:
    """The pace per 30 days that would lift `latest` to the target in `days_left` days (zero
    when it is there already); None without a target, a reading or days left."""
    if target is None or latest is None or not days_left or days_left <= 0:
        return None
    return reported(max(Fraction(target) - latest, Fraction(0)) / days_left * 30)

"""The forecast's arithmetic: a straight line at the pace between two readings, kept on the
scale, never projected backwards, exact until it is reported to two places (half up)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from monev.core.forecast import (
    Projection,
    days,
    likely,
    needed_per_30_days,
    per_30_days,
    project,
    reported,
)

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
LOW, HIGH = 1, 5


@dataclass
class Point:
    at: datetime
    index: Fraction


indices = st.fractions(min_value=LOW, max_value=HIGH, max_denominator=600)
spans = st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=400))
aheads = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400))


def test_a_time_span_is_counted_in_days_exactly():
    assert days(timedelta(days=1, hours=12)) == Fraction(3, 2)
    assert days(timedelta(microseconds=1)) == Fraction(1, 86_400_000_000)
    assert days(timedelta(0)) == 0


def test_the_line_runs_at_the_pace_between_the_first_and_the_last_reading():
    first, last = Point(START, Fraction(2)), Point(START + timedelta(days=10), Fraction(3))
    projection = project(first, last, last.at + timedelta(days=20), LOW, HIGH)
    assert projection == Projection(pace_per_day=Fraction(1, 10), projected=Fraction(5))


def test_the_projection_stops_at_the_ends_of_the_scale():
    first, last = Point(START, Fraction(2)), Point(START + timedelta(days=1), Fraction(4))
    assert project(first, last, last.at + timedelta(days=30), LOW, HIGH).projected == HIGH
    falling = Point(START + timedelta(days=1), Fraction(3, 2))
    assert project(first, falling, falling.at + timedelta(days=30), LOW, HIGH).projected == LOW


def test_without_a_deadline_or_two_readings_apart_there_is_no_pace():
    first = Point(START, Fraction(2))
    assert project(first, first, None, LOW, HIGH) == Projection()
    assert project(None, None, START, LOW, HIGH) == Projection()
    assert project(first, first, START + timedelta(days=1), LOW, HIGH) == Projection()


def test_a_single_reading_at_or_after_the_deadline_is_itself_the_projection():
    only = Point(START, Fraction(7, 3))
    assert project(only, only, START, LOW, HIGH) == Projection(projected=Fraction(7, 3))
    assert project(only, only, START - timedelta(days=1), LOW, HIGH).projected == Fraction(7, 3)


@given(index=indices, span=spans, ahead=aheads)
def test_with_no_movement_the_projection_is_the_latest_index(index, span, ahead):
    first, last = Point(START, index), Point(START + span, index)
    projection = project(first, last, last.at + ahead, LOW, HIGH)
    assert projection.pace_per_day == 0
    assert projection.projected == index


@given(start=indices, end=indices, span=spans, ahead=aheads)
def test_the_projection_stays_on_the_scale_and_moves_the_way_the_index_moved(
    start, end, span, ahead
):
    first, last = Point(START, start), Point(START + span, end)
    projection = project(first, last, last.at + ahead, LOW, HIGH)
    assert LOW <= projection.projected <= HIGH
    assert projection.pace_per_day == (end - start) / days(span)
    if end >= start:
        assert projection.projected >= end
    else:
        assert projection.projected <= end


@given(start=indices, end=indices, span=spans, late=aheads)
def test_a_deadline_already_past_projects_nothing_backwards(start, end, span, late):
    first, last = Point(START, start), Point(START + span, end)
    assert project(first, last, last.at - late, LOW, HIGH).projected == end


def test_indices_and_paces_are_reported_to_two_places_half_up():
    assert reported(Fraction(1, 200)) == Decimal("0.01")
    assert reported(Fraction(11, 3)) == Decimal("3.67")
    assert per_30_days(Fraction(1, 10)) == Decimal("3.00")
    assert per_30_days(Fraction(-1, 6000)) == Decimal("-0.01")  # -0.005: half away from zero
    assert per_30_days(None) is None


def test_the_target_is_likely_only_if_the_exact_projection_reaches_it():
    assert likely(Fraction(367, 100), Decimal("3.67")) is True
    assert likely(Fraction(11, 3), Decimal("3.67")) is False  # reported 3.67, but short of it
    assert likely(None, Decimal("3.67")) is None
    assert likely(Fraction(4), None) is None


def test_the_pace_needed_closes_the_gap_by_the_deadline():
    assert needed_per_30_days(Decimal("4"), Fraction(3), 30) == Decimal("1.00")
    assert needed_per_30_days(Decimal("4"), Fraction(3), 60) == Decimal("0.50")
    assert needed_per_30_days(Decimal("3"), Fraction(4), 30) == Decimal("0.00")  # there already
    for days_left in (0, -3, None):
        assert needed_per_30_days(Decimal("4"), Fraction(3), days_left) is None
    assert needed_per_30_days(None, Fraction(3), 30) is None
    assert needed_per_30_days(Decimal("4"), None, 30) is None


@given(
    target=st.decimals(min_value=1, max_value=5, places=2),
    latest=indices,
    days_left=st.integers(min_value=1, max_value=400),
)
def test_the_pace_needed_is_the_gap_per_30_days_to_two_places(target, latest, days_left):
    needed = needed_per_30_days(target, latest, days_left)
    gap = max(Fraction(target) - latest, Fraction(0))
    assert abs(Fraction(needed) - gap / days_left * 30) <= Fraction(1, 200)

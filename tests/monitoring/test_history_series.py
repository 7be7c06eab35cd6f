"""The instrument-change rule: no series is drawn across a change of instrument; the change
is named; doubtful values and values without an instrument stand alone as points."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from monev.monitoring.selectors.series import HistoryPoint, Source, build_series


def point(year, instrument, value="3.00", source=Source.PUBLISHED, doubtful=False):
    return HistoryPoint(year, Decimal(value), instrument, source, doubtful=doubtful)


BANDUNG = [
    point(2019, "spbe-2018", "3.11"),
    point(2020, "", "3.71", doubtful=True),
    point(2021, "spbe-2020", "3.19"),
    point(2022, "spbe-2020", "3.61"),
    point(2023, "spbe-2020", "3.98"),
    point(2024, "spbe-2020", "4.59"),
    point(2025, "spbe-2020", "3.00", source=Source.SELF),
    point(2026, "pemdi-2026", "2.10", source=Source.SELF),
]


def test_it_names_each_change_of_instrument_between_the_years_it_falls():
    _series, changes = build_series(BANDUNG)
    assert [(c.before, c.after, c.before_year, c.after_year) for c in changes] == [
        ("spbe-2018", "spbe-2020", 2019, 2021),
        ("spbe-2020", "pemdi-2026", 2025, 2026),
    ]
    assert changes[0].x == 2020 and "spbe-2018" in changes[0].label


def test_no_series_crosses_an_instrument_change():
    series, changes = build_series(BANDUNG)
    for item in series:
        assert len({p.instrument_id for p in item.points}) == 1
        years = [p.year for p in item.points]
        for change in changes:
            assert not (min(years) < change.x < max(years)), (item.label, change.label)


def test_doubtful_and_instrument_less_values_are_points_never_joined():
    series, _changes = build_series(BANDUNG)
    loose = [s for s in series if not s.line]
    assert [p.year for s in loose for p in s.points] == [2020]
    assert all(s.line for s in series if s not in loose)


@pytest.mark.parametrize(
    "instruments",
    [
        ["spbe-2018", "spbe-2020", "spbe-2018", "spbe-2018"],  # back to an older one
        ["spbe-2020", "pemdi-2026", "spbe-2020"],
    ],
)
def test_it_cuts_a_series_where_another_instrument_was_used_in_between(instruments):
    points = [point(2018 + n, i) for n, i in enumerate(instruments)]
    series, changes = build_series(points)
    assert len(changes) == len(instruments) - 1 - sum(a == b for a, b in pairwise(instruments))
    for item in series:
        years = [p.year for p in item.points]
        assert not any(min(years) < c.x < max(years) for c in changes)


def test_sources_get_their_own_series_under_one_instrument():
    points = [
        point(2023, "spbe-2020", "3.9"),
        point(2024, "spbe-2020", "4.5"),
        point(2024, "spbe-2020", "4.4", source=Source.SELF),
        point(2025, "spbe-2020", "3.0", source=Source.SELF),
    ]
    series, changes = build_series(points)
    assert changes == []
    assert sorted((s.source, len(s.points)) for s in series) == [("published", 2), ("self", 2)]

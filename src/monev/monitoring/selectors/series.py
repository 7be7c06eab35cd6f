"""An institution's indices over the years as chart series that never cross an instrument
change (docs/monitoring.md, "History across years")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext_lazy as _


class Source:
    PUBLISHED = "published"
    SELF = "self"
    FINAL = "final"
    LABELS = {
        PUBLISHED: _("Published"),
        SELF: _("Self-assessed (this application)"),
        FINAL: _("Final (this application)"),
    }


@dataclass
class HistoryPoint:
    year: int
    value: Decimal
    instrument_id: str  # "" when the published value names no instrument
    source: str
    predicate: str = ""
    doubtful: bool = False
    note: str = ""
    period_id: int | None = None
    predicate_note: str = ""  # computed on a contested band edge: the other reading
    given: int | None = None
    total: int | None = None

    @property
    def source_label(self):
        return Source.LABELS[self.source]


@dataclass
class Series:
    """Points under one instrument and one source: a line is drawn only within a series."""

    source: str
    instrument_id: str
    points: list[HistoryPoint]
    line: bool = True  # False for doubtful or instrument-less values: points only

    @property
    def label(self) -> str:
        instrument = self.instrument_id or str(_("instrument unknown"))
        return f"{Source.LABELS[self.source]} · {instrument}"


@dataclass
class InstrumentChange:
    before_year: int
    after_year: int
    before: str
    after: str

    @property
    def x(self) -> float:
        return (self.before_year + self.after_year) / 2

    @property
    def label(self) -> str:
        return str(_("Instrument changed: %(before)s → %(after)s")) % {
            "before": self.before,
            "after": self.after,
        }


def build_series(points: list[HistoryPoint]) -> tuple[list[Series], list[InstrumentChange]]:
    """Series that never cross an instrument change, and the changes to mark on the chart.

    A series holds one source under one instrument; it is cut wherever another instrument
    was in use in between. Doubtful values and values without an instrument get series of
    their own drawn as points only, never joined to anything."""
    by_year: dict[int, str] = {}
    for point in sorted(points, key=lambda p: (p.year, p.source != Source.PUBLISHED)):
        if point.instrument_id and not point.doubtful:
            by_year.setdefault(point.year, point.instrument_id)
    changes: list[InstrumentChange] = []
    years = sorted(by_year)
    for before, after in pairwise(years):
        if by_year[before] != by_year[after]:
            changes.append(InstrumentChange(before, after, by_year[before], by_year[after]))
    boundaries = [change.x for change in changes]

    def era(year: int) -> int:
        return sum(1 for x in boundaries if year > x)

    grouped: dict[tuple, list[HistoryPoint]] = {}
    for point in sorted(points, key=lambda p: (p.year, p.period_id or 0)):
        if point.doubtful or not point.instrument_id:
            key = ("points", point.source, point.instrument_id, point.doubtful)
        else:
            key = ("line", point.source, point.instrument_id, era(point.year))
        grouped.setdefault(key, []).append(point)
    series = [
        Series(source, instrument_id, pts, line=kind == "line")
        for (kind, source, instrument_id, *_rest), pts in grouped.items()
    ]
    return series, changes

"""Item-level assessment (pemdi-2026): an indicator's value from its evidence items.

Assessors judge each evidence item of each level: accepted, needs revision, or - when the
level below was not accepted - automatically rejected ("otomatis ditolak karena tingkat
kematangan sebelumnya ditolak"). The value then follows from the items by the instrument's
item rule (`Instrument.item_rule`), which is a finding from published values, not a
published rule: where it and an assessor's entered value differ, pages show both.

Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from monev.core.model import Indicator, Instrument, ItemRule
from monev.core.numbers import round_fraction


class ItemStatus(StrEnum):
    PENDING = "belum"  # not judged yet
    ACCEPTED = "diterima"
    REVISION = "revisi"  # needs revision: wrong document, not uploaded, ... (with a reason)
    AUTO_REJECTED = "otomatis_ditolak"  # the level below was not accepted


# A level counts as rejected, for the levels above it, once any of its items is.
REJECTING = frozenset({ItemStatus.REVISION, ItemStatus.AUTO_REJECTED})


@dataclass(frozen=True)
class LevelItems:
    level: int
    statuses: tuple[ItemStatus, ...]  # one per item, in the instrument's order

    @property
    def accepted(self) -> int:
        return sum(status == ItemStatus.ACCEPTED for status in self.statuses)

    @property
    def complete(self) -> bool:
        return self.accepted == len(self.statuses)

    @property
    def rejected(self) -> bool:
        return any(status in REJECTING for status in self.statuses)


def items_of(indicator: Indicator, instrument: Instrument) -> dict[int, tuple[str, ...]]:
    """Every level's items, for the levels of the item rule's bands."""
    if instrument.item_rule is None:
        return {}
    return {
        band.level: indicator.evidence_items_at(band.level) for band in instrument.item_rule.bands
    }


def cascade(judged: Mapping[int, Sequence[ItemStatus]]) -> dict[int, tuple[ItemStatus, ...]]:
    """The statuses with the cumulative rule applied: every item above a rejected level is
    automatically rejected; an item judged by hand is kept only while the levels below
    stand. Levels are read in ascending order."""
    result: dict[int, tuple[ItemStatus, ...]] = {}
    below_rejected = False
    for level in sorted(judged):
        statuses = tuple(judged[level])
        if below_rejected:
            statuses = tuple(ItemStatus.AUTO_REJECTED for _ in statuses)
        result[level] = statuses
        below_rejected = below_rejected or any(s in REJECTING for s in statuses)
    return result


def value_from_items(
    rule: ItemRule, judged: Mapping[int, Sequence[ItemStatus]], places: int = 2
) -> Decimal:
    """The indicator value the rule gives: the first level not wholly accepted sets the band;
    its lower bound plus the share of its items accepted times the band's width. All levels
    accepted: the top of the highest band. A level without items counts as accepted."""
    levels = cascade(judged)
    for band in sorted(rule.bands, key=lambda b: b.level):
        statuses = levels.get(band.level, ())
        items = LevelItems(band.level, tuple(statuses))
        if not statuses or items.complete:
            continue
        width = Fraction(band.max) - Fraction(band.min)
        value = Fraction(band.min) + Fraction(items.accepted, len(statuses)) * width
        return round_fraction(value, places)
    top = max(rule.bands, key=lambda b: b.level)
    return round_fraction(Fraction(top.max), places)


def band_of_level(rule: ItemRule, level: int):
    return next((band for band in rule.bands if band.level == level), None)

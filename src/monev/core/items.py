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
from monev.core.numbers import exact_decimal


class ItemStatus(StrEnum):
    """An item's status as read: ACCEPTED and REVISION are the values an item judgement stores
    (monev.evaluations.models.ItemJudgement.Status); the other two are never stored."""

    PENDING = "pending"  # not judged yet
    ACCEPTED = "accepted"
    REVISION = "revision"  # needs revision: wrong document, not uploaded, ... (with a reason)
    AUTO_REJECTED = "auto_rejected"  # the level below was not accepted


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


Weights = Mapping[int, Sequence[Fraction] | None]


@dataclass(frozen=True)
class ItemValue:
    """What the item rule gives: the exact value, the level whose items set it (None when
    every level is accepted), and whether that level's item weights are known. Where they are
    not (the file says `unknown`), the value weighs the items equally and is a presumption:
    pages show it with that said, beside the assessor's value."""

    value: Decimal  # exact: an ExactDecimal where it has no short decimal form (7/6)
    level: int | None
    weights_known: bool = True


def item_weights(indicator: Indicator, instrument: Instrument) -> dict[int, tuple | None]:
    """Every level's item weights (each a share of 1), None where unknown."""
    if instrument.item_rule is None:
        return {}
    return {
        band.level: indicator.item_weights_at(band.level) for band in instrument.item_rule.bands
    }


def item_value(
    rule: ItemRule, judged: Mapping[int, Sequence[ItemStatus]], weights: Weights | None = None
) -> ItemValue:
    """The indicator value the rule gives, exactly: the first level not wholly accepted sets the
    band; its lower bound plus the weighted share of its items accepted times the band's width
    (equal weights where `weights` lists none for the level, or says None: unknown). All levels
    accepted: the top of the highest band. A level without items counts as accepted. Nothing is
    rounded: 1 of 3 equal items at level 1 is 7/6, reported 1.17 only where it is shown."""
    levels = cascade(judged)
    weights = weights or {}
    for band in sorted(rule.bands, key=lambda b: b.level):
        statuses = levels.get(band.level, ())
        items = LevelItems(band.level, tuple(statuses))
        if not statuses or items.complete:
            continue
        given = weights.get(band.level)
        known = band.level not in weights or given is not None
        if given is None or len(given) != len(statuses):
            given = [Fraction(1, len(statuses))] * len(statuses)
        accepted = [w for w, s in zip(given, statuses, strict=True) if s == ItemStatus.ACCEPTED]
        share = sum(accepted, Fraction(0)) / sum(given, Fraction(0))
        width = Fraction(band.max) - Fraction(band.min)
        value = Fraction(band.min) + share * width
        # Unknown weights matter only where some but not all of the level's items are accepted.
        known = known or items.accepted == 0
        return ItemValue(exact_decimal(value), band.level, known)
    top = max(rule.bands, key=lambda b: b.level)
    return ItemValue(exact_decimal(Fraction(top.max)), None)


def value_from_items(
    rule: ItemRule, judged: Mapping[int, Sequence[ItemStatus]], weights: Weights | None = None
) -> Decimal:
    """The exact value the rule gives (see item_value)."""
    return item_value(rule, judged, weights).value


def band_of_level(rule: ItemRule, level: int):
    return next((band for band in rule.bands if band.level == level), None)

"""Item-level assessment: the pemdi-2026 item rule and the cumulative rejection."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from monev.core.items import ItemStatus, cascade, items_of, value_from_items

A, R, P = ItemStatus.ACCEPTED, ItemStatus.REVISION, ItemStatus.PENDING


def test_one_of_two_level_1_items_accepted_gives_1_25(pemdi):
    assert value_from_items(pemdi.item_rule, {1: [A, R], 2: [A]}) == Decimal("1.25")


def test_one_of_three_level_1_items_accepted_gives_1_17(pemdi):
    assert value_from_items(pemdi.item_rule, {1: [A, P, R]}) == Decimal("1.17")


def test_level_1_complete_and_nothing_at_level_2_gives_1_50(pemdi):
    assert value_from_items(pemdi.item_rule, {1: [A, A], 2: [R, R]}) == Decimal("1.50")


def test_levels_1_and_2_complete_give_2_50(pemdi):
    assert value_from_items(pemdi.item_rule, {1: [A], 2: [A, A], 3: [P]}) == Decimal("2.50")


def test_every_level_accepted_gives_5(pemdi):
    judged = {level: [A] for level in range(1, 6)}
    assert value_from_items(pemdi.item_rule, judged) == Decimal("5.00")


def test_items_above_a_rejected_level_are_rejected_automatically():
    result = cascade({1: [A, R], 2: [A, A], 3: [P]})
    assert result[1] == (A, R)
    assert result[2] == (ItemStatus.AUTO_REJECTED,) * 2
    assert result[3] == (ItemStatus.AUTO_REJECTED,)


def test_pending_items_do_not_reject_the_levels_above():
    assert cascade({1: [A, P], 2: [A]})[2] == (A,)


def test_accepted_items_above_a_rejected_level_do_not_raise_the_value(pemdi):
    assert value_from_items(pemdi.item_rule, {1: [R], 2: [A], 3: [A]}) == Decimal("1.00")


def test_every_pemdi_indicator_judged_by_items_has_items_at_every_level(pemdi):
    for indicator in pemdi.indicators:
        if indicator.imported:
            continue
        levels = items_of(indicator, pemdi)
        assert set(levels) == {1, 2, 3, 4, 5}
        assert all(levels.values()), indicator.number


def test_items_are_the_clauses_of_the_level_evidence_text(pemdi):
    indicator = next(i for i in pemdi.indicators if i.number == "1")
    assert len(indicator.evidence_items_at(2)) == 4


statuses = st.lists(st.sampled_from([A, R, P]), min_size=1, max_size=5)


@given(st.dictionaries(st.integers(1, 5), statuses, min_size=5, max_size=5))
def test_the_value_stays_on_the_scale_and_never_falls_when_an_item_is_accepted(judged):
    from monev.core.loader import load_file
    from monev.core.registry import BUILTIN_DIR

    rule = load_file(BUILTIN_DIR / "pemdi-2026.yaml").instrument.item_rule
    value = value_from_items(rule, judged)
    assert Decimal(1) <= value <= Decimal(5)
    for level, items in judged.items():
        for position, status in enumerate(items):
            if status != A:
                better = {**judged, level: [*items[:position], A, *items[position + 1 :]]}
                assert value_from_items(rule, better) >= value

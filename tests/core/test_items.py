"""Item-level assessment: the pemdi-2026 item rule and the cumulative rejection."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monev.core.items import (
    ItemStatus,
    ItemValue,
    cascade,
    item_value,
    item_weights,
    items_of,
    value_from_items,
)
from monev.core.loader import load_file
from monev.core.numbers import exact_fraction
from monev.core.registry import BUILTIN_DIR

A, R, P = ItemStatus.ACCEPTED, ItemStatus.REVISION, ItemStatus.PENDING


def test_one_of_two_level_1_items_accepted_gives_1_25(pemdi):
    assert value_from_items(pemdi.item_rule, {1: [A, R], 2: [A]}) == Decimal("1.25")


def test_one_of_three_level_1_items_accepted_is_exactly_seven_sixths(pemdi):
    # A 2026 assessor record: 1 + 1/3 x 0.5, displayed 1.17 but combined unrounded.
    value = value_from_items(pemdi.item_rule, {1: [A, P, R]})
    assert value == Fraction(7, 6)
    assert exact_fraction(value) == Fraction(7, 6)
    assert value != Decimal("1.17")


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
PEMDI_RULE = load_file(BUILTIN_DIR / "pemdi-2026.yaml").instrument.item_rule


@given(st.dictionaries(st.integers(1, 5), statuses, min_size=5, max_size=5))
def test_the_value_stays_on_the_scale_and_never_falls_when_an_item_is_accepted(judged):
    rule = PEMDI_RULE  # loaded once: a file read per example exceeds the deadline on a busy machine
    value = value_from_items(rule, judged)
    assert Decimal(1) <= value <= Decimal(5)
    for level, items in judged.items():
        for position, status in enumerate(items):
            if status != A:
                better = {**judged, level: [*items[:position], A, *items[position + 1 :]]}
                assert value_from_items(rule, better) >= value


# --- item weights (issue 15): facts from the 2026 assessor records ---------------------------


def weighed(pemdi, number: str, judged):
    indicator = pemdi.indicators_by_number[number]
    return item_value(pemdi.item_rule, judged, item_weights(indicator, pemdi))


def test_equal_shares_explain_indicator_12s_1_25_and_one_of_three_as_seven_sixths(pemdi):
    # Indicator 12's published 1.25: one of two level-1 items accepted; 1 of 3 gives 7/6.
    assert item_value(pemdi.item_rule, {1: [A, R]}) == ItemValue(Decimal("1.25"), 1, True)
    assert item_value(pemdi.item_rule, {1: [A, R, R]}).value == Fraction(7, 6)


@pytest.mark.parametrize(
    ("number", "judged", "equal_shares", "published"),
    [
        # indicator 4: level 1 has 3 items, 2 accepted -> published 1.30
        ("4", {1: [A, A, R]}, Fraction(4, 3), Decimal("1.30")),
        # indicator 20: level 1 has 4 items, 2 accepted -> published 1.30
        ("20", {1: [A, A, R, R]}, Fraction(5, 4), Decimal("1.30")),
    ],
)
def test_levels_whose_published_values_equal_shares_do_not_explain_have_unknown_weights(
    pemdi, number, judged, equal_shares, published
):
    result = weighed(pemdi, number, judged)
    assert result.value == equal_shares != published
    assert result.level == 1 and not result.weights_known


def test_indicator_3s_published_1_26_is_not_two_of_five_equal_items(pemdi):
    # The national system lists 5 level-1 items for indicator 3; 2 accepted -> 1.26 published.
    assert item_value(pemdi.item_rule, {1: [A, A, R, R, R]}).value == Decimal("1.20")
    indicator = pemdi.indicators_by_number["3"]
    assert indicator.item_weights_at(1) is None
    assert not weighed(pemdi, "3", {1: [A, A, R, R]}).weights_known


def test_only_the_contradicted_levels_are_marked_unknown(pemdi):
    unknown = {
        (indicator.number, level)
        for indicator in pemdi.indicators
        for level in range(1, 6)
        if not indicator.imported and indicator.item_weights_at(level) is None
    }
    assert unknown == {("3", 1), ("4", 1), ("20", 1)}


def test_unknown_weights_do_not_matter_where_none_or_all_items_of_the_level_are_accepted(pemdi):
    assert weighed(pemdi, "4", {1: [R, R, R]}) == ItemValue(Decimal("1.0"), 1, True)
    assert weighed(pemdi, "4", {1: [A, A, A], 2: [A, R]}).weights_known


def test_listed_weights_are_normalised_and_weigh_the_accepted_items(pemdi):
    rule = pemdi.item_rule
    weights = {1: (Fraction(2), Fraction(1), Fraction(1))}
    assert item_value(rule, {1: [A, R, R]}, weights).value == Decimal("1.25")  # 2 of 4
    assert item_value(rule, {1: [R, A, A]}, weights).value == Decimal("1.25")
    assert item_value(rule, {1: [R, A, R]}, weights).value == Decimal("1.125")


def test_an_indicator_without_listed_weights_weighs_its_items_equally(pemdi):
    indicator = pemdi.indicators_by_number["1"]
    assert indicator.item_weights_at(2) == (Fraction(1, 4),) * 4

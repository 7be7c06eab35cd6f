"""Honest uncertainty from rounded inputs (issue 15): published aspect and domain scores are
rounded, so the exact index lies in an interval and may admit more than one predicate. A
kabupaten's published 2025 SPBE domain values score to 2.595 -> "2.60 Baik", yet its official
result was 2.59 Cukup."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from monev.core.engine import (
    Interval,
    given_interval,
    predicates_possible,
    score_aspects,
    score_domains,
    score_items,
)
from monev.core.loader import load_file
from monev.core.model import Rounding
from monev.core.numbers import round_fraction
from monev.core.registry import BUILTIN_DIR
from monev.core.report import predicate_text, render_table, result_to_dict

# spbe-2020 domain scores (weights 13, 25, 16.5, 45.5) that score to exactly 2.595.
STRADDLING_DOMAINS = {"D1": "2.50", "D2": "2.31", "D3": "2.95", "D4": "2.65"}


def decimals(values: dict[str, str]) -> dict[str, Decimal]:
    return {key: Decimal(value) for key, value in values.items()}


def test_domain_values_scoring_to_2_595_admit_both_cukup_and_baik(spbe2020):
    result = score_domains(spbe2020, decimals(STRADDLING_DOMAINS))
    assert result.index.exact == Fraction("2.595")
    assert (str(result.index.reported), result.predicate.name) == ("2.60", "Baik")
    assert [band.name for band in result.predicates_possible] == ["Cukup", "Baik"]
    data = result_to_dict(result)
    assert (data["index_low"], data["index_high"]) == ("2.59", "2.6")
    assert data["predicates_possible"] == ["Cukup", "Baik"]
    assert predicate_text(result) == "Cukup atau Baik"
    table = render_table(result)
    assert "Predikat: Cukup atau Baik" in table
    assert "the exact index lies in [2.59, 2.6)" in table


def test_the_interval_is_the_weighted_sum_of_the_half_hundredths_around_each_value(spbe2020):
    result = score_domains(spbe2020, decimals(STRADDLING_DOMAINS))
    assert result.interval == Interval(
        Fraction("2.595") - Fraction("0.005"), Fraction("2.595") + Fraction("0.005"), True, False
    )


def test_exact_indicator_input_has_one_possible_predicate(spbe2020, mixed_levels):
    result = score_items(spbe2020, mixed_levels)
    assert result.interval is None
    assert result.index_low == result.index_high == result.index.exact
    assert result.predicates_possible == (result.predicate,)
    data = result_to_dict(result)
    assert data["index_low"] == data["index_high"] == data["index_exact"] == "3.3425"
    assert data["predicates_possible"] == ["Baik"]
    assert "rounded" not in render_table(result)


def test_aspect_input_far_from_an_edge_admits_one_predicate(spbe2020):
    result = score_aspects(spbe2020, {a.code: Decimal("3.00") for a in spbe2020.aspects})
    assert (result.index_low, result.index_high) == (Fraction("2.995"), Fraction("3.005"))
    assert [band.name for band in result.predicates_possible] == ["Baik"]
    assert predicate_text(result) == "Baik"


def test_a_value_with_its_trailing_zero_dropped_still_stands_for_half_a_hundredth(spbe2020):
    # "2.5" is read as a published 2.50, not as anything from 2.45 to 2.55.
    assert given_interval(spbe2020, Decimal("2.5")) == given_interval(spbe2020, Decimal("2.50"))
    assert given_interval(spbe2020, Decimal("2.5")).low == Fraction("2.495")


def test_ten_decimal_values_give_a_narrow_interval(spbe2020):
    # The national system's public sample record: its aspects give the index 4.2125.
    aspects = ["5", "3.75", "3.75", "5", "3", "2.6666666667", "4.3", "5"]
    values = {f"A{n}": Decimal(v) for n, v in enumerate(aspects, start=1)}
    result = score_aspects(spbe2020, values)
    assert result.index_low <= Fraction("4.2125") <= result.index_high
    assert result.index_high - result.index_low < Fraction("0.01")
    assert [band.name for band in result.predicates_possible] == ["Memuaskan"]


def test_an_interval_stops_at_the_ends_of_the_scale(spbe2020):
    top = given_interval(spbe2020, Decimal("5.00"))
    bottom = given_interval(spbe2020, Decimal("1.00"))
    assert (top.low, top.high, top.high_included) == (Fraction("4.995"), 5, True)
    assert (bottom.low, bottom.low_included, bottom.high) == (1, True, Fraction("1.005"))


def test_scores_filled_at_the_minimum_are_exact(spbe2020):
    result = score_domains(spbe2020, {"D1": Decimal("2.00")}, missing="min")
    # Only D1 (weight 13) is uncertain: +-0.005 x 13 / 100.
    assert result.index_high - result.index_low == Fraction("0.01") * Fraction(13, 100)


def test_an_upper_end_on_a_rounding_tie_is_not_reached_so_it_does_not_round_up(spbe2020):
    # [2.585, 2.595): every exact index in it reports 2.59 (Cukup), none 2.60.
    interval = Interval(Fraction("2.585"), Fraction("2.595"), True, False)
    assert [band.name for band in predicates_possible(spbe2020, interval)] == ["Cukup"]
    reached = Interval(Fraction("2.585"), Fraction("2.595"), True, True)
    assert [band.name for band in predicates_possible(spbe2020, reached)] == ["Cukup", "Baik"]


def test_under_half_even_rounding_an_odd_last_digit_leaves_both_ends_out(spbe2020):
    even = spbe2020.model_copy(update={"rounding": Rounding(places=2, mode="half_even")})
    odd_value = given_interval(even, Decimal("2.59"))
    even_value = given_interval(even, Decimal("2.60"))
    assert (odd_value.low_included, odd_value.high_included) == (False, False)
    assert (even_value.low_included, even_value.high_included) == (True, True)


def test_pemdi_aspects_straddling_an_edge_admit_both_upper_inclusive_predicates(pemdi):
    # A1 (10%) published 2.55, the rest 2.50: 2.505, reported 2.51 (Baik); the exact index lies
    # in [2.50, 2.51), so it may be reported 2.50, which is Cukup (upper-inclusive).
    values = {a.code: Decimal("2.50") for a in pemdi.aspects} | {"A1": Decimal("2.55")}
    result = score_aspects(pemdi, values)
    assert (str(result.index.reported), result.predicate.name) == ("2.51", "Baik")
    assert (result.index_low, result.index_high) == (Fraction("2.50"), Fraction("2.51"))
    assert [band.name for band in result.predicates_possible] == ["Cukup", "Baik"]
    assert predicate_text(result) == "Cukup atau Baik"


def test_pemdi_aspects_whose_interval_ends_on_the_edge_admit_only_the_band_below(pemdi):
    # Every aspect published 2.50: [2.495, 2.505) reports 2.50 at most: Cukup only, and 2.50
    # is the edge, so the other reading (Baik) is named.
    result = score_aspects(pemdi, {a.code: Decimal("2.50") for a in pemdi.aspects})
    assert [band.name for band in result.predicates_possible] == ["Cukup"]
    assert predicate_text(result) == "Cukup (lower-inclusive reading: Baik)"


# --- the property: the truth is always inside ----------------------------------------------

SPBE2020 = load_file(BUILTIN_DIR / "spbe-2020.yaml").instrument
PEMDI = load_file(BUILTIN_DIR / "pemdi-2026.yaml").instrument

# Exact scores as a publisher might hold them: thousandths, or thirds and sevenths.
exact_scores = st.one_of(
    st.integers(1000, 5000).map(lambda n: Fraction(n, 1000)),
    st.integers(3, 15).map(lambda n: Fraction(n, 3)),
    st.integers(7, 35).map(lambda n: Fraction(n, 7)),
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["spbe-2020", "pemdi-2026"]), st.data())
def test_the_exact_index_and_its_predicate_always_lie_within_what_rounded_aspects_admit(
    instrument_id, data
):
    instrument = SPBE2020 if instrument_id == "spbe-2020" else PEMDI
    exact = {a.code: data.draw(exact_scores, label=a.code) for a in instrument.aspects}
    published = {code: round_fraction(value, 2) for code, value in exact.items()}
    truth = sum((a.weight * exact[a.code] for a in instrument.aspects), Fraction(0)) / 100
    true_predicate = instrument.predicate_for(round_fraction(truth, 2))

    result = score_aspects(instrument, published)
    assert result.index_low <= truth <= result.index_high
    assert truth < result.index_high or result.interval.high_included
    assert true_predicate in result.predicates_possible
    assert result.predicate in result.predicates_possible

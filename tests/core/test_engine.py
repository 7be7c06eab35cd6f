"""The scoring engine against the worked examples and the published validation cases."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from monev.core.engine import (
    ScoringInputError,
    gap_to_target,
    score_aspects,
    score_domains,
    score_items,
    value_problem,
    what_if,
)
from monev.core.loader import load_file
from monev.core.numbers import parse_value


def all_at(instrument, level) -> dict[str, Decimal]:
    return {item.number: Decimal(level) for item in instrument.scored_items}


def problems(error: pytest.ExceptionInfo[ScoringInputError]) -> dict[str, str]:
    return {problem.key: problem.message for problem in error.value.problems}


# --- worked example 1: every indicator at level 3 ------------------------------------------


def test_every_indicator_at_level_3_gives_3_00_baik(spbe2020):
    result = score_items(spbe2020, all_at(spbe2020, 3))
    assert result.index.exact == 3
    assert str(result.index.reported) == "3.00"
    assert result.predicate.name == "Baik"
    assert result.basis == "indicators"
    assert [str(node.score) for node in result.aspects] == ["3.00"] * 8
    assert [str(node.score) for node in result.domains] == ["3.00"] * 4
    assert all(node.score.exact == 3 for node in (*result.aspects, *result.domains))


# --- worked example 2: the mixed case -------------------------------------------------------

MIXED_EXPECTED = {
    "A1": ("3.50", Fraction("3.5")),
    "A2": ("3.50", Fraction("3.5")),
    "A3": ("3.00", Fraction(3)),
    "A4": ("3.50", Fraction("3.5")),
    "A5": ("2.50", Fraction("2.5")),
    "A6": ("1.33", Fraction(4, 3)),
    "A7": ("3.90", Fraction("3.9")),
    "A8": ("3.50", Fraction("3.5")),
    "D1": ("3.50", Fraction("3.5")),
    "D2": ("3.30", Fraction("3.3")),
    "D3": ("2.18", Fraction(24, 11)),
    "D4": ("3.74", Fraction("340.5") / Fraction("91")),
}


@pytest.mark.parametrize("code", sorted(MIXED_EXPECTED))
def test_the_mixed_case_gives_every_published_aspect_and_domain_score(spbe2020, mixed_levels, code):
    result = score_items(spbe2020, mixed_levels)
    node = result.aspect(code) if code.startswith("A") else result.domain(code)
    reported, exact = MIXED_EXPECTED[code]
    assert str(node.score.reported) == reported
    assert node.score.exact == exact


def test_the_mixed_case_d4_exact_value_is_3_7417_and_more(spbe2020, mixed_levels):
    d4 = score_items(spbe2020, mixed_levels).domain("D4").score.exact
    assert Fraction("3.7417") < d4 < Fraction("3.7418")


def test_the_mixed_case_gives_index_3_34_exact_3_3425_baik(spbe2020, mixed_levels):
    result = score_items(spbe2020, mixed_levels)
    assert result.index.exact == Fraction("3.3425")
    assert str(result.index.reported) == "3.34"
    assert result.predicate.name == "Baik"


def test_raising_indicator_29_from_1_to_3_adds_0_03_to_the_index(spbe2020, mixed_levels):
    change = what_if(spbe2020, mixed_levels, {"29": Decimal(3)})
    assert change.index.delta == Fraction(3, 100)
    assert change.after.index.exact == Fraction("3.3725")
    assert str(change.after.index.reported) == "3.37"
    assert change.changed_items == (("29", Decimal(1), Decimal(3)),)
    assert [c.code for c in change.aspects] == ["A6"]
    assert [c.code for c in change.domains] == ["D3"]
    assert change.aspects[0].after.exact == 2
    assert not change.predicate_changed


def test_headroom_is_what_one_more_level_adds_and_zero_at_the_maximum(spbe2020, mixed_levels):
    items = {item.number: item for item in score_items(spbe2020, mixed_levels).items}
    assert items["29"].headroom == Fraction(15, 1000)
    assert items["29"].headroom_to_max == Fraction(6, 100)
    assert items["29"].contribution == Fraction(15, 1000)
    assert items["34"].value == 5
    assert items["34"].headroom == 0
    assert items["34"].headroom_to_max == 0


def test_what_if_raising_an_indicator_already_at_5_is_impossible(spbe2020, mixed_levels):
    with pytest.raises(ScoringInputError) as caught:
        what_if(spbe2020, mixed_levels, {"34": Decimal(6)})
    assert problems(caught) == {"34": "value 6 is outside the scale 1-5"}


def test_what_if_that_changes_nothing_reports_no_change(spbe2020, mixed_levels):
    change = what_if(spbe2020, mixed_levels, {"34": Decimal(5)})
    assert change.changed_items == ()
    assert change.index.delta == 0
    assert change.aspects == () and change.domains == ()


def test_what_if_that_crosses_a_band_says_the_predicate_changed(spbe2020):
    base = all_at(spbe2020, 3)
    raised = {number: Decimal(5) for number in [str(n) for n in range(32, 48)]}
    change = what_if(spbe2020, base, raised)
    assert change.before.predicate.name == "Baik"
    assert change.after.predicate.name == "Sangat Baik"
    assert change.predicate_changed


def test_the_weakest_aspects_of_the_mixed_case_are_a6_a5_a3(spbe2020, mixed_levels):
    result = score_items(spbe2020, mixed_levels)
    assert [node.code for node in result.weakest_aspects()] == ["A6", "A5", "A3"]


# --- worked example 3 and the Denpasar validation cases -------------------------------------


def test_luwu_utara_domain_scores_give_2_93_baik(spbe2020):
    domains = {"D1": "3.10", "D2": "2.30", "D3": "2.18", "D4": "3.51"}
    result = score_domains(spbe2020, {k: Decimal(v) for k, v in domains.items()})
    assert result.index.exact == Fraction("2.93475")
    assert str(result.index.reported) == "2.93"
    assert result.predicate.name == "Baik"
    assert result.basis == "domains"
    assert result.aspects == ()


def test_denpasar_2021_domain_scores_give_3_19(spbe2020):
    domains = {"D1": "3.00", "D2": "3.30", "D3": "2.18", "D4": "3.55"}
    result = score_domains(spbe2020, {k: Decimal(v) for k, v in domains.items()})
    assert result.index.exact == Fraction("3.18995")
    assert str(result.index.reported) == "3.19"
    assert result.predicate.name == "Baik"


def test_denpasar_2018_domain_scores_under_spbe_2018_give_2_64(spbe2018):
    domains = {"D1": "2.06", "D2": "2.29", "D3": "3.0"}
    result = score_domains(spbe2018, {k: Decimal(v) for k, v in domains.items()})
    assert result.index.exact == Fraction("2.6414")
    assert str(result.index.reported) == "2.64"
    assert result.predicate.name == "Baik"


def test_denpasar_2019_aspect_scores_under_spbe_2018_give_3_33(spbe2018):
    aspects = {
        "A1": "3",
        "A2": "3",
        "A3": "3.5",
        "A4": "3",
        "A5": "2.67",
        "A6": "3.57",
        "A7": "3.67",
    }
    result = score_aspects(spbe2018, {k: Decimal(v) for k, v in aspects.items()})
    assert result.index.exact == Fraction("3.3339")
    assert str(result.index.reported) == "3.33"
    assert result.predicate.name == "Baik"
    assert result.basis == "aspects"
    assert [str(d.score) for d in result.domains] == ["3.00", "3.00", "3.61"]


def test_given_domain_scores_are_reported_with_two_decimals(spbe2020):
    result = score_domains(spbe2020, {"D1": Decimal("3.1"), "D2": Decimal("2.3")}, missing="min")
    assert [str(d.score) for d in result.domains] == ["3.10", "2.30", "1.00", "1.00"]
    assert result.filled_with_minimum == ("D3", "D4")


# --- worked example 4: predicate boundaries -------------------------------------------------

SPBE_BOUNDARIES = [
    ("1.00", "Kurang"),
    ("1.79", "Kurang"),
    ("1.80", "Cukup"),
    ("2.59", "Cukup"),
    ("2.60", "Baik"),
    ("2.61", "Baik"),
    ("3.49", "Baik"),
    ("3.50", "Sangat Baik"),
    ("4.19", "Sangat Baik"),
    ("4.20", "Memuaskan"),
    ("5.00", "Memuaskan"),
]


@pytest.mark.parametrize("instrument_id", ["spbe-2020", "spbe-2018"])
@pytest.mark.parametrize(("value", "predicate"), SPBE_BOUNDARIES)
def test_the_spbe_predicate_boundaries(instrument_id, value, predicate, spbe2018, spbe2020):
    instrument = {"spbe-2018": spbe2018, "spbe-2020": spbe2020}[instrument_id]
    scores = {d.code: Decimal(value) for d in instrument.domains}
    result = score_domains(instrument, scores)
    assert str(result.index.reported) == value
    assert result.predicate.name == predicate
    assert instrument.predicate_for(Decimal(value)).name == predicate


# Upper-inclusive (issue 15): 1,00-1,50 / 1,51-2,50 / 2,51-3,50 / 3,51-4,00 / 4,01-5,00.
PEMDI_BOUNDARIES = [
    ("1.00", "Kurang"),
    ("1.50", "Kurang"),
    ("1.51", "Cukup"),
    ("2.50", "Cukup"),
    ("2.51", "Baik"),
    ("3.50", "Baik"),
    ("3.51", "Sangat Baik"),
    ("4.00", "Sangat Baik"),
    ("4.01", "Memuaskan"),
    ("5.00", "Memuaskan"),
]


@pytest.mark.parametrize(("value", "predicate"), PEMDI_BOUNDARIES)
def test_the_pemdi_predicate_bands_are_upper_inclusive(pemdi, value, predicate):
    result = score_items(pemdi, all_at(pemdi, value))
    assert str(result.index.reported) == value
    assert result.predicate.name == predicate
    assert score_aspects(pemdi, {a.code: Decimal(value) for a in pemdi.aspects}).predicate.name == (
        predicate
    )


def test_the_predicate_is_read_from_the_reported_value_not_the_exact_one(spbe2020):
    # Exact 2.595 is below 2.6 (Cukup) but is reported as 2.60, and 2.60 is Baik.
    result = score_domains(spbe2020, {d.code: Decimal("2.595") for d in spbe2020.domains})
    assert result.index.exact == Fraction("2.595")
    assert str(result.index.reported) == "2.60"
    assert result.predicate.name == "Baik"


def test_an_exact_3_495_is_reported_3_50_and_is_sangat_baik(spbe2020):
    result = score_domains(spbe2020, {d.code: Decimal("3.495") for d in spbe2020.domains})
    assert str(result.index.reported) == "3.50"
    assert result.predicate.name == "Sangat Baik"


def test_it_rounds_half_up_on_the_reported_value(pemdi):
    # Indicator 19 weighs 10%: 1.05 there gives an exact index of 1.005.
    values = all_at(pemdi, 1) | {"19": Decimal("1.05")}
    result = score_items(pemdi, values)
    assert result.index.exact == Fraction("1.005")
    assert str(result.index.reported) == "1.01"


def test_a_value_just_below_a_half_is_rounded_down_exactly(spbe2020):
    result = score_domains(spbe2020, {d.code: Decimal("2.934999") for d in spbe2020.domains})
    assert str(result.index.reported) == "2.93"


# --- spbe-2018: indicator 35 and its sub-items ----------------------------------------------


def test_spbe_2018_a7_is_the_simple_mean_of_its_six_items(spbe2018):
    values = all_at(spbe2018, 3) | {
        "32": Decimal(5),
        "33": Decimal(5),
        "34": Decimal(5),
        "35.1": Decimal(0),
        "35.2": Decimal(0),
        "35.3": Decimal(0),
    }
    result = score_items(spbe2018, values)
    assert result.aspect("A7").score.exact == Fraction(15, 6)
    assert str(result.aspect("A7").score) == "2.50"
    assert result.index.exact == Fraction("2.9")

    # Averaging 35.x into one indicator weighted like 32-34 (5% each) gives another answer.
    wrong_a7 = Fraction(5 + 5 + 5 + 0, 4)
    wrong_index = (80 * 3 + 20 * wrong_a7) / Fraction(100)
    assert wrong_a7 == Fraction("3.75")
    assert wrong_index == Fraction("3.15")
    assert result.index.exact != wrong_index


def test_spbe_2018_indicator_35_given_directly_is_refused_naming_its_sub_items(spbe2018):
    values = {n: v for n, v in all_at(spbe2018, 3).items() if not n.startswith("35.")}
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2018, values | {"35": Decimal(3)})
    found = problems(caught)
    assert found["35"] == (
        "unknown indicator 35; indicator 35 is scored through its sub-items 35.1, 35.2, 35.3"
    )
    assert found["35.1"] == "indicator 35.1 has no value"


def test_spbe_2018_takes_level_0(spbe2018):
    result = score_items(spbe2018, all_at(spbe2018, 0))
    assert str(result.index) == "0.00"
    assert result.predicate.name == "Kurang"


# --- value types and scales -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["1.17", "2.50", "2.5", "1", "5.00", "3.99"])
def test_pemdi_accepts_values_with_up_to_two_decimals(pemdi, value):
    result = score_items(pemdi, all_at(pemdi, 1) | {"1": Decimal(value)})
    assert result.items[0].value == Decimal(value)


def test_pemdi_refuses_a_value_with_more_than_ten_decimals(pemdi):
    with pytest.raises(ScoringInputError) as caught:
        score_items(pemdi, all_at(pemdi, 1) | {"1": Decimal("1.16666666667")})
    assert problems(caught) == {
        "1": "value 1.16666666667 has more than ten decimals; give it as a fraction such as 7/6"
    }


def test_pemdi_scores_an_item_value_of_seven_sixths_unrounded(pemdi):
    result = score_items(pemdi, all_at(pemdi, 1) | {"13": parse_value("7/6")})
    # Indicator 13 weighs 5 of aspect A5's 10 and of the index's 100.
    assert result.aspect("A5").score.exact == Fraction(13, 12)
    assert result.index.exact == 1 + Fraction(1, 6) * 5 / 100
    assert str(result.aspect("A5").score) == "1.08"


def test_a_fraction_given_to_the_engine_is_taken_as_it_is(pemdi):
    as_fraction = score_items(pemdi, all_at(pemdi, 1) | {"13": Fraction(7, 6)})
    as_text = score_items(pemdi, all_at(pemdi, 1) | {"13": parse_value("7/6")})
    assert as_fraction.index.exact == as_text.index.exact


def test_whole_level_instruments_refuse_fractions(spbe2020):
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2020, all_at(spbe2020, 1) | {"13": parse_value("7/6")})
    assert problems(caught) == {
        "13": "value 7/6 is not a whole level; spbe-2020 takes whole levels 1-5"
    }


def test_a_two_decimal_value_type_still_refuses_a_third_decimal(pemdi):
    from monev.core.model import ValueType

    item = pemdi.items_by_number["1"].model_copy(update={"value_type": ValueType.DECIMAL2})
    assert value_problem(pemdi, item, Decimal("1.175")) == "value 1.175 has more than two decimals"
    assert value_problem(pemdi, item, parse_value("7/6")) == "value 7/6 has more than two decimals"
    assert value_problem(pemdi, item, parse_value("5/4")) is None


def test_pemdi_scores_partial_credit_exactly(pemdi):
    result = score_items(pemdi, all_at(pemdi, 1) | {"13": Decimal("1.17")})
    # Indicator 13 weighs 5 of aspect A5's 10.
    assert result.aspect("A5").score.exact == Fraction("1.085")
    assert str(result.aspect("A5").score) == "1.09"
    assert result.index.exact == Fraction("1.0085")


def test_pemdi_is_provisional_and_has_no_domains(pemdi):
    result = score_items(pemdi, all_at(pemdi, 2))
    assert result.instrument.provisional is True
    assert result.domains == ()
    assert str(result.index) == "2.00"
    assert result.predicate.name == "Cukup"


def test_scoring_pemdi_from_domain_scores_is_refused(pemdi):
    with pytest.raises(ScoringInputError) as caught:
        score_domains(pemdi, {"D1": Decimal(3)})
    assert problems(caught) == {
        "domain": "pemdi-2026 has no domains; give indicator or aspect scores"
    }


def test_spbe_2020_refuses_a_level_that_is_not_whole(spbe2020):
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2020, all_at(spbe2020, 3) | {"5": Decimal("3.5")})
    assert problems(caught) == {
        "5": "value 3.5 is not a whole level; spbe-2020 takes whole levels 1-5"
    }


def test_spbe_2020_accepts_a_whole_level_written_with_decimals(spbe2020):
    result = score_items(spbe2020, all_at(spbe2020, 3) | {"5": Decimal("4.0")})
    assert result.index.exact == Fraction("3.013")


@pytest.mark.parametrize("value", ["0", "6", "-1", "5.01"])
def test_spbe_2020_refuses_a_level_outside_the_scale(spbe2020, value):
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2020, all_at(spbe2020, 3) | {"5": Decimal(value)})
    assert problems(caught) == {"5": f"value {value} is outside the scale 1-5"}


def test_an_unknown_indicator_is_refused(spbe2020):
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2020, all_at(spbe2020, 3) | {"48": Decimal(3)})
    assert problems(caught) == {"48": "unknown indicator 48"}


def test_missing_indicators_are_refused_by_default_naming_each(spbe2020):
    values = all_at(spbe2020, 3)
    del values["7"], values["40"]
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2020, values)
    assert problems(caught) == {
        "7": "indicator 7 has no value",
        "40": "indicator 40 has no value",
    }


def test_missing_indicators_can_be_scored_at_the_minimum_and_are_listed(spbe2020):
    values = all_at(spbe2020, 3)
    del values["7"], values["40"]
    result = score_items(spbe2020, values, missing="min")
    assert result.filled_with_minimum == ("7", "40")
    assert result.index.exact == Fraction(300 - 2 * Fraction("1.3") - 2 * Fraction("2.75"), 100)
    assert {item.number: item.value for item in result.items}["7"] == 1


def test_every_problem_in_the_input_is_reported_at_once(spbe2020):
    values = all_at(spbe2020, 3) | {"1": Decimal(9), "2": Decimal("2.5"), "99": Decimal(1)}
    del values["47"]
    with pytest.raises(ScoringInputError) as caught:
        score_items(spbe2020, values)
    assert set(problems(caught)) == {"1", "2", "99", "47"}


# --- pre-aggregated input -------------------------------------------------------------------


def test_aspect_scores_are_checked_against_the_scale_and_the_known_codes(spbe2020):
    with pytest.raises(ScoringInputError) as caught:
        score_aspects(spbe2020, {"A1": Decimal("5.5"), "A9": Decimal(3)})
    found = problems(caught)
    assert found["A1"] == "score 5.5 is outside the scale 1-5"
    assert found["A9"] == "unknown aspect A9"
    assert found["A2"] == "aspect A2 has no value"


def test_aspect_scores_may_have_any_number_of_decimals(spbe2020):
    scores = {a.code: Decimal("2.675") for a in spbe2020.aspects}
    result = score_aspects(spbe2020, scores)
    assert result.index.exact == Fraction("2.675")
    assert str(result.index) == "2.68"
    assert [str(a.score) for a in result.aspects] == ["2.68"] * 8


def test_domain_scores_are_checked_against_the_scale_and_the_known_codes(spbe2020):
    with pytest.raises(ScoringInputError) as caught:
        score_domains(spbe2020, {"D1": Decimal(0), "D9": Decimal(3)}, missing="min")
    assert problems(caught) == {
        "D1": "score 0 is outside the scale 1-5",
        "D9": "unknown domain D9",
    }


def test_missing_aspect_scores_can_be_scored_at_the_minimum(spbe2018):
    result = score_aspects(spbe2018, {"A7": Decimal(5)}, missing="min")
    assert result.filled_with_minimum == ("A1", "A2", "A3", "A4", "A5", "A6")
    assert result.index.exact == 1  # 20% at 5, the rest at 0


# --- gap to a target ------------------------------------------------------------------------


def test_the_gap_to_a_target_is_its_exact_shortfall(spbe2020, mixed_levels):
    result = score_items(spbe2020, mixed_levels)
    gap = gap_to_target(result, Decimal("4.62"))
    assert gap.shortfall == Fraction("1.2775")
    assert not gap.reached


def test_a_target_is_reached_only_when_the_exact_index_reaches_it(spbe2020):
    result = score_domains(spbe2020, {d.code: Decimal("3.335") for d in spbe2020.domains})
    assert str(result.index) == "3.34"
    gap = gap_to_target(result, Decimal("3.34"))
    assert not gap.reached
    assert gap.shortfall == Fraction("0.005")
    assert gap_to_target(result, Decimal("3.335")).reached
    assert gap_to_target(result, Decimal("3")).shortfall == 0


def test_a_target_outside_the_scale_is_refused(spbe2020, mixed_levels):
    result = score_items(spbe2020, mixed_levels)
    with pytest.raises(ScoringInputError) as caught:
        gap_to_target(result, Decimal("6"))
    assert problems(caught) == {"target": "target 6 is outside the scale 1-5"}


# --- the rounding policy --------------------------------------------------------------------


def test_intermediate_rounding_carries_the_reported_aspect_and_domain_scores(
    edited, spbe2020, mixed_levels
):
    path = edited(
        "spbe-2020",
        ("  mode: half_up\n  intermediate: false\n", "  mode: half_up\n  intermediate: true\n"),
    )
    rounded = load_file(path).instrument
    result = score_items(rounded, mixed_levels)
    exact = score_items(spbe2020, mixed_levels)

    def r2(value: Fraction) -> Fraction:
        return Fraction(round(Decimal(value.numerator) / Decimal(value.denominator), 2))

    aspects = {a.code: r2(exact.aspect(a.code).score.exact) for a in spbe2020.aspects}
    domains = {
        d.code: r2(sum(a.weight * aspects[a.code] for a in spbe2020.aspects_of(d.code)) / d.weight)
        for d in spbe2020.domains
    }
    index = sum(d.weight * domains[d.code] for d in spbe2020.domains) / Fraction(100)
    assert result.aspect("A6").score.exact == Fraction(4, 3)  # each score itself stays exact
    assert result.domain("D3").score.exact == (
        12 * Fraction("2.5") + Fraction("4.5") * Fraction("1.33")
    ) / Fraction("16.5")
    assert result.index.exact == index
    assert result.index.exact != exact.index.exact

"""A result as JSON-ready data (the stable shape of `monev score --format json`) and as a
text table for people."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from monev.core.engine import gap_to_target, score_aspects, score_domains, score_items
from monev.core.report import gap_to_dict, render_table, result_to_dict

TWO_DECIMALS = re.compile(r"^\d\.\d\d$")
TOP_KEYS = [
    "instrument",
    "instrument_version",
    "provisional",
    "basis",
    "index",
    "index_exact",
    "predicate",
    "index_low",
    "index_high",
    "predicates_possible",
    "predicate_other_reading",
    "domains",
    "aspects",
    "indicators",
    "filled_with_minimum",
]


def all_at(instrument, level) -> dict[str, Decimal]:
    return {item.number: Decimal(level) for item in instrument.scored_items}


def test_the_json_shape_of_the_mixed_case(spbe2020, mixed_levels):
    data = result_to_dict(score_items(spbe2020, mixed_levels))
    assert list(data) == TOP_KEYS
    assert data["instrument"] == "spbe-2020"
    assert data["instrument_version"] == 1
    assert data["provisional"] is False
    assert data["basis"] == "indicators"
    assert (data["index"], data["index_exact"], data["predicate"]) == ("3.34", "3.3425", "Baik")
    assert data["domains"][2] == {
        "code": "D3",
        "name": "Manajemen SPBE",
        "weight": "16.5",
        "score": "2.18",
        "score_exact": "2.18181818181818181818",
    }
    assert data["aspects"][5] == {
        "code": "A6",
        "name": "Audit Teknologi Informasi dan Komunikasi",
        "domain": "D3",
        "weight": "4.5",
        "score": "1.33",
        "score_exact": "1.33333333333333333333",
    }
    indicators = {row["number"]: row for row in data["indicators"]}
    assert list(indicators["29"]) == [
        "number",
        "name",
        "aspect",
        "level",
        "level_exact",
        "weight",
        "contribution",
        "headroom",
    ]
    assert indicators["29"]["level"] == "1"
    assert indicators["29"]["level_exact"] == "1"
    assert indicators["29"]["weight"] == "1.5"
    assert indicators["29"]["contribution"] == "0.015"
    assert indicators["29"]["headroom"] == "0.015"
    assert indicators["34"]["headroom"] == "0"
    assert len(data["indicators"]) == 47
    assert data["filled_with_minimum"] == []


def test_every_score_in_the_json_is_a_string_with_two_decimals(spbe2018, spbe2020, pemdi):
    for instrument in (spbe2018, spbe2020, pemdi):
        data = result_to_dict(score_items(instrument, all_at(instrument, 3)))
        scores = [data["index"], *(n["score"] for n in data["domains"] + data["aspects"])]
        assert all(isinstance(s, str) and TWO_DECIMALS.match(s) for s in scores), scores


def test_given_domain_scores_appear_in_the_json_with_two_decimals(spbe2020):
    scores = {"D1": Decimal("3.1"), "D2": Decimal("2.3"), "D3": Decimal("2.18")}
    data = result_to_dict(score_domains(spbe2020, scores | {"D4": Decimal("3.51")}))
    assert [d["score"] for d in data["domains"]] == ["3.10", "2.30", "2.18", "3.51"]
    assert [d["score_exact"] for d in data["domains"]] == ["3.1", "2.3", "2.18", "3.51"]
    assert (data["basis"], data["aspects"], data["indicators"]) == ("domains", [], [])


def test_the_json_of_pemdi_says_provisional_and_aspects_have_no_domain(pemdi):
    data = result_to_dict(score_items(pemdi, all_at(pemdi, "2.50")))
    assert data["provisional"] is True
    assert data["domains"] == []
    assert all(aspect["domain"] is None for aspect in data["aspects"])
    assert json.loads(json.dumps(data))["provisional"] is True
    assert data["indicators"][0]["level"] == "2.50"


def test_the_json_lists_the_items_filled_with_the_minimum(spbe2018):
    values = all_at(spbe2018, 3)
    del values["35.2"], values["35.3"]
    data = result_to_dict(score_items(spbe2018, values, missing="min"))
    assert data["filled_with_minimum"] == ["35.2", "35.3"]
    assert {row["number"]: row["level"] for row in data["indicators"]}["35.3"] == "0"


def test_the_json_survives_a_round_trip_through_json_text(spbe2020, mixed_levels):
    data = result_to_dict(score_items(spbe2020, mixed_levels))
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_the_gap_as_data(spbe2020, mixed_levels):
    gap = gap_to_target(score_items(spbe2020, mixed_levels), Decimal("4.62"))
    assert gap_to_dict(gap) == {"target": "4.62", "reached": False, "shortfall_exact": "1.2775"}


# --- the table ------------------------------------------------------------------------------


def test_the_table_shows_the_index_and_the_predicate(spbe2020, mixed_levels):
    table = render_table(score_items(spbe2020, mixed_levels))
    assert "Indeks SPBE menurut PermenPANRB Nomor 59 Tahun 2020 (spbe-2020 version 1)" in table
    assert "Index 3.34 (exact 3.3425)   Predikat: Baik" in table
    assert "PROVISIONAL" not in table
    assert "\033[" not in table


def test_the_table_marks_the_three_weakest_aspects(spbe2020, mixed_levels):
    table = render_table(score_items(spbe2020, mixed_levels))
    marked = [line.split()[0] for line in table.splitlines() if line.endswith("<< weakest")]
    assert marked == ["A3", "A5", "A6"]


def test_the_table_lists_domains_aspects_and_indicators_with_their_scores(spbe2020, mixed_levels):
    lines = render_table(score_items(spbe2020, mixed_levels)).splitlines()
    rows = {line.split()[0]: line.split() for line in lines if line and line[0] in "AD"}
    assert rows["D3"][-1] == "2.18"
    assert rows["A6"][-3:] == ["1.33", "<<", "weakest"]
    item_29 = next(line.split() for line in lines if line.startswith("29 "))
    assert item_29[-5:] == ["A6", "1", "1.5", "0.015", "0.015"]


def test_the_table_rounds_long_weights_and_marks_them_approximate(spbe2018):
    lines = render_table(score_items(spbe2018, all_at(spbe2018, 3))).splitlines()
    item_32 = next(line for line in lines if line.startswith("32 "))
    assert "3.3333~" in item_32


def test_the_table_of_pemdi_says_provisional(pemdi):
    table = render_table(score_items(pemdi, all_at(pemdi, "1.17")))
    assert "PROVISIONAL instrument" in table
    assert "Predikat: Kurang" in table


def test_the_table_lists_what_was_scored_at_the_minimum(spbe2020):
    values = all_at(spbe2020, 3)
    del values["1"], values["47"]
    table = render_table(score_items(spbe2020, values, missing="min"))
    assert "Scored at the scale minimum because they were missing: 1, 47" in table


def test_the_table_of_pre_aggregated_scores_has_no_indicator_rows(spbe2018):
    result = score_aspects(spbe2018, {a.code: Decimal(3) for a in spbe2018.aspects})
    table = render_table(result)
    assert "Index 3.00 (exact 3)   Predikat: Baik" in table
    assert "Indicator" not in table
    assert table.count("<< weakest") == 3


def test_the_table_clips_long_names(spbe2020, mixed_levels):
    table = render_table(score_items(spbe2020, mixed_levels), max_name=20)
    assert "Layanan Administras…" in table


def test_the_table_is_coloured_only_when_asked(spbe2020, mixed_levels):
    coloured = render_table(score_items(spbe2020, mixed_levels), color=True)
    assert "\033[1m" in coloured and "\033[31m" in coloured

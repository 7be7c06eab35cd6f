"""The crosswalk between spbe-2020 and pemdi-2026: a judgement in a file, checked against both
instruments; unknown codes, keys, instruments or an "official" status are refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from monev.core.crosswalk import (
    CROSSWALK_DIR,
    CrosswalkError,
    compare_aspects,
    find_crosswalk,
    load_crosswalk,
    parse_crosswalk,
)
from monev.core.registry import catalog

SHIPPED = CROSSWALK_DIR / "spbe-2020_pemdi-2026.yaml"


def get(reference):
    return catalog().get(reference)


def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def parse(raw: dict):
    return parse_crosswalk(yaml.safe_dump(raw), "test.yaml", get)


def test_the_shipped_file_loads_and_says_it_is_a_judgement():
    crosswalk = load_crosswalk(SHIPPED)
    assert crosswalk.source_instrument == "spbe-2020"
    assert crosswalk.target_instrument == "pemdi-2026"
    assert "bukan pemetaan resmi" in crosswalk.statement
    assert "NOT AN OFFICIAL MAPPING" in SHIPPED.read_text(encoding="utf-8")
    assert [e.target for e in crosswalk.entries] == [str(n) for n in range(1, 21)]
    assert crosswalk.entry("9").counterparts == ("9", "29", "30", "31")
    assert crosswalk.entry("6").counterparts == ()  # new in pemdi-2026
    assert "44" in crosswalk.without_successor


def test_no_indicator_is_both_without_successor_and_a_counterpart():
    crosswalk = load_crosswalk(SHIPPED)
    counterparts = {code for e in crosswalk.entries for code in (*e.counterparts, *e.partly)}
    assert counterparts & set(crosswalk.without_successor) == set()
    # The special administrative services of 59/2020 have no successor (reference notes
    # 10.6); Portal Layanan (17) takes only planning (32) and archives (37) in part.
    assert crosswalk.without_successor == ("33", "34", "35", "36", "38", "39", "40", "41", "44")
    assert crosswalk.entry("17").partly == ("32", "37")


def test_it_finds_the_shipped_crosswalk_by_instrument_ids():
    assert find_crosswalk("spbe-2020", "pemdi-2026") is not None
    assert find_crosswalk("spbe-2018", "spbe-2020") is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda raw: raw["entries"][0].update({"to": "21"}), "unknown pemdi-2026 indicator '21'"),
        (lambda raw: raw["entries"][0]["from"].append("48"), "unknown spbe-2020 indicator '48'"),
        (lambda raw: raw["entries"][1].update({"partly": ["0"]}), "indicator '0'"),
        (lambda raw: raw.update({"status": "official"}), "status must be 'judgement'"),
        (lambda raw: raw.update({"to": "pemdi-2099"}), "unknown instrument 'pemdi-2099'"),
        (lambda raw: raw.update({"colour": "red"}), "unknown key 'colour'"),
        (lambda raw: raw["entries"][0].update({"weight": 1}), "unknown key 'weight'"),
        (lambda raw: raw["entries"].pop(), "no entry for pemdi-2026 indicators 20"),
        (lambda raw: raw["entries"].append(dict(raw["entries"][0])), "listed twice"),
        (lambda raw: raw["without_successor"].append("1"), "also a main counterpart"),
        (
            lambda raw: raw["without_successor"].append("32"),
            "without_successor: 32 is also a partial counterpart of pemdi-2026 indicator 17",
        ),
    ],
)
def test_it_refuses_unknown_codes_and_keys(change, problem):
    raw = shipped()
    change(raw)
    with pytest.raises(CrosswalkError) as error:
        parse(raw)
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_it_refuses_a_file_that_is_not_yaml_or_not_there(tmp_path):
    with pytest.raises(CrosswalkError):
        parse_crosswalk("entries: [", "bad.yaml", get)
    with pytest.raises(CrosswalkError):
        load_crosswalk(tmp_path / "missing.yaml")


def test_it_puts_each_new_aspect_next_to_the_mean_of_its_rough_counterparts():
    crosswalk = load_crosswalk(SHIPPED)
    pemdi = get("pemdi-2026")
    old_levels = {str(n): Decimal(2) for n in range(1, 48)}
    old_levels["9"] = Decimal(4)
    rows = compare_aspects(crosswalk, pemdi, {"A4": Decimal("3.10")}, old_levels)
    assert [r.code for r in rows] == [a.code for a in pemdi.aspects]
    security = next(r for r in rows if r.code == "A4")  # 9-12: audit, security, crypto, CSIRT
    assert security.score == Decimal("3.10")
    assert security.counterparts == ("9", "29", "30", "31", "8", "22")
    assert security.counterpart_mean == Decimal("2.33")

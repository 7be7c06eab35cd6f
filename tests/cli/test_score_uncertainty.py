"""`monev score` on rounded inputs and on contested band edges (issue 15): the interval the
exact index can lie in, every predicate it admits, and the other reading of an edge."""

from __future__ import annotations

import json

from monev.core.registry import BUILTIN_DIR

# By path: the current file, whichever version other copies of pemdi-2026 carry.
PEMDI = str(BUILTIN_DIR / "pemdi-2026.yaml")
# spbe-2020 domain scores that score to exactly 2.595: reported "2.60 Baik", but the exact
# index of the published (rounded) domains lies in [2.59, 2.60): it may be 2.59 Cukup.
STRADDLING = {"D1": "2.50", "D2": "2.31", "D3": "2.95", "D4": "2.65"}


def test_domain_input_straddling_2_60_lists_cukup_and_baik_in_json(monev, write_csv):
    path = write_csv(STRADDLING, header="domain,score")
    run = monev("score", str(path), "--instrument", "spbe-2020", "--format", "json")
    assert (run.code, run.err) == (0, "")
    data = json.loads(run.out)
    assert (data["index"], data["index_exact"], data["predicate"]) == ("2.60", "2.595", "Baik")
    assert (data["index_low"], data["index_high"]) == ("2.59", "2.6")
    assert data["predicates_possible"] == ["Cukup", "Baik"]
    assert data["predicate_other_reading"] is None


def test_domain_input_straddling_2_60_says_cukup_atau_baik_in_the_table(monev, write_csv):
    path = write_csv(STRADDLING, header="domain,score")
    run = monev("score", str(path), "--instrument", "spbe-2020")
    assert run.code == 0
    assert "Index 2.60 (exact 2.595)   Predikat: Cukup atau Baik" in run.out
    assert "the exact index lies in [2.59, 2.6), so the predicate is not certain" in run.out


def test_aspect_input_carries_its_interval(monev, write_csv):
    rows = {f"A{n}": "3.00" for n in range(1, 9)}
    path = write_csv(rows, header="aspect,score")
    data = json.loads(
        monev("score", str(path), "--instrument", "spbe-2020", "--format", "json").out
    )
    assert (data["index_low"], data["index_high"]) == ("2.995", "3.005")
    assert data["predicates_possible"] == ["Baik"]


def test_exact_indicator_input_has_one_possible_predicate(monev, write_csv, mixed_rows):
    path = write_csv(mixed_rows)
    data = json.loads(
        monev("score", str(path), "--instrument", "spbe-2020", "--format", "json").out
    )
    assert data["index_low"] == data["index_high"] == data["index_exact"] == "3.3425"
    assert data["predicates_possible"] == ["Baik"]


def test_pemdi_at_exactly_2_50_is_cukup_and_names_the_lower_inclusive_reading(monev, write_csv):
    path = write_csv({str(n): "2.50" for n in range(1, 21)})
    data = json.loads(monev("score", str(path), "--instrument", PEMDI, "--format", "json").out)
    assert (data["index"], data["predicate"]) == ("2.50", "Cukup")
    assert data["predicate_other_reading"] == "Baik"
    table = monev("score", str(path), "--instrument", PEMDI).out
    assert "Predikat: Cukup (lower-inclusive reading: Baik)" in table


def test_instrument_show_states_the_contested_band_edges_and_the_level_values(monev):
    run = monev("instrument", "show", PEMDI)
    assert run.code == 0
    assert "  Cukup        (1.5, 2.5]" in run.out
    assert (
        "  Band edges: upper-inclusive, contested [medium]: a value on an edge also names the "
        "lower-inclusive reading"
    ) in run.out
    assert "  1 Merintis  (values 1.0-1.5)" in run.out

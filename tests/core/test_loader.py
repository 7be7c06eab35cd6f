"""Reading and validating instrument files: the built-ins load; every bad file is refused
with FILE:LINE: PLACE: what is wrong, never with a traceback."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest

from monev.core.loader import InstrumentError, load_file, load_text
from monev.core.model import Status, ValueType, instrument_json_schema
from monev.core.registry import BUILTIN_DIR

# --- the built-in files --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument_id", "domains", "aspects", "indicators", "scored_items"),
    [
        ("spbe-2018", 3, 7, 35, 37),
        ("spbe-2020", 4, 8, 47, 47),
        ("pemdi-2026", 0, 7, 20, 20),
    ],
)
def test_every_builtin_file_loads_with_its_published_structure(
    instrument_id, domains, aspects, indicators, scored_items
):
    loaded = load_file(BUILTIN_DIR / f"{instrument_id}.yaml")
    instrument = loaded.instrument
    assert instrument.id == instrument_id
    assert (len(instrument.domains), len(instrument.aspects)) == (domains, aspects)
    assert len(instrument.indicators) == indicators
    assert len(instrument.scored_items) == scored_items
    assert instrument.total_weight == 100
    assert len(loaded.sha256) == 64


def test_spbe_2020_weights_are_exact_decimals(spbe2020):
    assert spbe2020.indicators_by_number["1"].weight == Fraction(13, 10)
    assert spbe2020.indicators_by_number["29"].weight == Fraction(3, 2)
    assert spbe2020.indicators_by_number["32"].weight == Fraction(11, 4)
    assert [d.weight for d in spbe2020.domains] == [13, 25, Fraction(33, 2), Fraction(91, 2)]
    assert [a.weight for a in spbe2020.aspects] == [
        13,
        10,
        10,
        5,
        12,
        Fraction(9, 2),
        Fraction(55, 2),
        18,
    ]
    assert sum(i.weight for i in spbe2020.indicators) == 100


def test_spbe_2018_splits_indicator_35_into_three_sub_items_of_a_sixth_of_a7(spbe2018):
    items = spbe2018.items_by_number
    assert "35" not in items
    assert [items[n].weight for n in ("32", "33", "34", "35.1", "35.2", "35.3")] == [
        Fraction(10, 3)
    ] * 6
    assert {items[n].indicator for n in ("35.1", "35.2", "35.3")} == {"35"}
    assert spbe2018.aspects_by_code["A7"].weight == 20
    assert spbe2018.scale.min == 0
    assert [d.weight for d in spbe2018.domains] == [17, 28, 55]


def test_pemdi_2026_is_provisional_with_decimal_values_and_no_domains(pemdi):
    assert pemdi.status is Status.PROVISIONAL
    assert pemdi.provisional
    assert pemdi.value_type is ValueType.FRACTIONAL
    assert pemdi.domains == ()
    assert [a.weight for a in pemdi.aspects] == [10, 10, 15, 15, 10, 15, 25]


def test_superseded_instruments_are_not_provisional(spbe2018, spbe2020):
    assert not spbe2018.provisional
    assert not spbe2020.provisional


def test_a_utf8_byte_order_mark_is_accepted(tmp_path, builtin_text):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + builtin_text("spbe-2018").encode("utf-8"))
    assert load_file(path).instrument.id == "spbe-2018"


def test_the_json_schema_describes_instrument_files():
    schema = instrument_json_schema()
    assert schema["$id"].endswith("instrument-1.json")
    assert "monev-instrument/1" in schema["title"]
    assert {"id", "version", "aspects", "indicators", "predicates"} <= set(schema["properties"])


# --- bad files -----------------------------------------------------------------------------


def problems_of(path) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    error = caught.value
    rendered = error.render()
    assert str(error) == rendered
    assert "Traceback" not in rendered
    lines = rendered.splitlines()
    assert len(lines) == len(error.problems)
    assert all(line.startswith(f"{path}") for line in lines)
    return lines


def test_a_yaml_syntax_error_names_the_file_and_the_line(edited, find_line):
    path = edited("spbe-2020", ("scale:\n  min: 1\n", "scale:\n  min: [1\n"))
    [line] = problems_of(path)
    assert line.startswith(f"{path}:{find_line(path, '  max: 5')}: (top level): not valid YAML:")


def test_an_empty_file_is_refused_as_empty(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    # An empty file has no line to name; the file and what is wrong are named.
    assert problems_of(path) == [f"{path}: (top level): the file is empty"]


def test_a_file_of_only_comments_is_refused_as_empty(tmp_path):
    path = tmp_path / "comments.yaml"
    path.write_text("# an instrument\n# nothing yet\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}: (top level): the file is empty"]


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("# a list\n- spbe-2020\n- spbe-2018\n", encoding="utf-8")
    assert problems_of(path) == [f"{path}:2: (top level): the file must be a mapping of fields"]


def test_non_utf8_bytes_are_refused_with_their_line(tmp_path, builtin_text):
    path = tmp_path / "latin1.yaml"
    text = builtin_text("spbe-2020").replace("short_name: SPBE 2020", "short_name: SPBE 2020 é")
    path.write_bytes(text.encode("latin-1", errors="replace"))
    [line] = problems_of(path)
    expected_line = text.splitlines().index("short_name: SPBE 2020 é") + 1
    assert line.startswith(f"{path}:{expected_line}: (top level): not UTF-8 text")
    assert "save it as UTF-8" in line


def test_a_duplicate_key_is_refused(edited, find_line):
    path = edited(
        "spbe-2020", ("short_name: SPBE 2020\n", "short_name: SPBE 2020\nshort_name: X\n")
    )
    assert problems_of(path) == [
        f"{path}:{find_line(path, 'short_name: X')}: short_name: this key appears twice"
    ]


def test_a_duplicate_key_deep_in_the_file_names_its_place(edited, find_line):
    path = edited(
        "spbe-2018",
        ("- number: 18\n  name: Tim Pengarah", "- number: 18\n  number: 19\n  name: Tim Pengarah"),
    )
    assert problems_of(path) == [
        f"{path}:{find_line(path, '  number: 19')}: indicators[17].number: this key appears twice"
    ]


def test_an_unknown_field_is_refused(edited, find_line):
    path = edited("spbe-2020", ("short_name: SPBE 2020\n", "short_name: SPBE 2020\nshortname: X\n"))
    assert problems_of(path) == [
        f"{path}:{find_line(path, 'shortname: X')}: shortname: unknown field "
        "(check its spelling and docs/instrument-format.md)"
    ]


def test_a_missing_field_is_refused(edited):
    path = edited("spbe-2020", ("index_name: Indeks SPBE\n", ""))
    # The field is missing, so the line named is that of the mapping that should hold it.
    assert problems_of(path) == [f"{path}:4: index_name: required field is missing"]


def test_a_missing_field_in_an_indicator_names_the_indicator(edited, find_line):
    path = edited(
        "spbe-2018",
        (
            "  aspect: A3\n  weight: 4\n  kind: tata_kelola\n- number: 19",
            "  weight: 4\n  kind: tata_kelola\n- number: 19",
        ),
    )
    line = find_line(path, "- number: 18")
    assert problems_of(path) == [f"{path}:{line}: indicators[17].aspect: required field is missing"]


def test_a_float_weight_is_read_exactly_so_a_wrong_one_breaks_the_aspect_sum(edited, find_line):
    path = edited(
        "spbe-2020",
        (
            "  short_name: Arsitektur SPBE\n  aspect: A1\n  weight: 1.3\n",
            "  short_name: Arsitektur SPBE\n  aspect: A1\n  weight: 1.31\n",
        ),
    )
    [line] = problems_of(path)
    aspect_weight_line = find_line(path, "  domain: D1\n  weight: 13.0") + 1
    assert line == (
        f"{path}:{aspect_weight_line}: aspects[0].weight: indicator weights of aspect A1 "
        "sum to 13.01, not to the aspect's weight 13"
    )


def test_a_weight_written_as_a_float_that_is_not_a_finite_number_is_refused(edited, find_line):
    path = edited(
        "spbe-2018",
        (
            "  name: Tim Pengarah SPBE Instansi Pemerintah\n  aspect: A3\n  weight: 4\n",
            "  name: Tim Pengarah SPBE Instansi Pemerintah\n  aspect: A3\n  weight: .inf\n",
        ),
    )
    lines = problems_of(path)
    assert lines[0].startswith(f"{path}:{find_line(path, 'weight: .inf')}: indicators[17].weight:")
    assert "not a finite number" in lines[0]


def test_a_duplicate_aspect_code_is_refused(edited, find_line):
    path = edited(
        "spbe-2020", ("- code: A2\n  name: Perencanaan", "- code: A1\n  name: Perencanaan")
    )
    lines = problems_of(path)
    first = find_line(path, "- code: A1\n  name: Kebijakan")
    second = find_line(path, "- code: A1\n  name: Perencanaan")
    assert f"{path}:{first}: aspects[0].code: code A1 is used twice" in lines
    assert f"{path}:{second}: aspects[1].code: code A1 is used twice" in lines


def test_a_duplicate_indicator_number_is_refused(edited, find_line):
    path = edited(
        "spbe-2020",
        ("- number: 2\n  name: Tingkat Kematangan", "- number: 1\n  name: Tingkat Kematangan"),
    )
    first = find_line(path, "- number: 1\n")
    second = find_line(path, "- number: 1\n  name: Tingkat Kematangan Kebijakan Internal Peta")
    assert problems_of(path) == [
        f"{path}:{first}: indicators[0].number: indicator number 1 is used twice",
        f"{path}:{second}: indicators[1].number: indicator number 1 is used twice",
    ]


def test_a_sub_item_number_that_repeats_an_indicator_number_is_refused(edited, find_line):
    path = edited("spbe-2018", ("  - number: '35.3'", "  - number: '34'"))
    line = find_line(path, "  - number: '34'")
    assert (
        f"{path}:{line}: indicators[34].sub_items[2].number: indicator number 34 is used twice"
    ) in problems_of(path)


def test_an_indicator_pointing_at_an_unknown_aspect_is_refused(edited, find_line):
    path = edited(
        "spbe-2020",
        (
            "  short_name: Arsitektur SPBE\n  aspect: A1\n",
            "  short_name: Arsitektur SPBE\n  aspect: A9\n",
        ),
    )
    lines = problems_of(path)
    assert lines[0] == (
        f"{path}:{find_line(path, '  aspect: A9')}: indicators[0].aspect: "
        "aspect A9 is not one of A1, A2, A3, A4, A5, A6, A7, A8"
    )
    # Its weight is then missing from A1, which is reported too.
    assert "indicator weights of aspect A1 sum to 11.7, not to the aspect's weight 13" in lines[1]


def test_an_aspect_pointing_at_an_unknown_domain_is_refused(edited, find_line):
    path = edited(
        "spbe-2018", ("  name: Kelembagaan\n  domain: D2\n", "  name: Kelembagaan\n  domain: D7\n")
    )
    lines = problems_of(path)
    assert (
        f"{path}:{find_line(path, '  domain: D7')}: aspects[2].domain: "
        "domain D7 is not one of D1, D2, D3"
    ) in lines


def test_an_aspect_without_indicators_is_refused(edited, find_line):
    path = edited(
        "pemdi-2026",
        (
            "\nindicators:\n- number: 1\n",
            "\n- code: A8\n  name: Kosong\n  weight: 5\nindicators:\n- number: 1\n",
        ),
    )
    lines = problems_of(path)
    assert (
        f"{path}:{find_line(path, '- code: A8')}: aspects[7]: aspect A8 has no indicators" in lines
    )
    assert any("aspects weights sum to 105" in line for line in lines)


def test_a_missing_criterion_for_a_level_is_refused_when_criteria_are_available(edited, find_line):
    path = edited(
        "spbe-2020",
        (
            "    4: Kebijakan juga mengatur integrasi SPBE lintas instansi (antar instansi "
            "pusat, antar pemda, pusat-daerah)\n"
            "      dan sudah direviu serta dievaluasi secara berkala.\n",
            "",
        ),
    )
    # A block collection is placed at its key's line (`criteria:`).
    criteria_line = find_line(path, "    1: Kebijakan internal tentang Arsitektur") - 1
    assert problems_of(path) == [
        f"{path}:{criteria_line}: indicators[0].criteria: indicator 1 has no criteria for level 4"
    ]


def test_criteria_may_be_absent_when_the_instrument_says_they_are_not_available(spbe2018):
    assert not spbe2018.criteria_available
    assert all(not indicator.criteria for indicator in spbe2018.indicators)


def test_a_criterion_for_a_level_outside_the_scale_is_refused(edited, find_line):
    path = edited(
        "spbe-2020",
        (
            "    5: Hasil reviu dan evaluasi kebijakan Arsitektur SPBE sudah ditindaklanjuti",
            "    6: Hasil reviu dan evaluasi kebijakan Arsitektur SPBE sudah ditindaklanjuti",
        ),
    )
    lines = problems_of(path)
    criteria_line = find_line(path, "    1: Kebijakan internal tentang Arsitektur") - 1
    assert (
        f"{path}:{criteria_line}: indicators[0].criteria: level 6 is outside the scale 1-5" in lines
    )
    assert any("has no criteria for level 5" in line for line in lines)


def test_a_gap_between_predicate_bands_is_refused(edited, find_line):
    path = edited("spbe-2020", ("- name: Baik\n  min: 2.6\n", "- name: Baik\n  min: 2.7\n"))
    assert problems_of(path) == [
        f"{path}:{find_line(path, '  min: 2.7')}: predicates[2].min: "
        "gap between Cukup (to 2.6) and Baik (from 2.7)"
    ]


def test_overlapping_predicate_bands_are_refused(edited, find_line):
    path = edited("spbe-2020", ("- name: Baik\n  min: 2.6\n", "- name: Baik\n  min: 2.5\n"))
    assert problems_of(path) == [
        f"{path}:{find_line(path, '  min: 2.5')}: predicates[2].min: "
        "Cukup (to 2.6) overlaps Baik (from 2.5)"
    ]


def test_two_bands_both_including_their_shared_boundary_are_refused(edited, find_line):
    path = edited(
        "spbe-2020",
        (
            "  max: 3.5\n  min_inclusive: true\n  max_inclusive: false\n",
            "  max: 3.5\n  min_inclusive: true\n  max_inclusive: true\n",
        ),
    )
    line = find_line(path, "- name: Sangat Baik") + 3
    assert problems_of(path) == [
        f"{path}:{line}: predicates[1].min_inclusive: at 3.5, both include the boundary: "
        "exactly one of Baik and Sangat Baik must"
    ]


def test_two_bands_neither_including_their_shared_boundary_are_refused(edited):
    path = edited(
        "spbe-2020",
        (
            "- name: Sangat Baik\n  min: 3.5\n  max: 4.2\n  min_inclusive: true\n",
            "- name: Sangat Baik\n  min: 3.5\n  max: 4.2\n  min_inclusive: false\n",
        ),
    )
    [line] = problems_of(path)
    assert "predicates[1].min_inclusive: at 3.5, neither includes the boundary" in line


def test_bands_not_reaching_the_scale_maximum_are_refused(edited, find_line):
    path = edited(
        "spbe-2020",
        (
            "- name: Memuaskan\n  min: 4.2\n  max: 5.0\n",
            "- name: Memuaskan\n  min: 4.2\n  max: 4.9\n",
        ),
    )
    assert problems_of(path) == [
        f"{path}:{find_line(path, '  max: 4.9')}: predicates[0].max: "
        "the highest band Memuaskan must end at the scale maximum 5, inclusive"
    ]


def test_bands_not_starting_at_the_scale_minimum_are_refused(edited, find_line):
    path = edited("spbe-2018", ("- name: Kurang\n  min: 0\n", "- name: Kurang\n  min: 1\n"))
    line = find_line(path, "  min: 1\n  max: 1.8")
    assert problems_of(path) == [
        f"{path}:{line}: predicates[4].min: "
        "the lowest band Kurang must start at the scale minimum 0, inclusive"
    ]


def test_sub_item_weights_not_summing_to_the_indicator_weight_are_refused(edited, find_line):
    path = edited(
        "spbe-2018",
        (
            "    name: Layanan Publik Instansi Pemerintah - layanan 3\n    weight: 10/3\n",
            "    name: Layanan Publik Instansi Pemerintah - layanan 3\n    weight: 3\n",
        ),
    )
    line = find_line(path, "  sub_items:")
    assert problems_of(path) == [
        f"{path}:{line}: indicators[34].sub_items: "
        "sub-item weights sum to 29/3, not to the indicator's weight 10"
    ]


def test_domain_weights_not_summing_to_100_are_refused(edited, find_line):
    path = edited(
        "spbe-2018",
        (
            "  name: Kebijakan Internal SPBE\n  weight: 17\n",
            "  name: Kebijakan Internal SPBE\n  weight: 18\n",
        ),
    )
    lines = problems_of(path)
    assert (
        f"{path}:{find_line(path, 'domains:')}: domains: "
        "domains weights sum to 101; weights are percentages summing to 100"
    ) in lines
    assert (
        f"{path}:{find_line(path, '  weight: 18')}: domains[0].weight: "
        "aspect weights of domain D1 sum to 17, not to the domain's weight 18"
    ) in lines


def test_every_problem_in_a_file_is_reported_at_once(edited):
    path = edited(
        "spbe-2020",
        ("short_name: SPBE 2020\n", "short_name: SPBE 2020\nshortname: X\n"),
        ("index_name: Indeks SPBE\n", ""),
    )
    lines = problems_of(path)
    assert len(lines) == 2
    assert any("shortname: unknown field" in line for line in lines)
    assert any("index_name: required field is missing" in line for line in lines)


def test_an_unreadable_path_is_reported_without_a_traceback(tmp_path):
    path = tmp_path / "missing.yaml"
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    assert caught.value.render().startswith(f"{path}: (top level): cannot read the file:")


def test_load_text_names_the_given_source(builtin_text):
    with pytest.raises(InstrumentError) as caught:
        load_text("format: monev-instrument/1\n", "uploaded.yaml")
    assert all(line.startswith("uploaded.yaml:") for line in caught.value.render().splitlines())


def test_the_core_imports_no_django():
    code = (
        "import sys\n"
        "import monev.core.csvinput, monev.core.engine, monev.core.loader\n"
        "import monev.core.registry, monev.core.report\n"
        "monev.core.registry.catalog()\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr


# --- item weights (issue 15) -----------------------------------------------------------------

INDICATOR_4_WEIGHTS = (
    "  item_weights:\n  - level: 1\n    weights: unknown\n",
    "  item_weights:\n  - level: 1\n    weights: {weights}\n",
)


def with_indicator_4_weights(edited, weights: str):
    old, new = INDICATOR_4_WEIGHTS
    text_old = old + "    note: 'Hasil asesor 2026: 2 dari 3"
    text_new = new.format(weights=weights) + "    note: 'Hasil asesor 2026: 2 dari 3"
    return edited("pemdi-2026", (text_old, text_new))


def test_item_weights_given_per_item_are_read_and_normalised(edited):
    instrument = load_file(with_indicator_4_weights(edited, "[2, 1, 1]")).instrument
    weights = instrument.indicators_by_number["4"].item_weights_at(1)
    assert weights == (Fraction(1, 2), Fraction(1, 4), Fraction(1, 4))


def test_item_weights_must_be_one_per_item_of_the_level(edited):
    [line] = problems_of(with_indicator_4_weights(edited, "[2, 1]"))
    assert line.endswith(
        "indicators[3].item_weights[0].weights: level 1 has 3 items but 2 weights; "
        "give one weight per item, in the items' order"
    )


def test_item_weights_must_be_above_zero(edited):
    [line] = problems_of(with_indicator_4_weights(edited, "[1, 0, 1]"))
    assert line.endswith("indicators[3].item_weights[0].weights: every weight must be above 0")


def test_item_weights_for_a_level_without_a_band_are_refused(edited):
    path = edited(
        "pemdi-2026",
        (
            "  - level: 1\n    weights: unknown\n    note: 'Hasil asesor 2026: 2 dari 3",
            "  - level: 6\n    weights: unknown\n    note: 'Hasil asesor 2026: 2 dari 3",
        ),
    )
    problems = problems_of(path)
    assert any(
        line.endswith("indicators[3].item_weights[0].level: level 6 has no band in the item rule")
        for line in problems
    ), problems


def test_item_weights_need_an_item_rule(edited):
    path = edited(
        "spbe-2020",
        (
            "Pusat/Pemerintah Daerah\n  short_name: Arsitektur SPBE\n  aspect: A1\n",
            "Pusat/Pemerintah Daerah\n  short_name: Arsitektur SPBE\n  aspect: A1\n"
            "  item_weights:\n  - level: 1\n    weights: unknown\n",
        ),
        name="spbe-weights.yaml",
    )
    problems = problems_of(path)
    assert problems and all("item weights need the instrument's item_rule" in p for p in problems)

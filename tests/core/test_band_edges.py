"""Band edges as instrument data (issue 15): which band owns a value exactly on an edge two
bands share, for the predicates and for the level names of fractional values. pemdi-2026 reads
them upper-inclusive (the official assessor material labels 1.5 "Rintisan", 2.0 and 2.5
"Terkelola"; training material writes 1,00-1,50 / 1,51-2,50 / 2,51-3,50 / 3,51-4,00 /
4,01-5,00), and since one secondary source reads them lower-inclusive, a value on an edge is
shown with the other reading too."""

from __future__ import annotations

from decimal import Decimal

import pytest

from monev.core.engine import score_aspects, score_domains, score_items
from monev.core.loader import InstrumentError, load_file
from monev.core.model import EdgeReading
from monev.core.report import predicate_text, result_to_dict


def all_at(instrument, value) -> dict[str, Decimal]:
    return {item.number: Decimal(value) for item in instrument.scored_items}


PEMDI_EDGES = [
    ("1.50", "Kurang", "Cukup"),
    ("2.50", "Cukup", "Baik"),
    ("3.50", "Baik", "Sangat Baik"),
    ("4.00", "Sangat Baik", "Memuaskan"),
]


@pytest.mark.parametrize(("value", "predicate", "other"), PEMDI_EDGES)
def test_pemdi_on_a_band_edge_gets_the_band_below_and_names_the_lower_inclusive_reading(
    pemdi, value, predicate, other
):
    result = score_items(pemdi, all_at(pemdi, value))
    assert str(result.index.reported) == value
    assert result.predicate.name == predicate
    assert result.predicate_other_reading is not None
    assert result.predicate_other_reading.name == other
    data = result_to_dict(result)
    assert (data["predicate"], data["predicate_other_reading"]) == (predicate, other)
    assert data["predicates_possible"] == [predicate]
    assert predicate_text(result) == f"{predicate} (lower-inclusive reading: {other})"


@pytest.mark.parametrize(
    ("value", "predicate"),
    [
        ("1.00", "Kurang"),
        ("1.49", "Kurang"),
        ("1.51", "Cukup"),
        ("2.49", "Cukup"),
        ("2.51", "Baik"),
        ("3.51", "Sangat Baik"),
        ("3.99", "Sangat Baik"),
        ("4.01", "Memuaskan"),
        ("5.00", "Memuaskan"),
    ],
)
def test_pemdi_off_the_edges_has_one_reading(pemdi, value, predicate):
    result = score_items(pemdi, all_at(pemdi, value))
    assert result.predicate.name == predicate
    assert result.predicate_other_reading is None
    assert result_to_dict(result)["predicate_other_reading"] is None
    assert predicate_text(result) == predicate


def test_the_edge_reading_follows_the_reported_index_not_the_exact_one(pemdi):
    # Indicator 19 weighs 10%: 1.45 there and 1.5 elsewhere gives an exact 1.495, reported
    # 1.50: on the edge, Kurang, with Cukup as the other reading.
    values = all_at(pemdi, "1.5") | {"19": Decimal("1.45")}
    result = score_items(pemdi, values)
    assert str(result.index.reported) == "1.50"
    assert result.predicate.name == "Kurang"
    assert result.predicate_other_reading.name == "Cukup"


def test_spbe_bands_are_not_contested_and_name_no_other_reading(spbe2020):
    result = score_domains(spbe2020, {d.code: Decimal("2.60") for d in spbe2020.domains})
    assert result.predicate.name == "Baik"
    assert result.predicate_other_reading is None
    assert spbe2020.band_edges.predicates is EdgeReading.LOWER_INCLUSIVE
    assert not spbe2020.band_edges.contested


def test_pemdi_states_its_reading_with_confidence_and_sources(pemdi):
    edges = pemdi.band_edges
    assert edges.predicates is EdgeReading.UPPER_INCLUSIVE
    assert edges.level_names is EdgeReading.UPPER_INCLUSIVE
    assert edges.contested
    assert edges.confidence is not None
    assert "Rintisan" in edges.note and "1,51-2,50" in edges.note
    assert edges.source


@pytest.mark.parametrize(
    ("value", "level", "other"),
    [
        ("1.0", "Merintis", ""),
        ("1.25", "Merintis", ""),
        ("1.5", "Merintis", "Membangun"),  # "Rintisan" in the assessor material
        ("2.0", "Membangun", ""),  # "Terkelola"
        ("2.5", "Membangun", "Berkembang"),  # "Terkelola"
        ("3.75", "Melembaga", ""),
        ("4.0", "Melembaga", "Unggul"),
        ("5.0", "Unggul", ""),
    ],
)
def test_pemdi_names_a_fractional_value_by_its_upper_inclusive_level_band(
    pemdi, value, level, other
):
    indicator = pemdi.indicators_by_number["1"]
    assert pemdi.level_for(indicator, Decimal(value)) == (level, other)


def test_the_assessor_labels_are_the_aliases_of_the_levels_named(pemdi):
    scale = pemdi.level_scales_by_code["general"]
    rintisan = scale.level_for(Decimal("1.5"), EdgeReading.UPPER_INCLUSIVE)
    terkelola = scale.level_for(Decimal("2.5"), EdgeReading.UPPER_INCLUSIVE)
    assert "Rintisan" in rintisan.aliases and "Terkelola" in terkelola.aliases


def test_without_value_bands_only_whole_values_are_named(spbe2020):
    indicator = spbe2020.indicators_by_number["1"]
    assert spbe2020.level_for(indicator, Decimal("3"))[0] != ""
    assert spbe2020.level_for(indicator, Decimal("2.5")) == ("", "")


def test_aspect_input_on_an_edge_names_the_other_reading_too(pemdi):
    result = score_aspects(pemdi, {a.code: Decimal("3.50") for a in pemdi.aspects})
    assert result.predicate.name == "Baik"
    assert result.predicate_other_reading.name == "Sangat Baik"


# --- the file is checked ----------------------------------------------------------------------


def problems_of(path) -> list[str]:
    with pytest.raises(InstrumentError) as error:
        load_file(path)
    return error.value.render().splitlines()


def test_band_flags_disagreeing_with_the_declared_reading_are_refused(edited):
    path = edited(
        "pemdi-2026",
        ("  predicates: upper_inclusive\n", "  predicates: lower_inclusive\n"),
    )
    lines = problems_of(path)
    assert len(lines) == 4
    assert (
        "predicates[3].min_inclusive: at 1.5, Kurang includes the boundary, but "
        "band_edges.predicates is lower_inclusive: it belongs to Cukup" in lines[0]
    )


def test_an_instrument_without_band_edges_reads_lower_inclusive_and_uncontested(edited):
    # spbe-2020 has no band_edges block: the default is today's reading, and its flags agree.
    instrument = load_file(edited("spbe-2020")).instrument
    assert instrument.band_edges.predicates is EdgeReading.LOWER_INCLUSIVE
    assert instrument.band_edges.level_names is EdgeReading.LOWER_INCLUSIVE
    assert not instrument.band_edges.contested


def test_upper_inclusive_flags_without_declaring_the_reading_are_refused(edited):
    path = edited(
        "spbe-2020",
        (
            "- name: Baik\n  min: 2.6\n  max: 3.5\n  min_inclusive: true\n  max_inclusive: false\n",
            "- name: Baik\n  min: 2.6\n  max: 3.5\n  min_inclusive: true\n  max_inclusive: true\n",
        ),
        (
            "- name: Sangat Baik\n  min: 3.5\n  max: 4.2\n  min_inclusive: true\n",
            "- name: Sangat Baik\n  min: 3.5\n  max: 4.2\n  min_inclusive: false\n",
        ),
    )
    [line] = problems_of(path)
    assert "at 3.5, Baik includes the boundary, but band_edges.predicates is lower_inclusive" in (
        line
    )


def test_level_bands_on_some_levels_only_are_refused(edited):
    path = edited(
        "pemdi-2026", ("    name: Unggul\n    min: 4.0\n    max: 5.0\n", "    name: Unggul\n")
    )
    [line] = problems_of(path)
    assert "level_scales[0].levels: scale general: give min and max on every level, or on none" in (
        line
    )


def test_level_bands_that_do_not_meet_are_refused(edited):
    path = edited(
        "pemdi-2026",
        ("    name: Melembaga\n    min: 3.5\n", "    name: Melembaga\n    min: 3.6\n"),
    )
    [line] = problems_of(path)
    assert "scale general: the bands of levels 3 and 4 must meet" in line

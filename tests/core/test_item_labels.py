"""An indicator or scored item as people see it: number and short name, one rule for every page,
mail and export (model.numbered, Indicator.label, ScoredItem.label, Instrument.item_labels)."""

from __future__ import annotations

from monev.core.model import numbered


def test_indicators_sharing_a_short_name_are_told_apart_by_their_numbers(spbe2020):
    first, eleventh = spbe2020.indicators_by_number["1"], spbe2020.indicators_by_number["11"]
    assert first.short_name == eleventh.short_name == "Arsitektur SPBE"
    assert first.label == "1. Arsitektur SPBE"
    assert eleventh.label == "11. Arsitektur SPBE"
    assert spbe2020.label_of("11") == spbe2020.items_by_number["11"].label == eleventh.label


def test_every_label_of_an_instrument_is_different(spbe2018, spbe2020, pemdi):
    for instrument in (spbe2018, spbe2020, pemdi):
        labels = [item.label for item in instrument.scored_items]
        assert len(set(labels)) == len(labels), instrument.id


def test_without_a_short_name_the_name_is_used(spbe2018):
    indicator = spbe2018.indicators[0]
    assert not indicator.short_name
    assert indicator.label == numbered(indicator.number, indicator.name)


def test_a_sub_item_is_labelled_by_its_own_number_and_name(spbe2018):
    item = spbe2018.items_by_number["35.1"]
    assert item.label == "35.1. Layanan Publik Instansi Pemerintah - layanan 1"
    assert spbe2018.item_labels["35"] == "35. Layanan Publik Instansi Pemerintah"
    assert spbe2018.label_of("35.1") == item.label


def test_a_number_the_instrument_lacks_is_kept_as_it_is(pemdi):
    assert pemdi.label_of("99") == "99"

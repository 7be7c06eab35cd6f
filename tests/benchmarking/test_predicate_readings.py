"""Pages show what is uncertain about a predicate (issue 15): on a contested band edge of
pemdi-2026 the other reading beside the predicate this application reads from the bands; a
predicate the ministry published is quoted as it is; rounded inputs that admit two predicates
show both ("Cukup atau Baik")."""

from __future__ import annotations

from decimal import Decimal

import pytest
from benchmarking_support import evaluator, institutions, member, published, round_for
from django.test import Client
from django.utils import translation

from api_support import Api
from monev.benchmarking import selectors
from monev.core.engine import score_domains, score_items
from monev.instruments.predicates import result_predicate_label
from monev.instruments.selectors import instrument_catalog

pytestmark = pytest.mark.django_db

EDGE_NOTE_ID = "bila batas bawah inklusif: Baik"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_computed_pemdi_index_of_exactly_2_50_is_cukup_with_the_other_reading_named():
    members = institutions(2)
    round_for(
        members,
        instrument_id="pemdi-2026",
        kind="pemantauan",
        levels=[Decimal("2.50"), Decimal("2.51")],
    )
    national = evaluator("n")
    ranking = selectors.ranking(national, year=2025, instrument_id="pemdi-2026")
    by_index = {str(r.index): r for r in ranking.rows}
    assert by_index["2.50"].predicate == "Cukup"
    assert by_index["2.50"].predicate_note == EDGE_NOTE_ID
    assert (by_index["2.51"].predicate, by_index["2.51"].predicate_note) == ("Baik", "")
    html = (
        client_for(national)
        .get("/evaluasi-nasional/peringkat/?year=2025&instrument=pemdi-2026")
        .content.decode()
    )
    assert f"({EDGE_NOTE_ID})" in html
    rows = Api.session(national).get("/evaluation/rankings?year=2025&instrument=pemdi-2026")
    by_value = {row["index"]: row for row in rows.json()["rows"]}
    assert (by_value["2.50"]["predicate"], by_value["2.50"]["predicate_other_reading"]) == (
        "Cukup",
        "Baik",
    )
    assert by_value["2.51"]["predicate_other_reading"] is None


def test_the_peer_page_names_the_other_reading_of_the_institutions_own_index():
    members = institutions(2)
    round_for(members, instrument_id="pemdi-2026", levels=[Decimal("3.50"), Decimal("2.00")])
    person = member("orang", members[0])
    html = (
        client_for(person)
        .get(f"/evaluasi-nasional/instansi/{members[0].pk}/banding/")
        .content.decode()
    )
    assert "Baik (bila batas bawah inklusif: Sangat Baik)" in html


def test_a_published_pemdi_index_on_an_edge_without_a_predicate_names_both_readings():
    members = institutions(2)
    published(members[0], 2026, "3.50", instrument_id="pemdi-2026")
    published(members[1], 2026, "3.50", instrument_id="pemdi-2026", predicate="Baik")
    national = evaluator("n")
    ranking = selectors.ranking(national, year=2026, source="published", instrument_id="pemdi-2026")
    rows = {r.institution.pk: r for r in ranking.rows}
    read = rows[members[0].pk]
    assert (read.predicate, read.predicate_computed) == ("Baik", True)
    assert read.predicate_note == "bila batas bawah inklusif: Sangat Baik"
    quoted = rows[members[1].pk]
    assert (quoted.predicate, quoted.predicate_note) == ("Baik", "")


def test_spbe_rows_on_a_band_edge_name_no_other_reading():
    members = institutions(1)
    round_for(members, levels=[Decimal(3)])
    published(members[0], 2024, "2.60")
    national = evaluator("n")
    computed = selectors.ranking(national, year=2025, instrument_id="spbe-2020")
    read = selectors.ranking(national, year=2024, source="published", instrument_id="spbe-2020")
    assert computed.rows[0].predicate_note == "" and read.rows[0].predicate_note == ""


def test_the_label_of_a_result_from_rounded_domains_says_cukup_atau_baik():
    spbe = instrument_catalog().get("spbe-2020")
    scores = {"D1": "2.50", "D2": "2.31", "D3": "2.95", "D4": "2.65"}
    result = score_domains(spbe, {code: Decimal(value) for code, value in scores.items()})
    with translation.override("id"):
        assert result_predicate_label(result) == "Cukup atau Baik"
    with translation.override("en"):
        assert result_predicate_label(result) == "Cukup or Baik"


def test_the_label_of_a_pemdi_result_on_an_edge_names_the_other_reading():
    pemdi = instrument_catalog().get("pemdi-2026")
    result = score_items(pemdi, {item.number: Decimal("1.50") for item in pemdi.scored_items})
    with translation.override("id"):
        assert result_predicate_label(result) == "Kurang (bila batas bawah inklusif: Cukup)"
    with translation.override("en"):
        assert result_predicate_label(result) == "Kurang (if lower bounds are inclusive: Cukup)"

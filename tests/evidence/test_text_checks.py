"""The checks that read what a linked document says: off_topic (its text shows none of its
indicator's terms) and missing_element (the claimed level's required element, such as an
enacted regulation, is in none of the linked texts); each with a hit and a miss, silent where the
text is not known; the answer page shows the terms found with their passages marked, and the
API returns the same checks."""

from __future__ import annotations

import pytest
from test_readiness import claim, codes, evidence, link, stored

from api_support import Api
from monev.evidence.models import StoredFile
from monev.evidence.readiness import answer_readiness, period_readiness
from monev.evidence.topics import file_topics

pytestmark = pytest.mark.django_db

ARCHITECTURE = (
    "PERATURAN WALI KOTA BANDUNG NOMOR 12 TAHUN 2024 TENTANG ARSITEKTUR SISTEM PEMERINTAHAN "
    "BERBASIS ELEKTRONIK. Pasal 1: Arsitektur SPBE Pemerintah Daerah memuat referensi arsitektur "
    "dan domain arsitektur proses bisnis, data dan informasi, infrastruktur, aplikasi, keamanan "
    "dan layanan. Ditetapkan di Bandung pada tanggal 3 Juni 2024. WALI KOTA BANDUNG, ttd."
)
DRAFT_ARCHITECTURE = (
    "RANCANGAN PERATURAN WALI KOTA BANDUNG TENTANG ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS "
    "ELEKTRONIK. Pasal 1: Arsitektur SPBE memuat referensi arsitektur dan domain arsitektur "
    "proses bisnis, data dan informasi, infrastruktur, aplikasi, keamanan dan layanan SPBE, "
    "dibahas dalam rapat penyusunan bersama perangkat daerah."
)
FLOOD_REPORT = (
    "LAPORAN PENANGGULANGAN BANJIR KOTA BANDUNG TAHUN 2024. Curah hujan tinggi pada bulan "
    "Januari menyebabkan genangan di beberapa kecamatan; petugas kebersihan membersihkan "
    "saluran air dan gorong-gorong, warga dievakuasi ke balai kelurahan terdekat, dan bantuan "
    "makanan dibagikan oleh relawan bersama dinas sosial setempat."
)


def read(text: str, **fields) -> StoredFile:
    """A file whose text was read by the background job (topics included)."""
    file = stored(text=text, **fields)
    file.topics = file_topics(text)
    file.save(update_fields=["topics"])
    return file


def test_a_document_on_another_subject_is_off_topic(world):
    answer = claim(world, "1", 1)
    link(answer, evidence(world, "Laporan", kind="laporan", file=read(FLOOD_REPORT)), 1)
    [finding] = [c for c in answer_readiness(answer.pk).checks if c.code == "off_topic"]
    assert finding.severity == "warning"
    assert "arsitektur SPBE" in finding.message and "Laporan" in finding.message


def test_a_document_on_its_indicator_is_not_off_topic(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=read(ARCHITECTURE)), 1, 2)
    assert "off_topic" not in codes(answer)


def test_a_document_on_another_indicator_is_off_topic_there(world):
    answer = claim(world, "2", 1)  # Peta Rencana SPBE
    link(answer, evidence(world, file=read(ARCHITECTURE)), 1)
    assert "off_topic" in codes(answer)


def test_nothing_is_said_of_a_text_not_read(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=stored(status="no_text_layer", text="")), 1, 2)
    assert {"off_topic", "missing_element"}.isdisjoint(codes(answer))


def test_topics_read_with_other_terms_count_as_unknown(world):
    file = read(FLOOD_REPORT)
    file.topics["spbe-2020"]["sha"] = "older terms"
    file.save(update_fields=["topics"])
    answer = claim(world, "1", 1)
    link(answer, evidence(world, "Laporan", kind="laporan", file=file), 1)
    assert "off_topic" not in codes(answer)


def test_a_draft_misses_the_enactment_that_level_2_asks_for(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=read(DRAFT_ARCHITECTURE)), 1, 2)
    [finding] = [c for c in answer_readiness(answer.pk).checks if c.code == "missing_element"]
    assert finding.levels == (2,) and "ditetapkan" in finding.message.lower()


def test_an_enacted_regulation_shows_what_level_2_asks_for(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=read(ARCHITECTURE)), 1, 2)
    assert "missing_element" not in codes(answer)


def test_level_1_asks_for_no_element(world):
    answer = claim(world, "1", 1)
    link(answer, evidence(world, file=read(DRAFT_ARCHITECTURE)), 1)
    assert "missing_element" not in codes(answer)


def test_the_period_readiness_has_the_same_findings(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=read(DRAFT_ARCHITECTURE)), 1, 2)
    assert "missing_element" in [c.code for c in period_readiness(answer.period_id)[answer.pk]]


def test_the_answer_page_shows_the_terms_found_with_their_passages(world, client):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=read(DRAFT_ARCHITECTURE)), 1, 2)
    client.force_login(world.koordinator)
    page = client.get(f"/jawaban/{answer.pk}/").content.decode()
    assert "<mark>Arsitektur SPBE</mark>" in page or "<mark>ARSITEKTUR SISTEM" in page
    assert "Kebijakan yang sudah ditetapkan" in page  # the level's element, not found


def test_the_api_returns_the_text_checks(world):
    answer = claim(world, "1", 1)
    link(answer, evidence(world, "Laporan", kind="laporan", file=read(FLOOD_REPORT)), 1)
    body = Api.token(world.koordinator).ok("get", f"/answers/{answer.pk}/readiness")
    assert "off_topic" in [check["code"] for check in body["checks"]]


def test_the_answer_page_says_when_a_document_without_text_keeps_the_check_silent(world, client):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, file=read(DRAFT_ARCHITECTURE)), 1, 2)
    link(answer, evidence(world, "Pindaian", file=stored(status="no_text_layer", text="")), 2)
    assert "missing_element" not in codes(answer)
    client.force_login(world.koordinator)
    page = client.get(f"/jawaban/{answer.pk}/").content.decode()
    assert "Tidak semua dokumen yang ditautkan pada tingkat ini" in page

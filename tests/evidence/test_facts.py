"""Document facts read from the text: proposed on the evidence page where the description has
none yet, recorded as read (not typed) when confirmed unchanged and as typed when corrected;
a typed number or date the text contradicts is a readiness warning; the API and the workbook
say which facts were read."""

from __future__ import annotations

import datetime as dt

import pytest
from test_readiness import claim, evidence, link, stored

from api_support import Api
from monev.evidence.models import Evidence
from monev.evidence.readiness import answer_readiness
from monev.evidence.text_indexing import read_document

pytestmark = pytest.mark.django_db

TEXT = """WALI KOTA BANDUNG
PROVINSI JAWA BARAT
PERATURAN WALI KOTA BANDUNG
NOMOR 12 TAHUN 2024
TENTANG
ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK
DENGAN RAHMAT TUHAN YANG MAHA ESA
WALI KOTA BANDUNG,
Menimbang : bahwa untuk melaksanakan ketentuan Pasal 7 Peraturan Presiden Nomor 95 Tahun 2018
tentang Sistem Pemerintahan Berbasis Elektronik, perlu menetapkan Peraturan Wali Kota.
Ditetapkan di Bandung
pada tanggal 3 Juni 2024
WALI KOTA BANDUNG,
ttd.
MUHAMMAD FARHAN
"""


def read_file(text: str = TEXT):
    file = stored(text=text)
    for field, value in read_document(text).items():
        setattr(file, field, value)
    file.save()
    return file


def test_the_job_reads_number_date_and_title_from_the_text():
    facts = read_document(TEXT)["facts"]
    assert facts["number"] == "12 TAHUN 2024"
    assert facts["enacted_on"] == "2024-06-03"
    assert "ARSITEKTUR SISTEM PEMERINTAHAN" in facts["title"]


def test_the_page_proposes_the_facts_the_description_lacks(world, client):
    item = evidence(world, document_number="", document_date=None, file=read_file())
    client.force_login(world.koordinator)
    page = client.get(f"/data-dukung/{item.pk}/").content.decode()
    assert "data-proposals" in page
    assert 'value="12 TAHUN 2024"' in page and 'value="2024-06-03"' in page
    assert 'name="read_from_text" value="document_number"' in page


def test_confirmed_unchanged_they_are_recorded_as_read_and_corrected_as_typed(world, client):
    item = evidence(world, document_number="", document_date=None, file=read_file())
    client.force_login(world.koordinator)
    form = {
        "version": item.version,
        "title": item.title,
        "kind": item.kind,
        "document_number": "12 TAHUN 2024",
        "document_date": "2024-06-03",
        "unit": str(item.unit_id),
        "read_from_text": ["document_number", "document_date"],
    }
    assert client.post(f"/data-dukung/{item.pk}/ubah/", form).status_code in (200, 302)
    item.refresh_from_db()
    assert item.read_fields == ["document_date", "document_number"]
    page = client.get(f"/data-dukung/{item.pk}/").content.decode()
    assert "dibaca dari teks" in page

    corrected = {**form, "version": item.version, "document_date": "2024-06-04"}
    client.post(f"/data-dukung/{item.pk}/ubah/", corrected)
    item.refresh_from_db()
    assert item.read_fields == ["document_number"]


def test_a_typed_number_the_text_contradicts_is_a_warning(world, client):
    answer = claim(world, "1", 2)
    item = evidence(
        world, document_number="13/2024", document_date=dt.date(2024, 6, 3), file=read_file()
    )
    link(answer, item, 1, 2)
    [finding] = [c for c in answer_readiness(answer.pk).checks if c.code == "facts_contradict_text"]
    assert "13/2024" in finding.message and "12 TAHUN 2024" in finding.message
    client.force_login(world.koordinator)
    assert "12 TAHUN 2024" in client.get(f"/data-dukung/{item.pk}/").content.decode()


def test_the_same_number_written_otherwise_is_no_contradiction(world):
    answer = claim(world, "1", 2)
    item = evidence(
        world, document_number="12/2024", document_date=dt.date(2024, 6, 3), file=read_file()
    )
    link(answer, item, 1, 2)
    assert "facts_contradict_text" not in [c.code for c in answer_readiness(answer.pk).checks]


def test_a_date_read_from_the_text_is_labelled_so_in_the_readiness_messages(world):
    answer = claim(world, "1", 2)
    item = evidence(world, document_date=dt.date(2099, 1, 1), file=read_file())
    Evidence.objects.filter(pk=item.pk).update(read_fields=["document_date"])
    link(answer, item, 1, 2)
    [finding] = [c for c in answer_readiness(answer.pk).checks if c.code == "dated_in_future"]
    assert "read from the text" in finding.message or "dibaca dari teks" in finding.message


def test_the_api_shows_the_facts_and_records_what_is_confirmed(world):
    item = evidence(world, document_number="", document_date=None, file=read_file())
    api = Api.token(world.koordinator)
    body = api.ok("get", f"/evidence/{item.pk}")
    assert body["versions"][0]["facts"]["number"] == "12 TAHUN 2024"
    assert body["read_fields"] == []
    body = api.ok(
        "patch",
        f"/evidence/{item.pk}",
        {
            "version": body["version"],
            "document_number": "12 TAHUN 2024",
            "read_from_text": ["document_number"],
        },
    )
    assert body["read_fields"] == ["document_number"]

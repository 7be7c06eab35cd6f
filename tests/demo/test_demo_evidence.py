"""The demo's data dukung: uploaded and linked through the services, text extracted, found
by a phrase from inside a document, and used where the story needs it."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from monev.accounts.models import User
from monev.audit.services import audit_verify
from monev.demo import data
from monev.evidence import search
from monev.evidence.models import Evidence, EvidenceLink, StoredFile
from monev.evidence.readiness import period_readiness
from monev.evidence.text_indexing import file_ocr
from monev.institutions.access import access_for
from monev.institutions.models import Institution
from tools_support import require_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    return Institution.objects.get(code=data.INSTITUTION["code"])


def test_it_loads_evidence_with_text_and_links(demo):
    assert Evidence.objects.filter(institution=demo).count() == 11
    statuses = set(StoredFile.objects.values_list("text_status", flat=True))
    # the scans wait for `monev worker`'s OCR (where the engine is installed)
    assert statuses <= {"done", "not_applicable", "ocr_pending", "no_text_layer"}
    assert EvidenceLink.objects.filter(answer__indicator="1", level=3).exists()
    assert audit_verify()[1] == []


def test_it_finds_the_review_meeting_by_a_phrase_inside_its_minutes(demo):
    koordinator = User.objects.get(username="koordinator")
    hits = search.search(access_for(koordinator, demo.pk), demo.pk, "audit TIK")
    assert [hit.title for hit in hits] == ["Notulen Rapat Evaluasi SPBE 22 Juli 2025"]
    assert "<mark>" in hits[0].passage


def test_its_scans_once_read_by_ocr_are_searchable_proposed_and_one_is_flagged(demo):
    require_tool("tesseract")
    for stored in StoredFile.objects.filter(text_status="ocr_pending"):
        file_ocr(stored.pk)  # the job `monev worker` runs
    koordinator = User.objects.get(username="koordinator")
    access = access_for(koordinator, demo.pk)
    hits = search.search(access, demo.pk, "Kosambi")
    assert [hit.title for hit in hits] == ["Tangkapan layar SIPENA: daftar pengaduan masyarakat"]
    decree = Evidence.objects.get(institution=demo, title__startswith="Pindaian SK Tim")
    facts = decree.versions.get().file.facts
    assert facts["number"] == "400.14/Kep.215-Diskominfo/2024"
    assert facts["enacted_on"] == "2024-05-14"
    period = demo.periods.get(year=data.YEAR)
    checks = period_readiness(period.pk)[period.answers.get(indicator="3").pk]
    assert "off_topic" in [check.code for check in checks]

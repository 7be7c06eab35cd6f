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
from monev.institutions.access import access_for
from monev.institutions.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    return Institution.objects.get(code=data.INSTITUTION["code"])


def test_it_loads_evidence_with_text_and_links(demo):
    assert Evidence.objects.filter(institution=demo).count() == 8
    statuses = set(StoredFile.objects.values_list("text_status", flat=True))
    assert statuses == {"done", "not_applicable"}
    assert EvidenceLink.objects.filter(answer__indicator="1", level=3).exists()
    assert audit_verify()[1] == []


def test_it_finds_the_review_meeting_by_a_phrase_inside_its_minutes(demo):
    koordinator = User.objects.get(username="koordinator")
    hits = search.search(access_for(koordinator, demo.pk), demo.pk, "audit TIK")
    assert [hit.title for hit in hits] == ["Notulen Rapat Evaluasi SPBE 22 Juli 2025"]
    assert "<mark>" in hits[0].passage

"""`monev evidence gc` removes only blobs no row points to; `reindex` rebuilds search."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from monev.evidence import search, services
from monev.evidence.models import StoredFile
from monev.institutions.access import access_for

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def tasks_in_process(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def run(*args: str) -> str:
    out = StringIO()
    call_command("evidence", *args, stdout=out)
    return out.getvalue()


def test_it_removes_only_unreferenced_blobs(world):
    services.evidence_upload(
        actor=world.operator,
        institution_id=world.institution.pk,
        uploaded=SimpleUploadedFile("a.pdf", (FIXTURES / "good.pdf").read_bytes()),
        title="Perwal",
        kind="peraturan",
        unit_id=world.unit_a.pk,
    )
    kept = StoredFile.objects.get().storage_name
    orphan = default_storage.save("evidence/ff/ff/" + "f" * 64, ContentFile(b"half a file"))
    assert "would remove" in run("gc", "--dry-run", "--min-age-hours", "0")
    assert default_storage.exists(orphan)
    output = run("gc", "--min-age-hours", "0")
    assert "1 unreferenced file(s) removed" in output
    assert not default_storage.exists(orphan) and default_storage.exists(kept)


def test_it_leaves_young_blobs_alone(world):
    orphan = default_storage.save("evidence/ee/ee/" + "e" * 64, ContentFile(b"uploading"))
    assert "0 unreferenced" in run("gc")
    assert default_storage.exists(orphan)


def test_it_rebuilds_the_search_index(world):
    evidence = services.evidence_create_link(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        url="https://sipd.example.go.id",
        title="Aplikasi perencanaan daerah",
    )
    assert "rebuilt" in run("reindex")
    hits = search.search(
        access_for(world.koordinator, world.institution.pk), world.institution.pk, "perencanaan"
    )
    assert [hit.evidence_id for hit in hits] == [evidence.pk]

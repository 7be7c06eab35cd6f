"""Migration 0004: a StoredFile shared by institutions becomes one row per institution (each
with its text, its versions and search entries), and back."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("evidence", "0003_ikasandi_kind")]
AFTER = [("evidence", "0004_stored_file_per_institution")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def shared_file(apps):
    """Two institutions' evidence on one stored file with text; an unreferenced file."""
    Institution = apps.get_model("institutions", "Institution")
    StoredFile = apps.get_model("evidence", "StoredFile")
    FileText = apps.get_model("evidence", "FileText")
    Evidence = apps.get_model("evidence", "Evidence")
    EvidenceVersion = apps.get_model("evidence", "EvidenceVersion")
    first = Institution.objects.create(name="Kota Satu", code="k1", kind="kota")
    second = Institution.objects.create(name="Kota Dua", code="k2", kind="kota")
    blob = {"size": 3, "kind": "pdf", "content_type": "application/pdf", "text_status": "done"}
    stored = StoredFile.objects.create(sha256="a" * 64, storage_name="evidence/aa", **blob)
    StoredFile.objects.create(sha256="b" * 64, storage_name="evidence/bb", **blob)
    FileText.objects.create(file=stored, text="Perwal SPBE")
    for institution in (first, second, second):
        evidence = Evidence.objects.create(institution=institution, title="Perwal", kind="sop")
        EvidenceVersion.objects.create(evidence=evidence, number=1, file=stored, original_name="p")
    return first, second


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_a_file_shared_by_institutions_is_split_per_institution_and_merged_back():
    apps = migrate(BEFORE)
    first, second = shared_file(apps)

    apps = migrate(AFTER)
    StoredFile = apps.get_model("evidence", "StoredFile")
    EvidenceVersion = apps.get_model("evidence", "EvidenceVersion")
    rows = {row.institution_id: row for row in StoredFile.objects.filter(sha256="a" * 64)}
    assert set(rows) == {first.pk, second.pk}
    assert {row.storage_name for row in rows.values()} == {"evidence/aa"}
    for institution_id, row in rows.items():
        assert row.extracted.text == "Perwal SPBE" and row.text_status == "done"
        versions = EvidenceVersion.objects.filter(evidence__institution_id=institution_id)
        assert set(versions.values_list("file_id", flat=True)) == {row.pk}
    assert StoredFile.objects.get(sha256="b" * 64).institution_id is None

    apps = migrate(BEFORE)
    StoredFile = apps.get_model("evidence", "StoredFile")
    EvidenceVersion = apps.get_model("evidence", "EvidenceVersion")
    assert StoredFile.objects.filter(sha256="a" * 64).count() == 1
    assert EvidenceVersion.objects.values("file_id").distinct().count() == 1

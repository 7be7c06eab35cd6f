"""The evidence search index (see monev.evidence.search).

PostgreSQL: the table evidence_evidencesearch (one weighted tsvector per evidence item) with a
GIN index. SQLite: the same table is created (and stays empty: no GIN there), plus the FTS5
virtual table evidence_search_fts (rowid = evidence id) and a trigger that drops an evidence
item's entry when the item is deleted. The index arrives in the same release as evidence itself,
so there is nothing to backfill; `monev evidence reindex` rebuilds it whenever needed.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

FTS_CREATE = (
    "CREATE VIRTUAL TABLE evidence_search_fts USING fts5("
    "title, number, body, tokenize = 'unicode61 remove_diacritics 2')"
)
TRIGGER_CREATE = (
    "CREATE TRIGGER evidence_search_fts_delete AFTER DELETE ON evidence_evidence "
    "BEGIN DELETE FROM evidence_search_fts WHERE rowid = old.id; END"
)
GIN_CREATE = (
    "CREATE INDEX evidence_search_vector ON evidence_evidencesearch USING gin (vector)"
)


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(GIN_CREATE)
    elif connection.vendor == "sqlite":
        schema_editor.execute(FTS_CREATE)
        schema_editor.execute(TRIGGER_CREATE)


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS evidence_search_vector")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS evidence_search_fts_delete")
        schema_editor.execute("DROP TABLE IF EXISTS evidence_search_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
        ("institutions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="EvidenceSearch",
            fields=[
                (
                    "evidence",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="evidence.evidence",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
                (
                    "institution",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="institutions.institution",
                    ),
                ),
                (
                    "file",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="evidence.storedfile",
                    ),
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="evidencesearch",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["vector"], name="evidence_search_vector"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]

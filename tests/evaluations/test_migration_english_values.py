"""Migrations evaluations.0005 and benchmarking.0002: the stored statuses, stages and item
judgements become English - in the answers, passes, item judgements and the stored scores'
stage and pass counts - and back; the audit trail is left exactly as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from monev.audit.models import AuditEvent  # no migration here touches it

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("evaluations", "0004_exact_values"), ("benchmarking", "0001_initial")]
AFTER = [("evaluations", "0005_english_values"), ("benchmarking", "0002_english_stages")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


OLD_STATUSES = ["draft", "diajukan", "dikembalikan", "diverifikasi", "final_mandiri"]
NEW_STATUSES = ["draft", "submitted", "returned", "verified", "final_self"]


def old_rows(apps):
    """A period with one answer in every old status; the last (final mandiri) judged at every
    stage, with item judgements; its stored score; one audit event with old values."""
    Institution = apps.get_model("institutions", "Institution")
    Period = apps.get_model("evaluations", "Period")
    Answer = apps.get_model("evaluations", "Answer")
    AssessorPass = apps.get_model("evaluations", "AssessorPass")
    ItemJudgement = apps.get_model("evaluations", "ItemJudgement")
    PeriodScore = apps.get_model("benchmarking", "PeriodScore")
    institution = Institution.objects.create(name="Kota Lama", code="lama", kind="kota")
    period = Period.objects.create(
        institution=institution,
        year=2026,
        kind="evaluasi",
        instrument_id="pemdi-2026",
        instrument_version=2,
        instrument_sha256="a" * 64,
    )
    answers = [
        Answer.objects.create(period=period, indicator=str(n), position=n, status=status)
        for n, status in enumerate(OLD_STATUSES, start=1)
    ]
    final = answers[-1]
    for stage in ("dokumen", "interviu", "visitasi", "final"):
        AssessorPass.objects.create(answer=final, stage=stage, level=Decimal(2))
    judged = [("diterima", ""), ("revisi", "tidak_tepat"), ("revisi", "belum_diunggah")]
    for position, (status, reason) in enumerate([*judged, ("revisi", "lainnya")]):
        ItemJudgement.objects.create(
            answer=final,
            stage="dokumen",
            level=1,
            position=position,
            status=status,
            reason_kind=reason,
        )
    ItemJudgement.objects.create(
        answer=final, stage="visitasi", level=1, position=0, status="diterima"
    )
    PeriodScore.objects.create(
        period=period,
        stage="visitasi",
        counts={"answers": 5, "final": 1, "passes": {"dokumen": 1, "interviu": 1, "final": 1}},
        instrument_id="pemdi-2026",
        stamp="s",
        computed_at=timezone.now(),
    )
    event = AuditEvent.objects.create(
        chain="i1",
        seq=1,
        at=timezone.now(),
        actor_label="asesor",
        action="assessment.dokumen",
        object_type="assessorpass",
        object_id="1",
        answer_id=final.pk,
        before={"status": "diajukan"},
        after={"stage": "dokumen", "items": {"1.2": "revisi (tidak_tepat)"}},
        prev_hash="0" * 64,
        hash="f" * 64,
    )
    return period, event


def state(apps, period_id):
    Answer = apps.get_model("evaluations", "Answer")
    AssessorPass = apps.get_model("evaluations", "AssessorPass")
    ItemJudgement = apps.get_model("evaluations", "ItemJudgement")
    PeriodScore = apps.get_model("benchmarking", "PeriodScore")
    answers = Answer.objects.filter(period_id=period_id).order_by("position")
    passes = AssessorPass.objects.filter(answer__period_id=period_id).order_by("pk")
    judgements = ItemJudgement.objects.filter(answer__period_id=period_id).order_by("pk")
    score = PeriodScore.objects.get(period_id=period_id)
    return {
        "statuses": list(answers.values_list("status", flat=True)),
        "versions": list(answers.values_list("version", flat=True)),
        "stages": list(passes.values_list("stage", flat=True)),
        "judgements": list(judgements.values_list("stage", "status", "reason_kind")),
        "score": (score.stage, score.counts),
    }


def test_the_stored_values_become_english_and_back_and_the_audit_trail_stays():
    apps = migrate(BEFORE)
    period, event = old_rows(apps)
    before = state(apps, period.pk)

    apps = migrate(AFTER)
    after = state(apps, period.pk)
    assert after["statuses"] == NEW_STATUSES
    assert after["versions"] == before["versions"]  # rewritten, not edited
    assert after["stages"] == ["document_review", "interview", "visitation", "final"]
    assert after["judgements"] == [
        ("document_review", "accepted", ""),
        ("document_review", "revision", "not_appropriate"),
        ("document_review", "revision", "not_uploaded"),
        ("document_review", "revision", "other"),
        ("visitation", "accepted", ""),
    ]
    assert after["score"] == (
        "visitation",
        {
            "answers": 5,
            "final": 1,
            "passes": {"document_review": 1, "interview": 1, "final": 1},
        },
    )
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.action, kept.before, kept.after, kept.hash) == (
        event.action,
        event.before,
        event.after,
        event.hash,
    )

    apps = migrate(BEFORE)
    assert state(apps, period.pk) == before

"""The review queue: what the viewer can act on first, with the overview's flags."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from page_support import fresh, login, submitted

from monev.evaluations import services


def test_the_queue_lists_what_can_be_verified_first_and_says_why_the_rest_is_locked(client, world):
    first, second = submitted(world, "1"), submitted(world, "2")
    services.milestone_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        kind="self_assessment_close",
        due_at=timezone.now() - timedelta(hours=1),
    )
    reopened = services.answer_reopen(
        actor=world.koordinator,
        answer_id=second.pk,
        expected_version=second.version,
        reason="Bukti baru dari Diskominfo.",
    )
    services.answer_submit(
        actor=world.koordinator, answer_id=reopened.pk, expected_version=reopened.version
    )
    html = (
        login(client, world, "asesor_internal")
        .get(reverse("evaluations:queue", args=[world.period.pk]))
        .content.decode()
    )
    assert html.index(f"/jawaban/{second.pk}/") < html.index(f"/jawaban/{first.pk}/")
    assert html.count("Terkunci") == 1 and "Penilaian mandiri ditutup pada" in html
    assert fresh(first).status == "submitted"


def test_the_queue_shows_the_evidence_flags_of_the_overview(client, world):
    answer = submitted(world, "1")  # a level without any evidence linked
    html = (
        login(client, world, "asesor_internal")
        .get(reverse("evaluations:queue", args=[world.period.pk]))
        .content.decode()
    )
    assert f"/jawaban/{answer.pk}/" in html
    assert "flag-no_evidence" in html

"""Helpers for the page tests: sign in as a persona and drive the answer workflow quickly."""

from __future__ import annotations

from decimal import Decimal

from monev.evaluations import services
from monev.evaluations.models import Answer

TEXT = "Perwal 12/2024 tentang SPBE mengatur kebijakan internal."


def login(client, world, role: str):
    if role != "anonymous":
        client.force_login(world.personas()[role])
    return client


def fresh(answer: Answer) -> Answer:
    return Answer.objects.get(pk=answer.pk)


def saved(world, indicator: str = "1", level: str = "3") -> Answer:
    answer = world.answer(indicator)
    return services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=TEXT,
    )


def submitted(world, indicator: str = "1") -> Answer:
    answer = saved(world, indicator)
    return services.answer_submit(
        actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
    )


def closed(world, indicator: str = "1") -> Answer:
    answer = saved(world, indicator)
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    return fresh(answer)


def document_reviewed(world, indicator: str = "1") -> Answer:
    answer = closed(world, indicator)
    services.assessor_pass_save(
        actor=world.asesor_eksternal,
        answer_id=answer.pk,
        stage="document_review",
        level=Decimal("2"),
        notes="Dokumen belum lengkap.",
        expected_version=0,
    )
    return answer

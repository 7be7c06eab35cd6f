"""A short history in the world's audit chain: the operator saves a few answers."""

from __future__ import annotations

from decimal import Decimal

from monev.evaluations import services


def make_history(world, numbers=("1", "2", "3")) -> None:
    for number in numbers:
        answer = world.answer(number)
        services.answer_save(
            actor=world.operator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal("2"),
            explanation="ada",
        )

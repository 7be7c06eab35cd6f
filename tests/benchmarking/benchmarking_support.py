"""A round of many institutions written in bulk (as benchmarks/evaluation_round.py does at
national size): institutions of every kind in a few provinces, one period each with every
answer, levels and workflow states varied by a seed."""

from __future__ import annotations

import random
from decimal import Decimal

from monev.accounts.models import User
from monev.evaluations.models import Answer, AssessorPass, Period, PublishedResult
from monev.institutions.models import Institution, Membership, Role
from monev.instruments.selectors import instrument_catalog

KINDS = ("kabupaten", "kota", "provinsi", "pusat")
PROVINCES = ("Jawa Barat", "Jawa Timur", "Bali")


def institutions(count: int, *, prefix: str = "inst", start: int = 0) -> list[Institution]:
    rows = []
    for n in range(start, start + count):
        kind = KINDS[n % len(KINDS)]
        rows.append(
            Institution(
                code=f"{prefix}-{n:03d}",
                name=f"{kind.title()} {prefix} {n:03d}",
                kind=kind,
                province="" if kind == "pusat" else PROVINCES[n % len(PROVINCES)],
            )
        )
    return Institution.objects.bulk_create(rows)


def round_for(
    members: list[Institution],
    *,
    year: int = 2025,
    instrument_id: str = "spbe-2020",
    kind: str = "evaluasi",
    seed: int = 1,
    levels=None,
    status: str = Answer.Status.FINAL,
) -> list[Period]:
    """One period each; every answer at a seeded level (or `levels[i]` for the i-th)."""
    loaded = instrument_catalog().find(instrument_id)
    instrument = loaded.instrument
    rng = random.Random(seed)
    periods = Period.objects.bulk_create(
        Period(
            institution=i,
            year=year,
            kind=kind,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            instrument_sha256=loaded.sha256,
        )
        for i in members
    )
    answers = []
    for number, period in enumerate(periods):
        for position, item in enumerate(instrument.scored_items, start=1):
            if levels is not None:
                level = levels[number]
            else:
                level = Decimal(rng.randint(instrument.scale.min or 1, instrument.scale.max))
            answers.append(
                Answer(
                    period=period,
                    indicator=item.number,
                    position=position,
                    level=level,
                    status=status,
                )
            )
    Answer.objects.bulk_create(answers)
    return periods


def document_review(period: Period, level: str = "3") -> None:
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage=AssessorPass.Stage.DOCUMENT, level=Decimal(level))
        for a in period.answers.all()
    )


def evaluator(username: str, scope: str = "nasional", province: str = "") -> User:
    return User.objects.create_user(
        username=username,
        password="x",
        full_name=username.title(),
        evaluator_scope=scope,
        evaluator_province=province,
    )


def member(username: str, institution: Institution, role: str = Role.KOORDINATOR) -> User:
    user = User.objects.create_user(username=username, password="x")
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


def published(institution: Institution, year: int, index: str, **fields) -> PublishedResult:
    fields.setdefault("instrument_id", "spbe-2020")
    fields.setdefault("source", "https://example.go.id/hasil")
    return PublishedResult.objects.create(
        institution=institution, year=year, index=Decimal(index), **fields
    )

"""A realistic instrument change: Kota Contoh's 2025 spbe-2020 period with levels, penjelasan
and evidence, followed by a 2026 pemdi-2026 period whose `previous` is the 2025 one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from monev.evaluations import services
from monev.evaluations.models import Answer, Period
from monev.evidence.models import Evidence, EvidenceLink

# The self-assessment window of the `world` fixture's periods (tests/conftest.py).
OPENS = datetime(2025, 1, 1, tzinfo=UTC)
CLOSES = datetime(2099, 1, 1, tzinfo=UTC)

# Old indicator -> (level, penjelasan) of the 2025 spbe-2020 self-assessment.
OLD_ANSWERS = {
    "1": ("3", "Perwal 12/2024 tentang SPBE menetapkan kebijakan internal tata kelola."),
    "2": ("2", "Arsitektur SPBE kota ditetapkan dengan Perwal 3/2023."),
    "10": ("3", "Tim Koordinasi SPBE dibentuk dengan Keputusan Wali Kota 100/2024."),
    "13": ("4", "Rencana dan anggaran SPBE terpadu dalam RKPD 2025."),
    "22": ("2", "Kebijakan keamanan informasi ditetapkan; audit belum berkala."),
    "25": ("3", "Pelatihan literasi digital untuk 60% ASN."),
}
# The evidence of 2025 and the (old indicator, level) it supported.
OLD_EVIDENCE = {
    "Perwal 12/2024 tentang SPBE": [("1", 2), ("13", 3)],
    "Keputusan Wali Kota 100/2024 tentang Tim Koordinasi SPBE": [("10", 1), ("10", 2)],
    "Laporan audit keamanan informasi 2025": [("22", 2)],
    "Dokumen Arsitektur SPBE 2023-2027": [("2", 1)],
}


@dataclass
class Transition:
    world: object  # conftest.World
    old: Period
    new: Period
    evidence: dict[str, Evidence]

    def new_answer(self, indicator: str) -> Answer:
        return Answer.objects.get(period=self.new, indicator=indicator)

    def old_answer(self, indicator: str) -> Answer:
        return Answer.objects.get(period=self.old, indicator=indicator)


def fill_old(world) -> dict[str, Evidence]:
    for number, (level, text) in OLD_ANSWERS.items():
        answer = world.answer(number)
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(level),
            explanation=text,
        )
    evidence = {}
    for title, links in OLD_EVIDENCE.items():
        item = Evidence.objects.create(
            institution=world.institution, title=title, kind=Evidence.Kind.REGULATION
        )
        evidence[title] = item
        EvidenceLink.objects.bulk_create(
            EvidenceLink(answer=world.answer(number), evidence=item, level=level)
            for number, level in links
        )
    return evidence


def new_period(world, *, previous: Period | None, instrument="pemdi-2026", year=2026):
    return services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=year,
        kind="evaluasi",
        instrument=instrument,
        carry_over_from=previous.pk if previous else None,
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )


def build_transition(world) -> Transition:
    evidence = fill_old(world)
    new = new_period(world, previous=world.period)
    return Transition(world=world, old=world.period, new=new, evidence=evidence)


def more_old_evidence(transition: Transition, count: int = 20) -> None:
    """Grow the 2025 evidence: `count` more items on indicators with counterparts."""
    world = transition.world
    items = Evidence.objects.bulk_create(
        Evidence(institution=world.institution, title=f"Bukti tambahan {n}", kind="laporan")
        for n in range(count)
    )
    numbers = ["1", "7", "14", "18", "22", "25", "42"]
    EvidenceLink.objects.bulk_create(
        EvidenceLink(answer=world.answer(numbers[n % len(numbers)]), evidence=item, level=1)
        for n, item in enumerate(items)
    )
    for number in ("7", "14", "18", "42"):
        answer = world.answer(number)
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal("2"),
            explanation=f"Penjelasan indikator {number} tahun 2025.",
        )


@pytest.fixture(name="transition")
def transition_fixture(world) -> Transition:
    return build_transition(world)

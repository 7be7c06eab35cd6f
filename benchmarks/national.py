"""A national-scale database for the benchmarks: the 615 institutions of an evaluation round.

92 central agencies (pusat) and 523 regional governments (38 provinsi, 98 kota, 387 kabupaten),
each with 60 units, users (a koordinator and three operators), an spbe-2020 monitoring period
for this year with its milestones, 47 answers with levels and workflow states linked to 2-4
units each, comments, 50 evidence items each at three answer levels, four Triwulan snapshots,
a year of audit events and the indices published for the years before.

The background institutions are written with `bulk_create`, several institutions a batch,
never through the services (that would take an hour). The one institution a benchmark
measures is built by the caller's function, halfway through, so that its rows sit in the
middle of every table as they would in a real national database. Seeded: every run writes
the same data. Only ever called inside `benchmarks.overview.throwaway_database()`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import TypeVar

from benchmarks import Progress
from benchmarks.scoring import (
    AUDIT_ASPECT,
    AUDIT_OFFSET,
    BASE_MEAN,
    BASE_SPREAD,
    INDICATOR_SPREAD,
    OFFSETS,
)

T = TypeVar("T")

SEED = 20250615
UNITS = 60
KINDS = (("pusat", 92), ("provinsi", 38), ("kota", 98), ("kabupaten", 387))  # 615 in all
INSTITUTIONS = sum(count for _kind, count in KINDS)
OPERATORS = 3  # per institution, besides the koordinator
UNITS_PER_ANSWER = (2, 4)
EVIDENCE_ITEMS = 50  # per background institution, each linked at three answer levels
SNAPSHOTS = 4
AUDIT_EVENTS = 250  # per background institution: a quieter year than the measured one's
FIRST_PUBLISHED_YEAR = 2018
BATCH = 20  # background institutions written per transaction
BULK = 2_000  # rows per INSERT

# The workflow states of a monitoring period half-way through (weights): Answer.Status values.
STATUSES = (("draft", 15), ("submitted", 30), ("returned", 10), ("verified", 40))
MILESTONES = {  # kind: days from now
    "self_assessment_open": -200,
    "triwulan_1": -170,
    "triwulan_2": -80,
    "mentoring": 7,
    "triwulan_3": 10,
    "evidence_deadline": 20,
    "self_assessment_close": 20,
    "triwulan_4": 100,
}
ACTIONS = ("answer.save", "answer.submit", "answer.verify", "answer.return", "evidence.link")
NAMES = {"pusat": "Kementerian/Lembaga", "provinsi": "Provinsi", "kota": "Kota"}


def populate(measured: Callable[[], T]) -> tuple[T, dict[str, int]]:
    """Write the background institutions, calling `measured()` to build the measured one
    half-way; (what `measured` returned, the row count of every table)."""
    from django.db import transaction
    from django.utils import timezone

    from monev.instruments.selectors import instrument_catalog

    loaded = instrument_catalog().find("spbe-2020")
    context = _Context(
        rng=random.Random(SEED),  # noqa: S311 - test data, not security
        now=timezone.now(),
        instrument=loaded.instrument,
        sha256=loaded.sha256,
    )
    kinds = [kind for kind, count in KINDS for _ in range(count)]
    kinds.remove("kota")  # the measured institution is a kota
    random.Random(SEED).shuffle(kinds)  # noqa: S311 - kinds mixed through the id range
    background = list(enumerate(kinds, start=1))
    half = len(background) // 2
    result = None
    for part, numbers in enumerate((background[:half], background[half:])):
        if part == 1:
            result = measured()
        first, last = numbers[0][0], numbers[-1][0]
        progress = Progress(f"background institutions {first}-{last}", len(numbers))
        for start in range(0, len(numbers), BATCH):
            with transaction.atomic():
                _write_batch(context, numbers[start : start + BATCH])
            progress.update(min(start + BATCH, len(numbers)))
        progress.finish()
    return result, counts()


def counts() -> dict[str, int]:
    from monev.audit.models import AuditEvent
    from monev.evaluations.models import Answer, AnswerUnit, Comment, Period, PublishedResult
    from monev.evidence.models import Evidence, EvidenceLink
    from monev.institutions.models import Institution, Unit
    from monev.monitoring.models import Snapshot

    models = {
        "institutions": Institution,
        "units": Unit,
        "periods": Period,
        "answers": Answer,
        "answer_units": AnswerUnit,
        "comments": Comment,
        "evidence": Evidence,
        "evidence_links": EvidenceLink,
        "snapshots": Snapshot,
        "audit_events": AuditEvent,
        "published": PublishedResult,
    }
    return {name: model.objects.count() for name, model in models.items()}


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum does on PostgreSQL within a minute of
    a bulk load. SQLite is left as a deployment leaves it: Django never runs ANALYZE there."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Context:
    def __init__(self, rng, now, instrument, sha256):
        self.rng, self.now, self.instrument, self.sha256 = rng, now, instrument, sha256
        self.items = list(instrument.scored_items)
        domain_of = {aspect.code: aspect.domain for aspect in instrument.aspects}
        self.offsets = [
            AUDIT_OFFSET if item.aspect == AUDIT_ASPECT else OFFSETS[domain_of[item.aspect]]
            for item in self.items
        ]


def _level(value: float) -> int:
    return min(5, max(1, round(value)))


def _write_batch(context: _Context, numbers: list[tuple[int, str]]) -> None:
    from django.contrib.auth.hashers import make_password

    from monev.accounts.models import User
    from monev.audit.models import AuditEvent
    from monev.evaluations.models import (
        Answer,
        AnswerUnit,
        Comment,
        Milestone,
        Period,
        PublishedResult,
    )
    from monev.evidence.models import Evidence, EvidenceLink
    from monev.institutions.models import Institution, Membership, Role, Unit
    from monev.monitoring.models import Snapshot
    from monev.monitoring.selectors.scores import scores_of_levels

    rng, now, year = context.rng, context.now, context.now.year
    unusable = make_password(None)  # no one signs in as them
    institutions = Institution.objects.bulk_create(
        Institution(
            code=f"{kind}-{number:03d}",
            name=f"{NAMES.get(kind, 'Kabupaten')} Contoh {number:03d}",
            kind=kind,
        )
        for number, kind in numbers
    )
    units = Unit.objects.bulk_create(
        (
            Unit(
                institution=institution,
                code=f"PD{n:02}",
                name=f"Perangkat Daerah {n}",
                short_name=f"PD {n}",
            )
            for institution in institutions
            for n in range(1, UNITS + 1)
        ),
        batch_size=BULK,
    )
    units_of = {i.pk: units[k * UNITS : (k + 1) * UNITS] for k, i in enumerate(institutions)}
    users = User.objects.bulk_create(
        User(username=f"{i.code}-{role}", full_name=f"{role.title()} {i.code}", password=unusable)
        for i in institutions
        for role in ["koordinator", *(f"operator{n}" for n in range(1, OPERATORS + 1))]
    )
    per = OPERATORS + 1
    koordinator_of = {i.pk: users[k * per] for k, i in enumerate(institutions)}
    Membership.objects.bulk_create(
        Membership(
            user=users[k * per + n],
            institution=i,
            role=Role.KOORDINATOR if n == 0 else Role.OPERATOR,
            unit=None if n == 0 else units_of[i.pk][n - 1],
        )
        for k, i in enumerate(institutions)
        for n in range(per)
    )
    periods = Period.objects.bulk_create(
        Period(
            institution=i,
            year=year,
            kind="pemantauan",
            instrument_id=context.instrument.id,
            instrument_version=context.instrument.version,
            instrument_sha256=context.sha256,
            target=Decimal("3.50"),
        )
        for i in institutions
    )
    Milestone.objects.bulk_create(
        Milestone(period=p, kind=kind, due_at=now + timedelta(days=days))
        for p in periods
        for kind, days in MILESTONES.items()
    )
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    answers, bases, published = [], {}, []
    for period in periods:
        base = min(4.7, max(1.2, rng.gauss(BASE_MEAN, BASE_SPREAD)))
        bases[period.pk] = base
        koordinator = koordinator_of[period.institution_id]
        for position, (item, offset) in enumerate(
            zip(context.items, context.offsets, strict=True), start=1
        ):
            status = rng.choice(statuses)
            level = _level(rng.gauss(base + offset, INDICATOR_SPREAD))
            verified = _level(level - rng.random()) if status == Answer.Status.VERIFIED else None
            answers.append(
                Answer(
                    period=period,
                    indicator=item.number,
                    position=position,
                    level=None if status == "draft" and rng.random() < 0.5 else Decimal(level),
                    explanation=f"Penjelasan indikator {item.number}: fakta dan analisis.",
                    status=status,
                    verified_level=None if verified is None else Decimal(verified),
                    version=1 + (status != "draft") + (verified is not None),
                    updated_by=koordinator,
                )
            )
        for published_year in range(FIRST_PUBLISHED_YEAR, year):
            index = min(5.0, max(1.0, rng.gauss(base - 0.12 * (year - published_year), 0.2)))
            published.append(
                PublishedResult(
                    institution_id=period.institution_id,
                    year=published_year,
                    instrument_id="spbe-2018" if published_year < 2021 else "spbe-2020",
                    index=Decimal(f"{index:.2f}"),
                    source="Hasil Evaluasi SPBE (benchmark data)",
                )
            )
    answers = Answer.objects.bulk_create(answers, batch_size=BULK)
    PublishedResult.objects.bulk_create(published, batch_size=BULK)
    by_period: dict[int, list] = {}
    for answer in answers:
        by_period.setdefault(answer.period_id, []).append(answer)

    links, comments = [], []
    for answer in answers:
        period_units = units_of[answer.period.institution_id]
        for unit in rng.sample(period_units, rng.randint(*UNITS_PER_ANSWER)):
            links.append(AnswerUnit(answer=answer, unit=unit))
        if answer.status != "draft":
            koordinator = koordinator_of[answer.period.institution_id]
            comments.extend(
                Comment(answer=answer, author=koordinator, body=f"Catatan {n + 1}.")
                for n in range(rng.randint(0, 2))
            )
    AnswerUnit.objects.bulk_create(links, batch_size=BULK)
    Comment.objects.bulk_create(comments, batch_size=BULK)

    items = Evidence.objects.bulk_create(
        (
            Evidence(
                institution=i,
                title=f"Data dukung {n}",
                kind=Evidence.Kind.values[n % len(Evidence.Kind.values)],
                unit=units_of[i.pk][n % UNITS],
                created_by=koordinator_of[i.pk],
            )
            for i in institutions
            for n in range(EVIDENCE_ITEMS)
        ),
        batch_size=BULK,
    )
    answers_of = {p.institution_id: by_period[p.pk] for p in periods}
    evidence_links = []
    for n, item in enumerate(items):
        supported = answers_of[item.institution_id]
        evidence_links.extend(
            EvidenceLink(
                answer=supported[(n * 3 + k) % len(supported)],
                evidence=item,
                level=1 + k,
                created_by_id=item.created_by_id,
            )
            for k in range(3)
        )
    EvidenceLink.objects.bulk_create(evidence_links, batch_size=BULK)

    snapshots = []
    for period in periods:
        period_answers = by_period[period.pk]
        for number in range(1, SNAPSHOTS + 1):
            behind = SNAPSHOTS - number  # earlier snapshots: levels a step lower here and there
            levels = {
                a.indicator: {
                    "self": None
                    if a.level is None
                    else f"{max(1, int(a.level) - (rng.random() < behind / 8)):.2f}",
                    "verified": None if a.verified_level is None else f"{a.verified_level:.2f}",
                    "provisional": None,
                    "final": None,
                }
                for a in period_answers
            }
            snapshots.append(
                Snapshot(
                    period=period,
                    label=f"Triwulan {number}",
                    kind="checkpoint",
                    checkpoint=f"triwulan_{number}",
                    taken_at=now - timedelta(days=45 * behind + 1),
                    taken_by=koordinator_of[period.institution_id],
                    levels=levels,
                    scores=scores_of_levels(context.instrument, levels),
                )
            )
    Snapshot.objects.bulk_create(snapshots, batch_size=500)

    events = []
    for period in periods:
        period_answers = by_period[period.pk]
        koordinator = koordinator_of[period.institution_id]
        for seq in range(1, AUDIT_EVENTS + 1):
            answer = rng.choice(period_answers)
            events.append(
                AuditEvent(
                    chain=f"institution:{period.institution_id}",
                    seq=seq,
                    at=now - timedelta(minutes=rng.randrange(365 * 24 * 60)),
                    actor=koordinator,
                    actor_label=koordinator.full_name,
                    action=rng.choice(ACTIONS),
                    object_type="answer",
                    object_id=str(answer.pk),
                    institution_id=period.institution_id,
                    period_id=period.pk,
                    answer_id=answer.pk,
                    prev_hash="0" * 64,
                    hash="0" * 64,
                )
            )
    AuditEvent.objects.bulk_create(events, batch_size=BULK)

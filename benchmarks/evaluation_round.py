"""A national evaluation round for the `rankings` and `progress` benchmarks, and the timing of
the evaluator's pages over it.

615 institutions (92 pusat, 38 provinsi, 98 kota, 387 kabupaten - benchmarks.national's
mix) in 38 provinces, each with an spbe-2020 evaluasi period for this year at every stage of
the cycle (not started, self-assessment, final mandiri, verified, document review,
interview, visit, final: the assessor passes written for them), its milestones, and
alongside a pemdi-2026 pemantauan period with partial-credit values (a second instrument in
the same year: the pages must never mix them), and the published indices of the years
before. Written with bulk_create in a throwaway database (benchmarks.overview), seeded.

`measure()` builds the first 61 institutions, counts each page's SQL queries, grows the round
to 615, counts again (the counts must be equal), then times each page over REQUESTS requests
after a warm-up through Django's test client, logged in as a national evaluator, interleaved
with as many requests of the benchmark floor (benchmarks/floor.py): each page's median is
also given as a ratio to the floor's, measured alongside it.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from benchmarks import Progress, Row, floor
from benchmarks.national import KINDS, SEED, analyze
from benchmarks.overview import percentile

SMALL = 61
REQUESTS = 25
WARM_UP = 3
TARGET_MS = 200.0
PROVINCES = tuple(f"Provinsi {n:02d}" for n in range(1, 39))
# The stages of the cycle (weights): what each generated institution has reached (the
# progress page's stages; the last four are AssessorPass.Stage values).
STAGES = (
    ("not_started", 8),
    ("self_assessment", 22),
    ("submitted", 12),
    ("verified", 12),
    ("document_review", 16),
    ("interview", 12),
    ("visitation", 6),
    ("final", 12),
)
MILESTONES = {
    "self_assessment_open": -150,
    "evidence_deadline": -20,
    "self_assessment_close": -10,
    "document_review": 10,
    "interview": 30,
    "visitation": 45,
    "announcement": 90,
}
FIRST_PUBLISHED_YEAR = 2018


def _plan(total: int) -> list[tuple[str, str]]:
    """(kind, province) for `total` institutions in benchmarks.national's proportions."""
    kinds = [kind for kind, count in KINDS for _ in range(count)]
    random.Random(SEED).shuffle(kinds)  # noqa: S311 - test data
    plan, provinsi = [], 0
    for number, kind in enumerate(kinds):
        if kind == "pusat":
            province = ""
        elif kind == "provinsi":
            province, provinsi = PROVINCES[provinsi % len(PROVINCES)], provinsi + 1
        else:
            province = PROVINCES[number % len(PROVINCES)]
        plan.append((kind, province))
    # The first SMALL keep the mix: every kind among them.
    return plan[:total]


def build(start: int, stop: int) -> None:
    """Institutions number start..stop-1 of the round, with everything they have."""
    from django.db import transaction
    from django.utils import timezone

    from monev.evaluations.models import (
        Answer,
        AssessorPass,
        Milestone,
        Period,
        PublishedResult,
    )
    from monev.institutions.models import Institution
    from monev.instruments.selectors import instrument_catalog

    Status, Stage = Answer.Status, AssessorPass.Stage
    catalog = instrument_catalog()
    spbe, spbe_sha = catalog.find("spbe-2020").instrument, catalog.find("spbe-2020").sha256
    pemdi, pemdi_sha = catalog.find("pemdi-2026").instrument, catalog.find("pemdi-2026").sha256
    now = timezone.now()
    year = now.year
    plan = _plan(stop)
    stages = [stage for stage, weight in STAGES for _ in range(weight)]
    progress = Progress(f"evaluation round: institutions {start + 1}-{stop}", stop - start)
    for batch in range(start, stop, 50):
        numbers = range(batch, min(batch + 50, stop))
        rng = random.Random(SEED + batch)  # noqa: S311 - test data
        with transaction.atomic():
            institutions = Institution.objects.bulk_create(
                Institution(
                    code=f"round-{n:03d}",
                    name=f"{plan[n][0].title()} Contoh {n:03d}",
                    kind=plan[n][0],
                    province=plan[n][1],
                )
                for n in numbers
            )
            reached = {i.pk: rng.choice(stages) for i in institutions}
            spbe_periods = Period.objects.bulk_create(
                Period(
                    institution=i,
                    year=year,
                    kind="evaluasi",
                    instrument_id=spbe.id,
                    instrument_version=spbe.version,
                    instrument_sha256=spbe_sha,
                )
                for i in institutions
            )
            pemdi_periods = Period.objects.bulk_create(
                Period(
                    institution=i,
                    year=year,
                    kind="pemantauan",
                    instrument_id=pemdi.id,
                    instrument_version=pemdi.version,
                    instrument_sha256=pemdi_sha,
                )
                for i in institutions
            )
            Milestone.objects.bulk_create(
                Milestone(period=p, kind=kind, due_at=now + timedelta(days=days))
                for p in spbe_periods
                for kind, days in MILESTONES.items()
            )
            answers, passes_for = [], []
            for period in spbe_periods:
                stage = reached[period.institution_id]
                base = min(4.6, max(1.3, rng.gauss(2.9, 0.55)))
                for position, item in enumerate(spbe.scored_items, start=1):
                    level = Decimal(min(5, max(1, round(rng.gauss(base, 0.6)))))
                    answer = Answer(
                        period=period,
                        indicator=item.number,
                        position=position,
                        version=3,
                    )
                    if stage == "not_started":
                        answer.status = Status.DRAFT
                        answer.version = 1
                    elif stage == "self_assessment":
                        answer.status = rng.choice(
                            (Status.DRAFT, Status.SUBMITTED, Status.VERIFIED)
                        )
                        answer.level = (
                            level if answer.status != Status.DRAFT or rng.random() < 0.5 else None
                        )
                        if answer.status == Status.VERIFIED:
                            answer.verified_level = level
                    else:
                        answer.status = Status.FINAL
                        answer.level = level
                        if stage != "submitted":
                            answer.verified_level = level
                    answers.append(answer)
                    if stage in AssessorPass.ORDER:
                        passes_for.append((answer, stage, level))
            Answer.objects.bulk_create(answers, batch_size=2_000)
            passes = []
            for answer, stage, level in passes_for:
                judged = max(Decimal(1), level - (1 if rng.random() < 0.3 else 0))
                passes.append(AssessorPass(answer=answer, stage=Stage.DOCUMENT, level=judged))
                later = (Stage.INTERVIEW, Stage.VISITATION, Stage.FINAL)
                if stage in later and rng.random() < 0.6:
                    passes.append(AssessorPass(answer=answer, stage=Stage.INTERVIEW, level=judged))
                if stage in later[1:] and rng.random() < 0.3:
                    passes.append(AssessorPass(answer=answer, stage=Stage.VISITATION, level=judged))
                if stage == Stage.FINAL:
                    passes.append(AssessorPass(answer=answer, stage=Stage.FINAL, level=judged))
            AssessorPass.objects.bulk_create(passes, batch_size=2_000)
            Answer.objects.bulk_create(
                (
                    Answer(
                        period=period,
                        indicator=item.number,
                        position=position,
                        status=Status.SUBMITTED,
                        level=Decimal(rng.choice(("1.17", "1.50", "2.00", "2.50", "3.25", "4.00"))),
                    )
                    for period in pemdi_periods
                    for position, item in enumerate(pemdi.scored_items, start=1)
                ),
                batch_size=2_000,
            )
            PublishedResult.objects.bulk_create(
                PublishedResult(
                    institution=i,
                    year=published_year,
                    instrument_id="spbe-2018" if published_year < 2021 else "spbe-2020",
                    index=Decimal(f"{min(5.0, max(1.0, rng.gauss(2.7, 0.6))):.2f}"),
                    source="Hasil Evaluasi SPBE (benchmark data)",
                    doubtful=rng.random() < 0.02,
                )
                for i in institutions
                for published_year in range(FIRST_PUBLISHED_YEAR, year)
            )
        progress.update(numbers[-1] - start + 1)
    progress.finish()


def _queries(client, url: str) -> int:
    from django.db import connection

    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return count


def measure(pages: dict[str, str], about: str) -> list[Row]:
    """Time `pages` ({label: url with {kota} for a kota's id}) over the round; the rows."""
    from benchmarks.overview import _django, throwaway_database

    _django()
    from django.conf import settings
    from django.test import Client, override_settings

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    rows: list[Row] = []
    with throwaway_database() as vendor, override_settings(ALLOWED_HOSTS=hosts):
        from monev.accounts.models import User
        from monev.evaluations.models import Answer
        from monev.institutions.models import Institution

        evaluator = User.objects.create_user(
            username="bench-evaluator", full_name="Evaluator Nasional", evaluator_scope="nasional"
        )
        client = Client()
        client.force_login(evaluator)
        build(0, SMALL)
        kota = Institution.objects.filter(kind="kota").order_by("pk").first()
        urls = {label: url.format(kota=kota.pk) for label, url in pages.items()}
        small = {}
        for label, url in urls.items():
            client.get(url)  # stores the scores
            small[label] = _queries(client, url)
        build(SMALL, sum(count for _kind, count in KINDS))
        analyze()  # PostgreSQL's statistics after the bulk load, as autovacuum would
        total = Institution.objects.count()
        rows.append(("database", vendor, "throwaway test database, dropped after the run"))
        rows.append(("institutions", f"{total}", about))
        rows.append(("floor: SQL queries", str(floor.floor_queries(client)), "session and user"))
        for label, url in urls.items():
            started = time.perf_counter()
            client.get(url)
            cold = (time.perf_counter() - started) * 1000
            for _ in range(WARM_UP):
                client.get(url)
            large = _queries(client, url)
            if large != small[label]:
                raise AssertionError(
                    f"{label}: {small[label]} SQL queries with {SMALL} institutions, "
                    f"{large} with {total}"
                )
            progress = Progress(f"timing {label} and the floor", REQUESTS)
            timings, floor_timings = floor.time_page_and_floor(
                client, url, REQUESTS, WARM_UP, progress
            )
            progress.finish()
            median = statistics.median(timings)
            verdict = "within target" if median < TARGET_MS else "OVER TARGET"
            rows += [
                (f"{label}: median", f"{median:.1f} ms", f"target < {TARGET_MS:.0f} ms: {verdict}"),
                (f"{label}: p90", f"{percentile(timings, 0.90):.1f} ms", f"{REQUESTS} requests"),
                (
                    f"{label}: SQL queries",
                    str(large),
                    f"same with {SMALL} and {total} institutions (session and user included)",
                ),
                (
                    f"{label}: first request",
                    f"{cold:.0f} ms",
                    "after the growth: new scores stored",
                ),
                *floor.ratio_rows(label, timings, floor_timings, page_median=False),
            ]
        # One answer changes: the next view recomputes that one period's stored score.
        answer = Answer.objects.filter(
            period__instrument_id="spbe-2020", level__isnull=False
        ).first()
        answer.level = Decimal(5) if answer.level != 5 else Decimal(4)
        answer.version += 1
        answer.save()
        label, url = next(iter(urls.items()))
        started = time.perf_counter()
        client.get(url)
        rows.append(
            (
                f"{label}: after one answer changed",
                f"{(time.perf_counter() - started) * 1000:.1f} ms",
                "its period's stored score recomputed",
            )
        )
    return rows

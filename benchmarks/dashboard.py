"""The period dashboard at the size of a large city: 47 indicators, 60 units, 3,000 evidence
links, 4 snapshots, a year of audit events and the published history.

Everything happens in a throwaway database (see benchmarks/overview.py, whose builder this
reuses): created, migrated and dropped here; the real database is never touched. The page is
fetched through Django's test client, logged in as the koordinator, and timed over 50
requests after a warm-up. The issue's target: under 150 ms median, with a constant number of
SQL queries.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from decimal import Decimal

from benchmarks import Progress, Row, benchmark
from benchmarks.overview import WARM_UP, _django, build, percentile, throwaway_database

REQUESTS = 50
TARGET_MS = 150.0
SNAPSHOTS = 4
AUDIT_EVENTS = 6_000  # a year of work on the period: about 16 a day
ACTIONS = ("answer.save", "answer.submit", "answer.verify", "answer.return", "evidence.link")


def _history(period, koordinator) -> dict[str, int]:
    """Snapshots through the service, a year of audit events and the published history in
    bulk (the dashboard only counts the events)."""
    from django.utils import timezone

    from monev.audit.models import AuditEvent
    from monev.evaluations.models import PublishedResult
    from monev.monitoring.services import snapshot_take

    for number in range(1, SNAPSHOTS + 1):
        snapshot_take(actor=koordinator, period_id=period.pk, label=f"Triwulan {number}")
    answers = list(period.answers.values_list("pk", flat=True))
    now = timezone.now()
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                chain="bench-history",
                seq=number,
                at=now - timedelta(minutes=90 * number),
                actor=koordinator,
                actor_label="Koordinator",
                action=ACTIONS[number % len(ACTIONS)],
                object_type="answer",
                object_id=str(answers[number % len(answers)]),
                institution_id=period.institution_id,
                period_id=period.pk,
                answer_id=answers[number % len(answers)],
                prev_hash="0" * 64,
                hash="0" * 64,
            )
            for number in range(1, AUDIT_EVENTS + 1)
        ],
        batch_size=1000,
    )
    PublishedResult.objects.bulk_create(
        PublishedResult(
            institution_id=period.institution_id,
            year=year,
            instrument_id="spbe-2018" if year < 2021 else "spbe-2020",
            index=Decimal("3.10") + Decimal(year - 2018) / 10,
        )
        for year in range(2018, period.year)
    )
    week = AuditEvent.objects.filter(period_id=period.pk, at__gte=now - timedelta(days=7))
    return {"events": AuditEvent.objects.count(), "week": week.count()}


@benchmark(
    "dashboard", "the period dashboard: 47 indicators x 60 units, snapshots, a year of audit"
)
def run() -> list[Row]:
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database() as vendor, override_settings(ALLOWED_HOSTS=hosts):
        period, koordinator, sizes = build()
        extra = _history(period, koordinator)
        client = Client()
        client.force_login(koordinator)
        url = reverse("monitoring:dashboard", args=[period.pk])
        for _ in range(WARM_UP):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} answered {response.status_code}")
        queries: list[str] = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        page_kb = len(response.content) / 1024
        timings = []
        progress = Progress("timing the dashboard", REQUESTS)
        for number in range(1, REQUESTS + 1):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            progress.update(number)
        progress.finish()

    median = statistics.median(timings)
    verdict = "within target" if median < TARGET_MS else "OVER TARGET"
    return [
        ("database", vendor, "throwaway test database, dropped after the run"),
        ("answers x units", f"{sizes['answers']} x {sizes['units']}", "spbe-2020"),
        ("answer-unit links", f"{sizes['links']:,}", "every answer linked to every unit"),
        ("evidence links", f"{sizes['evidence_links']:,}", f"{sizes['evidence']:,} items"),
        ("snapshots", str(SNAPSHOTS), "through the service"),
        ("audit events", f"{extra['events']:,}", f"{extra['week']:,} in the last 7 days"),
        ("median", f"{median:.1f} ms", f"target < {TARGET_MS:.0f} ms: {verdict}"),
        ("p95", f"{percentile(timings, 0.95):.1f} ms", f"{REQUESTS} requests after warm-up"),
        ("min / max", f"{min(timings):.1f} / {max(timings):.1f} ms", ""),
        ("SQL queries per request", str(len(queries)), "session and user included"),
        ("page size", f"{page_kb:.0f} kB", "HTML"),
    ]

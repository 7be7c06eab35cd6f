"""The period dashboard at the size of a large city: 47 indicators, 60 units, 3,000 evidence
links, 4 snapshots, a year of audit events and the published history.

Everything happens in a throwaway database (see benchmarks/overview.py, whose builder this
reuses): created, migrated and dropped here; the real database is never touched. The page is
fetched through Django's test client, logged in as the koordinator, and timed over 50
requests after a warm-up, interleaved with as many of the benchmark floor (benchmarks/floor.py).
The issue's targets: under 150 ms median, at most 4 x the floor, with a constant number of
SQL queries.

`dashboard` measures that institution alone in its database. `dashboard-national` measures
the very same institution again, built the same way, in the middle of a national database of
615 institutions (benchmarks/national.py), next to the one-institution figure: any
difference comes from the other 614 institutions' rows. With BENCH_EXPLAIN=1 it also prints
the query plans of the page's slowest queries on stderr.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from benchmarks import Progress, Row, benchmark, floor, national, seconds
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
    events = AuditEvent.objects.filter(institution_id=period.institution_id)
    week = AuditEvent.objects.filter(period_id=period.pk, at__gte=now - timedelta(days=7))
    return {"events": events.count(), "week": week.count()}


@dataclass
class Measured:
    timings: list[float]  # ms
    queries: list[tuple[float, str, object]]  # (ms, sql, params) of one request
    page_kb: float
    floor_timings: list[float]  # ms, the benchmark floor's, interleaved with the page's
    floor_queries: int

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return percentile(self.timings, 0.95)

    def slowest(self, n: int = 3) -> list[tuple[float, str, object]]:
        return sorted(self.queries, key=lambda q: q[0], reverse=True)[:n]


def _measure(period, koordinator, label: str) -> Measured:
    """Warm up, count and time the queries of one request, then time REQUESTS requests, each
    followed by one of the benchmark floor (benchmarks/floor.py)."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(koordinator)
    url = reverse("monitoring:dashboard", args=[period.pk])
    for _ in range(WARM_UP):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
    queries: list[tuple[float, str, object]] = []

    def count(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append(((time.perf_counter() - started) * 1000, sql, params))

    with connection.execute_wrapper(count):
        response = client.get(url)
    page_kb = len(response.content) / 1024
    progress = Progress(f"{label} and the floor", REQUESTS)
    timings, floor_timings = floor.time_page_and_floor(client, url, REQUESTS, WARM_UP, progress)
    progress.finish()
    return Measured(timings, queries, page_kb, floor_timings, floor.floor_queries(client))


def _explain(measured: Measured) -> None:
    """The query plans of the slowest queries, on stderr (BENCH_EXPLAIN=1)."""
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    for ms, sql, params in measured.slowest(5):
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            plan = "\n".join("  " + " ".join(str(c) for c in row) for row in cursor.fetchall())
        print(f"-- {ms:.2f} ms: {sql}\n{plan}\n", file=sys.stderr)


def _figures(measured: Measured, what: str) -> list[Row]:
    verdict = "within target" if measured.median < TARGET_MS else "OVER TARGET"
    return [
        (f"median, {what}", f"{measured.median:.1f} ms", f"target < {TARGET_MS:.0f} ms: {verdict}"),
        (f"p95, {what}", f"{measured.p95:.1f} ms", f"{REQUESTS} requests after warm-up"),
        (
            f"min / max, {what}",
            f"{min(measured.timings):.1f} / {max(measured.timings):.1f} ms",
            "",
        ),
        (
            f"SQL queries per request, {what}",
            str(len(measured.queries)),
            f"{sum(q[0] for q in measured.queries):.1f} ms in the database",
        ),
        *(
            (f"{measure}, {what}", value, note)
            for measure, value, note in floor.ratio_rows(
                "", measured.timings, measured.floor_timings, page_median=False
            )
        ),
        (f"floor SQL queries, {what}", str(measured.floor_queries), "the session and the user"),
    ]


def _one_institution() -> tuple[str, dict, dict, Measured]:
    from django.conf import settings
    from django.test import override_settings

    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database() as vendor, override_settings(ALLOWED_HOSTS=hosts):
        period, koordinator, sizes = build()
        extra = _history(period, koordinator)
        measured = _measure(period, koordinator, "timing the dashboard")
    return vendor, sizes, extra, measured


@benchmark(
    "dashboard", "the period dashboard: 47 indicators x 60 units, snapshots, a year of audit"
)
def run() -> list[Row]:
    _django()
    vendor, sizes, extra, measured = _one_institution()
    return [
        ("database", vendor, "throwaway test database, dropped after the run"),
        ("answers x units", f"{sizes['answers']} x {sizes['units']}", "spbe-2020"),
        ("answer-unit links", f"{sizes['links']:,}", "every answer linked to every unit"),
        ("evidence links", f"{sizes['evidence_links']:,}", f"{sizes['evidence']:,} items"),
        ("snapshots", str(SNAPSHOTS), "through the service"),
        ("audit events", f"{extra['events']:,}", f"{extra['week']:,} in the last 7 days"),
        *(
            (measure.replace(", one institution", ""), value, note)
            for measure, value, note in _figures(measured, "one institution")
        ),
        ("page size", f"{measured.page_kb:.0f} kB", "HTML"),
    ]


@benchmark(
    "dashboard-national",
    "the dashboard amid 615 institutions (national dataset) vs. one institution",
)
def run_national() -> list[Row]:
    _django()
    from django.conf import settings
    from django.test import override_settings

    vendor, _sizes, _extra, alone = _one_institution()
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database(), override_settings(ALLOWED_HOSTS=hosts):
        started = time.perf_counter()

        def measured_institution():
            period, koordinator, sizes = build()
            return period, koordinator, sizes, _history(period, koordinator)

        (period, koordinator, sizes, extra), rows = national.populate(measured_institution)
        national.analyze()
        generated = time.perf_counter() - started
        amid = _measure(period, koordinator, "timing the dashboard (national)")
        if os.environ.get("BENCH_EXPLAIN"):
            _explain(amid)
    slow_ms, slow_sql, _params = amid.slowest(1)[0]
    ratio = amid.median / alone.median
    return [
        ("database", vendor, "throwaway test databases, dropped after the run"),
        (
            "institutions",
            f"{rows['institutions']:,}",
            f"measured: #{period.institution_id}, built through the services half-way",
        ),
        ("units", f"{rows['units']:,}", f"{national.UNITS} per institution"),
        ("answers", f"{rows['answers']:,}", "47 per period, levels and workflow states"),
        (
            "answer-unit links",
            f"{rows['answer_units']:,}",
            f"{national.UNITS_PER_ANSWER[0]}-{national.UNITS_PER_ANSWER[1]} units per answer; "
            f"measured: {sizes['links']:,}",
        ),
        ("comments", f"{rows['comments']:,}", f"measured: {sizes['comments']:,}"),
        (
            "evidence / links",
            f"{rows['evidence']:,} / {rows['evidence_links']:,}",
            f"{national.EVIDENCE_ITEMS} items x 3 per institution; measured: "
            f"{sizes['evidence']:,} x 3",
        ),
        ("snapshots", f"{rows['snapshots']:,}", f"{national.SNAPSHOTS} per period"),
        (
            "audit events",
            f"{rows['audit_events']:,}",
            f"measured: {extra['events']:,}, {extra['week']:,} of them in the last 7 days",
        ),
        ("published results", f"{rows['published']:,}", f"{national.FIRST_PUBLISHED_YEAR} on"),
        ("generation", seconds(generated), "migrated database to ready, ANALYZE on PostgreSQL"),
        *_figures(alone, "one institution"),
        *_figures(amid, "national"),
        ("national / one institution", f"{ratio:.2f} x", "median against median"),
        ("slowest query, national", f"{slow_ms:.2f} ms", " ".join(slow_sql.split())[:70]),
        ("page size, national", f"{amid.page_kb:.0f} kB", "HTML"),
    ]

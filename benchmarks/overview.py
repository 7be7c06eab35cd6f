"""The coordinator's period overview page, at the size of a large city: 47 indicators, 60 units.

Everything happens in a throwaway database: the configured database's test database (a
temporary SQLite file, or `test_monev_bench_<pid>` on PostgreSQL), created, migrated and
dropped here; the real database is never touched. One institution with 60 perangkat daerah
gets an spbe-2020 period whose 47 answers are each linked to every unit (47 x 60 = 2,820 links,
the most there can be), with levels, workflow states and comments, all written through the
services. The page is then fetched through Django's test client, logged in as the koordinator,
and timed over 50 requests after a warm-up, interleaved with as many requests of the
benchmark floor (benchmarks/floor.py). The issue's target: under 100 ms median, and at most
4 x the floor.
"""

from __future__ import annotations

import os
import statistics
import tempfile
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from benchmarks import Progress, Row, benchmark, floor

UNITS = 60
COMMENTS_PER_ANSWER = 3
REQUESTS = 50
WARM_UP = 3
TARGET_MS = 100.0


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    import django

    django.setup()
    from django.conf import settings

    # Static files as they are: a fresh checkout has no `collectstatic` manifest, and the
    # timed pages only name their assets. Set before any storage is first used.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@contextmanager
def throwaway_database():
    """A fresh, migrated test database for the default connection; dropped afterwards."""
    from django.db import connection

    real_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    with tempfile.TemporaryDirectory(prefix="monev-bench-") as scratch:
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(scratch) / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"test_monev_bench_{os.getpid()}"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            if connection.settings_dict["NAME"] == real_name:
                raise RuntimeError("refusing to benchmark in the real database")
            yield connection.vendor
        finally:
            connection.creation.destroy_test_db(real_name, verbosity=0)


def build() -> tuple[object, object, dict[str, int]]:
    """The large period, written through the services; (period, koordinator, sizes)."""
    from django.utils import timezone

    from monev.accounts.models import User
    from monev.evaluations import services
    from monev.evaluations.models import AnswerUnit, Comment
    from monev.evidence.models import Evidence, EvidenceLink
    from monev.institutions.models import Institution, Membership, Role, Unit

    institution = Institution.objects.create(
        code="bench-kota", name="Pemerintah Kota Bench", kind="kota"
    )
    Unit.objects.bulk_create(
        [
            Unit(
                institution=institution,
                code=f"PD{n:02}",
                name=f"Perangkat Daerah {n}",
                short_name=f"PD {n}",
            )
            for n in range(1, UNITS + 1)
        ]
    )
    koordinator = User.objects.create_user(username="bench-koordinator", full_name="Koordinator")
    verifier = User.objects.create_user(username="bench-inspektorat", full_name="Inspektorat")
    Membership.objects.create(user=koordinator, institution=institution, role=Role.KOORDINATOR)
    Membership.objects.create(user=verifier, institution=institution, role=Role.ASESOR_INTERNAL)
    now = timezone.now()
    period = services.period_create(
        actor=koordinator,
        institution_id=institution.pk,
        year=now.year,
        kind="pemantauan",
        instrument="spbe-2020",
        target=Decimal("4.62"),
        milestones={
            "self_assessment_open": now - timedelta(days=30),
            "mentoring": now + timedelta(days=7),
            "evidence_deadline": now + timedelta(days=20),
            "self_assessment_close": now + timedelta(days=20),
        },
    )
    unit_ids = set(institution.units.values_list("pk", flat=True))
    answers = list(period.answers.order_by("position"))
    services.period_assign_matrix(
        actor=koordinator,
        period_id=period.pk,
        assignments={answer.pk: unit_ids for answer in answers},
        expected_fingerprint=services.answers.assignment_fingerprint([]),
    )
    progress = Progress("writing answers", len(answers))
    for number, answer in enumerate(answers, start=1):
        answer = services.answer_save(
            actor=koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(1 + number % 5),
            explanation=f"Penjelasan indikator {answer.indicator}: fakta dan analisis.",
        )
        if number % 3:
            answer = services.answer_submit(
                actor=koordinator, answer_id=answer.pk, expected_version=answer.version
            )
        if number % 3 == 1:
            services.answer_verify(
                actor=verifier, answer_id=answer.pk, expected_version=answer.version
            )
        for n in range(COMMENTS_PER_ANSWER):
            services.comment_add(
                actor=koordinator if n % 2 else verifier,
                answer_id=answer.pk,
                body=f"Catatan {n + 1} untuk indikator {answer.indicator}.",
            )
        progress.update(number)
    progress.finish()
    _evidence(institution, koordinator, answers, sorted(unit_ids))
    sizes = {
        "answers": len(answers),
        "units": len(unit_ids),
        "links": AnswerUnit.objects.filter(answer__period=period).count(),
        "comments": Comment.objects.filter(answer__period=period).count(),
        "evidence": Evidence.objects.filter(institution=institution).count(),
        "evidence_links": EvidenceLink.objects.filter(answer__period=period).count(),
    }
    return period, koordinator, sizes


EVIDENCE_ITEMS = 1_000  # each supports three answer levels: 3,000 evidence links


def _evidence(institution, koordinator, answers, unit_ids) -> None:
    """The issue's 3,000 evidence links, written in bulk (the overview only counts them)."""
    from monev.evidence.models import Evidence, EvidenceLink  # Django is set up by now

    items = Evidence.objects.bulk_create(
        [
            Evidence(
                institution=institution,
                title=f"Data dukung {number}",
                kind=Evidence.Kind.REPORT,
                unit_id=unit_ids[number % len(unit_ids)],
                created_by=koordinator,
            )
            for number in range(EVIDENCE_ITEMS)
        ]
    )
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(
                answer=answers[(number * 3 + k) % len(answers)],
                evidence=item,
                level=1 + k,
                created_by=koordinator,
            )
            for number, item in enumerate(items)
            for k in range(3)
        ]
    )


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 50 values: the 48th smallest)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


@benchmark("overview", "the period overview page: 47 indicators x 60 units, through the client")
def run() -> list[Row]:
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    # Not setup_test_environment(): its instrumented template rendering would be timed too.
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database() as vendor, override_settings(ALLOWED_HOSTS=hosts):
        period, koordinator, sizes = build()
        client = Client()
        client.force_login(koordinator)
        url = reverse("evaluations:overview", args=[period.pk])
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
        progress = Progress("timing the page and the floor", REQUESTS)
        timings, floor_timings = floor.time_page_and_floor(client, url, REQUESTS, WARM_UP, progress)
        progress.finish()
        floor_query_count = floor.floor_queries(client)

    median = statistics.median(timings)
    verdict = "within target" if median < TARGET_MS else "OVER TARGET"
    return [
        ("database", vendor, "throwaway test database, dropped after the run"),
        ("answers x units", f"{sizes['answers']} x {sizes['units']}", "spbe-2020"),
        ("answer-unit links", f"{sizes['links']:,}", "every answer linked to every unit"),
        ("comments", f"{sizes['comments']:,}", f"{COMMENTS_PER_ANSWER} per answer"),
        (
            "evidence links",
            f"{sizes['evidence_links']:,}",
            f"{sizes['evidence']:,} items, each at three answer levels",
        ),
        ("median", f"{median:.1f} ms", f"target < {TARGET_MS:.0f} ms: {verdict}"),
        ("p95", f"{percentile(timings, 0.95):.1f} ms", f"{REQUESTS} requests after warm-up"),
        ("min / max", f"{min(timings):.1f} / {max(timings):.1f} ms", ""),
        ("SQL queries per request", str(len(queries)), "session and user included"),
        ("page size", f"{page_kb:.0f} kB", "HTML"),
        *floor.ratio_rows("", timings, floor_timings, page_median=False),
        ("floor SQL queries", str(floor_query_count), "the session and the user"),
    ]

"""The leader's one-minute view (/laporan/periode/ID/pimpinan/) at the size of a large city:
47 indicators x 60 units, 3,000 evidence links, the published history and an active plan of
about 80 action items spread over the units, half of them overdue.

Everything happens in a throwaway database (see benchmarks/overview.py, whose builder this
reuses): created, migrated and dropped here; the real database is never touched. The plan is
computed by the planning service (HiGHS) to the period's target; its items are then spread over
the 60 units and half of their due dates moved into the past, in bulk, so that the deadline
view the page reads has units behind schedule. The page is fetched through Django's test
client, signed in as the pimpinan, and timed over 50 requests after a warm-up, interleaved
with as many requests of the benchmark floor (benchmarks/floor.py). The goals: at most 4 x the
floor, with a constant number of SQL queries (tests/reports/test_leader.py checks that).
"""

from __future__ import annotations

import statistics
from datetime import timedelta
from decimal import Decimal

from benchmarks import Progress, Row, benchmark, floor
from benchmarks.overview import WARM_UP, _django, build, percentile, throwaway_database

REQUESTS = 50


def _plan_and_history(period, koordinator) -> dict[str, int]:
    """The published history, the active plan (through the service), its items spread over
    the units with half of them overdue (in bulk), and a pimpinan to sign in as."""
    from django.utils import timezone

    from monev.accounts.models import User
    from monev.evaluations.models import PublishedResult
    from monev.institutions.models import Membership, Role
    from monev.planning.models import ActionItem
    from monev.planning.services import plan_create

    PublishedResult.objects.bulk_create(
        PublishedResult(
            institution_id=period.institution_id,
            year=year,
            instrument_id="spbe-2018" if year < 2021 else "spbe-2020",
            index=Decimal("2.10") + Decimal(year - 2018) / 10,
        )
        for year in range(2018, period.year)
    )
    plan = plan_create(actor=koordinator, period_id=period.pk)
    units = list(period.institution.units.order_by("code"))
    items = list(ActionItem.objects.filter(plan=plan).order_by("position"))
    today = timezone.localdate()
    for number, item in enumerate(items):
        item.unit = units[number % len(units)]
        if number % 2:
            item.due_date = today - timedelta(days=1 + number % 30)
    ActionItem.objects.bulk_update(items, ["unit", "due_date"])
    pimpinan = User.objects.create_user(username="bench-pimpinan", full_name="Sekretaris Daerah")
    Membership.objects.create(user=pimpinan, institution=period.institution, role=Role.PIMPINAN)
    return {
        "actions": len(items),
        "overdue": sum(1 for item in items if item.due_date and item.due_date < today),
        "pimpinan": pimpinan,
    }


@benchmark("leader", "the leader's view: 47 indicators x 60 units, a plan of ~80 actions")
def run() -> list[Row]:
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import reverse

    from monev.evaluations.models import Period
    from monev.institutions.access import access_for
    from monev.reports.leader import leader_summary

    # Not setup_test_environment(): its instrumented template rendering would be timed too.
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with throwaway_database() as vendor, override_settings(ALLOWED_HOSTS=hosts):
        period, koordinator, sizes = build()
        extra = _plan_and_history(period, koordinator)
        pimpinan = extra["pimpinan"]
        period = Period.objects.select_related("institution", "previous").get(pk=period.pk)
        summary = leader_summary(period, access_for(pimpinan, period.institution_id))
        behind = len(summary.behind)
        client = Client()
        client.force_login(pimpinan)
        url = reverse("reports:leader", args=[period.pk])
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
        progress = Progress("timing the leader's view and the floor", REQUESTS)
        timings, floor_timings = floor.time_page_and_floor(client, url, REQUESTS, WARM_UP, progress)
        progress.finish()
        floor_query_count = floor.floor_queries(client)

    return [
        ("database", vendor, "throwaway test database, dropped after the run"),
        ("answers x units", f"{sizes['answers']} x {sizes['units']}", "spbe-2020"),
        ("answer-unit links", f"{sizes['links']:,}", "every answer linked to every unit"),
        ("evidence links", f"{sizes['evidence_links']:,}", f"{sizes['evidence']:,} items"),
        (
            "plan actions",
            str(extra["actions"]),
            f"{extra['overdue']} overdue, spread over the units; {behind} units behind schedule",
        ),
        ("median", f"{statistics.median(timings):.1f} ms", f"{REQUESTS} requests after warm-up"),
        ("p95", f"{percentile(timings, 0.95):.1f} ms", ""),
        ("min / max", f"{min(timings):.1f} / {max(timings):.1f} ms", ""),
        ("SQL queries per request", str(len(queries)), "session and user included"),
        ("page size", f"{page_kb:.0f} kB", "HTML"),
        *floor.ratio_rows("", timings, floor_timings, page_median=False),
        ("floor SQL queries", str(floor_query_count), "the session and the user"),
    ]

"""The floor of a page benchmark: a trivial page behind the same middleware, session and user
lookup as the real pages, timed in the same run, so that a page's figure can be read as a
ratio to it ("2.3 x the floor") that survives a busy machine.

The floor view needs a signed-in user and answers a few bytes naming them: every middleware
runs, the session is read and the user looked up, exactly as for a real page; there is no
template, no domain query and nothing else. It is mounted for the benchmark process only:
`install()` makes this module the URLconf (the floor path, then all of `monev.urls` as it is),
so nothing in src/ changes and every `reverse()` still works. `time_page_and_floor()`
interleaves the page's and the floor's requests (page, floor, page, floor, ...) so that both
see the same noise; `ratio_rows()` gives the rows of the results table.

Self-contained on purpose (Django and `monev.urls` only, nothing else from this package): it
can be copied into an older checkout to compare figures before and after a change.
"""

from __future__ import annotations

import statistics
import time

FLOOR_PATH = "benchmark-floor/"
TARGET_RATIO = 4  # the goal: no page of the journeys above 4 x the floor

urlpatterns: list = []  # filled by install(), once Django is set up


def floor_view(request):
    """The trivial page (behind login_required, see install()): the user's name, nothing else."""
    from django.http import HttpResponse

    return HttpResponse(f"floor: {request.user.get_username()}", content_type="text/plain")


def install() -> None:
    """Serve the floor in this process: this module becomes the URLconf, the floor path in
    front of all of `monev.urls`. Idempotent; again after an `override_settings` block that
    was entered before the first install and so took the setting back on exit."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.urls import clear_url_caches, include, path

    if not urlpatterns:
        floor = login_required(floor_view)
        urlpatterns.extend(
            [path(FLOOR_PATH, floor, name="benchmark-floor"), path("", include("monev.urls"))]
        )
    if __name__ != settings.ROOT_URLCONF:
        settings.ROOT_URLCONF = __name__
        clear_url_caches()


def floor_url() -> str:
    return "/" + FLOOR_PATH


def time_page_and_floor(
    client, url: str, requests: int, warm_up: int = 3, progress=None
) -> tuple[list[float], list[float]]:
    """(page timings, floor timings) in ms: `requests` GETs of each through `client`, page and
    floor alternating, after `warm_up` of each. Both must answer 200. `progress`, if given,
    has `update(done)` called after each pair."""
    install()
    floor = floor_url()
    for _ in range(warm_up):
        for target in (url, floor):
            response = client.get(target)
            if response.status_code != 200:
                raise RuntimeError(f"GET {target} answered {response.status_code}")
    page_timings, floor_timings = [], []
    for done in range(1, requests + 1):
        for target, timings in ((url, page_timings), (floor, floor_timings)):
            started = time.perf_counter()
            client.get(target)
            timings.append((time.perf_counter() - started) * 1000)
        if progress is not None:
            progress.update(done)
    return page_timings, floor_timings


def floor_queries(client) -> int:
    """The SQL queries of one floor request (the session and the user: what every page pays)."""
    from django.db import connection

    install()
    count = 0

    def counting(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        response = client.get(floor_url())
    if response.status_code != 200:
        raise RuntimeError(f"GET {floor_url()} answered {response.status_code}")
    return count


def ratio(page_timings: list[float], floor_timings: list[float]) -> float:
    """The page's median over the floor's median."""
    return statistics.median(page_timings) / statistics.median(floor_timings)


def ratio_rows(
    label: str,
    page_timings: list[float],
    floor_timings: list[float],
    target_ratio: float = TARGET_RATIO,
    *,
    page_median: bool = True,
) -> list[tuple[str, str, str]]:
    """The rows (measure, value, note) for one page: its median (left out with
    `page_median=False` when the table already has it), the floor's median and the ratio of
    the two medians against the goal."""
    prefix = f"{label}: " if label else ""
    page = statistics.median(page_timings)
    floor = statistics.median(floor_timings)
    times = page / floor
    verdict = "within goal" if times <= target_ratio else "OVER GOAL"
    rows = [(f"{prefix}median", f"{page:.1f} ms", f"{len(page_timings)} requests")]
    return [
        *(rows if page_median else []),
        (
            f"{prefix}floor median",
            f"{floor:.1f} ms",
            f"trivial page, same middleware, session and user; {len(floor_timings)} requests, "
            "interleaved",
        ),
        (
            f"{prefix}ratio to the floor",
            f"{times:.2f} x the floor",
            f"median / floor median; goal <= {target_ratio:g} x: {verdict}",
        ),
    ]

"""The evaluator's national recap workbook: 615 institutions x 47 indicators (the national
dataset of benchmarks/national.py), exported as `monev export --kind institutions` does - the
four bulk queries, the engine's scoring of every institution, the streamed workbook.

Everything happens in a throwaway database (see benchmarks/overview.py): created, migrated,
filled and dropped here; the real database is never touched. The export is timed end to end
(reading, scoring, writing the .xlsx bytes) over RUNS runs after a warm-up. The issue's
target: under 3 s.
"""

from __future__ import annotations

import time

from benchmarks import Progress, Row, benchmark, median, national, seconds
from benchmarks.overview import _django, build, throwaway_database

RUNS = 5
TARGET_S = 3.0


def _export():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from monev.institutions.permissions import Access
    from monev.reports.exports import export_institutions

    with CaptureQueriesContext(connection) as queries:
        exported = export_institutions(Access.system_viewer(), timezone.now().year, "spbe-2020")
    return exported, len(queries.captured_queries)


@benchmark("recap", "the national recap workbook: 615 institutions x 47 indicators (.xlsx)")
def run() -> list[Row]:
    _django()
    with throwaway_database() as vendor:
        started = time.perf_counter()
        _measured, rows = national.populate(build)  # the 615th: a kota built via services
        national.analyze()
        generated = time.perf_counter() - started
        exported, queries = _export()  # warm-up: instrument cache, imports
        timings = []
        progress = Progress("timing the national recap", RUNS)
        for number in range(1, RUNS + 1):
            started = time.perf_counter()
            exported, queries = _export()
            timings.append(time.perf_counter() - started)
            progress.update(number)
        progress.finish()

    middle = median(timings)
    verdict = "within target" if middle < TARGET_S else "OVER TARGET"
    return [
        ("database", vendor, "throwaway test database, dropped after the run"),
        ("institutions", f"{rows['institutions']:,}", "each with an spbe-2020 period this year"),
        ("answers", f"{rows['answers']:,}", "one row per institution x indicator in the workbook"),
        ("generation", seconds(generated), "national dataset, not timed below"),
        ("median", seconds(middle), f"target < {TARGET_S:.0f} s: {verdict}"),
        ("min / max", f"{seconds(min(timings))} / {seconds(max(timings))}", f"{RUNS} runs"),
        ("SQL queries", str(queries), "per export, whatever the number of institutions"),
        ("file size", f"{len(exported.content) / 1024:.0f} kB", exported.filename),
    ]

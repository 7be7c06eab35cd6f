"""The progress page of a national evaluation round of 615 institutions
(benchmarks.evaluation_round): median and p90 over 25 requests through the client, their
ratio to the benchmark floor (benchmarks.floor) timed alongside, and SQL queries per request,
equal with 61 and 615 institutions. Targets: < 200 ms, at most 4 x the floor."""

from __future__ import annotations

from benchmarks import Row, benchmark
from benchmarks.evaluation_round import measure

PAGES = {
    "progress page": "/evaluasi-nasional/kemajuan/?instrument=spbe-2020",
    "progress, by due date, page 3": (
        "/evaluasi-nasional/kemajuan/?instrument=spbe-2020&sort=due&page=3"
    ),
    "progress, kota only": "/evaluasi-nasional/kemajuan/?instrument=spbe-2020&kind=kota",
    "API /evaluation/progress": "/api/v1/evaluation/progress?instrument=spbe-2020",
}


@benchmark("progress", "the progress page of an evaluation round of 615 institutions")
def run() -> list[Row]:
    return measure(PAGES, "spbe-2020 evaluasi at every stage + pemdi-2026 pemantauan")

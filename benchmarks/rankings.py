"""The evaluator's ranking, distribution and peer comparison pages over a national round of
615 institutions (benchmarks.evaluation_round): median and p90 over 25 requests through the
client, their ratio to the benchmark floor (benchmarks.floor) timed alongside, and SQL queries
per request, equal with 61 and 615 institutions. Targets: < 200 ms, at most 4 x the floor."""

from __future__ import annotations

from benchmarks import Row, benchmark
from benchmarks.evaluation_round import measure

PAGES = {
    "ranking page": "/evaluasi-nasional/peringkat/?instrument=spbe-2020",
    "ranking, kabupaten in one province": (
        "/evaluasi-nasional/peringkat/?instrument=spbe-2020&kind=kabupaten&province=Provinsi+07"
    ),
    "ranking, pemdi-2026": "/evaluasi-nasional/peringkat/?instrument=pemdi-2026",
    "ranking, published last year": "/evaluasi-nasional/peringkat/?source=published",
    "distribution page": "/evaluasi-nasional/sebaran/?instrument=spbe-2020",
    "peer comparison page": "/evaluasi-nasional/instansi/{kota}/banding/",
    "API /evaluation/rankings": "/api/v1/evaluation/rankings?instrument=spbe-2020",
}


@benchmark("rankings", "ranking, distribution and peer pages over 615 institutions")
def run() -> list[Row]:
    return measure(PAGES, "spbe-2020 evaluasi + pemdi-2026 pemantauan, published 2018-")

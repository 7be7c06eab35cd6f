"""The demo's benchmark: the institutions whose SPBE indices were published in past years, with
those indices, so the evaluator's rankings, distributions and peer comparisons have real figures
to show for 2018-2025.

`published-indices.csv` is the project's copy of the published values (each quoted with its
source address), with each institution's code, kind and
province added and the instrument named by year: 2018-2019 spbe-2018, 2021-2025 spbe-2020 (the
file has no value for 2020, when there was no national evaluation). Kota Bandung's own history,
with its doubtful 2020 value, lives in `data.PUBLISHED_HISTORY`; the national average is not an
institution and is left out. All of it is demo data (is_demo): `monev demo reset` removes it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from monev.evaluations.models import PublishedResult
from monev.institutions.models import Institution

CSV_FILE = Path(__file__).with_name("published-indices.csv")


@dataclass(frozen=True)
class BenchmarkRow:
    code: str
    name: str
    kind: str
    province: str
    year: int
    instrument_id: str
    index: Decimal
    predicate: str
    note: str
    source: str


def rows() -> list[BenchmarkRow]:
    with CSV_FILE.open(newline="", encoding="utf-8") as handle:
        return [
            BenchmarkRow(
                code=row["code"],
                name=row["institution"],
                kind=row["kind"],
                province=row["province"],
                year=int(row["year"]),
                instrument_id=row["instrument"],
                index=Decimal(row["index"]),
                predicate=row["predicate"],
                note=row["note"],
                source=row["source_url"],
            )
            for row in csv.DictReader(handle)
        ]


def load_benchmark() -> dict[str, Institution]:
    """Create the benchmark institutions (demo data) and their published results; an
    institution the demo already has (Lombok Timur) gets its published results only."""
    data = rows()
    existing = {i.code: i for i in Institution.objects.filter(code__in={r.code for r in data})}
    institutions: dict[str, Institution] = {}
    for row in data:
        if row.code not in institutions and row.code not in existing:
            institutions[row.code] = Institution(
                code=row.code,
                name=f"{row.name} (DEMO)",
                kind=row.kind,
                province=row.province,
                is_demo=True,
            )
    Institution.objects.bulk_create(list(institutions.values()))
    saved = {i.code: i for i in Institution.objects.filter(code__in={r.code for r in data})}
    PublishedResult.objects.bulk_create(
        [
            PublishedResult(
                institution=saved[row.code],
                year=row.year,
                instrument_id=row.instrument_id,
                index=row.index,
                predicate=row.predicate,
                source=row.source,
                note=row.note,
            )
            for row in data
        ]
    )
    return saved

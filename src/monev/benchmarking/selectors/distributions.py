"""Sebaran: how the indices of one round spread, by predicate band and in summary
statistics, by kind and by province (docs/evaluator.md, "Peringkat dan sebaran")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from monev.benchmarking.selectors.rankings import RankRow, filtered_rows, round_rows
from monev.benchmarking.selectors.rounds import KINDS, Choice
from monev.benchmarking.selectors.summaries import Summary, summarise


@dataclass
class Group:
    key: str  # a kind, a province ("" unknown) or "all"
    summary: Summary | None
    bands: dict[str, int]  # predicate -> institutions


@dataclass
class Distribution:
    choice: Choice
    bands: list[str]  # the predicate bands, lowest first
    overall: Group
    by_kind: list[Group]
    by_province: list[Group]
    unscored: int
    provinces: list[str]


def band_group(key: str, rows: list[RankRow], bands: list[str]) -> Group:
    counts = dict.fromkeys(bands, 0)
    for r in rows:
        if r.index is not None and r.predicate:
            counts[r.predicate] = counts.get(r.predicate, 0) + 1
    return Group(key, summarise(r.index for r in rows), counts)


def distribution(
    user, *, year=None, instrument_id=None, source=None, kind=None, province=None
) -> Distribution:
    """How the indices of one round spread: by predicate band, and summary statistics by kind
    and by province (after the kind and province filters)."""
    choice, rows = round_rows(user, year, instrument_id, source, kind, province)
    provinces = sorted({r.institution.province for r in rows if r.institution.province})
    rows = filtered_rows(rows, choice)
    if choice.instrument is not None:
        bands = [str(p.name) for p in choice.instrument.predicates]
    else:
        bands = sorted({r.predicate for r in rows if r.predicate})
    by_kind = [
        band_group(k, [r for r in rows if r.institution.kind == k], bands)
        for k in KINDS
        if any(r.institution.kind == k for r in rows)
    ]
    grouped: dict[str, list[RankRow]] = defaultdict(list)
    for r in rows:
        grouped[r.institution.province].append(r)
    by_province = [
        band_group(p, grouped[p], bands) for p in sorted(grouped, key=lambda p: (not p, p))
    ]
    return Distribution(
        choice=choice,
        bands=bands,
        overall=band_group("all", rows, bands),
        by_kind=by_kind,
        by_province=by_province,
        unscored=sum(1 for r in rows if r.index is None),
        provinces=provinces,
    )

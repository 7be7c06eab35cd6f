"""Stored scores that are exact and never stale, for pages over hundreds of institutions: each
period's index is the core engine's, stored with a stamp of its inputs and checked on every read
(docs/evaluator.md, "How the figures are computed: stored scores that are never stale")."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from monev.benchmarking.models import PeriodScore
from monev.core.engine import ScoringInputError, score_items
from monev.core.model import Instrument
from monev.core.numbers import exact_str
from monev.evaluations.fields import exact_value
from monev.evaluations.models import Answer, AssessorPass, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.stages import (
    instrument_headline,
    named_stage,
    scored_stage,
    stage_values,
)

# Bump when the way a stored score is computed changes: every stored score is then stale.
ALGORITHM = "1"

# --- the state of a round's inputs ------------------------------------------------------------


@dataclass
class PeriodState:
    """One period's answers and assessor passes: counted (for the progress page, from the
    stored counts) and stamped (from the aggregate queries)."""

    answers: int = 0
    with_level: int = 0
    drafts: int = 0
    final_self: int = 0  # answers final mandiri
    verified: int = 0
    passes: dict[str, int] = field(default_factory=dict)  # stage -> answers with a pass
    parts: list[str] = field(default_factory=list)  # what the stamp is made of

    def stamp(self, period_id: int, sha256: str) -> str:
        text = "|".join([ALGORITHM, str(period_id), sha256, *self.parts])
        return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _part(*values) -> str:
    return ",".join("" if v is None else str(v) for v in values)  # datetimes: isoformat-like


def period_states(periods: QuerySet[Period]) -> dict[int, PeriodState]:
    """The stamp of every period's inputs in `periods` (a queryset, used as a subquery): two
    grouped aggregate queries over the round's answers and assessor passes."""
    ids = periods.values("pk")
    states: dict[int, PeriodState] = defaultdict(PeriodState)
    answers = Answer.objects.filter(period_id__in=ids).values("period_id").order_by()
    passes = AssessorPass.objects.filter(answer__period_id__in=ids).order_by()
    for period_id, *values in answers.annotate(
        n=Count("id"),
        top=Max("id"),
        versions=Sum("version"),
        levels=Sum("level"),
        verified_levels=Sum("verified_level"),
    ).values_list("period_id", "n", "top", "versions", "levels", "verified_levels"):
        states[period_id].parts.append(_part("a", *values))
    for period_id, *values in (
        passes.values("answer__period_id")
        .annotate(n=Count("id"), top=Max("id"), versions=Sum("version"), levels=Sum("level"))
        .values_list("answer__period_id", "n", "top", "versions", "levels")
    ):
        states[period_id].parts.append(_part("p", *values))
    return states


# --- computing a score ----------------------------------------------------------------------


def compute(
    period,
    instrument: Instrument,
    answers: list[tuple[str, Decimal | None, Decimal | None]],
    passes: dict[str, dict[str, Decimal]],
) -> dict:
    """The stored fields of one period's score, by the engine, at the headline stage
    (monev.evaluations.stages) named as the ranking names it: the furthest assessor pass
    reached rather than "provisional"; "" when no item has a value."""
    wanted = instrument.items_by_number
    values = {
        number: stage_values(level, verified, passes.get(number, {}))
        for number, level, verified in answers
        if number in wanted
    }
    reached = {stage for by_stage in passes.values() for stage in by_stage}
    stage = named_stage(instrument_headline(instrument, values), reached) or ""
    fields = {
        "stage": stage,
        "index": None,
        "index_exact": "",
        "predicate": "",
        "aspects": {},
        "given": 0,
        "total": len(instrument.scored_items),
        "instrument_id": period.instrument_id,
        "provisional": instrument.provisional,
    }
    if stage:
        at = scored_stage(stage)
        given = {n: v[at] for n, v in values.items() if v[at] is not None}
        try:
            result = score_items(instrument, given, missing="min")
        except ScoringInputError:
            # A value the instrument does not take (written around the services): the
            # period is shown unscored at that stage rather than breaking the whole page.
            return fields
        fields.update(
            index=result.index.reported,
            index_exact=exact_str(result.index.exact),
            predicate=str(result.predicate.name),
            aspects={a.code: str(a.score.reported) for a in result.aspects},
            given=len(given),
        )
    return fields


# --- fresh scores for a round ---------------------------------------------------------------


FIELDS = [
    "counts",
    "confirmed",
    "stage",
    "index",
    "index_exact",
    "predicate",
    "aspects",
    "given",
    "total",
    "instrument_id",
    "provisional",
    "stamp",
    "computed_at",
]


@dataclass(frozen=True, slots=True)
class Stored:
    """What the pages read of a stored score (a tuple, not a model: 615 of them a page)."""

    period_id: int
    stage: str
    index: Decimal | None
    predicate: str
    given: int
    total: int
    provisional: bool
    stamp: str
    confirmed: str
    counts: dict
    aspects: dict


READ = (
    "period_id",
    "stage",
    "index",
    "predicate",
    "given",
    "total",
    "provisional",
    "stamp",
    "confirmed",
    "counts",
)


def table_stamp() -> str:
    """The state of the answer and assessor-pass tables as a whole, in one query without a
    join or a grouping (a few milliseconds for a national round): per table the highest id,
    the row count, the sum of the versions and the sums of the levels. Every write through
    the services raises a version; an insert raises the count or the highest id; a delete
    lowers the count; a level written by hand changes a sum. (No `max(updated_at)`: it
    costs more than all the rest together, and adds nothing the versions do not say.)"""
    answers, passes = Answer._meta.db_table, AssessorPass._meta.db_table
    # The table names are the models': nothing in this SQL comes from outside.
    sql = (
        f"SELECT (SELECT MAX(id) FROM {answers}), a.n, a.versions, a.levels, a.verified, "  # noqa: S608
        f"(SELECT MAX(id) FROM {passes}), p.n, p.versions, p.levels "
        f"FROM (SELECT COUNT(*) AS n, SUM(version) AS versions, SUM(level) AS levels, "
        f"SUM(verified_level) AS verified FROM {answers}) a, "
        f"(SELECT COUNT(*) AS n, SUM(version) AS versions, SUM(level) AS levels "
        f"FROM {passes}) p"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    text = "|".join([ALGORITHM, _part(*row)])
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def _read(rows, *, aspects: bool) -> dict[int, Stored]:
    if aspects:
        return {row[0]: Stored(*row) for row in rows.values_list(*READ, "aspects").order_by()}
    return {row[0]: Stored(*row, {}) for row in rows.values_list(*READ).order_by()}


def fresh_scores(
    periods: list,
    queryset: QuerySet[Period],
    *,
    aspects: bool = False,
) -> dict[int, Stored]:
    """The stored score of every period in `periods`, never stale. `queryset` selects (a
    superset of) the periods and is used as a subquery. The aspect scores only on request.

    Fast path (three queries): the tables' stamp, then the stored scores; if every one of
    them was confirmed under that same table stamp, nothing they depend on has changed.
    Otherwise (after any write anywhere): each period's stamp (two grouped queries), the
    stale periods scored again (three queries) and the others confirmed under the new table
    stamp (one update, only where their stored stamp is still the one just read)."""
    tables = table_stamp()  # first: anything written after it changes it again
    stored = _read(PeriodScore.objects.filter(period_id__in=queryset.values("pk")), aspects=aspects)
    if all(p.pk in stored and stored[p.pk].confirmed == tables for p in periods):
        return stored
    states = period_states(queryset)
    wanted = {
        p.pk: states.get(p.pk, PeriodState()).stamp(p.pk, p.instrument_sha256) for p in periods
    }
    stale = [p for p in periods if p.pk not in stored or stored[p.pk].stamp != wanted[p.pk]]
    unconfirmed = [
        wanted[p.pk]
        for p in periods
        if p.pk in stored
        and stored[p.pk].stamp == wanted[p.pk]
        and stored[p.pk].confirmed != tables
    ]
    if unconfirmed:
        # The stamps name their period: a row is confirmed only if it still has its stamp.
        PeriodScore.objects.filter(stamp__in=unconfirmed).update(confirmed=tables)
    if stale:
        for score in recompute(stale, wanted, tables).values():
            stored[score.period_id] = Stored(
                *(getattr(score, name) for name in READ), score.aspects if aspects else {}
            )
    return stored


def recompute(periods: list, stamps: dict[int, str], tables: str = "") -> dict[int, PeriodScore]:
    """Score `periods` with the engine and store the results under `stamps`, confirmed
    under the table stamp `tables` read before `stamps`: three queries."""
    by_id = {p.pk: p for p in periods}
    answers: dict[int, list] = defaultdict(list)
    counts: dict[int, dict] = defaultdict(
        lambda: {
            "answers": 0,
            "with_level": 0,
            "drafts": 0,
            "final": 0,
            "verified": 0,
            "passes": {},
        }
    )
    # Each value column with its exact companion (monev.evaluations.fields): 7/6 stays 7/6.
    for period_id, number, level, level_fraction, verified, verified_fraction, status in (
        Answer.objects.filter(period_id__in=list(by_id))
        .values_list(
            "period_id",
            "indicator",
            "level",
            "level_fraction",
            "verified_level",
            "verified_level_fraction",
            "status",
        )
        .order_by()
    ):
        level = exact_value(level, level_fraction)
        verified = exact_value(verified, verified_fraction)
        answers[period_id].append((number, level, verified))
        count = counts[period_id]
        count["answers"] += 1
        count["with_level"] += level is not None
        count["verified"] += verified is not None
        count["drafts"] += status == Answer.Status.DRAFT
        count["final"] += status == Answer.Status.FINAL
    passes: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for period_id, number, stage, level, level_fraction in (
        AssessorPass.objects.filter(answer__period_id__in=list(by_id))
        .values_list("answer__period_id", "answer__indicator", "stage", "level", "level_fraction")
        .order_by()
    ):
        passes[period_id][number][stage] = exact_value(level, level_fraction)
        by_stage = counts[period_id]["passes"]
        by_stage[stage] = by_stage.get(stage, 0) + 1
    now = timezone.now()
    instruments: dict[str, Instrument] = {}
    rows = []
    for period in periods:
        key = f"{period.instrument_reference}:{period.instrument_sha256}"
        if key not in instruments:
            instruments[key] = instrument_of(period)
        fields = compute(period, instruments[key], answers[period.pk], passes[period.pk])
        rows.append(
            PeriodScore(
                period_id=period.pk,
                stamp=stamps[period.pk],
                confirmed=tables,
                counts=counts[period.pk],
                computed_at=now,
                **fields,
            )
        )
    with transaction.atomic():
        PeriodScore.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["period"],
            update_fields=FIELDS,
            batch_size=500,
        )
    return {row.period_id: row for row in rows}


def refresh_all() -> int:
    """Recompute every period's stored score (`monev refresh_scores`, for after a change
    made in the database by hand). Returns how many."""
    tables = table_stamp()
    periods = list(Period.objects.all())
    states = period_states(Period.objects.all())
    stamps = {
        p.pk: states.get(p.pk, PeriodState()).stamp(p.pk, p.instrument_sha256) for p in periods
    }
    total = 0
    for start in range(0, len(periods), 500):
        total += len(recompute(periods[start : start + 500], stamps, tables))
    return total

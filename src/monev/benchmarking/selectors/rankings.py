"""Peringkat: one round ranked over an evaluator's scope, computed from the answers or as
published (docs/evaluator.md, "Peringkat dan sebaran")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from monev.benchmarking import scores
from monev.benchmarking.selectors.refs import InstitutionRef, chosen_periods, round_queryset
from monev.benchmarking.selectors.rounds import (
    PUBLISHED,
    Choice,
    choose_round,
    page_number,
    require_evaluator,
    round_options,
)
from monev.evaluations.models import PublishedResult
from monev.evaluations.stages import stage_label
from monev.institutions.access import institutions_in_scope
from monev.institutions.models import Institution
from monev.instruments.predicates import other_reading, other_reading_note
from monev.reports.institutions import competition_ranks

RANKING_PAGE = 50


@dataclass
class RankRow:
    institution: InstitutionRef
    index: Decimal | None
    predicate: str
    stage: str = ""  # computed: the headline stage
    given: int = 0
    total: int = 0
    provisional: bool = False
    rank: int | None = None  # within the filtered rows
    scope_rank: int | None = None  # within everything in scope
    # published rows
    source: str = ""
    note: str = ""
    doubtful: bool = False
    predicate_computed: bool = False  # not published: read from the instrument's bands
    aspects: dict = field(default_factory=dict)
    # Read from the bands on a contested band edge: the other reading's predicate, and the
    # note the pages show ("" elsewhere).
    predicate_other: str = ""
    predicate_note: str = ""

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


def rank_rows(rows: list[RankRow], attribute: str) -> list[RankRow]:
    """Best index first; equal indices share a rank (as the Excel Peringkat sheet); rows
    without an index come last, without a rank."""
    scored = sorted(
        (r for r in rows if r.index is not None),
        key=lambda r: (-r.index, r.institution.name, r.institution.pk),
    )
    for row, rank in zip(scored, competition_ranks([r.index for r in scored]), strict=True):
        setattr(row, attribute, rank)
    unscored = sorted(
        (r for r in rows if r.index is None), key=lambda r: (r.institution.name, r.institution.pk)
    )
    return scored + unscored


def computed_rows(
    institutions: QuerySet[Institution], choice: Choice, *, aspects: bool = False
) -> list[RankRow]:
    round_qs = round_queryset(institutions, choice.year, choice.instrument_id)
    chosen = chosen_periods(round_qs)  # one query
    periods = [period for period, _institution in chosen.values()]
    stored = scores.fresh_scores(periods, round_qs, aspects=aspects)  # three queries, or more
    # after a change (scores.fresh_scores)
    rows = []
    for period, institution in chosen.values():
        score = stored[period.pk]
        rows.append(
            RankRow(
                institution=institution,
                index=score.index,
                predicate=score.predicate,
                stage=score.stage,
                given=score.given,
                total=score.total,
                provisional=score.provisional,
                aspects=score.aspects,
                predicate_other=other_reading(choice.instrument, score.index),
                predicate_note=other_reading_note(choice.instrument, score.index),
            )
        )
    return rows


def _published_rows(institutions: QuerySet[Institution], choice: Choice) -> list[RankRow]:
    rows = []
    institution_fields = [f"institution__{name}" for name in InstitutionRef.FIELDS]
    for values in PublishedResult.objects.filter(
        institution__in=institutions, year=choice.year, instrument_id=choice.instrument_id
    ).values_list(
        "index", "predicate", "source", "note", "doubtful", *institution_fields
    ):  # one query
        result = _Published(*values[:5], InstitutionRef(*values[5:]))
        predicate, computed, other, note = result.predicate, False, "", ""
        if not predicate and choice.instrument is not None:
            try:
                predicate, computed = str(choice.instrument.predicate_for(result.index).name), True
                other = other_reading(choice.instrument, result.index)
                note = other_reading_note(choice.instrument, result.index)
            except ValueError:
                predicate = ""
        rows.append(
            RankRow(
                institution=result.institution,
                index=result.index,
                predicate=predicate,
                source=result.source,
                note=result.note,
                doubtful=result.doubtful,
                predicate_computed=computed,
                predicate_other=other,
                predicate_note=note,
            )
        )
    return rows


def filtered_rows(rows: list[RankRow], choice: Choice) -> list[RankRow]:
    return [
        r
        for r in rows
        if (not choice.kind or r.institution.kind == choice.kind)
        and (not choice.province or r.institution.province == choice.province)
    ]


@dataclass(frozen=True, slots=True)
class _Published:
    index: Decimal
    predicate: str
    source: str
    note: str
    doubtful: bool
    institution: InstitutionRef


@dataclass
class Ranking:
    choice: Choice
    rows: list[RankRow]  # this page, ranked
    count: int  # rows after the filters
    ranked: int  # of which with an index
    page: int
    pages: int
    provinces: list[str]

    @property
    def filtered(self) -> bool:
        return bool(self.choice.kind or self.choice.province)


def round_rows(user, year, instrument_id, source, kind, province):
    require_evaluator(user)
    institutions = institutions_in_scope(user)
    choice = choose_round(
        round_options(institutions, published=True), year, instrument_id, source, kind, province
    )
    if choice.source == PUBLISHED:
        rows = _published_rows(institutions, choice)
    else:
        rows = computed_rows(institutions, choice)
    rank_rows(rows, "scope_rank")
    return choice, rows


def ranking(
    user, *, year=None, instrument_id=None, source=None, kind=None, province=None, page=None
) -> Ranking:
    """The ranking of one round over the evaluator's scope, filtered by kind and province;
    never two instruments in one ranking."""
    choice, rows = round_rows(user, year, instrument_id, source, kind, province)
    provinces = sorted({r.institution.province for r in rows if r.institution.province})
    shown = rank_rows(filtered_rows(rows, choice), "rank")
    pages = max(1, -(-len(shown) // RANKING_PAGE))
    number = page_number(page, pages)
    return Ranking(
        choice=choice,
        rows=shown[(number - 1) * RANKING_PAGE : number * RANKING_PAGE],
        count=len(shown),
        ranked=sum(1 for r in shown if r.rank is not None),
        page=number,
        pages=pages,
        provinces=provinces,
    )

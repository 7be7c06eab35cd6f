"""The history of an institution's indices across years and of a period's snapshots, with
the crosswalk to an older instrument where there is one."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from monev.core.crosswalk import AspectComparison, Crosswalk, compare_aspects, find_crosswalk
from monev.evaluations.models import Answer, Period, PublishedResult
from monev.evaluations.stages import ScoreStage, scores_headline
from monev.institutions.models import Institution
from monev.institutions.permissions import Access
from monev.instruments.predicates import other_reading_note
from monev.monitoring.models import Snapshot
from monev.monitoring.selectors.scores import levels_at, period_scores, snapshots_of
from monev.monitoring.selectors.series import (
    HistoryPoint,
    InstrumentChange,
    Series,
    Source,
    build_series,
)


@dataclass
class CrosswalkView:
    crosswalk: Crosswalk
    old_period: Period
    rows: list[AspectComparison]
    old_labels: dict[str, str] = field(default_factory=dict)  # the older instrument's labels

    @property
    def labelled_rows(self) -> list[tuple[AspectComparison, list[str]]]:
        """Each row with its counterparts by number and short name ("11. Arsitektur SPBE"):
        the older instrument's numbers alone say little, its short names repeat."""
        return [(row, [self.old_labels.get(c, c) for c in row.counterparts]) for row in self.rows]


@dataclass
class History:
    institution: Institution
    points: list[HistoryPoint]
    series: list[Series]
    changes: list[InstrumentChange]
    period: Period | None = None
    snapshots: list[Snapshot] = field(default_factory=list)
    crosswalk: CrosswalkView | None = None


def _institution_points(institution_id: int) -> tuple[list[HistoryPoint], dict, dict]:
    """Published results and every period's self-assessed and final index (four queries);
    also the periods and their answers, for the crosswalk."""
    points = [
        HistoryPoint(
            year=p.year,
            value=p.index,
            instrument_id=p.instrument_id,
            source=Source.PUBLISHED,
            predicate=p.predicate,
            doubtful=p.doubtful,
            note=p.note,
        )
        for p in PublishedResult.objects.filter(institution_id=institution_id).order_by("year")
    ]
    periods = {
        p.pk: p for p in Period.objects.filter(institution_id=institution_id).order_by("year")
    }
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(period__institution_id=institution_id)
        .prefetch_related("passes")
        .order_by("period_id", "position")
    ):
        answers[answer.period_id].append(answer)
    for period in periods.values():
        instrument, scores = period_scores(period, answers[period.pk])
        for stage, source in ((ScoreStage.SELF, Source.SELF), (ScoreStage.FINAL, Source.FINAL)):
            score = scores[stage]
            if score.result is None or (stage == ScoreStage.FINAL and not score.complete):
                continue
            points.append(
                HistoryPoint(
                    year=period.year,
                    value=score.result.index.reported,
                    instrument_id=instrument.id,
                    source=source,
                    predicate=score.result.predicate.name,
                    predicate_note=other_reading_note(instrument, score.result.index.reported),
                    period_id=period.pk,
                    given=score.given,
                    total=score.total,
                )
            )
    points.sort(key=lambda p: (p.year, list(Source.LABELS).index(p.source)))
    return points, periods, answers


def _crosswalk_view(period: Period, periods: dict, answers: dict) -> CrosswalkView | None:
    """For a period under a newer instrument: its aspects next to the rough counterparts in
    the institution's latest earlier period under an older instrument, if a crosswalk
    file between the two exists."""
    earlier = [
        p
        for p in periods.values()
        if p.year < period.year and p.instrument_id != period.instrument_id
    ]
    for old in sorted(earlier, key=lambda p: p.year, reverse=True):
        crosswalk = find_crosswalk(old.instrument_id, period.instrument_id)
        if crosswalk is None:
            continue
        instrument, scores = period_scores(period, answers[period.pk])
        stage = scores_headline(scores)
        result = scores[stage].result if stage else None
        aspect_scores = {n.code: n.score.reported for n in result.aspects} if result else {}
        old_instrument, old_scores = period_scores(old, answers[old.pk])
        old_stage = scores_headline(old_scores) or ScoreStage.SELF
        rows = compare_aspects(
            crosswalk, instrument, aspect_scores, levels_at(answers[old.pk], old_stage)
        )
        return CrosswalkView(crosswalk, old, rows, old_instrument.item_labels)
    return None


def institution_history(institution: Institution) -> History:
    points, _periods, _answers = _institution_points(institution.pk)
    series, changes = build_series(points)
    return History(institution, points, series, changes)


def period_history(period: Period, access: Access) -> History:
    points, periods, answers = _institution_points(period.institution_id)
    series, changes = build_series(points)
    return History(
        period.institution,
        points,
        series,
        changes,
        period=period,
        snapshots=snapshots_of(period),
        crosswalk=_crosswalk_view(period, periods, answers),
    )

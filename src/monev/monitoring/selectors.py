"""Reads of the monitoring pages and API: the period dashboard, the history across quarters and
years, and the forecast. Each runs a fixed number of queries however many answers, units,
evidence links, snapshots or audit events there are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.audit.models import AuditEvent
from monev.core.crosswalk import (
    CROSSWALK_DIR,
    AspectComparison,
    Crosswalk,
    compare_aspects,
    find_crosswalk,
)
from monev.core.engine import Gap, Result, gap_to_target
from monev.core.model import Instrument
from monev.core.numbers import (
    ExactDecimal,
    decimal_places,
    exact_str,
    parse_value,
    round_fraction,
    value_text,
)
from monev.core.registry import catalog
from monev.evaluations.instruments import instrument_of
from monev.evaluations.models import Answer, Milestone, Period, PublishedResult
from monev.evaluations.selectors import PeriodOverview, period_overview
from monev.evaluations.stages import (
    ScoreStage,
    StageScore,
    answer_values,
    scores_headline,
    stage_label,
    stage_scores,
)
from monev.institutions.models import Institution, Unit
from monev.institutions.permissions import Access
from monev.instruments.predicates import other_reading_note
from monev.monitoring.models import Snapshot

Status = Answer.Status
WEEK = timedelta(days=7)

# The audit actions "what changed since last week" counts, in the order it shows them.
CHANGE_ACTIONS = {
    "answer.save": _("Answers saved"),
    "answer.submit": _("Submitted"),
    "answer.verify": _("Verified"),
    "answer.return": _("Returned"),
    "evidence.link": _("Evidence linked"),
}


def _two(value: Fraction) -> Decimal:
    return round_fraction(value, 2, "half_up")


def _period_scores(period: Period, answers: list[Answer]) -> tuple[Instrument, dict]:
    instrument = instrument_of(period)
    values = [answer_values(a, {p.stage: p for p in a.passes.all()}) for a in answers]
    return instrument, stage_scores(instrument, values, [a.indicator for a in answers])


def _levels_at(answers: list[Answer], stage: str) -> dict[str, Decimal | None]:
    return {
        a.indicator: answer_values(a, {p.stage: p for p in a.passes.all()})[stage] for a in answers
    }


def _level(value) -> str | None:
    # Two places where that is exact ("3.00", "1.25"), else the exact text ("7/6", "1.125"):
    # a snapshot is scored again from these, so nothing may be rounded here.
    if value is None:
        return None
    if not isinstance(value, ExactDecimal) and decimal_places(value) <= 2:
        return f"{value:.2f}"
    return value_text(value)


def result_summary(result: Result | None, given: int, total: int) -> dict | None:
    """What a snapshot keeps of one stage's result (JSON, strings for exact numbers)."""
    if result is None:
        return None
    return {
        "index": str(result.index.reported),
        "exact": exact_str(result.index.exact),
        "predicate": result.predicate.name,
        "given": given,
        "total": total,
        "aspects": {node.code: str(node.score.reported) for node in result.aspects},
        "domains": {node.code: str(node.score.reported) for node in result.domains},
    }


def scores_of_levels(instrument: Instrument, levels: dict[str, dict]) -> dict:
    """The engine's scores at each stage from snapshot-style levels
    ({number: {stage: "3.00" | "7/6" | None}}), as a snapshot keeps them."""
    numbers = list(levels)
    values = [
        {
            stage: None if levels[n].get(stage) is None else parse_value(levels[n][stage])
            for stage in ScoreStage.ORDER
        }
        for n in numbers
    ]
    return {
        stage: result_summary(score.result, score.given, score.total)
        for stage, score in stage_scores(instrument, values, numbers).items()
    }


def period_state(period: Period) -> tuple[dict, dict]:
    """(levels, scores) of the period now: every answer's value at each stage and the
    engine's scores at each stage (two queries)."""
    answers = list(
        Answer.objects.filter(period=period).prefetch_related("passes").order_by("position")
    )
    levels = {
        a.indicator: {
            stage: _level(value)
            for stage, value in answer_values(a, {p.stage: p for p in a.passes.all()}).items()
        }
        for a in answers
    }
    return levels, scores_of_levels(instrument_of(period), levels)


# --- the dashboard -----------------------------------------------------------------------------


@dataclass
class LastYear:
    """What this period is compared with: the previous period's scores, or the index the
    ministry published for the year before (the index only)."""

    year: int
    source: str  # "period" | "published"
    instrument_id: str
    same_instrument: bool
    index: Decimal | None
    predicate: str
    stage: str | None = None  # the previous period's stage the scores are from
    doubtful: bool = False
    aspects: dict[str, Decimal] = field(default_factory=dict)
    domains: dict[str, Decimal] = field(default_factory=dict)
    instrument_name: str = ""  # short name of last year's instrument ("" if unknown)
    current_name: str = ""  # short name of this period's instrument
    crosswalk: bool = False  # a crosswalk (a judgement) leads from last year's instrument
    predicate_note: str = ""  # computed on a contested band edge: the other reading

    @property
    def instrument_note(self) -> str:
        """Why last year is not compared with this year ("" when it is)."""
        if self.same_instrument:
            return ""
        return str(_("Different instrument (%(change)s): not compared directly")) % {
            "change": f"{self.instrument_name or _('unknown instrument')} → {self.current_name}"
        }


@dataclass
class Comparison:
    level: str  # "domain" | "aspect"
    code: str
    name: str
    score: Decimal | None
    last_year: Decimal | None
    target: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.score is None or self.last_year is None:
            return None
        return self.score - self.last_year


@dataclass
class UnitProgress:
    unit: Unit
    assigned: int = 0
    submitted: int = 0
    verified: int = 0
    with_evidence: int = 0
    overdue: int = 0

    def share(self, count: int) -> int:
        return round(100 * count / self.assigned) if self.assigned else 0

    @property
    def submitted_pct(self) -> int:
        return self.share(self.submitted)

    @property
    def verified_pct(self) -> int:
        return self.share(self.verified)

    @property
    def evidence_pct(self) -> int:
        return self.share(self.with_evidence)


@dataclass
class WeeklyChanges:
    since: datetime
    until: datetime
    totals: dict[str, int]  # action -> events
    by_unit: list[tuple[Unit, dict[str, int]]]
    unassigned: dict[str, int]  # events on answers without a unit

    @property
    def total(self) -> int:
        return sum(self.totals.values())

    @property
    def rows(self) -> list[tuple[str, object, int]]:
        return [(a, CHANGE_ACTIONS[a], self.totals.get(a, 0)) for a in CHANGE_ACTIONS]


@dataclass
class StageCard:
    score: StageScore
    gap: Gap | None


@dataclass
class Dashboard:
    period: Period
    access: Access
    overview: PeriodOverview
    instrument: Instrument
    cards: list[StageCard]
    stage: str | None  # the stage the domain and aspect scores are read at
    last_year: LastYear | None
    domains: list[Comparison]
    aspects: list[Comparison]
    units: list[UnitProgress]
    upcoming: list[tuple[Milestone, int]]
    changes: WeeklyChanges
    snapshots: list[Snapshot]
    now: datetime

    @property
    def result(self) -> Result | None:
        return self.overview.scores[self.stage].result if self.stage else None

    @property
    def weakest(self) -> list[Comparison]:
        """Aspects from the weakest up (those without a score last)."""
        return sorted(self.aspects, key=lambda c: (c.score is None, c.score or Decimal(0), c.code))

    @property
    def provisional(self) -> bool:
        return self.instrument.provisional

    @property
    def stage_label(self):
        return stage_label(self.stage)


def _short_name(instrument_id: str) -> str:
    if not instrument_id:
        return ""
    try:
        return catalog().get(instrument_id).short_name
    except Exception:
        return instrument_id


def _has_crosswalk(old: str, new: str) -> bool:
    return bool(old) and (CROSSWALK_DIR / f"{old}_{new}.yaml").is_file()


def last_year_of(period: Period, instrument: Instrument) -> LastYear | None:
    """The previous period's scores at its furthest complete stage (three queries), or the
    published index of the year before (one query), or None."""
    previous = None
    if period.previous_id:
        previous = Period.objects.filter(
            pk=period.previous_id, institution_id=period.institution_id
        ).first()
    if previous is not None:
        answers = list(
            Answer.objects.filter(period=previous).prefetch_related("passes").order_by("position")
        )
        old_instrument, scores = _period_scores(previous, answers)
        stage = scores_headline(scores)
        result = scores[stage].result if stage else None
        same = old_instrument.id == instrument.id
        return LastYear(
            instrument_name=old_instrument.short_name,
            current_name=instrument.short_name,
            crosswalk=not same and _has_crosswalk(old_instrument.id, instrument.id),
            year=previous.year,
            source="period",
            instrument_id=old_instrument.id,
            same_instrument=same,
            index=result.index.reported if result else None,
            predicate=result.predicate.name if result else "",
            predicate_note=other_reading_note(old_instrument, result.index.reported)
            if result
            else "",
            stage=stage,
            aspects={n.code: n.score.reported for n in result.aspects} if result and same else {},
            domains={n.code: n.score.reported for n in result.domains} if result and same else {},
        )
    published = sorted(
        PublishedResult.objects.filter(institution_id=period.institution_id, year=period.year - 1),
        key=lambda p: (p.doubtful, p.instrument_id != instrument.id),
    )
    if not published:
        return None
    best = published[0]
    return LastYear(
        instrument_name=_short_name(best.instrument_id),
        current_name=instrument.short_name,
        crosswalk=best.instrument_id != instrument.id
        and _has_crosswalk(best.instrument_id, instrument.id),
        year=best.year,
        source="published",
        instrument_id=best.instrument_id,
        same_instrument=best.instrument_id == instrument.id,
        index=best.index,
        predicate=best.predicate,
        doubtful=best.doubtful,
    )


def _comparisons(result, last: LastYear | None, target) -> tuple[list, list]:
    if result is None:
        return [], []
    last_domains = last.domains if last else {}
    last_aspects = last.aspects if last else {}
    domains = [
        Comparison("domain", n.code, n.name, n.score.reported, last_domains.get(n.code), target)
        for n in result.domains
    ]
    aspects = [
        Comparison("aspect", n.code, n.name, n.score.reported, last_aspects.get(n.code), target)
        for n in result.aspects
    ]
    return domains, aspects


def _unit_progress(overview: PeriodOverview) -> list[UnitProgress]:
    progress: dict[int, UnitProgress] = {}
    for row in overview.rows:
        answer = row.answer
        flags = {flag.code for flag in row.flags}
        for unit in row.units:
            item = progress.setdefault(unit.pk, UnitProgress(unit))
            item.assigned += 1
            item.submitted += answer.status in (Status.SUBMITTED, Status.VERIFIED, Status.FINAL)
            item.verified += answer.status == Status.VERIFIED or answer.verified_level is not None
            item.with_evidence += bool(row.evidence_count) and "no_evidence" not in flags
            item.overdue += "overdue" in flags
    return sorted(progress.values(), key=lambda p: p.unit.code)


def weekly_changes(period: Period, overview: PeriodOverview, now: datetime) -> WeeklyChanges:
    """The period's audit events of the last seven days, counted by action and by unit (one
    grouped query). An operator sees the changes on their own units' answers only."""
    since = now - WEEK
    counted = (
        AuditEvent.objects.filter(
            period_id=period.pk, at__gt=since, at__lte=now, action__in=list(CHANGE_ACTIONS)
        )
        .values_list("action", "answer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    units_of = {row.answer.pk: row.units for row in overview.rows}
    operator_only = overview.access.is_operator_only
    totals: dict[str, int] = defaultdict(int)
    by_unit: dict[int, dict[str, int]] = {}
    units: dict[int, Unit] = {}
    unassigned: dict[str, int] = defaultdict(int)
    for action, answer_id, n in counted:
        if operator_only and answer_id not in units_of:
            continue
        totals[action] += n
        answer_units = units_of.get(answer_id, [])
        if not answer_units:
            unassigned[action] += n
        for unit in answer_units:
            units[unit.pk] = unit
            counts = by_unit.setdefault(unit.pk, defaultdict(int))
            counts[action] += n
    rows = [
        (units[pk], dict(counts))
        for pk, counts in sorted(by_unit.items(), key=lambda item: units[item[0]].code)
    ]
    return WeeklyChanges(since, now, dict(totals), rows, dict(unassigned))


def snapshots_of(period: Period) -> list[Snapshot]:
    return list(
        Snapshot.objects.filter(period=period).select_related("taken_by").order_by("taken_at", "pk")
    )


def dashboard(period: Period, access: Access, *, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    overview = period_overview(period, access, now=now)
    instrument = overview.instrument
    cards = []
    for stage in ScoreStage.ORDER:
        score = overview.scores[stage]
        gap = None
        if score.result is not None and period.target is not None:
            gap = gap_to_target(score.result, period.target)
        cards.append(StageCard(score, gap))
    stage = scores_headline(overview.scores)
    result = overview.scores[stage].result if stage else None
    last = last_year_of(period, instrument)
    domains, aspects = _comparisons(result, last, period.target)
    return Dashboard(
        period=period,
        access=access,
        overview=overview,
        instrument=instrument,
        cards=cards,
        stage=stage,
        last_year=last,
        domains=domains,
        aspects=aspects,
        units=_unit_progress(overview),
        upcoming=[(m, overview.days_left(m)) for m in overview.upcoming],
        changes=weekly_changes(period, overview, now),
        snapshots=snapshots_of(period),
        now=now,
    )


# --- history -------------------------------------------------------------------------------


class Source:
    PUBLISHED = "published"
    SELF = "self"
    FINAL = "final"
    LABELS = {
        PUBLISHED: _("Published"),
        SELF: _("Self-assessed (this application)"),
        FINAL: _("Final (this application)"),
    }


@dataclass
class HistoryPoint:
    year: int
    value: Decimal
    instrument_id: str  # "" when the published value names no instrument
    source: str
    predicate: str = ""
    doubtful: bool = False
    note: str = ""
    period_id: int | None = None
    predicate_note: str = ""  # computed on a contested band edge: the other reading
    given: int | None = None
    total: int | None = None

    @property
    def source_label(self):
        return Source.LABELS[self.source]


@dataclass
class Series:
    """Points under one instrument and one source: a line is drawn only within a series."""

    source: str
    instrument_id: str
    points: list[HistoryPoint]
    line: bool = True  # False for doubtful or instrument-less values: points only

    @property
    def label(self) -> str:
        instrument = self.instrument_id or str(_("instrument unknown"))
        return f"{Source.LABELS[self.source]} · {instrument}"


@dataclass
class InstrumentChange:
    before_year: int
    after_year: int
    before: str
    after: str

    @property
    def x(self) -> float:
        return (self.before_year + self.after_year) / 2

    @property
    def label(self) -> str:
        return str(_("Instrument changed: %(before)s → %(after)s")) % {
            "before": self.before,
            "after": self.after,
        }


@dataclass
class CrosswalkView:
    crosswalk: Crosswalk
    old_period: Period
    rows: list[AspectComparison]


@dataclass
class History:
    institution: Institution
    points: list[HistoryPoint]
    series: list[Series]
    changes: list[InstrumentChange]
    period: Period | None = None
    snapshots: list[Snapshot] = field(default_factory=list)
    crosswalk: CrosswalkView | None = None


def build_series(points: list[HistoryPoint]) -> tuple[list[Series], list[InstrumentChange]]:
    """Series that never cross an instrument change, and the changes to mark on the chart.

    A series holds one source under one instrument; it is cut wherever another instrument
    was in use in between. Doubtful values and values without an instrument get series of
    their own drawn as points only, never joined to anything."""
    by_year: dict[int, str] = {}
    for point in sorted(points, key=lambda p: (p.year, p.source != Source.PUBLISHED)):
        if point.instrument_id and not point.doubtful:
            by_year.setdefault(point.year, point.instrument_id)
    changes: list[InstrumentChange] = []
    years = sorted(by_year)
    for before, after in pairwise(years):
        if by_year[before] != by_year[after]:
            changes.append(InstrumentChange(before, after, by_year[before], by_year[after]))
    boundaries = [change.x for change in changes]

    def era(year: int) -> int:
        return sum(1 for x in boundaries if year > x)

    grouped: dict[tuple, list[HistoryPoint]] = {}
    for point in sorted(points, key=lambda p: (p.year, p.period_id or 0)):
        if point.doubtful or not point.instrument_id:
            key = ("points", point.source, point.instrument_id, point.doubtful)
        else:
            key = ("line", point.source, point.instrument_id, era(point.year))
        grouped.setdefault(key, []).append(point)
    series = [
        Series(source, instrument_id, pts, line=kind == "line")
        for (kind, source, instrument_id, *_rest), pts in grouped.items()
    ]
    return series, changes


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
        instrument, scores = _period_scores(period, answers[period.pk])
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
        instrument, scores = _period_scores(period, answers[period.pk])
        stage = scores_headline(scores)
        result = scores[stage].result if stage else None
        aspect_scores = {n.code: n.score.reported for n in result.aspects} if result else {}
        _, old_scores = _period_scores(old, answers[old.pk])
        old_stage = scores_headline(old_scores) or ScoreStage.SELF
        rows = compare_aspects(
            crosswalk, instrument, aspect_scores, _levels_at(answers[old.pk], old_stage)
        )
        return CrosswalkView(crosswalk, old, rows)
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


# --- the forecast --------------------------------------------------------------------------


@dataclass
class ForecastPoint:
    at: datetime
    index: Fraction
    label: str

    @property
    def reported(self) -> Decimal:
        return _two(self.index)


@dataclass
class Forecast:
    period: Period
    instrument: Instrument
    now: datetime
    as_of: datetime
    deadline: Milestone | None
    target: Decimal | None
    points: list[ForecastPoint]
    frozen: bool  # the deadline has passed: the forecast as it stood at the last snapshot before
    pace_per_day: Fraction | None = None
    projected: Fraction | None = None

    @property
    def start(self) -> ForecastPoint | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> ForecastPoint | None:
        return self.points[-1] if self.points else None

    @property
    def days_left(self) -> int | None:
        if self.deadline is None or self.latest is None:
            return None
        return (timezone.localdate(self.deadline.due_at) - timezone.localdate(self.latest.at)).days

    @property
    def pace_per_30_days(self) -> Decimal | None:
        return None if self.pace_per_day is None else _two(self.pace_per_day * 30)

    @property
    def projected_reported(self) -> Decimal | None:
        return None if self.projected is None else _two(self.projected)

    @property
    def likely(self) -> bool | None:
        """Whether the target is reached at the current pace (exact index, not rounded)."""
        if self.projected is None or self.target is None:
            return None
        return self.projected >= Fraction(self.target)

    @property
    def needed_per_30_days(self) -> Decimal | None:
        """The pace that would reach the target by the deadline."""
        latest, days = self.latest, self.days_left
        if self.target is None or latest is None or not days or days <= 0:
            return None
        return _two(max(Fraction(self.target) - latest.index, Fraction(0)) / days * 30)


def _deadline(milestones: list[Milestone]) -> Milestone | None:
    for kind in (Milestone.Kind.EVIDENCE_DEADLINE, Milestone.Kind.SELF_ASSESSMENT_CLOSE):
        for milestone in milestones:
            if milestone.kind == kind:
                return milestone
    return None


def _days(delta: timedelta) -> Fraction:
    return Fraction(delta // timedelta(microseconds=1), 86_400_000_000)


def _snapshot_index(snapshot: Snapshot) -> Fraction | None:
    score = (snapshot.scores or {}).get(ScoreStage.SELF)
    return Fraction(score["exact"]) if score else None


def forecast(
    period: Period,
    access: Access,
    *,
    now: datetime | None = None,
    as_of: datetime | None = None,
) -> Forecast:
    """The self-assessed index expected at the evidence deadline if it keeps moving at the
    pace it moved between the earliest snapshot and now: a straight line, nothing cleverer.

    `as_of` looks back: only snapshots taken by then count. Once the deadline has passed, the
    forecast is the one that stood at the last snapshot before the deadline."""
    now = now or timezone.now()
    instrument = instrument_of(period)
    milestones = list(period.milestones.order_by("due_at"))
    deadline = _deadline(milestones)
    snapshots = snapshots_of(period)
    frozen = False
    if as_of is None:
        as_of = now
        if deadline is not None and now > deadline.due_at:
            before = [s for s in snapshots if s.taken_at <= deadline.due_at]
            as_of = before[-1].taken_at if before else deadline.due_at
            frozen = True
    as_of = min(as_of, now)
    points = [
        ForecastPoint(s.taken_at, index, s.label)
        for s in snapshots
        if s.taken_at <= as_of and (index := _snapshot_index(s)) is not None
    ]
    if as_of >= now:
        _levels, scores = period_state(period)
        current = scores.get(ScoreStage.SELF)
        if current is not None:
            points.append(ForecastPoint(now, Fraction(current["exact"]), str(_("Now"))))
    result = Forecast(
        period=period,
        instrument=instrument,
        now=now,
        as_of=as_of,
        deadline=deadline,
        target=period.target,
        points=points,
        frozen=frozen,
    )
    first, last = result.start, result.latest
    if deadline is None or first is None or last is None or last.at <= first.at:
        if last is not None and deadline is not None and last.at >= deadline.due_at:
            result.projected = last.index
        return result
    span = _days(last.at - first.at)
    if span == 0:
        return result
    pace = (last.index - first.index) / span
    ahead = max(_days(deadline.due_at - last.at), Fraction(0))
    low, high = instrument.scale.min, instrument.scale.max
    result.pace_per_day = pace
    result.projected = min(max(last.index + pace * ahead, Fraction(low)), Fraction(high))
    return result

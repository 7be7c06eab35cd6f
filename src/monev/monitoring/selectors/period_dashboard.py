"""The period dashboard (docs/monitoring.md, "Dashboard"): the scores at each stage, the
gap to the target, last year, the units' progress, what is due and what changed, and how many
readiness errors and warnings the evidence has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from monev.core.engine import Gap, Result, gap_to_target
from monev.core.model import Instrument
from monev.evaluations.models import Answer, Milestone, Period
from monev.evaluations.selectors import PeriodOverview, period_overview
from monev.evaluations.stages import ScoreStage, StageScore, scores_headline, stage_label
from monev.evidence.readiness_report import Totals, readiness_totals
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Access
from monev.monitoring.models import Snapshot
from monev.monitoring.selectors.last_year import LastYear, last_year_of
from monev.monitoring.selectors.scores import snapshots_of
from monev.monitoring.selectors.weekly import WeeklyChanges, weekly_changes

Status = Answer.Status


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
    readiness: Totals  # the readiness errors and warnings of the answers the user sees

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


def dashboard(period: Period, access: Access, *, now: datetime | None = None) -> Dashboard:
    now = now or now_for(period.institution)  # a demo's is its story's
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
        readiness=readiness_totals(period, [row.answer for row in overview.rows], now=now),
    )


def dashboard_tab(period: Period, access: Access) -> bool:
    """The period's "Dasbor" tab, its dashboard, history and forecast
    (evaluations.hooks.period_tabs): every member."""
    return bool(access)

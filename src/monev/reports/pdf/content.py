"""What the PDF reports say, read once: the monitoring dashboard (scores, comparisons with the
target and last year, unit progress), the gap to the target, the active plan, overdue answers
and the assessors' recommendations. Everything is what the user may see on the pages (an
operator: their units' answers and action items); a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.audit.models import AuditEvent
from monev.core.engine import Gap
from monev.evaluations.models import Answer, AssessorPass, Milestone, Period
from monev.evaluations.selectors import AnswerRow
from monev.institutions.permissions import Access
from monev.monitoring.selectors import Dashboard, dashboard
from monev.monitoring.selectors.period_dashboard import Comparison
from monev.planning.models import ActionItem
from monev.planning.selectors import PlanView, plan_view

TOP_ACTIONS = 5
KEY_DATES = 6


@dataclass
class Recommendation:
    """One note to act on: an assessor's notes at a stage, or why an answer was returned."""

    row: AnswerRow
    source: str
    author: str
    text: str
    at: datetime | None


@dataclass
class AspectGap:
    comparison: Comparison
    shortfall: Decimal  # the target minus the aspect's score, 0 when at or above it


@dataclass
class PeriodReport:
    period: Period
    access: Access
    board: Dashboard
    plan: PlanView
    overdue: list[AnswerRow]
    recommendations: list[Recommendation]
    now: datetime

    @property
    def instrument(self):
        return self.board.instrument

    @property
    def result(self):
        return self.board.result

    @property
    def gap(self) -> Gap | None:
        """The gap to the target at the headline stage (the stage the scores are read at)."""
        for card in self.board.cards:
            if card.score.stage == self.board.stage:
                return card.gap
        return None

    @property
    def chart_rows(self) -> list[Comparison]:
        """The summary's chart: the domains, or the aspects where the instrument has none."""
        return self.board.domains or self.board.aspects

    @property
    def aspect_gaps(self) -> list[AspectGap]:
        target = self.period.target
        if target is None:
            return []
        return [
            AspectGap(c, max(target - c.score, Decimal(0)))
            for c in self.board.weakest
            if c.score is not None
        ]

    @property
    def open_actions(self) -> list[ActionItem]:
        items = [i for i in self.plan.items if i.status == ActionItem.Status.OPEN]
        return sorted(items, key=lambda i: (i.due_date is None, i.due_date, i.position))

    @property
    def top_actions(self) -> list[ActionItem]:
        return self.open_actions[:TOP_ACTIONS]

    def _named(self, items: list[ActionItem]) -> list[tuple[ActionItem, str]]:
        names = self.instrument.items_by_number
        return [(item, names[item.answer.indicator].name) for item in items]

    @property
    def named_actions(self) -> list[tuple[ActionItem, str]]:
        """Every action item the reader may see, in the plan's order, with its indicator."""
        return self._named(self.plan.items)

    @property
    def named_top_actions(self) -> list[tuple[ActionItem, str]]:
        return self._named(self.top_actions)

    @property
    def key_dates(self) -> list[Milestone]:
        """Milestones ahead, soonest first; when none is ahead, the last ones passed."""
        milestones = self.board.overview.milestones
        ahead = [m for m in milestones if m.due_at >= self.now]
        return ahead[:KEY_DATES] if ahead else milestones[-KEY_DATES:]

    @property
    def scope_units(self) -> list:
        """The units an operator-only reader's report is limited to (empty: the whole period)."""
        if not self.access.is_operator_only:
            return []
        return [p.unit for p in self.board.units if p.unit.pk in self.access.unit_ids]


def _return_notes(period: Period, rows: list[AnswerRow]) -> list[Recommendation]:
    """Why each answer now returned was sent back: its latest return on the audit trail."""
    returned = {row.answer.pk: row for row in rows if row.answer.status == Answer.Status.RETURNED}
    if not returned:
        return []
    latest: dict[int, AuditEvent] = {}
    events = AuditEvent.objects.filter(
        period_id=period.pk, action="answer.return", answer_id__in=list(returned)
    ).only("answer_id", "actor_label", "reason", "at")
    for event in events.order_by("at", "seq"):
        latest[event.answer_id] = event
    return [
        Recommendation(returned[pk], str(_("Returned")), e.actor_label, e.reason, e.at)
        for pk, e in latest.items()
        if e.reason
    ]


def _assessor_notes(rows: list[AnswerRow]) -> list[Recommendation]:
    notes = []
    for row in rows:
        for stage in AssessorPass.ORDER:
            assessor_pass = row.passes.get(stage)
            if assessor_pass is None or not assessor_pass.notes.strip():
                continue
            notes.append(
                Recommendation(
                    row,
                    assessor_pass.get_stage_display(),
                    str(assessor_pass.assessor or ""),
                    assessor_pass.notes,
                    assessor_pass.updated_at,
                )
            )
    return notes


def period_report(period: Period, access: Access, *, now: datetime | None = None) -> PeriodReport:
    now = now or timezone.now()
    board = dashboard(period, access, now=now)
    rows = board.overview.rows
    recommendations = _assessor_notes(rows) + _return_notes(period, rows)
    recommendations.sort(key=lambda r: (r.row.answer.position, r.at or now))
    return PeriodReport(
        period=period,
        access=access,
        board=board,
        plan=plan_view(period, access),
        overdue=[row for row in rows if any(f.code == "overdue" for f in row.flags)],
        recommendations=recommendations,
        now=now,
    )

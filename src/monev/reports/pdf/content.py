"""What the full PDF report says, read once: the monitoring dashboard (scores, comparisons with
the target and last year, unit progress), the gap to the target, the active plan, overdue
answers and the assessors' recommendations. Everything is what the user may see on the pages
(an operator: their units' answers and action items); a fixed number of queries. Its headline
figures go through reports.leader.headline_of, as the one-page summary's and the leader's
view's do (the summary is the leader's view itself: reports.leader.leader_summary)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from monev.audit.models import AuditEvent
from monev.core.engine import Gap
from monev.evaluations.models import Answer, AssessorPass, Period
from monev.evaluations.selectors import AnswerRow
from monev.institutions.clock import now_for
from monev.institutions.permissions import Access
from monev.monitoring.selectors import Dashboard, dashboard
from monev.monitoring.selectors.period_dashboard import Comparison
from monev.planning.models import ActionItem
from monev.planning.selectors import PlanView, plan_view
from monev.reports.leader import Headline, headline_of

# The plan's open actions the PDF lists in its appendix: two pages; the workbook has them all.
APPENDIX_ACTIONS = 30


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

    @cached_property
    def headline(self) -> Headline:
        """The index, target and last year as the leader's view and the summary state them
        (reports.leader.headline_of, from the scores the dashboard read: no query)."""
        board = self.board
        return headline_of(self.period, board.instrument, board.overview.scores, board.last_year)

    @property
    def gap(self) -> Gap | None:
        """The gap to the target at the headline stage (the stage the scores are read at)."""
        return self.headline.gap

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

    def _named(self, items: list[ActionItem]) -> list[tuple[ActionItem, str]]:
        names = self.instrument.items_by_number
        return [(item, names[item.answer.indicator].name) for item in items]

    @property
    def named_actions(self) -> list[tuple[ActionItem, str]]:
        """The appendix's action items: the open ones the reader may see, soonest due first,
        at most APPENDIX_ACTIONS of them (two pages); the whole plan is in the workbook."""
        far = date.max
        open_items = [i for i in self.plan.items if i.status != ActionItem.Status.DONE]
        open_items.sort(key=lambda i: (i.due_date or far, i.position))
        return self._named(open_items[:APPENDIX_ACTIONS])

    @property
    def actions_not_in_appendix(self) -> int:
        """The plan's action items the appendix leaves to the workbook (done ones included)."""
        return len(self.plan.items) - len(self.named_actions)

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
    now = now or now_for(period.institution)
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

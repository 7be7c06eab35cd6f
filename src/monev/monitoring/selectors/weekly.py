"""What changed in a period in the last seven days, from its audit events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from monev.audit.models import AuditEvent
from monev.evaluations.models import Period
from monev.evaluations.selectors import PeriodOverview
from monev.institutions.models import Unit

WEEK = timedelta(days=7)
# The audit actions "what changed since last week" counts, in the order it shows them.
CHANGE_ACTIONS = {
    "answer.save": _("Answers saved"),
    "answer.submit": _("Submitted"),
    "answer.verify": _("Verified"),
    "answer.return": _("Returned"),
    "evidence.link": _("Evidence linked"),
}


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

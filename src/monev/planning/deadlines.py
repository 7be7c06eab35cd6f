"""The period's deadline view ("Tenggat", docs/planning.md): the milestones on a timeline with the
days left or since, and per unit what it still owes - answers not yet submitted, readiness
errors in its answers' evidence, the plan's open actions - each with its due date, overdue
marked. The page and the API read it here; a fixed number of queries however many units,
answers or actions (the benchmark times it at national scale).

Who sees what: every member of the institution sees every unit (the koordinator, admin,
pimpinan, the assessors); an operator only their own units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument
from monev.evaluations.deadlines import extended_window, unit_extensions
from monev.evaluations.models import Answer, Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.selectors import answer_units
from monev.evidence.readiness import Severity, answers_checks
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Access
from monev.lib.errors import InvalidInput
from monev.planning.models import ActionItem, Plan

Status = Answer.Status
OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)
SORTS = ("due", "unit")
DUES_SHOWN = 8  # per unit on the page (the API gives them all)


class Kind:
    """What a unit owes, in the order the same day lists them."""

    ANSWER = "answer"  # an answer not yet submitted (draft or returned)
    READINESS = "readiness"  # an answer whose evidence has readiness errors
    ACTION = "action"  # an open action item of the active plan
    ORDER = {ANSWER: 0, READINESS: 1, ACTION: 2}
    LABELS = {
        ANSWER: _("Answer not submitted"),
        READINESS: _("Evidence errors"),
        ACTION: _("Plan action"),
    }


def parse_sort(value: str | None) -> str:
    """?sort=: due (the default) or unit. InvalidInput naming what is allowed."""
    value = (value or "").strip() or "due"
    if value not in SORTS:
        raise InvalidInput(
            _("Unknown sort order: choose due or unit."),
            details=[{"location": "sort", "message": str(_("due or unit"))}],
        )
    return value


@dataclass
class TimelineEntry:
    milestone: Milestone
    day: dt.date
    days: int  # day - today: negative once it has passed
    next: bool = False  # the first one not yet passed

    @property
    def passed(self) -> bool:
        return self.days < 0

    @property
    def days_since(self) -> int:
        return -self.days


@dataclass
class Due:
    kind: str
    due: dt.date | None
    days: int | None  # due - today; None without a date
    answer_id: int
    number: str
    name: str  # the indicator's (or sub-item's) name
    status: str = ""  # the answer's status (answers and readiness)
    status_label: str = ""
    errors: int = 0  # readiness errors of the answer
    warnings: int = 0
    item: ActionItem | None = None  # the action, for an action

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def days_overdue(self) -> int:
        return -self.days if self.overdue else 0

    @property
    def label(self) -> str:
        return Kind.LABELS[self.kind]

    def sort_key(self) -> tuple:
        return (self.due is None, self.due or dt.date.max, Kind.ORDER[self.kind], self.number)


@dataclass
class UnitDues:
    unit: Unit | None  # None: what no unit is responsible for
    dues: list[Due] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else str(_("No responsible unit"))

    @property
    def first_dues(self) -> list[Due]:
        """What the page lists for the unit: its soonest dues (the rest are counted, and the
        unit's answers and the plan list them all): a page of 60 units x 47 answers stays
        readable and light."""
        return self.dues[:DUES_SHOWN]

    @property
    def more_dues(self) -> int:
        return max(0, len(self.dues) - DUES_SHOWN)

    @property
    def next_due(self) -> dt.date | None:
        dated = [d.due for d in self.dues if d.due is not None]
        return min(dated) if dated else None

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.dues if d.overdue)

    def count(self, kind: str) -> int:
        return sum(1 for d in self.dues if d.kind == kind)

    @property
    def answers(self) -> int:
        return self.count(Kind.ANSWER)

    @property
    def readiness(self) -> int:
        return self.count(Kind.READINESS)

    @property
    def actions(self) -> int:
        return self.count(Kind.ACTION)

    @property
    def errors(self) -> int:
        return sum(d.errors for d in self.dues if d.kind == Kind.READINESS)


@dataclass
class DeadlineView:
    period: Period
    access: Access
    today: dt.date
    sort: str
    timeline: list[TimelineEntry]
    units: list[UnitDues]  # those owing something, in the sort order
    clear: int  # the units the user sees that owe nothing
    submit_by: dt.date | None  # when answers are due (self-assessment close, else evidence)
    evidence_by: dt.date | None  # when evidence is due (evidence deadline, else the close)

    @property
    def overdue(self) -> int:
        return sum(u.overdue for u in self.units)

    def total(self, kind: str) -> int:
        """Each answer or action once, though several units share it."""
        seen = {(d.kind, d.item.pk if d.item else d.answer_id) for u in self.units for d in u.dues}
        return sum(1 for k, _id in seen if k == kind)

    @property
    def answers(self) -> int:
        return self.total(Kind.ANSWER)

    @property
    def readiness(self) -> int:
        return self.total(Kind.READINESS)

    @property
    def actions(self) -> int:
        return self.total(Kind.ACTION)


def _local_day(when: dt.datetime) -> dt.date:
    return timezone.localdate(when)


def _first(milestones: list[Milestone], *kinds: str) -> dt.date | None:
    for kind in kinds:
        for milestone in milestones:
            if milestone.kind == kind:
                return _local_day(milestone.due_at)
    return None


def _timeline(milestones: list[Milestone], today: dt.date) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(m, _local_day(m.due_at), (_local_day(m.due_at) - today).days)
        for m in milestones
    ]
    upcoming = next((e for e in entries if not e.passed), None)
    if upcoming is not None:
        upcoming.next = True
    return entries


def _unit_links(period: Period) -> tuple[dict[int, list[Unit]], dict[int, Unit]]:
    """answer id -> its units, and the units by id: one query of plain values."""
    return answer_units(period)


def _open_actions(period: Period, access: Access) -> list[ActionItem]:
    """The active plan's open action items (an operator: their units'), with their answer's
    number and their unit: one query."""
    items = (
        ActionItem.objects.filter(
            plan__period=period, plan__status=Plan.Status.ACTIVE, status=ActionItem.Status.OPEN
        )
        .select_related("unit")
        .annotate(answer_number=F("answer__indicator"))
    )
    if access.is_operator_only:
        items = items.filter(unit_id__in=access.unit_ids)
    return list(items.order_by("due_date", "position"))


def _name(instrument: Instrument, number: str) -> str:
    item = instrument.items_by_number.get(number)
    return item.name if item else ""


def deadline_view(
    period: Period, access: Access, *, sort: str = "due", now: dt.datetime | None = None
) -> DeadlineView:
    """What is due when, and who still owes what. Units sorted by their soonest due date
    (`sort="due"`; the overdue first, then by name) or by name (`sort="unit"`); each unit's
    dues by date; an answer's due date is its units' extension where one was granted. Nine
    queries at most: milestones, answers, unit links, the readiness checks' three or four, the
    extensions, the plan's open actions."""
    now = now or now_for(period.institution)  # a demo's is its story's
    today = timezone.localdate(now)
    prefetch_related_objects([period], "milestones")  # read again by the readiness checks
    milestones = sorted(period.milestones.all(), key=lambda m: (m.due_at, m.pk))
    instrument = instrument_of(period)
    submit_by = _first(
        milestones, Milestone.Kind.SELF_ASSESSMENT_CLOSE, Milestone.Kind.EVIDENCE_DEADLINE
    )
    evidence_by = _first(
        milestones, Milestone.Kind.EVIDENCE_DEADLINE, Milestone.Kind.SELF_ASSESSMENT_CLOSE
    )

    answers = list(
        Answer.objects.filter(period=period)
        .only("pk", "indicator", "level", "status", "position", "period_id")
        .order_by("position")
    )
    units_of, units = _unit_links(period)
    visible_units = (
        {pk for pk in units if pk in access.unit_ids} if access.is_operator_only else set(units)
    )

    def homes(unit_list: list[Unit]) -> list[Unit | None]:
        """Where an answer's dues are listed: each of its units the user sees; for a user
        who sees every unit, an answer without a unit under "no responsible unit"."""
        if not unit_list:
            return [] if access.is_operator_only else [None]
        return [u for u in unit_list if u.pk in visible_units]

    answers = [a for a in answers if homes(units_of.get(a.pk, []))]
    checks = answers_checks(period, answers, now=now)
    closes = next(
        (m.due_at for m in milestones if m.kind == Milestone.Kind.SELF_ASSESSMENT_CLOSE), None
    )
    extensions = unit_extensions(period) if closes is not None else {}

    def submit_by_of(answer: Answer) -> dt.date | None:
        """The answer's close: its units' extensions included (granted by the koordinator)."""
        if not extensions:
            return submit_by
        unit_ids = [u.pk for u in units_of.get(answer.pk, [])]
        return _local_day(extended_window((None, closes), extensions, unit_ids)[1])

    def days(day: dt.date | None) -> int | None:
        return None if day is None else (day - today).days

    groups: dict[int | None, UnitDues] = {}

    def add(unit: Unit | None, due: Due) -> None:
        groups.setdefault(unit.pk if unit else None, UnitDues(unit)).dues.append(due)

    for answer in answers:
        name = _name(instrument, answer.indicator)
        status_label = str(answer.get_status_display())
        errors = sum(1 for c in checks.get(answer.pk, ()) if c.severity == Severity.ERROR)
        warnings = sum(1 for c in checks.get(answer.pk, ()) if c.severity == Severity.WARNING)
        answer_due = submit_by_of(answer)
        for unit in homes(units_of.get(answer.pk, [])):
            if answer.status in OPEN_STATUSES:
                add(
                    unit,
                    Due(
                        Kind.ANSWER,
                        answer_due,
                        days(answer_due),
                        answer.pk,
                        answer.indicator,
                        name,
                        answer.status,
                        status_label,
                    ),
                )
            if errors:
                add(
                    unit,
                    Due(
                        Kind.READINESS,
                        evidence_by,
                        days(evidence_by),
                        answer.pk,
                        answer.indicator,
                        name,
                        answer.status,
                        status_label,
                        errors=errors,
                        warnings=warnings,
                    ),
                )

    for item in _open_actions(period, access):
        unit = item.unit
        if unit is not None:
            unit = units.get(unit.pk, unit)
        number = item.answer_number
        add(
            unit,
            Due(
                Kind.ACTION,
                item.due_date,
                days(item.due_date),
                item.answer_id,
                number,
                _name(instrument, number),
                item=item,
            ),
        )

    for group in groups.values():
        group.dues.sort(key=Due.sort_key)
    by_name = lambda g: (g.unit is None, g.name.casefold(), g.unit.code if g.unit else "")  # noqa: E731
    if sort == "unit":
        ordered = sorted(groups.values(), key=by_name)
    else:
        ordered = sorted(
            groups.values(),
            key=lambda g: (g.next_due is None, g.next_due or dt.date.max, *by_name(g)),
        )
    clear = len(visible_units - {key for key in groups if key is not None})
    return DeadlineView(
        period=period,
        access=access,
        today=today,
        sort=sort,
        timeline=_timeline(milestones, today),
        units=ordered,
        clear=clear,
        submit_by=submit_by,
        evidence_by=evidence_by,
    )


def deadlines_tab(period: Period, access: Access) -> bool:
    """The period's "Tenggat" tab (evaluations.hooks.period_tabs): every member."""
    return bool(access)

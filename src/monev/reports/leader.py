"""The leader's one-minute view (docs/reports.md, "The leader's view"): for the pimpinan - the
Sekda, the mayor's office - one screen, phone first, and its printable twin, the one-page PDF.

What it says, read here once for the page, the API and the PDF, so the three state the same
numbers: the index now against the target and last year's result, with the predicates and why
they differ where they do (another stage, another instrument); three plain sentences made from
those figures in the UI language; the plan's ten steps that add the most to the index, with
their unit, due date, done or overdue; the units behind schedule, as the deadline view
(monev.planning.deadlines) counts them.

A fixed number of queries however many answers, units or action items: the answers and their
passes (two), last year (one to three), the active plan and its items (two), the deadline view
(at most nine), and for an operator-only user their units' names (one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.utils.formats import date_format, number_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from monev.core.engine import Gap, Result, gap_to_target
from monev.core.model import Instrument
from monev.core.numbers import exact_str, is_terminating, round_fraction
from monev.evaluations.models import Answer, Period
from monev.evaluations.stages import FINAL, StageScore, scores_headline, stage_label
from monev.institutions.clock import now_for
from monev.institutions.models import Membership, Role, Unit
from monev.institutions.permissions import Access
from monev.instruments.predicates import result_predicate_label
from monev.monitoring.selectors import dashboard_tab
from monev.monitoring.selectors.last_year import LastYear, last_year_of
from monev.monitoring.selectors.scores import period_scores
from monev.planning.deadlines import DeadlineView, Kind, TimelineEntry, UnitDues, deadline_view
from monev.planning.models import ActionItem, Plan
from monev.planning.selectors import active_plan, plan_items

TOP_GAINS = 10  # the plan's steps shown, biggest gain first
TOP_BEHIND = 10  # units behind schedule shown on the screen (the API lists them all)
GAP_ASPECTS = 3  # aspects named in the sentence on the gap
KEY_DATES = 6


# --- numbers as the pages write them ----------------------------------------------------------


def _score(value: Decimal) -> str:
    """A reported score with its decimals kept (3,00): the `score` template filter's rule."""
    places = max(0, -int(value.as_tuple().exponent))
    return number_format(value, decimal_pos=places)


def _exact(value: Fraction, places: int = 2) -> str:
    """An exact number in full if it ends within `places` decimals, else rounded and marked ≈:
    the `exact_number` template filter's rule (the page and the PDF show the gap with it)."""
    text = exact_str(value)
    if is_terminating(value) and len(text.partition(".")[2]) <= places:
        return number_format(Decimal(text))
    return "≈" + number_format(round_fraction(value, places))


def _signed(value: Decimal) -> str:
    text = number_format(abs(value), decimal_pos=2)
    return ("+" + text) if value > 0 else ("-" + text) if value < 0 else text


def _day(value: dt.date) -> str:
    return date_format(value, "DATE_FORMAT")


# --- the headline: index, target, last year ---------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """Why two of the headline's figures are not like for like."""

    code: str  # "not_final" | "stage" | "instrument" | "doubtful" | "incomplete"
    text: str


@dataclass(frozen=True)
class GapPart:
    """An aspect's part of the gap to the target: its share of the index weight times how far
    its score is below the target (the parts of all aspects add up to the gap exactly)."""

    code: str
    name: str
    share: Fraction


@dataclass
class Headline:
    """The index now (at the headline stage) against the target and last year's result."""

    period: Period
    instrument: Instrument
    scores: Mapping[str, StageScore]
    stage: str | None  # the headline stage (evaluations.stages)
    last_year: LastYear | None

    @property
    def score(self) -> StageScore | None:
        return self.scores[self.stage] if self.stage else None

    @property
    def result(self) -> Result | None:
        return self.score.result if self.score else None

    @property
    def index(self) -> Decimal | None:
        return self.result.index.reported if self.result else None

    @property
    def predicate(self) -> str:
        """The predicate as the pages show it (the other reading on a contested band edge)."""
        return result_predicate_label(self.result) if self.result else ""

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)

    @property
    def target(self) -> Decimal | None:
        return self.period.target

    @property
    def target_predicate(self) -> str:
        if self.target is None:
            return ""
        try:
            return self.instrument.predicate_for(self.target).name
        except ValueError:  # a target outside the scale: the period's settings refuse it
            return ""

    @cached_property
    def gap(self) -> Gap | None:
        if self.result is None or self.target is None:
            return None
        return gap_to_target(self.result, self.target)

    @property
    def last_stage(self) -> str | None:
        """The stage last year's result is at: a published result is the final one."""
        last = self.last_year
        if last is None:
            return None
        return FINAL if last.source == "published" else last.stage

    @property
    def last_stage_label(self) -> str:
        if self.last_year is not None and self.last_year.source == "published":
            return _("published by the ministry")
        return stage_label(self.last_stage)

    @property
    def comparable(self) -> bool:
        """Last year's index can be set beside the index now (same instrument, both there)."""
        last = self.last_year
        return bool(
            last and last.same_instrument and last.index is not None and self.index is not None
        )

    @property
    def change(self) -> Decimal | None:
        """The index now minus last year's, where the two are comparable."""
        if not self.comparable:
            return None
        return self.index - self.last_year.index

    @cached_property
    def gap_parts(self) -> list[GapPart]:
        """The aspects the gap lies in, the largest part first (those at or above the target
        left out). Empty without a gap, or where the instrument rounds its aspects before
        the index (then the parts would not add up to the gap)."""
        gap, result = self.gap, self.result
        if gap is None or gap.reached or result is None or self.instrument.rounding.intermediate:
            return []
        total = self.instrument.total_weight
        target = Fraction(self.target)
        parts = [
            GapPart(a.code, a.name, a.weight / total * (target - a.score.exact))
            for a in result.aspects
        ]
        if sum((p.share for p in parts), Fraction(0)) != gap.shortfall:
            return []
        return sorted((p for p in parts if p.share > 0), key=lambda p: (-p.share, p.code))

    @cached_property
    def differences(self) -> list[Difference]:
        """Why the figures differ where they do, in the UI language."""
        notes = []
        score, last = self.score, self.last_year
        if score is not None and self.stage != FINAL:
            notes.append(
                Difference(
                    "not_final",
                    _(
                        "The index now is at the stage “%(stage)s”, not the final result: the "
                        "later stages of the assessment can still change it."
                    )
                    % {"stage": self.stage_label},
                )
            )
        if score is not None and not score.complete:
            missing = score.total - score.given
            notes.append(
                Difference(
                    "incomplete",
                    ngettext(
                        "%(count)s of the %(total)s indicators has no value at this stage yet "
                        "and counts at the scale minimum.",
                        "%(count)s of the %(total)s indicators have no value at this stage yet "
                        "and count at the scale minimum.",
                        missing,
                    )
                    % {"count": missing, "total": score.total},
                )
            )
        has_both = last is not None and last.index is not None and self.index is not None
        if has_both and self.last_stage != self.stage:
            if last.source == "published":
                text = _(
                    "Last year's result is the final one the ministry published, the index now "
                    "is at the stage “%(stage)s”: part of the difference comes from the "
                    "assessment, not from progress."
                )
            else:
                text = _(
                    "Last year's result is at the stage “%(last_stage)s”, the index now at "
                    "“%(stage)s”: part of the difference comes from the assessment, not from "
                    "progress."
                )
            values = {"last_stage": self.last_stage_label, "stage": self.stage_label}
            notes.append(Difference("stage", text % values))
        if last is not None and not last.same_instrument:
            notes.append(
                Difference(
                    "instrument",
                    _(
                        "Last year was measured with %(old)s, this year with %(new)s: the two "
                        "indices are not compared directly."
                    )
                    % {
                        "old": last.instrument_name or _("unknown instrument"),
                        "new": last.current_name or self.instrument.short_name,
                    },
                )
            )
        if last is not None and last.doubtful:
            notes.append(
                Difference(
                    "doubtful",
                    _("Last year's published index is marked doubtful: check it before comparing."),
                )
            )
        return notes

    def chart_rows(self) -> list[tuple[str, str, Decimal, Decimal | None]]:
        """(code, name, score now, last year's score) of the domains, or of the aspects where
        the instrument has no domains: the PDF's chart."""
        result = self.result
        if result is None:
            return []
        last = self.last_year
        if result.domains:
            before = last.domains if last else {}
            nodes = result.domains
        else:
            before = last.aspects if last else {}
            nodes = result.aspects
        return [(n.code, n.name, n.score.reported, before.get(n.code)) for n in nodes]


def headline_of(
    period: Period,
    instrument: Instrument,
    scores: Mapping[str, StageScore],
    last_year: LastYear | None,
) -> Headline:
    """The headline from a period's stage scores and last year's result, as the dashboard
    reads them (no query): the screen, the API and both PDFs state it through here."""
    return Headline(period, instrument, scores, scores_headline(scores), last_year)


# --- the plan's biggest gains -----------------------------------------------------------------


def step_gain(instrument: Instrument, item: ActionItem) -> Fraction:
    """What the step adds to the index, exactly: the item's weight share times the levels it
    climbs (from its level before the step to the level it reaches), as the planner counts it."""
    scored = instrument.items_by_number.get(item.answer.indicator)
    if scored is None:
        return Fraction(0)
    climb = Fraction(item.to_level) - Fraction(item.from_level)
    return max(climb, Fraction(0)) * scored.weight / instrument.total_weight


@dataclass
class Gain:
    """One step of the plan with what it adds to the index. The item carries its label and
    its overdue mark (planning.selectors.describe_items)."""

    item: ActionItem
    gain: Fraction

    @property
    def done(self) -> bool:
        return self.item.status == ActionItem.Status.DONE

    @property
    def overdue(self) -> bool:
        return bool(getattr(self.item, "overdue", False))


# --- units behind schedule --------------------------------------------------------------------


@dataclass
class Behind:
    """A unit with something overdue, from the deadline view (the same dues, the same rules)."""

    dues: UnitDues

    @property
    def unit(self) -> Unit | None:
        return self.dues.unit

    @property
    def name(self) -> str:
        return self.dues.name

    @property
    def overdue(self) -> int:
        return self.dues.overdue

    def overdue_of(self, kind: str) -> int:
        return sum(1 for d in self.dues.dues if d.overdue and d.kind == kind)

    @property
    def answers(self) -> int:
        return self.overdue_of(Kind.ANSWER)

    @property
    def readiness(self) -> int:
        return self.overdue_of(Kind.READINESS)

    @property
    def actions(self) -> int:
        return self.overdue_of(Kind.ACTION)

    @property
    def oldest(self) -> dt.date | None:
        """The earliest due date it has missed."""
        days = [d.due for d in self.dues.dues if d.overdue and d.due is not None]
        return min(days) if days else None


# --- the summary ------------------------------------------------------------------------------


@dataclass
class LeaderSummary:
    period: Period
    access: Access
    headline: Headline
    plan: Plan | None
    steps: list[Gain]  # every step of the plan the user sees, biggest gain first
    deadlines: DeadlineView
    now: dt.datetime
    scope_units: list[Unit] = field(default_factory=list)  # an operator's units (else empty)

    @property
    def instrument(self) -> Instrument:
        return self.headline.instrument

    @property
    def today(self) -> dt.date:
        return self.deadlines.today

    @property
    def gains(self) -> list[Gain]:
        return self.steps[:TOP_GAINS]

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def overdue(self) -> int:
        return sum(1 for step in self.steps if step.overdue)

    @property
    def open_steps(self) -> list[Gain]:
        return [step for step in self.steps if not step.done]

    @property
    def open_gain(self) -> Fraction:
        """What the open steps would add to the index."""
        return sum((step.gain for step in self.open_steps), Fraction(0))

    @cached_property
    def behind(self) -> list[Behind]:
        """Units with something overdue, the most overdue first."""
        units = [Behind(group) for group in self.deadlines.units if group.overdue]
        return sorted(units, key=lambda b: (-b.overdue, b.oldest or dt.date.max, b.name.casefold()))

    @property
    def behind_shown(self) -> list[Behind]:
        return self.behind[:TOP_BEHIND]

    @property
    def behind_more(self) -> int:
        return max(0, len(self.behind) - TOP_BEHIND)

    @property
    def behind_overdue(self) -> int:
        """The overdue dues of the units behind, as the deadline view counts them (an answer
        two units share is overdue for each)."""
        return self.deadlines.overdue

    @property
    def next_milestone(self) -> TimelineEntry | None:
        return next((entry for entry in self.deadlines.timeline if entry.next), None)

    @property
    def key_dates(self) -> list[TimelineEntry]:
        """Milestones ahead, soonest first; when none is ahead, the last ones passed."""
        timeline = self.deadlines.timeline
        ahead = [entry for entry in timeline if not entry.passed]
        return ahead[:KEY_DATES] if ahead else timeline[-KEY_DATES:]

    # The three sentences, made in the active language when first read.

    @cached_property
    def sentences(self) -> list[str]:
        return [self._where_we_stand(), self._the_gap(), self._what_is_next()]

    def _where_we_stand(self) -> str:
        head, last = self.headline, self.headline.last_year
        if head.result is None:
            return _("No indicator has a value yet: there is no %(index_name)s to report.") % {
                "index_name": self.instrument.index_name
            }
        values = {
            "index_name": self.instrument.index_name,
            "index": _score(head.index),
            "predicate": head.predicate,
            "stage": head.stage_label,
        }
        if last is None or last.index is None:
            return (
                _(
                    "The %(index_name)s stands at %(index)s (%(predicate)s, %(stage)s); there "
                    "is no result of last year to compare it with."
                )
                % values
            )
        values.update(last_year=last.year, last_index=_score(last.index))
        if not last.same_instrument:
            values["last_instrument"] = last.instrument_name or _("unknown instrument")
            return (
                _(
                    "The %(index_name)s stands at %(index)s (%(predicate)s, %(stage)s); the "
                    "%(last_index)s of %(last_year)s was measured with %(last_instrument)s and "
                    "is not compared directly."
                )
                % values
            )
        values["change"] = _signed(head.change)
        return (
            _(
                "The %(index_name)s stands at %(index)s (%(predicate)s, %(stage)s): %(change)s "
                "against %(last_index)s in %(last_year)s."
            )
            % values
        )

    def _the_gap(self) -> str:
        head = self.headline
        target = _score(head.target) if head.target is not None else ""
        if head.target is None:
            first = _("no target index is set for this period")
        elif head.gap is None:
            first = _("there is no index yet to compare with the target %(target)s") % {
                "target": target
            }
        elif head.gap.reached:
            first = _("the index reaches the target %(target)s") % {"target": target}
        elif head.gap_parts:
            aspects = [
                f"{part.name} ({_exact(part.share)})" for part in head.gap_parts[:GAP_ASPECTS]
            ]
            first = _(
                "the index is %(gap)s below the target %(target)s, most of it in %(aspects)s"
            ) % {
                "gap": _exact(head.gap.shortfall),
                "target": target,
                "aspects": get_text_list(aspects, _("and")),
            }
        else:
            first = _("the index is %(gap)s below the target %(target)s") % {
                "gap": _exact(head.gap.shortfall),
                "target": target,
            }
        if self.plan is None:
            second = _("no plan has been computed yet")
        elif not self.steps:
            second = _("the plan has no step")
        elif not self.open_steps:
            second = _("every step of the plan is done")
        else:
            count = len(self.open_steps)
            second = ngettext(
                "the plan's %(count)s open step would add %(gain)s",
                "the plan's %(count)s open steps would add %(gain)s",
                count,
            ) % {"count": count, "gain": _exact(self.open_gain)}
        return capfirst(_("%(first)s; %(second)s.") % {"first": first, "second": second})

    def _what_is_next(self) -> str:
        entry = self.next_milestone
        if entry is None:
            first = _("no milestone is ahead")
        elif entry.days == 0:
            first = _("next: %(milestone)s, today") % {"milestone": entry.milestone}
        else:
            first = ngettext(
                "next: %(milestone)s on %(date)s, in %(days)s day",
                "next: %(milestone)s on %(date)s, in %(days)s days",
                entry.days,
            ) % {"milestone": entry.milestone, "date": _day(entry.day), "days": entry.days}
        behind = self.behind
        if not behind:
            second = _("no unit is behind schedule")
        else:
            items = ngettext(
                "%(count)s overdue item", "%(count)s overdue items", self.behind_overdue
            ) % {"count": self.behind_overdue}
            second = ngettext(
                "%(count)s unit is behind schedule, with %(items)s",
                "%(count)s units are behind schedule, with %(items)s",
                len(behind),
            ) % {"count": len(behind), "items": items}
        return capfirst(_("%(first)s; %(second)s.") % {"first": first, "second": second})


def _scope_units(period: Period, access: Access) -> list[Unit]:
    if not access.is_operator_only:
        return []
    return list(
        Unit.objects.filter(institution_id=period.institution_id, pk__in=access.unit_ids).order_by(
            "code"
        )
    )


def leader_summary(
    period: Period, access: Access, *, now: dt.datetime | None = None
) -> LeaderSummary:
    """The leader's view of the period for the user with `access` (an operator sees their
    units' plan steps and dues; the index always covers the whole period). `period` should
    come with its institution (period_for_user reads it so)."""
    now = now or now_for(period.institution)
    answers = list(
        Answer.objects.filter(period=period).prefetch_related("passes").order_by("position")
    )
    instrument, scores = period_scores(period, answers)
    headline = headline_of(period, instrument, scores, last_year_of(period, instrument))
    deadlines = deadline_view(period, access, now=now)
    plan = active_plan(period)
    steps: list[Gain] = []
    if plan is not None:
        items = plan_items(plan, access, deadlines.today)
        steps = [Gain(item, step_gain(instrument, item)) for item in items]
        steps.sort(
            key=lambda s: (-s.gain, s.item.due_date is None, s.item.due_date, s.item.position)
        )
    return LeaderSummary(
        period=period,
        access=access,
        headline=headline,
        plan=plan,
        steps=steps,
        deadlines=deadlines,
        now=now,
        scope_units=_scope_units(period, access),
    )


def leader_tab(period: Period, access: Access) -> bool:
    """The period's "Tampilan pimpinan" tab (evaluations.hooks.period_tabs): whoever may see its
    dashboard."""
    return dashboard_tab(period, access)


def leader_landing(user) -> Period | None:
    """Where a leader lands after signing in: for a user whose only role, in the one
    institution they belong to, is pimpinan, that institution's latest period (the newest
    year, then the one created last); None for everyone else (two queries at most)."""
    if not user.is_authenticated or getattr(user, "evaluator_scope", ""):
        return None
    memberships = set(Membership.objects.filter(user=user).values_list("institution_id", "role"))
    if not memberships or {role for _id, role in memberships} != {Role.PIMPINAN}:
        return None
    institutions = {institution_id for institution_id, _role in memberships}
    if len(institutions) != 1:
        return None
    return (
        Period.objects.filter(institution_id=institutions.pop())
        .order_by("-year", "-created_at", "-pk")
        .first()
    )

"""Reads of the instrument transition, shared by the page and the API: which earlier period a
period's crosswalk suggestions come from, and the suggestions grouped by new indicator.

A crosswalk is a judgement (see monev.core.crosswalk): every view of it carries the file's
statement so that pages can show it next to the suggestions."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from monev.core.crosswalk import CROSSWALK_DIR, Crosswalk, Entry, find_crosswalk
from monev.core.model import Indicator, Instrument
from monev.evaluations import selectors as evaluation_selectors
from monev.evaluations.models import Answer, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evidence.models import EvidenceLink
from monev.institutions.access import access_for, institutions_in_scope
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Forbidden, NotFound
from monev.transition.models import CrosswalkSuggestion

# Who decides: the koordinator. ASSIGN_UNITS is held by the koordinator alone, and whoever
# holds it also holds EDIT_ANSWER and MANAGE_EVIDENCE without a unit scope - so accepting can
# always write through the answer and evidence services. MANAGE_PERIOD would admit the
# institution's admin, who may neither edit answers nor link evidence.
DECIDE = Capability.ASSIGN_UNITS

State = CrosswalkSuggestion.State
Kind = CrosswalkSuggestion.Kind


def crosswalk_sources(instrument_id: str) -> tuple[str, ...]:
    """The instruments a shipped crosswalk leads from into `instrument_id` (file names only:
    no parsing, no query)."""
    suffix = f"_{instrument_id}.yaml"
    return tuple(
        sorted(p.name[: -len(suffix)] for p in CROSSWALK_DIR.glob(f"*{suffix}") if p.is_file())
    )


@functools.lru_cache(maxsize=16)
def crosswalk_between(old: str, new: str) -> Crosswalk | None:
    return find_crosswalk(old, new)


def source_period(period: Period) -> Period | None:
    """The earlier period suggestions come from: the period's `previous` if it ran under an
    instrument with a crosswalk into this one (none if under the same instrument), else the
    institution's latest earlier period under such an instrument. At most one query."""
    sources = crosswalk_sources(period.instrument_id)
    if not sources:
        return None
    if period.previous_id:
        previous = period.previous
        if previous.institution_id == period.institution_id and previous.instrument_id in sources:
            return previous
        return None
    return (
        Period.objects.filter(
            institution_id=period.institution_id,
            year__lt=period.year,
            instrument_id__in=sources,
        )
        .order_by("-year", "-created_at", "-pk")
        .first()
    )


def transition_offered(period: Period) -> bool:
    """Whether the period has a "Peralihan instrumen" page: a crosswalk leads into its
    instrument from the instrument of its source period."""
    return source_period(period) is not None


@dataclass
class Suggestion:
    row: CrosswalkSuggestion
    already_linked: bool = False  # the evidence supports the new answer already


@dataclass
class IndicatorGroup:
    indicator: Indicator
    entry: Entry | None
    answer: Answer
    old_names: list[tuple[str, str, bool]]  # (number, name, partly) of the counterparts
    evidence: list[Suggestion] = field(default_factory=list)
    answers: list[Suggestion] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return sum(s.row.state == State.PENDING for s in (*self.evidence, *self.answers))

    @property
    def has_pending_answers(self) -> bool:
        return any(s.row.state == State.PENDING for s in self.answers)


@dataclass
class TransitionView:
    period: Period
    access: Access
    instrument: Instrument
    source: Period | None
    source_instrument: Instrument | None
    crosswalk: Crosswalk | None
    groups: list[IndicatorGroup]

    @property
    def counts(self) -> dict[str, int]:
        counts = {State.PENDING: 0, State.ACCEPTED: 0, State.REJECTED: 0}
        for group in self.groups:
            for s in (*group.evidence, *group.answers):
                counts[s.row.state] += 1
        return counts

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def can_decide(self) -> bool:
        return self.access.can(DECIDE)


def transition_source(period: Period) -> tuple[Period | None, Crosswalk | None]:
    source = source_period(period)
    if source is None:
        return None, None
    return source, crosswalk_between(source.instrument_id, period.instrument_id)


def require_decider(access: Access) -> None:
    if not access.can(DECIDE):
        raise Forbidden(_("Only the institution's coordinator handles the instrument transition."))


def period_for_transition(user, period_id: int, *, not_found=None) -> tuple[Period, Access]:
    """The period (NotFound outside the user's institutions, with the message `not_found`
    when reached through a suggestion), Forbidden unless the user is its institution's
    coordinator."""
    period, access = evaluation_selectors.period_for_user(user, period_id, not_found=not_found)
    require_decider(access)
    return period, access


def suggestion_for(
    user, suggestion_id: int, *, period_id: int | None = None, lock: bool = False
) -> tuple[CrosswalkSuggestion, Period, Access]:
    """The suggestion with its period and the user's access there. The query reads only the
    institutions in the user's scope (and, with `period_id`, that period's suggestions), so
    another institution's suggestion is never loaded: it is NotFound with the message of a
    missing id. Forbidden unless the user is its institution's coordinator. With `lock` (the
    services, in their transaction) the suggestion's row is locked for update. Two queries."""
    scope = {"period__institution__in": institutions_in_scope(user)}
    if period_id is not None:
        scope["period_id"] = period_id
    rows = CrosswalkSuggestion.objects
    if lock:
        rows = rows.select_for_update(of=("self",))
    suggestion = (
        rows.filter(pk=suggestion_id, **scope)
        .select_related(
            "period__institution",
            "period__previous",
            "source_period",
            "evidence",
            "source_answer",
            "decided_by",
        )
        .first()
    )
    access = access_for(user, suggestion.period.institution_id) if suggestion else Access(())
    if suggestion is None or not access:
        raise NotFound(_("Suggestion not found."))
    require_decider(access)
    return suggestion, suggestion.period, access


def transition_view(period: Period, access: Access) -> TransitionView:
    """The suggestions grouped by the new instrument's indicators, in its order. A constant
    number of queries however many suggestions there are."""
    instrument = instrument_of(period)
    source, crosswalk = transition_source(period)
    if source is None or crosswalk is None:
        return TransitionView(period, access, instrument, None, None, None, [])
    old_instrument = instrument_of(source)
    old_names = old_instrument.indicators_by_number
    answers = {a.indicator: a for a in Answer.objects.filter(period=period).order_by("position")}
    rows = list(
        CrosswalkSuggestion.objects.filter(period=period)
        .select_related("evidence", "source_answer", "source_period", "decided_by")
        .order_by("pk")
    )
    linked = set(
        EvidenceLink.objects.filter(answer__period=period).values_list("answer_id", "evidence_id")
    )
    grouped: dict[str, list[CrosswalkSuggestion]] = defaultdict(list)
    for row in rows:
        grouped[row.indicator].append(row)
    groups = []
    for indicator in instrument.indicators:
        answer = answers.get(indicator.number)
        if answer is None:
            continue
        entry = crosswalk.entry(indicator.number)
        names = []
        if entry:
            names = [(c, old_names[c].name, False) for c in entry.counterparts] + [
                (c, old_names[c].name, True) for c in entry.partly
            ]
        group = IndicatorGroup(indicator, entry, answer, names)
        for row in grouped.get(indicator.number, ()):
            suggestion = Suggestion(row, (row.answer_id, row.evidence_id) in linked)
            (group.evidence if row.kind == Kind.EVIDENCE else group.answers).append(suggestion)
        groups.append(group)
    return TransitionView(period, access, instrument, source, old_instrument, crosswalk, groups)


def suggestion_rows(period: Period) -> list[CrosswalkSuggestion]:
    return list(
        CrosswalkSuggestion.objects.filter(period=period)
        .select_related("evidence", "source_answer", "source_period", "decided_by")
        .order_by("pk")
    )


def transition_tab(period: Period, access: Access):
    """The period's "Peralihan instrumen" tab (evaluations.hooks.period_tabs): for those who
    assign units, read only when a template asks (a query at most)."""
    return access.can(Capability.ASSIGN_UNITS) and functools.partial(transition_offered, period)

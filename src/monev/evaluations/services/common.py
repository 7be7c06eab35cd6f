"""What the answer and assessment services share: the locked, permission-checked fetch,
the version check, and the self-assessment deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import DateTimeField, Subquery, Value
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument
from monev.evaluations.models import Answer, AnswerUnit, DeadlineExtension, Milestone
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.access import access_for
from monev.institutions.clock import now_for
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Conflict, DeadlinePassed, Forbidden, NotFound


@dataclass
class Target:
    answer: Answer
    access: Access
    unit_ids: set[int]

    @property
    def period(self):
        return self.answer.period

    def instrument(self) -> Instrument:
        return instrument_of(self.answer.period)


def answer_for(actor, answer_id: int, capability: Capability) -> Target:
    """The answer, locked for the rest of the transaction, if `actor` may do `capability`
    on it. An answer the actor may not even see answers NotFound (its existence is private)."""
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("period__institution")  # its clock: institutions.clock.now_for
        .filter(pk=answer_id)
        .first()
    )
    if answer is None:
        raise NotFound(_("Answer not found."))
    unit_ids = set(answer.unit_links.values_list("unit_id", flat=True))
    if actor is None:  # the system (`monev import` run on the server): every capability
        return Target(answer=answer, access=Access(()), unit_ids=unit_ids)
    access = access_for(actor, answer.period.institution_id)
    if not access or (access.is_operator_only and not access.unit_ids & unit_ids):
        raise NotFound(_("Answer not found."))
    if not access.can_on_answer(capability, unit_ids):
        raise Forbidden(_("Your role does not allow this on this answer."))
    return Target(answer=answer, access=access, unit_ids=unit_ids)


def answer_state(answer: Answer) -> dict:
    """What a conflicting writer is shown: the answer as the other person left it."""
    return {
        "version": answer.version,
        "level": str(answer.level) if answer.level is not None else None,
        "explanation": answer.explanation,
        "status": answer.status,
        "updated_by": str(answer.updated_by) if answer.updated_by_id else None,
        "updated_at": answer.updated_at.isoformat() if answer.updated_at else None,
    }


def check_version(answer: Answer, expected_version: int) -> None:
    if answer.version != expected_version:
        raise Conflict(
            _(
                "Someone else saved this answer while you were editing it. Their version is "
                "shown; your changes were not saved - copy them before reloading."
            ),
            current=answer_state(answer),
        )


def self_assessment_window(period, unit_ids=None) -> tuple[datetime | None, datetime | None]:
    """When the self-assessment opens and closes. With `unit_ids` (an answer's units: ids, or
    a query of them) the close is the latest of the period's and those units' extensions
    (DeadlineExtension); still one query."""
    milestones = Milestone.objects.filter(
        period=period,
        kind__in=[Milestone.Kind.SELF_ASSESSMENT_OPEN, Milestone.Kind.SELF_ASSESSMENT_CLOSE],
    )
    if unit_ids is not None:
        latest = DeadlineExtension.objects.filter(period=period, unit_id__in=unit_ids)
        milestones = milestones.annotate(
            extended=Subquery(latest.order_by("-until").values("until")[:1])
        )
    else:
        milestones = milestones.annotate(extended=Value(None, DateTimeField()))
    dates, extended = {}, None
    for kind, due_at, until in milestones.values_list("kind", "due_at", "extended"):
        dates[kind] = due_at
        extended = until  # the same on every row
    closes = dates.get(Milestone.Kind.SELF_ASSESSMENT_CLOSE)
    if closes is not None and extended is not None:
        closes = max(closes, extended)
    return dates.get(Milestone.Kind.SELF_ASSESSMENT_OPEN), closes


def answer_window(answer: Answer) -> tuple[datetime | None, datetime | None]:
    """The answer's self-assessment window: its units' extensions included."""
    units = AnswerUnit.objects.filter(answer_id=answer.pk).values("unit_id")
    return self_assessment_window(answer.period_id, unit_ids=units)


def check_self_assessment_open(answer: Answer, now: datetime | None = None) -> None:
    """Deadlines are enforced here, on the server, whatever the page showed, by the
    institution's clock (a demo institution's is its story's)."""
    now = now or now_for(answer.period.institution)
    exempt = answer.reopened or answer.status == Answer.Status.FINAL  # no dates needed
    window = (None, None) if exempt else answer_window(answer)
    if problem := self_assessment_problem(answer, window, now):
        raise DeadlinePassed(problem)


def self_assessment_problem(answer: Answer, window, now: datetime) -> str | None:
    """Why the unit may not change `answer` at `now` (None: it may), from the answer's
    `window` - the rule of check_self_assessment_open, for callers that read the dates of
    many answers at once (bulk actions)."""
    if answer.reopened:
        return None
    if answer.status == Answer.Status.FINAL:
        return str(_("This answer is locked as final mandiri; only the coordinator can reopen it."))
    opens, closes = window
    if opens and now < opens:
        when = formats.date_format(timezone.localtime(opens), "DATETIME_FORMAT")
        return str(_("The self-assessment opens on %(when)s.") % {"when": when})
    if closes and now >= closes:
        when = formats.date_format(timezone.localtime(closes), "DATETIME_FORMAT")
        return str(
            _("The self-assessment closed on %(when)s; only the coordinator can reopen an answer.")
            % {"when": when}
        )
    return None

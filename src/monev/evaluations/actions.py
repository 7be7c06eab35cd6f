"""What the viewer may do on an answer right now, and why not: read from the same rules the
services enforce (services.rules, services.common's self-assessment window, the role table,
the external assessors' scope), for the answer page and the API's answer detail. The
services still check everything again when the action is tried."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from monev.evaluations.hooks import may_assess
from monev.evaluations.models import Answer, AssessorPass
from monev.evaluations.selectors import AnswerDetail
from monev.evaluations.services import rules
from monev.evaluations.services.common import self_assessment_problem, self_assessment_window
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.instruments.external_indices import imported_refusal

Status = Answer.Status

# The actions, in the order the page and the API list them, with the capability each needs.
CAPABILITIES = {
    "save": Capability.EDIT_ANSWER,
    "link_evidence": Capability.EDIT_ANSWER,
    "submit": Capability.SUBMIT_ANSWER,
    "verify": Capability.VERIFY_ANSWER,
    "return": Capability.VERIFY_ANSWER,
    "reopen": Capability.REOPEN_ANSWER,
    "assess": Capability.ASSESS,
    "respond": Capability.RESPOND_TO_ASSESSOR,
    "comment": Capability.COMMENT,
    "units": Capability.ASSIGN_UNITS,
}

# The words the role table's refusal uses (services.common.answer_for).
NOT_YOUR_ROLE = _("Your role does not allow this on this answer.")


@dataclass(frozen=True)
class ActionState:
    allowed: bool
    reason: str = ""  # why not, in the active language; "" when allowed
    permitted: bool = True  # the role may do it on this answer (at another time, or state)


@dataclass
class AnswerActions:
    actions: dict[str, ActionState]
    window: tuple[datetime | None, datetime | None]  # the answer's self-assessment window
    locked: str | None  # why the self-assessment takes no changes to it now (None: it does)
    state: list[str] = field(default_factory=list)  # its state: why, and who can change it

    def allowed(self, name: str) -> bool:
        return self.actions[name].allowed

    def as_dict(self) -> dict[str, dict]:
        return {
            name: {"allowed": state.allowed, "reason": state.reason or None}
            for name, state in self.actions.items()
        }


def _first(*problems) -> str | None:
    return next((p for p in problems if p), None)


def answer_actions(
    user,
    answer: Answer,
    access,
    unit_ids,
    instrument,
    *,
    passes: dict[str, AssessorPass],
    window: tuple[datetime | None, datetime | None] | None = None,
    now: datetime | None = None,
) -> AnswerActions:
    """Each action's state for `user` (with `access` on the answer's institution). `window`:
    the answer's self-assessment window, if already read (else one query); `passes`: its
    external judgements by stage. One more query for an external assessor on a final answer
    (their assignment)."""
    now = now or now_for(answer.period.institution)  # a demo's is its story's
    unit_ids = set(unit_ids)
    if window is None:
        window = self_assessment_window(answer.period_id, unit_ids=unit_ids)
    locked = self_assessment_problem(answer, window, now)
    imported = imported_refusal(instrument, answer.indicator)

    def assess_problem() -> str | None:
        if problem := rules.assessment_problem(answer):
            return problem
        if not may_assess(user, answer, instrument):
            return str(_("You are not assigned to assess this aspect."))
        return None

    rule = {
        # Each action's checks in the order its service makes them.
        "save": lambda: _first(locked, imported),
        "link_evidence": lambda: locked,
        "submit": lambda: _first(
            locked, rules.submit_problem(answer), rules.incomplete_problem(answer)
        ),
        "verify": lambda: _first(locked, rules.verify_problem(answer)),
        "return": lambda: _first(locked, imported, rules.return_problem(answer)),
        "reopen": lambda: _first(imported, rules.reopen_problem(answer)),
        "assess": assess_problem,
        "respond": lambda: rules.response_problem(AssessorPass.Stage.DOCUMENT in passes),
        "comment": lambda: None,
        "units": lambda: None,
    }
    actions = {}
    for name, capability in CAPABILITIES.items():
        if not access.can_on_answer(capability, unit_ids):
            actions[name] = ActionState(False, str(NOT_YOUR_ROLE), permitted=False)
            continue
        problem = rule[name]()
        actions[name] = ActionState(problem is None, problem or "")
    state = state_sentences(answer, locked, imported)
    return AnswerActions(actions=actions, window=window, locked=locked, state=state)


def _when_who(answer: Answer) -> dict[str, str]:
    when = answer.updated_at
    who = answer.updated_by.display_name if answer.updated_by_id else ""
    return {
        "when": formats.date_format(timezone.localtime(when), "DATE_FORMAT") if when else "—",
        "who": who or str(_("the system")),
    }


def state_sentences(answer: Answer, locked: str | None, imported: str | None) -> list[str]:
    """The answer's state as the page says it: what happened last (the status's change is
    the answer's latest write while it holds), then why it is locked and who can change it."""
    said = []
    status = answer.status
    if status == Status.SUBMITTED:
        said.append(
            _("Submitted on %(when)s by %(who)s; the internal assessor can verify or return it.")
            % _when_who(answer)
        )
    elif status == Status.VERIFIED:
        said.append(
            _("Verified on %(when)s by %(who)s; the internal assessor can still return it.")
            % _when_who(answer)
        )
        if not locked and not imported:
            said.append(
                _("Saving a change sends it back to draft, to be submitted and verified again.")
            )
    elif status == Status.RETURNED and answer.reopened:
        said.append(
            _(
                "Reopened on %(when)s by %(who)s: the unit can change it and submit it again "
                "after the deadline."
            )
            % _when_who(answer)
        )
    elif status == Status.RETURNED:
        said.append(
            _(
                "Returned on %(when)s by %(who)s (the reason is in the comments): the unit can "
                "change it and submit it again."
            )
            % _when_who(answer)
        )
    for problem in (imported, locked):
        if problem:
            said.append(problem)
    return [str(s) for s in said]


def detail_actions(user, detail: AnswerDetail) -> AnswerActions:
    """What `user` may do on the answer now, and why not (one query: its window); kept on
    `detail` for the sections other apps add (the evidence forms follow `link_evidence`)."""
    row = detail.row
    detail.actions = answer_actions(
        user,
        row.answer,
        detail.access,
        [unit.pk for unit in row.units],
        detail.instrument,
        passes=row.passes,
        now=now_for(detail.period.institution),  # the period's is read with its institution
    )
    return detail.actions

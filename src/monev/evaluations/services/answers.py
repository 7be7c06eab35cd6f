from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.core.engine import value_problem
from monev.evaluations.hooks import submission_warnings
from monev.evaluations.models import Answer, AnswerUnit, Comment
from monev.evaluations.services import rules
from monev.evaluations.services.assessment import recorded
from monev.evaluations.services.common import (
    answer_for,
    check_self_assessment_open,
    check_version,
)
from monev.evaluations.services.periods import period_get
from monev.institutions.access import institution_for_user, require
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Capability
from monev.instruments.external_indices import imported_refusal
from monev.lib.errors import Conflict, InvalidInput, InvalidTransition
from monev.lib.stamps import stamp

Status = Answer.Status


def _snapshot(answer: Answer) -> dict:
    return {
        "level": recorded(answer.level),
        "explanation": answer.explanation,
        "status": answer.status,
        "version": answer.version,
    }


def _moment(answer: Answer, now: datetime | None) -> datetime:
    """When the action happens: `now`, or the institution's current time (a demo's is its
    story's); the answer's `updated_at` records it."""
    now = now or now_for(answer.period.institution)
    stamp(answer, now)
    return now


def _record(
    actor, action: str, answer: Answer, before: dict, reason: str = "", at: datetime | None = None
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=answer,
        institution_id=answer.period.institution_id,
        period_id=answer.period_id,
        answer_id=answer.pk,
        before=before,
        after=_snapshot(answer),
        reason=reason,
        at=at,
    )


def _refuse_imported(target) -> None:
    """The value of an imported indicator (pemdi-2026 5, 6, 7, 18) is recorded under External
    values and written by the system: the institution does not set, return or reopen it."""
    if problem := imported_refusal(target.instrument(), target.answer.indicator):
        raise InvalidInput(problem, details=[{"location": "level", "message": problem}])


def _refuse_unconfirmed(warnings) -> None:
    """The answer page asks before an answer with readiness errors is submitted."""
    message = _(
        "The readiness checks found errors an assessor is likely to reject. Fix them, or "
        "confirm that you submit the answer anyway."
    )
    details = [{"location": w.code, "message": str(w.message)} for w in warnings]
    confirm = _("Tick the box to submit anyway.")
    details.append({"location": "confirm_readiness_errors", "message": str(confirm)})
    raise InvalidInput(message, details=details)


def _save(answer: Answer, actor, fields: list[str]) -> None:
    answer.version += 1
    answer.updated_by = actor
    answer.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


@transaction.atomic
def answer_save(
    *,
    actor,
    answer_id: int,
    expected_version: int,
    level: Decimal | None,
    explanation: str,
    now: datetime | None = None,
) -> Answer:
    """Save the level and penjelasan. Changing a submitted or verified answer sends it back
    to draft: it must be submitted and verified again."""
    target = answer_for(actor, answer_id, Capability.EDIT_ANSWER)
    answer = target.answer
    now = _moment(answer, now)
    check_version(answer, expected_version)
    check_self_assessment_open(answer, now)
    _refuse_imported(target)
    explanation = explanation.strip()
    if level is not None:
        instrument = target.instrument()
        item = instrument.items_by_number[answer.indicator]
        if problem := value_problem(instrument, item, level):
            raise InvalidInput(problem, details=[{"location": "level", "message": problem}])
    if level == answer.level and explanation == answer.explanation:
        return answer
    before = _snapshot(answer)
    answer.level, answer.explanation = level, explanation
    fields = ["level", "explanation"]
    if answer.status in (Status.SUBMITTED, Status.VERIFIED):
        answer.status, answer.verified_level = Status.DRAFT, None
        fields += ["status", "verified_level"]
    _save(answer, actor, fields)
    _record(actor, "answer.save", answer, before, at=now)
    return answer


@transaction.atomic
def answer_submit(
    *,
    actor,
    answer_id: int,
    expected_version: int,
    now: datetime | None = None,
    warnings_confirmed: bool = True,
) -> Answer:
    """Submit a draft or returned answer for verification. `warnings_confirmed=False` (the
    answer page, until its box is ticked) refuses while the answer's submission warnings
    (hooks.submission_warnings: the readiness errors) are not empty; the API submits anyway
    and reports them."""
    target = answer_for(actor, answer_id, Capability.SUBMIT_ANSWER)
    answer = target.answer
    now = _moment(answer, now)
    check_version(answer, expected_version)
    check_self_assessment_open(answer, now)
    if problem := rules.submit_problem(answer):
        raise InvalidTransition(problem)
    if missing := rules.missing_for_submission(answer):
        raise InvalidInput(_("The answer is not complete."), details=missing)
    if not warnings_confirmed and (warnings := submission_warnings(answer.pk)):
        _refuse_unconfirmed(warnings)
    before = _snapshot(answer)
    answer.status = Status.SUBMITTED
    _save(answer, actor, ["status"])
    _record(actor, "answer.submit", answer, before, at=now)
    return answer


@transaction.atomic
def answer_verify(
    *, actor, answer_id: int, expected_version: int, now: datetime | None = None
) -> Answer:
    target = answer_for(actor, answer_id, Capability.VERIFY_ANSWER)
    answer = target.answer
    now = _moment(answer, now)
    check_version(answer, expected_version)
    check_self_assessment_open(answer, now)
    if problem := rules.verify_problem(answer):
        raise InvalidTransition(problem)
    before = _snapshot(answer)
    answer.status, answer.verified_level = Status.VERIFIED, answer.level
    _save(answer, actor, ["status", "verified_level"])
    _record(actor, "answer.verify", answer, before, at=now)
    return answer


@transaction.atomic
def answer_return(
    *, actor, answer_id: int, expected_version: int, note: str, now: datetime | None = None
) -> Answer:
    """Send an answer back to its unit; the note saying why is required."""
    target = answer_for(actor, answer_id, Capability.VERIFY_ANSWER)
    answer = target.answer
    now = _moment(answer, now)
    check_version(answer, expected_version)
    check_self_assessment_open(answer, now)
    _refuse_imported(target)
    note = note.strip()
    if not note:
        raise InvalidInput(
            _("Say why the answer is returned."),
            details=[{"location": "note", "message": str(_("A note is required."))}],
        )
    if problem := rules.return_problem(answer):
        raise InvalidTransition(problem)
    before = _snapshot(answer)
    answer.status, answer.verified_level = Status.RETURNED, None
    _save(answer, actor, ["status", "verified_level"])
    Comment.objects.create(answer=answer, author=actor, body=note, created_at=now)
    _record(actor, "answer.return", answer, before, reason=note, at=now)
    return answer


@transaction.atomic
def answer_reopen(
    *, actor, answer_id: int, expected_version: int, reason: str, now: datetime | None = None
) -> Answer:
    """After the self-assessment deadline, let an answer be edited again (coordinator only,
    with the reason on record)."""
    target = answer_for(actor, answer_id, Capability.REOPEN_ANSWER)
    answer = target.answer
    now = _moment(answer, now)
    check_version(answer, expected_version)
    _refuse_imported(target)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            _("Say why the answer is reopened."),
            details=[{"location": "reason", "message": str(_("A reason is required."))}],
        )
    if problem := rules.reopen_problem(answer):
        raise InvalidTransition(problem)
    before = _snapshot(answer)
    answer.reopened, answer.status, answer.verified_level = True, Status.RETURNED, None
    _save(answer, actor, ["reopened", "status", "verified_level"])
    Comment.objects.create(answer=answer, author=actor, body=reason, created_at=now)
    _record(actor, "answer.reopen", answer, before, reason=reason, at=now)
    return answer


def _institution_units(institution_id: int, unit_ids) -> set[int]:
    wanted = set(unit_ids)
    found = set(
        Unit.objects.filter(institution_id=institution_id, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    if found != wanted:
        raise InvalidInput(_("A unit is not part of this institution."))
    return found


@transaction.atomic
def answer_assign_units(*, actor, answer_id: int, unit_ids) -> set[int]:
    target = answer_for(actor, answer_id, Capability.ASSIGN_UNITS)
    answer = target.answer
    wanted = _institution_units(answer.period.institution_id, unit_ids)
    _apply_assignment(answer.pk, target.unit_ids, wanted)
    audit_record(
        actor=actor,
        action="answer.assign_units",
        obj=answer,
        institution_id=answer.period.institution_id,
        period_id=answer.period_id,
        answer_id=answer.pk,
        before={"units": sorted(target.unit_ids)},
        after={"units": sorted(wanted)},
        at=now_for(answer.period.institution),
    )
    return wanted


def _apply_assignment(answer_id: int, current: set[int], wanted: set[int]) -> None:
    AnswerUnit.objects.filter(answer_id=answer_id, unit_id__in=current - wanted).delete()
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer_id=answer_id, unit_id=unit_id) for unit_id in wanted - current]
    )


def assignment_fingerprint(pairs) -> str:
    """Identifies one state of a period's unit x indicator matrix (for conflict checks)."""
    text = ";".join(f"{a}:{u}" for a, u in sorted(pairs))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def period_assign_matrix(
    *,
    actor,
    period_id: int,
    assignments: Mapping[int, set[int]],
    expected_fingerprint: str,
) -> int:
    """Set the responsible units of many answers at once (the unit x indicator matrix page).
    `assignments` maps answer id -> unit ids; answers not named keep their units. Returns the
    number of answers whose units changed."""
    period = period_get(period_id)
    if actor is not None:  # None: the system (`monev import`), as period_close_self_assessment
        _institution, access = institution_for_user(
            actor, period.institution_id, not_found=_("Period not found.")
        )
        require(access, Capability.ASSIGN_UNITS)
    pairs = list(
        AnswerUnit.objects.select_for_update()
        .filter(answer__period=period)
        .values_list("answer_id", "unit_id")
    )
    if assignment_fingerprint(pairs) != expected_fingerprint:
        raise Conflict(
            _("Someone else changed the assignments meanwhile; reload to see their changes.")
        )
    answer_ids = set(period.answers.values_list("pk", flat=True))
    if not set(assignments) <= answer_ids:
        raise InvalidInput(_("An answer is not part of this period."))
    all_units = set().union(*assignments.values()) if assignments else set()
    _institution_units(period.institution_id, all_units)
    current: dict[int, set[int]] = {}
    for answer_id, unit_id in pairs:
        current.setdefault(answer_id, set()).add(unit_id)
    changed = {}
    for answer_id, wanted in assignments.items():
        have = current.get(answer_id, set())
        if have != set(wanted):
            _apply_assignment(answer_id, have, set(wanted))
            changed[answer_id] = (sorted(have), sorted(wanted))
    if changed:
        audit_record(
            actor=actor,
            action="period.assign_matrix",
            obj=period,
            institution_id=period.institution_id,
            period_id=period.pk,
            before={str(a): b for a, (b, _w) in changed.items()},
            after={str(a): w for a, (_b, w) in changed.items()},
        )
    return len(changed)


@transaction.atomic
def comment_add(*, actor, answer_id: int, body: str, now: datetime | None = None) -> Comment:
    target = answer_for(actor, answer_id, Capability.COMMENT)
    body = body.strip()
    if not body:
        raise InvalidInput(_("The comment is empty."))
    now = now or now_for(target.period.institution)
    comment = Comment.objects.create(answer=target.answer, author=actor, body=body, created_at=now)
    audit_record(
        actor=actor,
        action="answer.comment",
        obj=comment,
        institution_id=target.period.institution_id,
        period_id=target.answer.period_id,
        answer_id=target.answer.pk,
        after={"comment": body},
        at=now,
    )
    return comment

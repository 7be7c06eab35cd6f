"""Bulk actions of the koordinator (and admin) on many answers of a period, with one recorded
reason: reopen them, return them to their units, or extend a unit's self-assessment deadline.

The scope is a unit's answers, an aspect's, or a selection of answer ids. One transaction:
the answers in scope are locked; those the action does not apply to come back as skipped,
with why, and each of the others gets its own audit event carrying the shared reason and the
batch's id (`after["bulk"]`), so the trail shows them together. `bulk_preview` runs the same
rules and changes nothing; its versions, sent back with the confirmation (`expected_versions`),
make an answer changed meanwhile come back as skipped instead of being overwritten. The queries
are per batch, never per answer.

Reopen and return follow the single-answer services (answer_reopen, answer_return): an
imported indicator is refused, a reopened answer is not reopened again, only a submitted or
verified answer within its self-assessment window is returned. A bulk reopen also skips a
draft the unit can still edit. An extension is a unit's (DeadlineExtension): its answers stay
open until the new date (services.common.self_assessment_window); an answer already locked as
final mandiri is not unlocked by it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record_many
from monev.core.model import Instrument
from monev.evaluations.deadlines import extended_window, unit_extensions
from monev.evaluations.models import Answer, AnswerUnit, Comment, DeadlineExtension, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.services import rules
from monev.evaluations.services.answers import _snapshot as answer_snapshot
from monev.evaluations.services.common import self_assessment_problem, self_assessment_window
from monev.institutions.access import access_for, require
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Capability
from monev.instruments.external_indices import imported_refusal
from monev.lib.errors import InvalidInput, NotFound

Status = Answer.Status


class BulkAction(StrEnum):
    REOPEN = "reopen"
    RETURN = "return"
    EXTEND = "extend"


ACTION_LABELS = {
    BulkAction.REOPEN: _("Reopen"),
    BulkAction.RETURN: _("Return to the unit"),
    BulkAction.EXTEND: _("Extend the unit's deadline"),
}


@dataclass(frozen=True)
class BulkScope:
    """Exactly one of: a unit's answers, an aspect's (its code), or a selection of answers."""

    unit_id: int | None = None
    aspect: str = ""
    answer_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Skipped:
    answer: Answer
    reason: str


@dataclass
class BulkResult:
    """What an action changed (`affected`) or, in a preview, would change."""

    action: BulkAction
    affected: list[Answer] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    bulk_id: str = ""  # "" in a preview
    unit: Unit | None = None  # the unit of an extension
    until: datetime | None = None  # the extension's end (a preview: the current one, if any)

    @property
    def versions(self) -> dict[int, int]:
        """The affected answers' versions: what the confirmation sends back."""
        return {answer.pk: answer.version for answer in self.affected}


@dataclass
class _Batch:
    period: Period
    instrument: Instrument
    action: BulkAction
    unit: Unit | None
    answers: list[Answer]
    units: dict[int, set[int]]  # answer id -> its units
    window: tuple[datetime | None, datetime | None]  # the period's
    extensions: dict[int, datetime]  # unit id -> its extension's end
    now: datetime


def bulk_preview(
    *,
    actor,
    period_id: int,
    action: str,
    scope: BulkScope,
    until: datetime | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Which answers the action would change, and which it would skip and why; changes
    nothing. The same permission as the action itself. `until`, for an extension: checked
    as the action will check it, so a date already past is refused before the confirmation."""
    batch = _batch(actor, period_id, action, scope, now, lock=False)
    if until is not None and batch.action is BulkAction.EXTEND:
        _checked_until(batch, until)
    affected, skipped = _sorted(batch, None)
    until = batch.extensions.get(batch.unit.pk) if batch.unit else None
    return BulkResult(batch.action, affected, skipped, unit=batch.unit, until=until)


@transaction.atomic
def bulk_apply(
    *,
    actor,
    period_id: int,
    action: str,
    scope: BulkScope,
    reason: str,
    until: datetime | None = None,
    expected_versions: Mapping[int, int] | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Carry out the action on every answer of `scope` it applies to, with `reason` recorded
    on each (and, for reopen and return, left as a comment for the unit). `until`: the end
    of an extension. `expected_versions` (answer id -> version, from the preview): an answer
    whose version differs, or that was not in the preview, is skipped as changed meanwhile."""
    batch = _batch(actor, period_id, action, scope, now, lock=True)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            _("Say why: the reason is recorded on every answer."),
            details=[{"location": "reason", "message": str(_("A reason is required."))}],
        )
    if batch.action is BulkAction.EXTEND:
        until = _checked_until(batch, until)
        expected_versions = None  # an extension leaves the answers as they are
    affected, skipped = _sorted(batch, expected_versions)
    result = BulkResult(batch.action, affected, skipped, uuid.uuid4().hex[:12], batch.unit, until)
    if batch.action is BulkAction.EXTEND:
        _extend(actor, batch, result, reason)
    else:
        _reopen_or_return(actor, batch, result, reason)
    return result


# --- the batch ----------------------------------------------------------------------------


def _batch(actor, period_id, action, scope: BulkScope, now, *, lock: bool) -> _Batch:
    period = Period.objects.select_related("institution").filter(pk=period_id).first()
    access = access_for(actor, period.institution_id) if period else None
    if not access:
        raise NotFound(_("Period not found."))
    require(access, Capability.MANAGE_PERIOD)
    try:
        action = BulkAction(action)
    except ValueError:
        raise InvalidInput(_("Unknown bulk action: %(action)s") % {"action": action}) from None
    instrument = instrument_of(period)
    answers, unit = _scoped(period, instrument, action, scope)
    if lock:
        answers = answers.select_for_update(of=("self",))
    answers = list(answers.select_related("updated_by").order_by("position"))
    missing = set(scope.answer_ids) - {answer.pk for answer in answers}
    if missing:
        raise InvalidInput(
            _("An answer is not part of this period."),
            details=[{"location": "answers", "message": str(sorted(missing))}],
        )
    if not answers:  # a unit responsible for no answer of the period
        where = "unit" if scope.unit_id is not None else "scope"
        raise InvalidInput(
            _("There is no answer in this scope."),
            details=[{"location": where, "message": str(_("Nothing to act on here."))}],
        )
    units: dict[int, set[int]] = {answer.pk: set() for answer in answers}
    links = AnswerUnit.objects.filter(answer_id__in=list(units)).values_list("answer_id", "unit_id")
    for answer_id, unit_id in links:
        units[answer_id].add(unit_id)
    return _Batch(
        period=period,
        instrument=instrument,
        action=action,
        unit=unit,
        answers=answers,
        units=units,
        window=self_assessment_window(period),
        extensions=unit_extensions(period),
        now=now or now_for(period.institution),  # its clock (a demo's is its story's)
    )


def _scoped(period, instrument, action, scope: BulkScope):
    chosen = [scope.unit_id is not None, bool(scope.aspect), bool(scope.answer_ids)]
    if sum(chosen) != 1:
        raise InvalidInput(
            _("Choose one scope: a unit, an aspect or a selection of answers."),
            details=[{"location": "scope", "message": str(_("Choose one scope."))}],
        )
    answers = Answer.objects.filter(period=period)
    unit = None
    if scope.unit_id is not None:
        unit = Unit.objects.filter(pk=scope.unit_id, institution_id=period.institution_id).first()
        if unit is None:
            raise InvalidInput(
                _("The unit is not part of this institution."),
                details=[{"location": "unit", "message": str(_("Choose a unit."))}],
            )
        answers = answers.filter(unit_links__unit=unit)
    elif scope.aspect:
        if scope.aspect not in instrument.aspects_by_code:
            raise InvalidInput(
                _("Unknown aspect: %(aspect)s") % {"aspect": scope.aspect},
                details=[{"location": "aspect", "message": str(_("Choose an aspect."))}],
            )
        numbers = [i.number for i in instrument.scored_items if i.aspect == scope.aspect]
        answers = answers.filter(indicator__in=numbers)
    else:
        answers = answers.filter(pk__in=scope.answer_ids)
    if action is BulkAction.EXTEND and unit is None:
        raise InvalidInput(
            _("A deadline is extended for a unit: choose a unit as the scope."),
            details=[{"location": "scope", "message": str(_("Choose a unit."))}],
        )
    return answers, unit


def _sorted(batch: _Batch, expected: Mapping[int, int] | None):
    """(the answers the action applies to, the others with why). The action's own refusal
    comes first: an answer the preview skipped, and skips again, keeps its reason rather than
    being reported as changed meanwhile (the versions sent back are the affected answers')."""
    affected, skipped = [], []
    for answer in batch.answers:
        reason = _refusal(batch, answer) or _changed_meanwhile(answer, expected)
        if reason:
            skipped.append(Skipped(answer, str(reason)))
        else:
            affected.append(answer)
    return affected, skipped


def _changed_meanwhile(answer: Answer, expected: Mapping[int, int] | None) -> str | None:
    if expected is None:
        return None
    if answer.pk not in expected:
        return str(_("Not in the preview (it changed meanwhile): look at the preview again."))
    if expected[answer.pk] != answer.version:
        who = str(answer.updated_by) if answer.updated_by_id else str(_("someone"))
        return str(_("Changed by %(who)s since the preview; left as they saved it.") % {"who": who})
    return None


def _refusal(batch: _Batch, answer: Answer) -> str | None:
    """Why the action does not apply to this answer (None: it does)."""
    if refusal := imported_refusal(batch.instrument, answer.indicator):
        return str(refusal)
    window = extended_window(batch.window, batch.extensions, batch.units[answer.pk])
    if batch.action is BulkAction.REOPEN:
        if problem := rules.reopen_problem(answer):
            return problem
        if answer.status == Status.DRAFT and not self_assessment_problem(answer, window, batch.now):
            return str(_("A draft the unit can still edit: nothing to reopen."))
        return None
    if batch.action is BulkAction.RETURN:
        if problem := self_assessment_problem(answer, window, batch.now):
            return problem
        return rules.return_problem(answer)
    if answer.reopened:
        return str(_("Reopened: the unit can edit it whatever the deadline."))
    if answer.status == Status.FINAL:
        return str(_("Locked as final mandiri: an extension does not unlock it; reopen it too."))
    return None


# --- the actions --------------------------------------------------------------------------


def _reopen_or_return(actor, batch: _Batch, result: BulkResult, reason: str) -> None:
    before = {answer.pk: answer_snapshot(answer) for answer in result.affected}
    changes = {"status": Status.RETURNED, "verified_level": None, "verified_level_fraction": ""}
    if batch.action is BulkAction.REOPEN:
        changes["reopened"] = True
    Answer.objects.filter(pk__in=list(before)).update(
        **changes,
        version=F("version") + 1,
        updated_by=actor,
        updated_at=batch.now,
    )
    Comment.objects.bulk_create(
        Comment(answer=answer, author=actor, body=reason, created_at=batch.now)
        for answer in result.affected
    )
    for answer in result.affected:  # as stored now, for the events and the caller
        answer.status, answer.verified_level = Status.RETURNED, None
        answer.reopened = answer.reopened or batch.action is BulkAction.REOPEN
        answer.version += 1
    action = f"answer.{batch.action.value}"
    audit_record_many(
        actor=actor,
        institution_id=batch.period.institution_id,
        at=batch.now,
        entries=[
            {
                "action": action,
                "obj": answer,
                "period_id": batch.period.pk,
                "answer_id": answer.pk,
                "before": before[answer.pk],
                "after": {**answer_snapshot(answer), "bulk": result.bulk_id},
                "reason": reason,
            }
            for answer in result.affected
        ],
    )


def _checked_until(batch: _Batch, until: datetime | None) -> datetime:
    closes = batch.window[1]
    if until is None:
        raise InvalidInput(
            _("Give the date the unit's self-assessment closes."),
            details=[{"location": "until", "message": str(_("A date is required."))}],
        )
    if timezone.is_naive(until):
        raise InvalidInput(_("The extension's date needs a time zone."))
    if closes is None:
        raise InvalidInput(_("The period has no self-assessment close to extend."))
    if until <= closes or until <= batch.now:
        when = formats.date_format(timezone.localtime(max(closes, batch.now)), "DATETIME_FORMAT")
        raise InvalidInput(
            _("The extension must end after %(when)s.") % {"when": when},
            details=[{"location": "until", "message": str(_("Choose a later date."))}],
        )
    return until


def _extend(actor, batch: _Batch, result: BulkResult, reason: str) -> None:
    unit, until = batch.unit, result.until
    extension = (
        DeadlineExtension.objects.select_for_update().filter(period=batch.period, unit=unit).first()
    )
    previous = extension.until if extension else None
    if extension is None:
        extension = DeadlineExtension(period=batch.period, unit=unit)
    extension.until, extension.reason = until, reason
    extension.granted_by, extension.granted_at = actor, batch.now
    extension.save()
    after_extensions = {**batch.extensions, unit.pk: until}

    def closes(answer, extensions):
        return extended_window(batch.window, extensions, batch.units[answer.pk])[1]

    common = {"period_id": batch.period.pk, "reason": reason}
    entries = [
        {
            **common,
            "action": "period.extend_deadline",
            "obj": extension,
            "before": {"unit": unit.code, "until": previous},
            "after": {"unit": unit.code, "until": until, "bulk": result.bulk_id},
        }
    ]
    entries += [
        {
            **common,
            "action": "answer.extend_deadline",
            "obj": answer,
            "answer_id": answer.pk,
            "before": {"closes": closes(answer, batch.extensions)},
            "after": {"closes": closes(answer, after_extensions), "bulk": result.bulk_id},
        }
        for answer in result.affected
    ]
    institution_id = batch.period.institution_id
    audit_record_many(actor=actor, institution_id=institution_id, at=batch.now, entries=entries)

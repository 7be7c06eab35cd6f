"""The external assessors' passes: document review, interview, site visit, final level."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.core.engine import value_problem
from monev.core.numbers import value_text
from monev.evaluations.hooks import may_assess
from monev.evaluations.models import Answer, AssessorPass
from monev.evaluations.services import rules
from monev.evaluations.services.common import answer_for
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.lib.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from monev.lib.stamps import stamp

Stage = AssessorPass.Stage


def recorded(value: Decimal | None) -> str | None:
    """A value as the audit history and a conflict's `current` keep it: as it reads back
    exactly ("2.00", "1.1666666667", "7/6" - not 7/6's ten-place digits)."""
    return None if value is None else value_text(value)


def _pass_state(assessor_pass: AssessorPass | None) -> dict:
    if assessor_pass is None:
        return {}
    return {
        "stage": assessor_pass.stage,
        "level": recorded(assessor_pass.level),
        "notes": assessor_pass.notes,
        "institution_response": assessor_pass.institution_response,
        "computed_level": recorded(assessor_pass.computed_level),
        "level_entered": assessor_pass.level_entered,
        "version": assessor_pass.version,
    }


def _indicator(instrument, answer: Answer):
    return instrument.indicators_by_number[instrument.items_by_number[answer.indicator].indicator]


def _existing(answer: Answer, stage: str) -> AssessorPass | None:
    return AssessorPass.objects.select_for_update().filter(answer=answer, stage=stage).first()


def _check_pass_version(existing: AssessorPass | None, expected_version: int) -> None:
    current = existing.version if existing else 0
    if current != expected_version:
        raise Conflict(
            _("Someone else saved this assessment meanwhile; their version is shown."),
            current=_pass_state(existing),
        )


@transaction.atomic
def assessor_pass_save(
    *,
    actor,
    answer_id: int,
    stage: str,
    level: Decimal,
    notes: str,
    expected_version: int,
) -> AssessorPass:
    """Record an external assessor's level and notes at one stage. `expected_version` is 0
    when the stage has no judgement yet."""
    target = answer_for(actor, answer_id, Capability.ASSESS)
    answer = target.answer
    if stage not in Stage.values:
        raise InvalidInput(_("Unknown stage: %(stage)s") % {"stage": stage})
    if problem := rules.assessment_problem(answer):
        raise InvalidTransition(problem)
    if (
        stage != Stage.DOCUMENT
        and not AssessorPass.objects.filter(answer=answer, stage=Stage.DOCUMENT).exists()
    ):
        raise InvalidTransition(_("The document review comes first."))
    instrument = target.instrument()
    if not may_assess(actor, answer, instrument):
        raise Forbidden(_("You are not assigned to assess this aspect."))
    if problem := value_problem(instrument, instrument.items_by_number[answer.indicator], level):
        raise InvalidInput(problem, details=[{"location": "level", "message": problem}])
    # Where the items are judged one by one (pemdi-2026), a level entered directly stands
    # beside the value the items give, and says why.
    by_items = instrument.item_rule is not None and not _indicator(instrument, answer).imported
    if by_items and not notes.strip():
        problem = _(
            "A level entered directly needs a note saying why (this instrument judges items)."
        )
        raise InvalidInput(problem, details=[{"location": "notes", "message": problem}])
    existing = _existing(answer, stage)
    _check_pass_version(existing, expected_version)
    before = _pass_state(existing)
    assessor_pass = existing or AssessorPass(answer=answer, stage=stage, version=0)
    assessor_pass.level, assessor_pass.notes = level, notes.strip()
    assessor_pass.level_entered = by_items
    assessor_pass.assessor = actor
    assessor_pass.version += 1
    now = now_for(answer.period.institution)  # a demo institution's is its story's
    stamp(assessor_pass, now).save()
    audit_record(
        actor=actor,
        action=f"assessment.{stage}",
        obj=assessor_pass,
        institution_id=answer.period.institution_id,
        period_id=answer.period_id,
        answer_id=answer.pk,
        before=before,
        after=_pass_state(assessor_pass),
        at=now,
    )
    return assessor_pass


@transaction.atomic
def assessor_response_save(
    *, actor, answer_id: int, response: str, expected_version: int
) -> AssessorPass:
    """The institution's clarification or objection to the provisional (document review)
    level, for the interview."""
    target = answer_for(actor, answer_id, Capability.RESPOND_TO_ASSESSOR)
    existing = _existing(target.answer, Stage.DOCUMENT)
    if problem := rules.response_problem(existing is not None):
        raise InvalidTransition(problem)
    _check_pass_version(existing, expected_version)
    before = _pass_state(existing)
    existing.institution_response = response.strip()
    existing.version += 1
    now = now_for(target.period.institution)
    stamp(existing, now).save(update_fields=["institution_response", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.response",
        obj=existing,
        institution_id=target.period.institution_id,
        period_id=target.answer.period_id,
        answer_id=target.answer.pk,
        before=before,
        after=_pass_state(existing),
        at=now,
    )
    return existing

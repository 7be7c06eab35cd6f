"""Item-level assessment (pemdi-2026): the external assessor judges each evidence item of each
level; the pass's value follows from the items by the instrument's item rule, unless the
assessor entered the level directly (with a note), in which case both are kept and shown.

Only what the assessor decided is stored (accepted / needs revision, with the reason). An item
above a rejected level is automatically rejected when read (`monev.core.items.cascade`), so a
correction at a lower level lifts the rejection above it without touching those rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.core.items import ItemStatus, item_weights, items_of, value_from_items
from monev.core.model import Indicator, Instrument
from monev.evaluations.hooks import may_assess
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement
from monev.evaluations.services import rules
from monev.evaluations.services.assessment import _check_pass_version, _existing, _pass_state
from monev.evaluations.services.common import answer_for
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.lib.errors import Forbidden, InvalidInput, InvalidTransition
from monev.lib.stamps import stamp

Stage = AssessorPass.Stage
Status = ItemJudgement.Status
Reason = ItemJudgement.Reason
PENDING = ItemStatus.PENDING.value  # clears a judgement


@dataclass(frozen=True)
class ItemDecision:
    """One item's judgement as a page or the API sends it."""

    level: int
    position: int
    status: str  # accepted | revision | pending (clears the judgement)
    reason_kind: str = ""  # for revision: not_appropriate | not_uploaded | other
    reason: str = ""  # the assessor's words; required with `other`


def indicator_of(instrument: Instrument, answer: Answer) -> Indicator:
    item = instrument.items_by_number[answer.indicator]
    return instrument.indicators_by_number[item.indicator]


def item_assessment_problem(instrument: Instrument, indicator: Indicator) -> str | None:
    """Why this answer's items cannot be judged one by one, or None when they can."""
    if instrument.item_rule is None:
        return str(
            _(
                "The instrument %(instrument)s has no item-level assessment; enter the level "
                "directly."
            )
            % {"instrument": instrument.short_name}
        )
    if indicator.imported:
        return str(
            _(
                "Indicator %(number)s takes its value from another agency's index; its items "
                "are not judged here."
            )
            % {"number": indicator.number}
        )
    return None


def judged_statuses(
    instrument: Instrument, indicator: Indicator, stored: Iterable[ItemJudgement]
) -> dict[int, list[ItemStatus]]:
    """Every item of every level of the rule, in the instrument's order: the stored status,
    or pending. Rows for items the instrument no longer lists are ignored."""
    levels = {
        level: [ItemStatus.PENDING] * len(texts)
        for level, texts in items_of(indicator, instrument).items()
    }
    for judgement in stored:
        statuses = levels.get(judgement.level)
        if statuses is not None and judgement.position < len(statuses):
            statuses[judgement.position] = ItemStatus(judgement.status)
    return levels


def computed_value(
    instrument: Instrument, indicator: Indicator, stored: Iterable[ItemJudgement]
) -> Decimal:
    """The exact value the item rule gives (7/6 for 1 of 3 equal items at level 1): stored
    unrounded, so nothing is rounded between the judgement and the index."""
    assert instrument.item_rule is not None
    judged = judged_statuses(instrument, indicator, stored)
    return value_from_items(instrument.item_rule, judged, item_weights(indicator, instrument))


def _clean(
    decisions: Iterable[ItemDecision], items: Mapping[int, tuple[str, ...]]
) -> list[ItemDecision]:
    """The decisions checked against the instrument's items; every problem at once, each
    located as items[<n>].<field>."""
    cleaned, problems, seen = [], [], set()

    def problem(index: int, field: str, message) -> None:
        problems.append({"location": f"items[{index}].{field}", "message": str(message)})

    for index, decision in enumerate(decisions):
        level, position = decision.level, decision.position
        texts = items.get(level)
        if texts is None:
            problem(index, "level", _("Level %(level)s has no items.") % {"level": level})
            continue
        if not 0 <= position < len(texts):
            problem(
                index,
                "position",
                _("Level %(level)s has no item %(position)s.")
                % {"level": level, "position": position},
            )
            continue
        if (level, position) in seen:
            problem(index, "position", _("This item is judged twice."))
            continue
        seen.add((level, position))
        status = decision.status
        reason_kind, reason = decision.reason_kind or "", (decision.reason or "").strip()
        if status not in (*Status.values, PENDING):
            problem(index, "status", _("Unknown item status: %(status)s") % {"status": status})
            continue
        if status == Status.REVISION:
            if reason_kind not in Reason.values:
                problem(index, "reason_kind", _("Say why the item needs revision."))
                continue
            if reason_kind == Reason.OTHER and not reason:
                problem(index, "reason", _("Describe what needs revision."))
                continue
        else:
            reason_kind, reason = "", ""
        cleaned.append(ItemDecision(level, position, status, reason_kind, reason))
    if problems:
        raise InvalidInput(_("Some item judgements could not be saved."), details=problems)
    return cleaned


@transaction.atomic
def items_judge(
    *,
    actor,
    answer_id: int,
    stage: str,
    decisions: Iterable[ItemDecision],
    expected_version: int,
    follow_items: bool = False,
) -> AssessorPass:
    """Judge items of one answer at one stage in one call, then recompute the value the item
    rule gives (`computed_level`). Unless the level was entered directly, it becomes the
    stage's level (the pass is created when missing). `expected_version` is the pass's
    version (0 when the stage has no pass yet); `follow_items` drops a direct entry so the
    level follows the items again."""
    target = answer_for(actor, answer_id, Capability.ASSESS)
    answer = target.answer
    if stage not in Stage.values:
        raise InvalidInput(_("Unknown stage: %(stage)s") % {"stage": stage})
    instrument = target.instrument()
    indicator = indicator_of(instrument, answer)
    if problem := item_assessment_problem(instrument, indicator):
        raise InvalidInput(problem)
    if problem := rules.assessment_problem(answer):
        raise InvalidTransition(problem)
    if (
        stage != Stage.DOCUMENT
        and not AssessorPass.objects.filter(answer=answer, stage=Stage.DOCUMENT).exists()
    ):
        raise InvalidTransition(_("The document review comes first."))
    if not may_assess(actor, answer, instrument):
        raise Forbidden(_("You are not assigned to assess this aspect."))
    cleaned = _clean(decisions, items_of(indicator, instrument))
    existing = _existing(answer, stage)
    _check_pass_version(existing, expected_version)
    before = _pass_state(existing)

    stored = {
        (j.level, j.position): j
        for j in ItemJudgement.objects.select_for_update().filter(answer=answer, stage=stage)
    }
    item_before, item_after = {}, {}
    to_create, to_update, to_delete = [], [], []
    for decision in cleaned:
        key = (decision.level, decision.position)
        current = stored.get(key)
        old = (current.status, current.reason_kind, current.reason) if current else None
        new = (
            None
            if decision.status == PENDING
            else (decision.status, decision.reason_kind, decision.reason)
        )
        if old == new:
            continue
        label = f"{decision.level}.{decision.position + 1}"
        item_before[label] = _describe(old)
        item_after[label] = _describe(new)
        if new is None:
            to_delete.append(current.pk)
            del stored[key]
        elif current is None:
            judgement = ItemJudgement(
                answer=answer,
                stage=stage,
                level=decision.level,
                position=decision.position,
                status=decision.status,
                reason_kind=decision.reason_kind,
                reason=decision.reason,
                assessor=actor,
            )
            to_create.append(judgement)
            stored[key] = judgement
        else:
            current.status, current.reason_kind, current.reason = new
            current.assessor = actor
            to_update.append(current)
    now = now_for(target.period.institution)  # a demo institution's is its story's
    for judgement in [*to_create, *to_update]:
        stamp(judgement, now)
    if to_delete:
        ItemJudgement.objects.filter(pk__in=to_delete).delete()
    if to_create:
        ItemJudgement.objects.bulk_create(to_create)
    for judgement in to_update:
        judgement.save(update_fields=["status", "reason_kind", "reason", "assessor", "updated_at"])

    computed = computed_value(instrument, indicator, stored.values())
    assessor_pass = existing or AssessorPass(answer=answer, stage=stage, version=0)
    assessor_pass.computed_level = computed
    if follow_items:
        assessor_pass.level_entered = False
    if not assessor_pass.level_entered:
        assessor_pass.level = computed
    assessor_pass.assessor = actor
    assessor_pass.version += 1
    stamp(assessor_pass, now).save()
    audit_record(
        actor=actor,
        action="assessment.items",
        obj=assessor_pass,
        institution_id=target.period.institution_id,
        period_id=answer.period_id,
        answer_id=answer.pk,
        before={**before, "items": item_before},
        after={**_pass_state(assessor_pass), "items": item_after},
        at=now,
    )
    return assessor_pass


def _describe(state) -> str | None:
    """An item's judgement as the audit event keeps it: "revision (not_appropriate: ...)"
    (the history shows it in words: monev.evaluations.history)."""
    if state is None:
        return None
    status, reason_kind, reason = state
    if status != Status.REVISION:
        return status
    return f"{status} ({reason_kind}{': ' + reason if reason else ''})"

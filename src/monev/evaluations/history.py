"""The audit trail as the pages show it: each event's label, the fields it changed (before and
after, in the UI language), an answer's history, and the indicator each answer stands for.

The trail is hash-chained and never rewritten: events recorded before the stored values became
English (evaluations.0005_english_values) keep the Indonesian ones - "assessment.dokumen",
status "diajukan", item "revisi (tidak_tepat)". They are read through monev.evaluations.legacy
and shown with the same labels as the events recorded since."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from monev.audit import selectors as audit_selectors
from monev.audit.models import AuditEvent
from monev.evaluations import legacy
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement, Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.selectors import ITEM_STATUS_LABELS

Stage = AssessorPass.Stage

ACTION_LABELS = {
    "period.create": _("Period created"),
    "period.set_target": _("Target set"),
    "period.assign_matrix": _("Responsible units assigned (matrix)"),
    "period.close_self_assessment": _("Self-assessment closed"),
    "milestone.set": _("Milestone set"),
    "milestone.delete": _("Milestone deleted"),
    "answer.save": _("Answer saved"),
    "answer.submit": _("Submitted (diajukan)"),
    "answer.verify": _("Verified (diverifikasi)"),
    "answer.return": _("Returned (dikembalikan)"),
    "answer.reopen": _("Reopened"),
    "answer.extend_deadline": _("Deadline extended (the unit's extension)"),
    "period.extend_deadline": _("A unit's deadline extended"),
    "answer.assign_units": _("Responsible units changed"),
    "answer.comment": _("Comment"),
    # An assessor pass's event is named after its stage (old events: after its old name).
    f"assessment.{Stage.DOCUMENT.value}": _("Document review level"),
    f"assessment.{Stage.INTERVIEW.value}": _("Interview level"),
    f"assessment.{Stage.VISITATION.value}": _("Site visit level"),
    f"assessment.{Stage.FINAL.value}": _("Final level"),
    "assessment.response": _("Institution's response"),
    "assessment.items": _("Items judged"),
    "evidence.upload": _("Evidence uploaded"),
    "evidence.create_link": _("Evidence link added"),
    "evidence.new_version": _("New evidence version"),
    "evidence.update": _("Evidence description changed"),
    "evidence.link": _("Evidence linked to the answer"),
    "evidence.unlink": _("Evidence removed from the answer"),
    "plan.create": _("Plan computed"),
    "plan.efforts_set": _("Efforts set"),
    "action_item.done": _("Action item done"),
    "action_item.reassign": _("Action item reassigned"),
    "snapshot.take": _("Snapshot taken"),
    "transition.generate": _("Crosswalk suggestions made"),
    "transition.accept": _("Crosswalk suggestion accepted"),
    "transition.reject": _("Crosswalk suggestion rejected"),
}


@dataclass
class Change:
    field: str
    before: str
    after: str


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# The audit events' field names as the history shows them, in the UI language; a name not
# listed is shown as it is (a matrix change's answer ids: by their indicators, see changes_of).
FIELD_LABELS = {
    "level": _("level"),
    "levels": _("levels"),
    "explanation": _("penjelasan"),
    "status": _("status"),
    "version": _("version"),
    "stage": _("stage"),
    "notes": _("assessor's notes"),
    "institution_response": _("institution's response"),
    "computed_level": _("value computed from items"),
    "level_entered": _("level entered directly"),
    "items": _("items"),
    "comment": _("comment"),
    "units": _("units"),
    "evidence": _("evidence"),
    "year": _("year"),
    "kind": _("kind"),
    "instrument": _("instrument"),
    "target": _("target index"),
    "title": _("title"),
    "milestones": _("milestones"),
    "schedule": _("default schedule"),
    "carried_over_from": _("carried over from period"),
    "answers_locked": _("answers locked"),
    "at": _("date"),
    "bulk": _("bulk action"),
    "closes": _("self-assessment closes"),
    "until": _("open until"),
    "unit": _("unit"),
    **dict(Milestone.Kind.choices),
}


def _choice_text(choices, value, old_values) -> str:
    """A stored choice by its label (an old value by its new value's label); else as it is."""
    value = legacy.current(value, old_values)
    return str(choices(value).label) if value in choices.values else _text(value)


def _item_text(described: str | None) -> str:
    """One item's judgement as an event keeps it ("revision (not_appropriate: why)", or in
    an old event "revisi (tidak_tepat: why)"; None: not judged) in words."""
    if not described:
        return _text(None)
    status, _paren, rest = described.partition(" (")
    status = legacy.current(status, legacy.ITEM_STATUSES)
    words = str(ITEM_STATUS_LABELS.get(status, status))
    kind, _colon, reason = rest.removesuffix(")").partition(": ")
    kind = legacy.current(kind, legacy.REASONS)
    if kind in ItemJudgement.Reason.values:
        kind = str(ItemJudgement.Reason(kind).label)
    detail = ": ".join(part for part in (kind, reason) if part)
    return f"{words} ({detail})" if detail else words


def _value_text(action: str, key: str, value) -> str:
    """A field's value as the history shows it: an answer's status, a pass's stage and the
    items judged by their labels, whether recorded before or after the values changed."""
    if key == "status" and action.startswith("answer."):
        return _choice_text(Answer.Status, value, legacy.ANSWER_STATUSES)
    if key == "stage" and action.startswith("assessment."):
        return _choice_text(Stage, value, legacy.STAGES)
    if key == "items" and action == "assessment.items" and isinstance(value, dict):
        return "; ".join(f"{n}: {_item_text(v)}" for n, v in value.items()) or _text(None)
    return _text(value)


def _field_text(event: AuditEvent, key: str, indicators: dict[int, str]) -> str:
    """A field's name in the UI language; in a matrix change (keyed by answer id), the
    answer's indicator ("11. Arsitektur SPBE")."""
    if event.action == "period.assign_matrix" and key.isdigit() and int(key) in indicators:
        return indicators[int(key)]
    return str(FIELD_LABELS.get(key, key))


def changes_of(event: AuditEvent, indicators: dict[int, str] | None = None) -> list[Change]:
    """What the event changed. `indicators` (indicator_labels: answer id -> label) names the
    answers of a matrix change; without it they stay ids."""
    keys = list(dict.fromkeys([*event.before, *event.after]))
    return [
        Change(
            _field_text(event, key, indicators or {}),
            _value_text(event.action, key, event.before.get(key)),
            _value_text(event.action, key, event.after.get(key)),
        )
        for key in keys
        if event.before.get(key) != event.after.get(key)
    ]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(legacy.current_action(action), action)


def answer_history(answer_id: int) -> list[dict]:
    events = audit_selectors.answer_events(answer_id)
    return [{"event": e, "label": action_label(e.action), "changes": changes_of(e)} for e in events]


def indicator_numbers(period: Period) -> dict[int, str]:
    """The indicator number of each of the period's answers (the audit CSV's column)."""
    return dict(Answer.objects.filter(period=period).values_list("pk", "indicator"))


def indicator_labels(period: Period, numbers: dict[int, str] | None = None) -> dict[int, str]:
    """Each of the period's answers by its indicator's number and short name ("11. Arsitektur
    SPBE"; Instrument.item_labels): the audit page's column and the CSV's label. One query,
    none with `numbers` (indicator_numbers) given."""
    numbers = indicator_numbers(period) if numbers is None else numbers
    instrument = instrument_of(period)
    return {pk: instrument.label_of(number) for pk, number in numbers.items()}

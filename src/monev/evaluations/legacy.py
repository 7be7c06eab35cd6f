"""The values the evaluation cycle's choices were stored under before migration
`evaluations.0005_english_values`, and what each one is now.

Identifiers are English; Indonesian is for the official terms users see, the labels (issue 16).
The migration rewrote every row, but two places keep the old values and are never rewritten:
the audit trail (hash-chained: an event keeps the values it was recorded with) and clients of
API v1 written before the change, which may still send them (deprecated). Both read them
through `current`, so an old value shows the label of the new one and does what it did.
"""

from __future__ import annotations

from collections.abc import Mapping

from monev.core.items import ItemStatus
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement

Status, Stage = Answer.Status, AssessorPass.Stage

ANSWER_STATUSES: dict[str, str] = {
    "diajukan": Status.SUBMITTED.value,
    "dikembalikan": Status.RETURNED.value,
    "diverifikasi": Status.VERIFIED.value,
    "final_mandiri": Status.FINAL.value,
}
STAGES: dict[str, str] = {
    "dokumen": Stage.DOCUMENT.value,
    "interviu": Stage.INTERVIEW.value,
    "visitasi": Stage.VISITATION.value,
}
# An item's status as judged (stored) and as read (the two that are never stored, too).
ITEM_STATUSES: dict[str, str] = {
    "diterima": ItemJudgement.Status.ACCEPTED.value,
    "revisi": ItemJudgement.Status.REVISION.value,
    "belum": ItemStatus.PENDING.value,
    "otomatis_ditolak": ItemStatus.AUTO_REJECTED.value,
}
REASONS: dict[str, str] = {
    "tidak_tepat": ItemJudgement.Reason.NOT_APPROPRIATE.value,
    "belum_diunggah": ItemJudgement.Reason.NOT_UPLOADED.value,
    "lainnya": ItemJudgement.Reason.OTHER.value,
}
# No old value names two things, so one mapping serves wherever the kind is not known.
LEGACY_VALUES: dict[str, str] = {**ANSWER_STATUSES, **STAGES, **ITEM_STATUSES, **REASONS}


def current(value, legacy: Mapping[str, str] = LEGACY_VALUES):
    """`value` as it is stored now: an old value becomes its new one, anything else (a new
    value, an unknown one, None) is returned unchanged."""
    return legacy.get(value, value) if isinstance(value, str) else value


def current_action(action: str) -> str:
    """An audit action as it is recorded now: "assessment.dokumen" -> "assessment.document_review"
    (an assessor pass's event is named after its stage)."""
    kind, _dot, stage = action.partition(".")
    return f"{kind}.{STAGES[stage]}" if kind == "assessment" and stage in STAGES else action

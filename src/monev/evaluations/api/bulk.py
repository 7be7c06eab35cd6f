"""Bulk actions through the API: reopen, return, or extend a unit's self-assessment deadline
for many answers of a period at once, with one reason (services.bulk, as the page
/periode/ID/tindakan-massal/). Preview first, then send its `expected_versions` back with the
action: an answer changed in between is skipped and reported, never overwritten."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from monev.evaluations import services
from monev.evaluations.api.routers import periods_router
from monev.evaluations.api.schemas import AnswerStatusOut
from monev.evaluations.api.shaping import unit_out
from monev.evaluations.models import Answer
from monev.evaluations.services.bulk import ACTION_LABELS, BulkAction, BulkResult, BulkScope
from monev.lib.api_schemas import WRITE_ERRORS, DateTimeIn, Id, UnitOut, Version

BulkActionName = Literal[tuple(action.value for action in BulkAction)]  # type: ignore[valid-type]
ACTION_DESCRIPTION = (
    "reopen: the answers become editable by their units again whatever the deadline "
    "(status returned, verified level cleared; not an imported indicator, not one already "
    "reopened, not a draft the unit can still edit); return: submitted or verified answers go "
    "back to their units, within the self-assessment window; extend: one unit's answers stay "
    "open until `until` (the scope must be a unit; final or reopened answers are not changed)"
)

# --- input ------------------------------------------------------------------------------------


class BulkScopeIn(Schema):
    unit_id: Id | None = Field(
        None, description="the answers this unit is responsible for", examples=[3]
    )
    aspect: str = Field(
        "", max_length=20, description="the answers of this aspect, by its code", examples=["A1"]
    )
    answer_ids: list[Id] = Field(
        default_factory=list,
        max_length=1000,
        description="a selection of the period's answers, by id",
        examples=[[101, 102, 107]],
    )


SCOPE = Field(
    description="exactly one of `unit_id`, `aspect` or `answer_ids`",
    examples=[{"unit_id": 3}],
)
UNTIL = Field(
    None,
    description="extend only: when the unit's self-assessment closes now, ISO 8601 with a "
    "UTC offset, after the period's close and after now; required by the action, checked by "
    "the preview when given",
    examples=["2025-09-01T23:59:00+07:00"],
)


class BulkPreviewIn(Schema):
    action: BulkActionName = Field(  # type: ignore[valid-type]
        description=ACTION_DESCRIPTION, examples=["reopen"]
    )
    scope: BulkScopeIn = SCOPE
    until: DateTimeIn | None = UNTIL


class BulkApplyIn(BulkPreviewIn):
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="why (required): recorded on every answer's audit event, and left as a "
        "comment for the unit on reopen and return",
        examples=["Bukti dukung baru dari Diskominfo; mohon diperbaiki."],
    )
    expected_versions: dict[int, Version] | None = Field(
        None,
        description="answer id -> version, as the preview gave them: an answer whose version "
        "differs, or that was not in the preview, is skipped (reported with why), not "
        "overwritten. Omitted: the answers are taken as they are now. Not used by extend, "
        "which changes no answer",
        json_schema_extra={"propertyNames": {"pattern": "^[0-9]+$"}},
        examples=[{"101": 3, "102": 5}],
    )


# --- output -----------------------------------------------------------------------------------


class BulkAnswerOut(Schema):
    id: int
    number: str = Field(description="the instrument's item number", examples=["11"])
    status: AnswerStatusOut  # type: ignore[valid-type]
    status_label: str
    reopened: bool
    version: int = Field(description="as it is now (after the action: as the action left it)")


class BulkSkippedOut(BulkAnswerOut):
    reason: str = Field(
        description="why the action leaves it as it is, in the request's language",
        examples=["Hanya jawaban yang diajukan atau diverifikasi yang dapat dikembalikan."],
    )


class BulkResultOut(Schema):
    action: BulkActionName  # type: ignore[valid-type]
    action_label: str
    bulk_id: str | None = Field(
        description="the batch: on every audit event it wrote (`after.bulk`); null in a preview",
        examples=["9f2c4e1a7b30"],
    )
    affected_count: int
    skipped_count: int
    affected: list[BulkAnswerOut] = Field(
        description="preview: the answers the action would change; after it: those it changed"
    )
    skipped: list[BulkSkippedOut] = Field(description="the others in scope, each with why")
    expected_versions: dict[str, int] = Field(
        description="the affected answers' versions: after a preview, send them back as "
        "`expected_versions` with the action",
        examples=[{"101": 3, "102": 5}],
    )
    unit: UnitOut | None = Field(description="the unit of the scope (extend: the unit extended)")
    until: datetime | None = Field(
        description="extend: after the action, the unit's new close; in a preview, the "
        "extension the unit has now (null: none)"
    )


def _answer_out(answer: Answer) -> dict:
    return {
        "id": answer.pk,
        "number": answer.indicator,
        "status": answer.status,
        "status_label": str(Answer.Status(answer.status).label),
        "reopened": answer.reopened,
        "version": answer.version,
    }


def _result_out(result: BulkResult) -> dict:
    return {
        "action": result.action.value,
        "action_label": str(ACTION_LABELS[result.action]),
        "bulk_id": result.bulk_id or None,
        "affected_count": len(result.affected),
        "skipped_count": len(result.skipped),
        "affected": [_answer_out(answer) for answer in result.affected],
        "skipped": [{**_answer_out(s.answer), "reason": s.reason} for s in result.skipped],
        "expected_versions": {str(pk): version for pk, version in result.versions.items()},
        "unit": unit_out(result.unit) if result.unit else None,
        "until": result.until,
    }


def _scope(payload: BulkScopeIn) -> BulkScope:
    return BulkScope(
        unit_id=payload.unit_id, aspect=payload.aspect, answer_ids=tuple(payload.answer_ids)
    )


@periods_router.post(
    "/{period_id}/bulk-actions/preview",
    response={200: BulkResultOut, **WRITE_ERRORS},
    summary="Preview a bulk action",
)
def bulk_preview(request, period_id: Id, payload: BulkPreviewIn):
    """Which answers of the scope the action would change, and which it would leave, with why;
    changes nothing. Send the `expected_versions` it gives back with the action. For the
    koordinator or admin of the institution (403 for other roles, 404 outside it); 422 for
    an unknown unit or aspect, an answer of another period, a scope that is not exactly one
    of unit, aspect and selection, an empty scope, or an extension's date already past."""
    result = services.bulk_preview(
        actor=request.auth,
        period_id=period_id,
        action=payload.action,
        scope=_scope(payload.scope),
        until=payload.until,
    )
    return _result_out(result)


@periods_router.post(
    "/{period_id}/bulk-actions",
    response={200: BulkResultOut, **WRITE_ERRORS},
    summary="Apply a bulk action",
)
def bulk_apply(request, period_id: Id, payload: BulkApplyIn):
    """Reopen, return, or extend a unit's deadline for every answer of the scope it applies
    to, in one transaction, with `reason` recorded on each answer's audit event (all marked
    with the batch's `bulk_id`). Answers it does not apply to, or changed since the preview
    (`expected_versions`), are listed in `skipped` with why. The same permissions and 422s
    as the preview, and a reason is required."""
    result = services.bulk_apply(
        actor=request.auth,
        period_id=period_id,
        action=payload.action,
        scope=_scope(payload.scope),
        reason=payload.reason,
        until=payload.until,
        expected_versions=payload.expected_versions,
    )
    return _result_out(result)

"""Item-level assessment (pemdi-2026) through the API."""

from __future__ import annotations

from monev.evaluations import selectors, services
from monev.evaluations.api.routers import answers_router
from monev.evaluations.api.schemas import ItemSheetOut, ItemsIn, StageName
from monev.evaluations.api.shaping import exact_out, level_out
from monev.lib.api_schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Id,
)


def item_sheet_out(sheet: selectors.ItemSheet) -> dict:
    rule = sheet.rule
    current = sheet.assessor_pass
    return {
        "answer_id": sheet.answer.pk,
        "number": sheet.answer.indicator,
        "stage": sheet.stage,
        "stage_label": str(sheet.stage_label),
        "stages_judged": sheet.stages_judged,
        "version": sheet.version,
        "computed_level": level_out(sheet.computed),
        "computed_level_exact": exact_out(sheet.computed),
        "weights_known": sheet.weights_known,
        "weights_unknown_level": None if sheet.weights_known else sheet.computed_at_level,
        "level": level_out(current.level) if current else None,
        "entered_level": level_out(sheet.entered),
        "differs": sheet.differs,
        "provisional": sheet.instrument.provisional,
        "rule": {"method": rule.method, "confidence": rule.confidence.value, "note": rule.note},
        "levels": [
            {
                "level": level.level,
                "name": level.name,
                "accepted": level.accepted,
                "total": len(level.items),
                "items": [
                    {
                        "level": item.level,
                        "position": item.position,
                        "number": item.number,
                        "text": item.text,
                        "status": item.status,
                        "status_label": str(item.status_label),
                        "judged": item.judged,
                        "reason_kind": item.reason_kind,
                        "reason": item.reason,
                        "reason_text": item.reason_text,
                        "assessor": item.assessor,
                        "updated_at": item.updated_at,
                    }
                    for item in level.items
                ],
            }
            for level in sheet.levels
        ],
    }


@answers_router.get(
    "/{answer_id}/items",
    response={200: ItemSheetOut, 422: ErrorOut, **READ_ERRORS},
    summary="Item-level assessment",
)
def answer_items_get(request, answer_id: Id, stage: StageName | None = None):  # type: ignore[valid-type]
    """Every evidence item of every level of the answer at one stage (pemdi-2026): its text,
    status (auto_rejected above a level not accepted), the reason for revision, the value
    the items give and the stage's level - and whether a directly entered level differs.
    Without `stage`: the latest stage with judgements, else document_review. Anyone who sees the
    answer may read it; 422 for an instrument without item-level assessment (spbe-2020) or
    an indicator scored from another agency's index."""
    sheet, _access = selectors.item_sheet_for_user(request.auth, answer_id, stage)
    return item_sheet_out(sheet)


@answers_router.put(
    "/{answer_id}/items",
    response={200: ItemSheetOut, **WRITE_ERRORS},
    summary="Judge items",
)
def answer_items_put(request, answer_id: Id, stage: StageName, payload: ItemsIn):  # type: ignore[valid-type]
    """Judge items of one answer at one stage in one call (asesor eksternal): accepted,
    revision (with `reason_kind`, and `reason` for other) or pending (clears); the old values
    diterima, revisi, belum and the old reasons are still accepted (deprecated). The stage's level
    then follows the items unless it was entered directly (PUT .../passes/{stage}).
    `version` is the stage pass's version: a stale one answers 409 with the current pass in
    `error.current`. Problems answer 422 with one detail per item, located as
    items[<index>].<field>."""
    services.items_judge(
        actor=request.auth,
        answer_id=answer_id,
        stage=stage,
        decisions=[
            services.ItemDecision(i.level, i.position, i.status, i.reason_kind, i.reason)
            for i in payload.items
        ],
        expected_version=payload.version,
        follow_items=payload.follow_items,
    )
    sheet, _access = selectors.item_sheet_for_user(request.auth, answer_id, stage)
    return item_sheet_out(sheet)

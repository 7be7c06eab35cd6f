"""Answers through the API: read, save, submit, verify, return, reopen, units, comments, passes."""

from __future__ import annotations

from ninja import Status

from monev.evaluations import selectors, services
from monev.evaluations.actions import detail_actions
from monev.evaluations.api.routers import answers_router
from monev.evaluations.api.schemas import (
    AnswerDetailOut,
    AnswerSaveIn,
    AnswerStateOut,
    CommentIn,
    CommentOut,
    PassIn,
    PassOut,
    ReopenIn,
    ResponseIn,
    ReturnIn,
    StageName,
    SubmitOut,
    UnitIdsOut,
    UnitsIn,
    VersionIn,
)
from monev.evaluations.api.shaping import (
    capabilities_out,
    comment_out,
    flags_out,
    level_out,
    pass_out,
    state_out,
    unit_out,
)
from monev.evaluations.hooks import submission_warnings
from monev.evaluations.models import AssessorPass
from monev.lib.api_schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Id,
)

# --- answers ---------------------------------------------------------------------------------


def _answer_step(service, request, answer_id: int, payload, **fields) -> dict:
    """A write on the answer from the version the caller read (`payload.version`; 409 if
    someone wrote since): the service as the caller, then the answer's new state. `fields`:
    what this step takes besides (the level, a note, a reason)."""
    answer = service(
        actor=request.auth, answer_id=answer_id, expected_version=payload.version, **fields
    )
    return state_out(answer)


@answers_router.get(
    "/{answer_id}", response={200: AnswerDetailOut, **READ_ERRORS}, summary="Answer detail"
)
def answer_detail(request, answer_id: Id):
    """One answer with its version (send it back with every write), the criteria and
    evidence of every level beside it, its units, comments, the external passes and flags,
    and what the caller may do on it."""
    detail = selectors.answer_detail(request.auth, answer_id)
    row = detail.row
    unit_ids = [unit.pk for unit in row.units]
    actions = detail_actions(request.auth, detail)
    passes = sorted(row.passes.values(), key=lambda p: AssessorPass.ORDER.index(p.stage))
    return {
        **state_out(row.answer),
        "indicator": row.indicator.number,
        "name": row.item.name,
        "aspect": row.item.aspect,
        "provisional_level": level_out(row.values["provisional"]),
        "final_level": level_out(row.values["final"]),
        "unit_ids": unit_ids,
        "units": [unit_out(u) for u in row.units],
        "institution_units": [unit_out(u) for u in detail.institution_units],
        "levels": detail.levels,
        "comments": [comment_out(c) for c in detail.comments],
        "passes": [pass_out(p) for p in passes],
        "flags": flags_out(row.flags),
        "my_capabilities": capabilities_out(detail.access, unit_ids),
        "actions": actions.as_dict(),
        "state_notes": actions.state,
    }


@answers_router.put(
    "/{answer_id}", response={200: AnswerStateOut, **WRITE_ERRORS}, summary="Save an answer"
)
def answer_save(request, answer_id: Id, payload: AnswerSaveIn):
    """Save the level and penjelasan. `version` is the one you read: if someone saved since,
    the answer is 409 with their saved state in `error.current`, and nothing is overwritten.
    Changing a submitted or verified answer sends it back to draft."""
    return _answer_step(
        services.answer_save,
        request,
        answer_id,
        payload,
        level=payload.level,
        explanation=payload.explanation,
    )


@answers_router.post(
    "/{answer_id}/submit", response={200: SubmitOut, **WRITE_ERRORS}, summary="Submit"
)
def answer_submit(request, answer_id: Id, payload: VersionIn):
    """Submit a draft or returned answer (diajukan) for the asesor internal's review. An
    answer whose evidence has readiness errors is submitted all the same: they are listed in
    `readiness_errors` (the answer page asks for a confirmation first)."""
    state = _answer_step(services.answer_submit, request, answer_id, payload)
    return {**state, "readiness_errors": flags_out(submission_warnings(answer_id))}


@answers_router.post(
    "/{answer_id}/verify", response={200: AnswerStateOut, **WRITE_ERRORS}, summary="Verify"
)
def answer_verify(request, answer_id: Id, payload: VersionIn):
    """Verify a submitted answer (asesor internal): its level becomes the verified level."""
    return _answer_step(services.answer_verify, request, answer_id, payload)


@answers_router.post(
    "/{answer_id}/return",
    response={200: AnswerStateOut, **WRITE_ERRORS},
    summary="Return with a note",
)
def answer_return(request, answer_id: Id, payload: ReturnIn):
    """Send a submitted or verified answer back to its unit (asesor internal); the note
    saying why is required and is added to the comments."""
    return _answer_step(services.answer_return, request, answer_id, payload, note=payload.note)


@answers_router.post(
    "/{answer_id}/reopen",
    response={200: AnswerStateOut, **WRITE_ERRORS},
    summary="Reopen after the deadline",
)
def answer_reopen(request, answer_id: Id, payload: ReopenIn):
    """Let an answer be edited again after the self-assessment closed (koordinator only);
    the reason is recorded."""
    return _answer_step(services.answer_reopen, request, answer_id, payload, reason=payload.reason)


@answers_router.put(
    "/{answer_id}/units",
    response={200: UnitIdsOut, **WRITE_ERRORS},
    summary="Set the responsible units",
)
def answer_units(request, answer_id: Id, payload: UnitsIn):
    """Replace the units responsible for this answer (koordinator)."""
    unit_ids = services.answer_assign_units(
        actor=request.auth, answer_id=answer_id, unit_ids=payload.unit_ids
    )
    return {"unit_ids": sorted(unit_ids)}


@answers_router.post(
    "/{answer_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="Comment"
)
def answer_comment(request, answer_id: Id, payload: CommentIn):
    """Add a comment to the answer's thread."""
    comment = services.comment_add(actor=request.auth, answer_id=answer_id, body=payload.body)
    return Status(201, comment_out(comment))


@answers_router.put(
    "/{answer_id}/passes/{stage}",
    response={200: PassOut, **WRITE_ERRORS},
    summary="Record an external assessment",
)
def answer_pass(request, answer_id: Id, stage: StageName, payload: PassIn):  # type: ignore[valid-type]
    """An asesor eksternal's level and notes at one stage: document_review first, then
    interview, visitation (optional) and final. Once the self-assessment is final mandiri.
    `version` is 0 for a stage not judged yet. The old stage names dokumen, interviu and
    visitasi are still accepted (deprecated)."""
    assessor_pass = services.assessor_pass_save(
        actor=request.auth,
        answer_id=answer_id,
        stage=stage,
        level=payload.level,
        notes=payload.notes,
        expected_version=payload.version,
    )
    return pass_out(assessor_pass)


@answers_router.put(
    "/{answer_id}/response",
    response={200: PassOut, **WRITE_ERRORS},
    summary="Respond to the provisional level",
)
def answer_response(request, answer_id: Id, payload: ResponseIn):
    """The institution's clarification or objection to the document-review level, for the
    interview (koordinator). `version` is the document-review pass's version."""
    assessor_pass = services.assessor_response_save(
        actor=request.auth,
        answer_id=answer_id,
        response=payload.response,
        expected_version=payload.version,
    )
    return pass_out(assessor_pass)

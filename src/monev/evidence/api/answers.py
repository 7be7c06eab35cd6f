"""Evidence on an answer through the API: link it at levels, unlink it, and the answer's
readiness checks."""

from __future__ import annotations

from ninja import Status

from monev.evaluations import selectors as evaluation_selectors
from monev.evidence import readiness, services
from monev.evidence.api.routers import router
from monev.evidence.api.schemas import LevelsIn, LinkLevelsOut, ReadinessOut
from monev.evidence.api.shaping import readiness_out
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, Id, SmallInt


@router.put(
    "/answers/{answer_id}/evidence/{evidence_id}",
    response={200: LinkLevelsOut, **WRITE_ERRORS},
    summary="Link evidence at levels",
)
def answer_evidence_put(request, answer_id: Id, evidence_id: Id, payload: LevelsIn):
    """Let the evidence support the answer at exactly these levels (links at other levels of
    this answer are removed). Needs the right to edit the answer."""
    levels = services.evidence_set_levels(
        actor=request.auth, answer_id=answer_id, evidence_id=evidence_id, levels=payload.levels
    )
    return {"answer_id": answer_id, "evidence_id": evidence_id, "levels": levels}


@router.delete(
    "/answers/{answer_id}/evidence/{evidence_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Unlink evidence",
)
def answer_evidence_delete(request, answer_id: Id, evidence_id: Id, level: SmallInt | None = None):
    """Remove the evidence from the answer: at every level, or only at `?level=`."""
    services.evidence_unlink(
        actor=request.auth, answer_id=answer_id, evidence_id=evidence_id, level=level
    )
    return Status(204, None)


@router.get(
    "/answers/{answer_id}/readiness",
    response={200: ReadinessOut, **READ_ERRORS},
    summary="Readiness checks",
)
def answer_readiness(request, answer_id: Id):
    """What an assessor would likely reject in the answer's evidence - each check with a code,
    a severity and a message saying what to do - and the per-level checklist of expected
    evidence with what is linked."""
    evaluation_selectors.answer_for_user(request.auth, answer_id)  # 404 if not visible
    return readiness_out(answer_id, readiness.answer_readiness(answer_id))

"""Assessor assignments and the assessor's queue through the API: the same selectors and
services as the pages (/evaluasi-nasional/penugasan/, /asesor/antrian/)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from monev.accounts.models import User
from monev.assignments import selectors, services
from monev.evaluations import legacy
from monev.evaluations.models import AssessorPass
from monev.institutions.access import scope_filter
from monev.institutions.models import Institution
from monev.lib.api_schemas import (
    ID_QUERY,
    READ_ERRORS,
    WRITE_ERRORS,
    YEAR_QUERY,
    ErrorOut,
    Id,
    choice_in,
)
from monev.lib.errors import InvalidInput, NotFound

router = Router(tags=["assignments"])
# The queue's stage filter: "" for every stage; the old stage names are still taken.
StageFilter = choice_in(["", *AssessorPass.Stage.values], legacy.STAGES, what="stage")


class AssignmentOut(Schema):
    id: int
    period_id: int
    institution_id: int
    institution_code: str
    institution_name: str
    year: int
    period_kind: str
    assessor: str = Field(description="the assessor's username")
    assessor_name: str
    aspects: list[str] = Field(description="aspect codes; empty: every aspect")
    assigned_by: str | None
    version: int = Field(description="raised on every change; send it back to change safely")
    created_at: datetime


class AssignmentIn(Schema):
    period_id: int | None = Field(None, description="the period; or institution and year")
    institution: str | None = Field(None, description="the institution's code")
    year: int | None = None
    kind: str = Field("", description="evaluasi or pemantauan; empty: the year's evaluation")
    assessor: str = Field(description="the assessor's username", examples=["asesor.budi"])
    aspects: list[str] = Field(default_factory=list, examples=[["A1", "A3"]])
    version: int | None = Field(
        None,
        ge=0,
        le=2**31,
        description="the version of this assessor's assignment you last read (0: you expect "
        "none); a change since then answers 409. Absent: no check.",
    )


def _out(assignment) -> dict:
    period = assignment.period
    return {
        "id": assignment.pk,
        "period_id": period.pk,
        "institution_id": period.institution_id,
        "institution_code": period.institution.code,
        "institution_name": period.institution.name,
        "year": period.year,
        "period_kind": period.kind,
        "assessor": assignment.assessor.username,
        "assessor_name": assignment.assessor.display_name,
        "aspects": list(assignment.aspects),
        "assigned_by": assignment.assigned_by.username if assignment.assigned_by_id else None,
        "version": assignment.version,
        "created_at": assignment.created_at,
    }


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], 403: ErrorOut, **READ_ERRORS},
    summary="Assessor assignments in the caller's evaluator scope",
)
def assignment_list(request, year: int | None = YEAR_QUERY, institution_id: Id | None = ID_QUERY):
    """Every assignment of an institution the caller's evaluator scope covers (403 without an
    evaluator scope), optionally of one year or one institution."""
    return [
        _out(a)
        for a in selectors.assignments_in_scope(
            request.auth, year=year, institution_id=institution_id
        )
    ]


def _period_id(user, body: AssignmentIn) -> int:
    if body.period_id is not None:
        return body.period_id
    if not body.institution or body.year is None:
        message = str(_("Give period_id, or institution and year."))
        raise InvalidInput(message, details=[{"location": "body", "message": message}])
    institution = Institution.objects.filter(scope_filter(user), code=body.institution).first()
    period = services.period_of(institution.pk, body.year, body.kind) if institution else None
    if period is None:
        raise NotFound(_("Period not found."))
    return period.pk


@router.post(
    "/assignments",
    response={201: AssignmentOut, 200: AssignmentOut, **WRITE_ERRORS},
    summary="Assign an external assessor to a period",
)
def assignment_create(request, body: AssignmentIn):
    """Assign the assessor (by username) to the period for `aspects` (empty: every aspect).
    201 when created (the assessor gains the asesor_eksternal membership if they lacked it);
    200 when the assessor was already assigned (their aspects are replaced). Needs an
    evaluator scope covering the institution (403 otherwise)."""
    selectors.require_evaluator(request.auth)
    period_id = _period_id(request.auth, body)
    assessor = User.objects.filter(username=body.assessor.strip()).first()
    if assessor is None:
        message = str(_("No active user has this username."))
        raise InvalidInput(message, details=[{"location": "assessor", "message": message}])
    assignment, created = services.assignment_set(
        request.auth,
        period_id=period_id,
        assessor_id=assessor.pk,
        aspects=body.aspects,
        expected_version=body.version,
    )
    assignment = (
        type(assignment)
        .objects.select_related("period__institution", "assessor", "assigned_by")
        .get(pk=assignment.pk)
    )
    return Status(201 if created else 200, _out(assignment))


@router.delete(
    "/assignments/{assignment_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an assessor assignment",
)
def assignment_delete(request, assignment_id: Id):
    """Unassign. The assessor's membership goes too when an assignment created it and this
    was their last assignment in the institution."""
    selectors.require_evaluator(request.auth)
    services.assignment_remove(request.auth, assignment_id=assignment_id)
    return Status(204, None)


class QueueItemOut(Schema):
    answer_id: int
    answer_version: int
    period_id: int
    year: int
    institution_id: int
    institution_name: str
    indicator: str
    indicator_name: str
    aspect: str
    stage: str = Field(
        description="the next stage: document_review, interview, visitation or final"
    )
    deadline: datetime | None = Field(description="the period's milestone for that stage")
    overdue: bool
    instrument: str
    provisional: bool = Field(description="the instrument is provisional (pemdi-2026)")


class QueueOut(Schema):
    total: int = Field(description="answers waiting, before the filters")
    items: list[QueueItemOut]


@router.get(
    "/assessor/queue",
    response={200: QueueOut, **READ_ERRORS},
    summary="The caller's assessment queue across institutions",
)
def assessor_queue(
    request,
    institution_id: Id | None = ID_QUERY,
    year: int | None = YEAR_QUERY,
    stage: StageFilter = "",  # type: ignore[valid-type]
):
    """Every final answer waiting for the caller's judgement at its next external stage, in
    every institution they are assigned to, within their assigned aspects; soonest deadline
    first."""
    queue = selectors.assessor_queue(
        request.auth, institution_id=institution_id, year=year, stage=stage
    )
    return {
        "total": queue.total,
        "items": [
            {
                "answer_id": row.answer.pk,
                "answer_version": row.answer.version,
                "period_id": row.period.pk,
                "year": row.period.year,
                "institution_id": row.institution.pk,
                "institution_name": row.institution.name,
                "indicator": row.answer.indicator,
                "indicator_name": str(row.indicator.name),
                "aspect": row.aspect,
                "stage": row.stage,
                "deadline": row.deadline,
                "overdue": row.overdue,
                "instrument": row.period.instrument_reference,
                "provisional": row.provisional,
            }
            for row in queue.rows
        ],
    }

"""Periods through the API: create, read, milestones, close, to-do, queue, unit matrix, audit."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Status
from ninja.pagination import paginate

from monev.audit import selectors as audit_selectors
from monev.evaluations import selectors, services
from monev.evaluations.api.routers import periods_router
from monev.evaluations.api.schemas import (
    AnswerListOut,
    AssignmentsIn,
    AssignmentsOut,
    AuditEventOut,
    CloseOut,
    MilestoneIn,
    MilestoneOut,
    PeriodCreateIn,
    PeriodOut,
    PeriodOverviewOut,
    PeriodPatchIn,
)
from monev.evaluations.api.shaping import (
    answer_list_out,
    capabilities_out,
    matrix_out,
    milestone_out,
    period_out,
    row_out,
    score_out,
    units_of_out,
)
from monev.evaluations.hooks import assigned_aspects
from monev.evaluations.models import Answer
from monev.institutions.access import require
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.lib.api_schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Id,
    Paged,
    resolved,
)
from monev.lib.errors import NotFound

# --- periods ---------------------------------------------------------------------------------


@periods_router.get("", response={200: list[PeriodOut], 401: ErrorOut}, summary="List periods")
def period_list(request):
    """The periods of every institution the caller has a membership in."""
    return [period_out(p) for p in selectors.periods_for_user(request.auth)]


@periods_router.post("", response={201: PeriodOut, **WRITE_ERRORS}, summary="Create a period")
def period_create(request, payload: PeriodCreateIn):
    """A new evaluation or monitoring period with one draft answer per scored item. With
    `carry_over_from`, the previous period's answers and units are the baseline to revise.
    Without `milestones` it starts from the instrument's default schedule, if it has one.
    Needs the koordinator or admin role in the institution."""
    period = services.period_create(
        actor=request.auth,
        institution_id=payload.institution_id,
        year=payload.year,
        kind=payload.kind,
        instrument=payload.instrument,
        target=payload.target,
        carry_over_from=payload.carry_over_from,
        milestones=dict(payload.milestones),
        use_schedule=payload.use_schedule,
    )
    return Status(201, period_out(period))


@periods_router.get(
    "/{period_id}", response={200: PeriodOverviewOut, **READ_ERRORS}, summary="Period overview"
)
def period_overview(request, period_id: Id, full: bool = False):
    """Every indicator with status, levels, units, comment count and flags, and the index at
    every stage (self-assessed, verified, provisional, final), computed now by the scoring
    engine. An operator sees only their units' answers; the scores always cover the whole
    period. `full=true` adds each stage's whole scoring result."""
    period, access = selectors.period_for_user(request.auth, period_id)
    overview = selectors.period_overview(period, access)
    counts = {status: overview.status_counts.get(status, 0) for status in Answer.Status.values}
    instrument = overview.instrument
    return {
        "period": period_out(period),
        "instrument": {
            "reference": period.instrument_reference,
            "id": instrument.id,
            "version": instrument.version,
            "name": instrument.name,
            "provisional": instrument.provisional,
        },
        "my_roles": sorted(access.roles),
        "my_capabilities": capabilities_out(access),
        "scores": [score_out(s, full) for s in overview.scores.values()],
        "milestones": [milestone_out(m, overview.now) for m in overview.milestones],
        "status_counts": counts,
        "units": units_of_out(overview.rows),
        "answers": [row_out(r) for r in overview.rows],
    }


@periods_router.patch(
    "/{period_id}", response={200: PeriodOut, **WRITE_ERRORS}, summary="Set the target"
)
def period_patch(request, period_id: Id, payload: PeriodPatchIn):
    """Set (or clear, with null) the period's target index."""
    return period_out(
        services.period_set_target(actor=request.auth, period_id=period_id, target=payload.target)
    )


@periods_router.put(
    "/{period_id}/milestones",
    response={200: MilestoneOut, **WRITE_ERRORS},
    summary="Set a milestone",
)
def milestone_set(request, period_id: Id, payload: MilestoneIn):
    """Set the date of a milestone. Every kind but `mentoring` occurs once per period, so its
    date is replaced; each `mentoring` session is added."""
    milestone = services.milestone_set(
        actor=request.auth,
        period_id=period_id,
        kind=payload.kind,
        due_at=payload.due_at,
        title=payload.title,
    )
    return milestone_out(milestone, now_for(milestone.period.institution_id))


@periods_router.delete(
    "/{period_id}/milestones/{milestone_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a milestone",
)
def milestone_delete(request, period_id: Id, milestone_id: Id):
    """Remove a milestone (e.g. a cancelled mentoring session)."""
    period, _access = selectors.period_for_user(request.auth, period_id)
    if not period.milestones.filter(pk=milestone_id).exists():  # not this period's
        raise NotFound(_("Milestone not found."))
    services.milestone_delete(actor=request.auth, milestone_id=milestone_id)
    return Status(204, None)


@periods_router.post(
    "/{period_id}/close-self-assessment",
    response={200: CloseOut, **WRITE_ERRORS},
    summary="Close the self-assessment",
)
def period_close(request, period_id: Id):
    """Lock every answer as final mandiri; from now on only the koordinator can reopen one,
    with a reason. The external assessment can start."""
    return {
        "answers_locked": services.period_close_self_assessment(
            actor=request.auth, period_id=period_id
        )
    }


@periods_router.get(
    "/{period_id}/todo", response={200: AnswerListOut, **READ_ERRORS}, summary="To-do list"
)
def period_todo(request, period_id: Id):
    """What the caller's units still owe - answers in draft or returned to them - with the
    deadlines ahead. For a koordinator, every open answer."""
    period, access = selectors.period_for_user(request.auth, period_id)
    now = now_for(period.institution)
    rows = selectors.unit_todo(period, access, now=now)
    return answer_list_out(period, rows, selectors.upcoming_milestones(period, now=now), now)


@periods_router.get(
    "/{period_id}/review-queue",
    response={200: AnswerListOut, **READ_ERRORS},
    summary="Review queue",
)
def period_review_queue(request, period_id: Id):
    """For an asesor internal: submitted answers waiting for verification. For an asesor
    eksternal: final answers without a final level yet. Empty for other roles."""
    period, access = selectors.period_for_user(request.auth, period_id)
    now = now_for(period.institution)
    aspects = assigned_aspects(request.auth, period) if access.can(Capability.ASSESS) else []
    rows = selectors.review_queue(period, access, now=now, aspects=aspects)
    return answer_list_out(period, rows, selectors.upcoming_milestones(period, now=now), now)


@periods_router.get(
    "/{period_id}/assignments",
    response={200: AssignmentsOut, **READ_ERRORS, 403: ErrorOut},
    summary="Unit x indicator matrix",
)
def assignments_get(request, period_id: Id):
    """Which units are responsible for which answer, and the matrix's fingerprint to send
    back when saving. For whoever assigns units (the koordinator), as the matrix page."""
    period, access = selectors.period_for_user(request.auth, period_id)
    require(access, Capability.ASSIGN_UNITS)
    return matrix_out(selectors.assignment_matrix(period, access))


@periods_router.put(
    "/{period_id}/assignments",
    response={200: AssignmentsOut, **WRITE_ERRORS},
    summary="Assign units in bulk",
)
def assignments_put(request, period_id: Id, payload: AssignmentsIn):
    """Set the responsible units of many answers at once. Refused with 409 if the matrix
    changed since `fingerprint` was read."""
    changed = services.period_assign_matrix(
        actor=request.auth,
        period_id=period_id,
        assignments={a: set(units) for a, units in payload.assignments.items()},
        expected_fingerprint=payload.fingerprint,
    )
    period, access = selectors.period_for_user(request.auth, period_id)
    return matrix_out(selectors.assignment_matrix(period, access), changed)


@periods_router.get(
    "/{period_id}/audit",
    response={200: list[AuditEventOut], **READ_ERRORS, 403: ErrorOut},
    summary="Period audit trail",
)
@paginate(Paged)
@resolved
def period_audit(request, period_id: Id):
    """Every recorded change in the period - who, when, what, before and after, why -
    newest first. Needs the koordinator, asesor internal or admin role."""
    period, access = selectors.period_for_user(request.auth, period_id)
    require(access, Capability.VIEW_AUDIT)
    return audit_selectors.period_events(period.pk)

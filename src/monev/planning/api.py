"""What-if, the optimal plan, efforts and action items through the API: the same selectors and
services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from monev.core.engine import Change
from monev.core.numbers import exact_str, round_fraction, value_text
from monev.evaluations import selectors as evaluation_selectors
from monev.institutions.permissions import Capability
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, DecimalIn, ErrorOut, Id, SmallInt
from monev.lib.errors import NotFound
from monev.planning import selectors, services
from monev.planning.deadline_schemas import DeadlinesOut, SortName, deadlines_out
from monev.planning.deadlines import deadline_view
from monev.planning.freshness import PlanChange, plan_freshness
from monev.planning.models import ActionItem, Plan

router = Router(tags=["planning"])

LEVELS = Field(
    description='indicator number -> level, e.g. {"1": "4", "35.1": "2.5"}; '
    "the levels not given stay as self-assessed",
    examples=[{"1": "4"}],
)


# --- schemas -------------------------------------------------------------------------------


class WhatIfIn(Schema):
    levels: dict[str, Decimal | str | int] = LEVELS


class ScoreChangeOut(Schema):
    code: str
    name: str
    before: str
    after: str
    delta: str = Field(description="after - before, rounded to two decimals")
    delta_exact: str


class ItemChangeOut(Schema):
    number: str
    before: str
    after: str


class WhatIfOut(Schema):
    index_before: str
    index_before_exact: str
    index_after: str
    index_after_exact: str
    predicate_before: str
    predicate_after: str
    predicate_changed: bool
    index: ScoreChangeOut
    changed: list[ItemChangeOut]
    domains: list[ScoreChangeOut] = Field(description="the domains whose score changed")
    aspects: list[ScoreChangeOut] = Field(description="the aspects whose score changed")


class PlanIn(Schema):
    target: DecimalIn | None = Field(
        None, description="null: the period's target", examples=["4.62"]
    )
    locked: list[str] = Field([], description="indicators that take no step", examples=[["29"]])
    forced: dict[str, int] = Field(
        {}, description="indicator -> the level it must reach at least", examples=[{"1": 4}]
    )
    capacities: dict[str, int] = Field(
        {}, description="unit code -> steps it can take before the deadline", examples=[{"A": 3}]
    )


class ActionItemOut(Schema):
    id: int
    number: str
    name: str = Field(description='the number and short name: "11. Arsitektur SPBE"')
    answer_id: int
    from_level: str
    to_level: int
    effort: str = Field(description="in effort points (relative units, see docs/planning.md)")
    unit_id: int | None
    unit_code: str | None
    due_date: date | None
    status: str
    overdue: bool = Field(description="open and due before today")
    done_at: datetime | None
    done_by: str | None
    version: int


class PlanChangeOut(Schema):
    number: str
    name: str
    before: str | None = Field(description="the level the plan was computed from")
    after: str | None = Field(description="the level now")
    planned_to: int | None = Field(description="the highest level the plan takes it to")
    on_plan: bool = Field(description="raised as the plan asks (does not make it stale)")


class PlanOut(Schema):
    id: int
    period_id: int
    status: str
    target: str
    reachable: bool = Field(description="the exact index after the plan is at least the target")
    index_before: str
    index_before_exact: str
    index_after: str
    index_after_exact: str
    total_effort: str = Field(description="in effort points (relative units)")
    parameters: dict
    created_by: str | None
    created_at: datetime
    stale: bool = Field(description="a level it was computed from changed off the plan")
    changes: list[PlanChangeOut] = Field(description="every level changed since it was computed")
    overdue: int = Field(description="how many of the items shown are overdue")
    items: list[ActionItemOut]


class EffortOut(Schema):
    number: str
    kind: str
    to_level: int
    default: str
    override: str | None
    effort: str


class EffortIn(Schema):
    effort: DecimalIn | None = Field(description="null: back to the default", examples=["2.5"])


class DoneIn(Schema):
    version: int | None = Field(None, description="the version you read; stale answers 409")


class ReplanIn(Schema):
    plan_id: int | None = Field(
        None, description="the plan you saw; another active plan answers 409"
    )


class ReassignIn(Schema):
    unit_id: int
    version: int | None = None


# --- shaping -------------------------------------------------------------------------------


def _score_change(change: Change) -> dict:
    return {
        "code": change.code,
        "name": change.name,
        "before": str(change.before.reported),
        "after": str(change.after.reported),
        "delta": str(round_fraction(change.delta, 2)),
        "delta_exact": exact_str(change.delta),
    }


def _item(item: ActionItem) -> dict:
    return {
        "id": item.pk,
        "number": item.answer.indicator,
        "name": getattr(item, "label", item.answer.indicator),
        "answer_id": item.answer_id,
        "from_level": f"{item.from_level:.2f}",
        "to_level": item.to_level,
        "effort": str(item.effort),
        "unit_id": item.unit_id,
        "unit_code": item.unit.code if item.unit else None,
        "due_date": item.due_date,
        "status": item.status,
        "overdue": getattr(item, "overdue", False),
        "done_at": item.done_at,
        "done_by": str(item.done_by) if item.done_by_id else None,
        "version": item.version,
    }


def _change(change: PlanChange) -> dict:
    def text(level):
        return None if level is None else value_text(level)

    return {
        "number": change.number,
        "name": change.label,
        "before": text(change.before),
        "after": text(change.after),
        "planned_to": change.planned_to,
        "on_plan": change.on_plan,
    }


def _plan(plan: Plan, items: list[ActionItem]) -> dict:
    freshness = plan_freshness(plan)
    return {
        "id": plan.pk,
        "period_id": plan.period_id,
        "status": plan.status,
        "target": str(plan.target),
        "reachable": plan.reachable,
        "index_before": str(plan.index_before),
        "index_before_exact": plan.index_before_exact,
        "index_after": str(plan.index_after),
        "index_after_exact": plan.index_after_exact,
        "total_effort": str(plan.total_effort),
        "parameters": plan.parameters,
        "created_by": str(plan.created_by) if plan.created_by_id else None,
        "created_at": plan.created_at,
        "stale": freshness.stale,
        "changes": [_change(c) for c in freshness.changes],
        "overdue": sum(1 for i in items if getattr(i, "overdue", False)),
        "items": [_item(i) for i in items],
    }


# --- what-if -------------------------------------------------------------------------------


@router.post(
    "/periods/{period_id}/what-if",
    response={200: WhatIfOut, **READ_ERRORS, 422: ErrorOut},
    summary="What-if",
)
def what_if(request, period_id: Id, payload: WhatIfIn):
    """The index, predicate and the scores that change if the given levels replaced the
    self-assessed ones, computed by the scoring engine on the period's instrument. Nothing
    is saved. A level the instrument does not allow answers 422 with the engine's message."""
    period, access = evaluation_selectors.period_for_user(request.auth, period_id)
    raw = {k: str(v) if isinstance(v, Decimal) else v for k, v in payload.levels.items()}
    view = selectors.what_if_view(period, access, selectors.parse_changes(raw))
    result = view.result
    return {
        "index_before": str(result.before.index.reported),
        "index_before_exact": exact_str(result.before.index.exact),
        "index_after": str(result.after.index.reported),
        "index_after_exact": exact_str(result.after.index.exact),
        "predicate_before": result.before.predicate.name,
        "predicate_after": result.after.predicate.name,
        "predicate_changed": result.predicate_changed,
        "index": _score_change(result.index),
        "changed": [
            {"number": n, "before": str(b), "after": str(a)} for n, b, a in result.changed_items
        ],
        "domains": [_score_change(c) for c in result.domains],
        "aspects": [_score_change(c) for c in result.aspects],
    }


# --- the plan ------------------------------------------------------------------------------


@router.get(
    "/periods/{period_id}/plan", response={200: PlanOut, **READ_ERRORS}, summary="Current plan"
)
def plan_get(request, period_id: Id):
    """The period's active plan with its action items (an operator sees their units' items).
    404 when no plan has been computed yet."""
    period, access = evaluation_selectors.period_for_user(request.auth, period_id)
    plan = selectors.active_plan(period)
    if plan is None:
        raise NotFound(_("This period has no plan yet."))
    return _plan(plan, selectors.plan_items(plan, access))


@router.post(
    "/periods/{period_id}/plan",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="Compute the optimal plan",
)
def plan_create(request, period_id: Id, payload: PlanIn):
    """Compute the least-effort level steps from the self-assessed levels to the target, as
    action items for the responsible units with due dates before the evidence deadline. The
    new plan replaces the active one (kept as superseded). If the target cannot be reached,
    `reachable` is false and the plan reaches the best reachable index. Koordinator or admin."""
    plan = services.plan_create(
        actor=request.auth,
        period_id=period_id,
        target=payload.target,
        locked=payload.locked,
        forced=payload.forced,
        capacities=payload.capacities,
    )
    _period, access = evaluation_selectors.period_for_user(request.auth, period_id)
    return Status(201, _plan(plan, selectors.plan_items(plan, access)))


@router.post(
    "/periods/{period_id}/plan/replan",
    response={201: PlanOut, **WRITE_ERRORS},
    summary="Re-plan from the levels now",
)
def plan_replan(request, period_id: Id, payload: ReplanIn | None = None):
    """Compute the plan again from the self-assessed levels now, with the active plan's target
    and constraints (what to do when `stale` is true). Steps still in the new plan keep their
    unit, due date and progress. 409 when `plan_id` is no longer the active plan, or there is
    none. Koordinator or admin."""
    plan = services.plan_replan(
        actor=request.auth,
        period_id=period_id,
        expected_plan_id=payload.plan_id if payload else None,
    )
    _period, access = evaluation_selectors.period_for_user(request.auth, period_id)
    return Status(201, _plan(plan, selectors.plan_items(plan, access)))


# --- efforts -------------------------------------------------------------------------------


def _effort(row) -> dict:
    return {
        "number": row.item.number,
        "kind": row.kind,
        "to_level": row.to_level,
        "default": str(row.default),
        "override": None if row.override is None else str(row.override),
        "effort": str(row.effort),
    }


@router.get(
    "/periods/{period_id}/efforts",
    response={200: list[EffortOut], **READ_ERRORS},
    summary="Efforts per level step",
)
def efforts_list(request, period_id: Id):
    """Every indicator x level step: the default effort (by the indicator's kind), the
    koordinator's override, and the effort the planner uses."""
    period, _access = evaluation_selectors.period_for_user(request.auth, period_id)
    return [_effort(row) for row in selectors.effort_rows(period)]


@router.put(
    "/periods/{period_id}/efforts/{number}/{to_level}",
    response={200: EffortOut, **WRITE_ERRORS},
    summary="Set a step's effort",
)
def effort_put(request, period_id: Id, number: str, to_level: SmallInt, payload: EffortIn):
    """Set the effort of the step reaching `to_level` of indicator `number` (null: back to
    the default). Koordinator or admin."""
    services.effort_set(
        actor=request.auth,
        period_id=period_id,
        number=number,
        to_level=to_level,
        effort=payload.effort,
    )
    period, _access = evaluation_selectors.period_for_user(request.auth, period_id)
    rows = selectors.effort_rows(period)
    row = next(r for r in rows if r.item.number == number and r.to_level == to_level)
    return _effort(row)


# --- action items --------------------------------------------------------------------------


def _item_after(item: ActionItem) -> dict:
    """The item as stored after the service changed it (one the scoped getter let through)."""
    fresh = ActionItem.objects.select_related("answer", "unit", "done_by").get(pk=item.pk)
    selectors.describe_items(item.plan.period, [fresh])
    return _item(fresh)


@router.post(
    "/action-items/{item_id}/done",
    response={200: ActionItemOut, **WRITE_ERRORS},
    summary="Mark an action item done",
)
def item_done(request, item_id: Id, payload: DoneIn | None = None):
    """Mark an action item done: its unit's operator or the koordinator."""
    item, _period, _access = selectors.action_item_for(
        request.auth, item_id, Capability.EDIT_ANSWER
    )
    version = payload.version if payload else None
    item = services.action_item_complete(
        actor=request.auth, item_id=item.pk, expected_version=version
    )
    return _item_after(item)


@router.put(
    "/action-items/{item_id}/unit",
    response={200: ActionItemOut, **WRITE_ERRORS},
    summary="Reassign an action item",
)
def item_reassign(request, item_id: Id, payload: ReassignIn):
    """Give the action item to another unit of the institution. Koordinator or admin."""
    item, _period, _access = selectors.action_item_for(
        request.auth, item_id, Capability.MANAGE_PERIOD
    )
    item = services.action_item_reassign(
        actor=request.auth,
        item_id=item.pk,
        unit_id=payload.unit_id,
        expected_version=payload.version,
    )
    return _item_after(item)


# --- deadlines -----------------------------------------------------------------------------


@router.get(
    "/periods/{period_id}/deadlines",
    response={200: DeadlinesOut, **READ_ERRORS, 422: ErrorOut},
    summary="Deadlines: what is due when, who still owes what",
)
def period_deadlines(request, period_id: Id, sort: SortName = "due"):
    """The period's milestones with the days left (negative: since), and per unit what it
    still owes - answers not submitted, answers whose evidence has readiness errors, the
    active plan's open actions - each with its due date and overdue marked; `sort`: units by
    their soonest due date, or by name. An operator sees their own units only."""
    period, access = evaluation_selectors.period_for_user(request.auth, period_id)
    return deadlines_out(deadline_view(period, access, sort=sort))

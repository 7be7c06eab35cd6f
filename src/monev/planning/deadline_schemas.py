"""The deadline view's API shapes (GET /api/v1/periods/{id}/deadlines, in monev.planning.api):
the page's selector (monev.planning.deadlines) as JSON."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from monev.lib.api_schemas import UnitOut
from monev.planning.deadlines import DeadlineView, Due, UnitDues

SortName = Literal["due", "unit"]


class TimelineOut(Schema):
    kind: str
    label: str
    due_at: datetime
    day: date = Field(description="the local day of due_at")
    days: int = Field(description="day - today: negative once it has passed")
    passed: bool
    next: bool = Field(description="the first milestone not yet passed")


class DueOut(Schema):
    kind: Literal["answer", "readiness", "action"] = Field(
        description="answer: not yet submitted (draft or returned); readiness: its evidence "
        "has readiness errors; action: an open action item of the active plan"
    )
    label: str
    due_date: date | None
    days: int | None = Field(description="due_date - today: negative when overdue")
    overdue: bool
    answer_id: int
    indicator: str
    name: str
    status: str = Field(description='the answer\'s status ("" for an action)')
    errors: int
    warnings: int
    action_item_id: int | None
    from_level: str | None
    to_level: int | None


class UnitDuesOut(Schema):
    unit: UnitOut | None = Field(description="null: what no unit is responsible for")
    next_due: date | None
    overdue: int
    not_submitted: int
    with_readiness_errors: int
    open_actions: int
    dues: list[DueOut] = Field(description="soonest first; undated last")


class DeadlinesOut(Schema):
    period_id: int
    today: date
    sort: SortName
    submit_by: date | None = Field(
        description="answers are due: the self-assessment close, else the evidence deadline "
        "(a unit's extension moves its answers' date)"
    )
    evidence_by: date | None = Field(
        description="evidence is due: the evidence deadline, else the self-assessment close"
    )
    timeline: list[TimelineOut]
    units: list[UnitDuesOut] = Field(description="the units owing something, in `sort` order")
    units_clear: int = Field(description="the units the caller sees that owe nothing")


def _unit(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name}


def _due(due: Due) -> dict:
    item = due.item
    return {
        "kind": due.kind,
        "label": str(due.label),
        "due_date": due.due,
        "days": due.days,
        "overdue": due.overdue,
        "answer_id": due.answer_id,
        "indicator": due.number,
        "name": due.name,
        "status": due.status,
        "errors": due.errors,
        "warnings": due.warnings,
        "action_item_id": item.pk if item else None,
        "from_level": f"{item.from_level:.2f}" if item else None,
        "to_level": item.to_level if item else None,
    }


def _unit_dues(group: UnitDues) -> dict:
    return {
        "unit": _unit(group.unit),
        "next_due": group.next_due,
        "overdue": group.overdue,
        "not_submitted": group.answers,
        "with_readiness_errors": group.readiness,
        "open_actions": group.actions,
        "dues": [_due(d) for d in group.dues],
    }


def deadlines_out(view: DeadlineView) -> dict:
    return {
        "period_id": view.period.pk,
        "today": view.today,
        "sort": view.sort,
        "submit_by": view.submit_by,
        "evidence_by": view.evidence_by,
        "timeline": [
            {
                "kind": e.milestone.kind,
                "label": str(e.milestone),
                "due_at": e.milestone.due_at,
                "day": e.day,
                "days": e.days,
                "passed": e.passed,
                "next": e.next,
            }
            for e in view.timeline
        ],
        "units": [_unit_dues(group) for group in view.units],
        "units_clear": view.clear,
    }

"""Model and selector results shaped as the evaluation API's responses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from monev.core.numbers import display_value, exact_fraction, exact_str
from monev.core.report import result_to_dict
from monev.evaluations import selectors
from monev.evaluations.models import Answer, AssessorPass, Comment, Milestone, Period
from monev.evaluations.selectors import AnswerRow, StageScore
from monev.institutions.permissions import Access, Capability

# --- shaping ---------------------------------------------------------------------------------


def level_out(value: Decimal | None) -> str | None:
    """A value shown to two places, an exact one (7/6) rounded once, half up."""
    return None if value is None else f"{display_value(value):.2f}"


def exact_out(value: Decimal | None) -> str | None:
    """The exact value, as every `*_exact` is written: in full where it terminates."""
    return None if value is None else exact_str(exact_fraction(value))


def unit_out(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name}


def period_out(period: Period) -> dict:
    return {
        "id": period.pk,
        "institution": period.institution,
        "year": period.year,
        "kind": period.kind,
        "kind_label": str(period.get_kind_display()),
        "instrument": period.instrument_reference,
        "target": level_out(period.target),
        "previous_id": period.previous_id,
        "created_at": period.created_at,
    }


def milestone_out(milestone: Milestone, now: datetime) -> dict:
    return {
        "id": milestone.pk,
        "kind": milestone.kind,
        "kind_label": str(milestone.get_kind_display()),
        "title": milestone.title,
        "due_at": milestone.due_at,
        "days_left": (timezone.localdate(milestone.due_at) - timezone.localdate(now)).days,
    }


def score_out(score: StageScore, full: bool) -> dict:
    result = score.result
    return {
        "stage": score.stage,
        "label": str(score.label),
        "given": score.given,
        "total": score.total,
        "complete": score.complete,
        "index": str(result.index.reported) if result else None,
        "index_exact": exact_str(result.index.exact) if result else None,
        "predicate": result.predicate.name if result else None,
        "result": result_to_dict(result) if result and full else None,
    }


def flags_out(flags) -> list[dict]:
    return [{"code": f.code, "message": str(f.message)} for f in flags]


def row_out(row: AnswerRow) -> dict:
    answer, values, latest = row.answer, row.values, row.latest_pass
    return {
        "id": answer.pk,
        "number": answer.indicator,
        "indicator": row.indicator.number,
        "name": row.item.name,
        "aspect": row.item.aspect,
        "status": answer.status,
        "status_label": str(answer.get_status_display()),
        "level": level_out(answer.level),
        "verified_level": level_out(answer.verified_level),
        "provisional_level": level_out(values["provisional"]),
        "final_level": level_out(values["final"]),
        "computed_level": level_out(latest.computed_level) if latest else None,
        "differs": latest.differs if latest else False,
        "version": answer.version,
        "reopened": answer.reopened,
        "unit_ids": [unit.pk for unit in row.units],
        "comment_count": row.comment_count,
        "flags": flags_out(row.flags),
    }


def units_of_out(rows: Iterable[AnswerRow]) -> list[dict]:
    units = {unit.pk: unit for row in rows for unit in row.units}
    return [unit_out(u) for u in sorted(units.values(), key=lambda u: u.code)]


def answer_list_out(period: Period, rows: list[AnswerRow], milestones, now) -> dict:
    return {
        "period_id": period.pk,
        "milestones": [milestone_out(m, now) for m in milestones],
        "units": units_of_out(rows),
        "answers": [row_out(r) for r in rows],
    }


def state_out(answer: Answer) -> dict:
    return {
        "id": answer.pk,
        "period_id": answer.period_id,
        "number": answer.indicator,
        "status": answer.status,
        "status_label": str(answer.get_status_display()),
        "level": level_out(answer.level),
        "verified_level": level_out(answer.verified_level),
        "explanation": answer.explanation,
        "reopened": answer.reopened,
        "version": answer.version,
        "updated_by": str(answer.updated_by) if answer.updated_by_id else None,
        "updated_at": answer.updated_at,
    }


def pass_out(assessor_pass: AssessorPass) -> dict:
    return {
        "stage": assessor_pass.stage,
        "stage_label": str(assessor_pass.get_stage_display()),
        "level": level_out(assessor_pass.level),
        "computed_level": level_out(assessor_pass.computed_level),
        "level_entered": assessor_pass.level_entered,
        "differs": assessor_pass.differs,
        "level_exact": exact_out(assessor_pass.level),
        "computed_level_exact": exact_out(assessor_pass.computed_level),
        "notes": assessor_pass.notes,
        "institution_response": assessor_pass.institution_response,
        "assessor": str(assessor_pass.assessor) if assessor_pass.assessor_id else None,
        "version": assessor_pass.version,
        "updated_at": assessor_pass.updated_at,
    }


def comment_out(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "author": str(comment.author) if comment.author_id else None,
        "body": comment.body,
        "created_at": comment.created_at,
    }


def capabilities_out(access: Access, unit_ids: Iterable[int] | None = None) -> list[str]:
    if unit_ids is None:
        return sorted(c.value for c in Capability if access.can(c))
    return sorted(c.value for c in Capability if access.can_on_answer(c, unit_ids))


def matrix_out(matrix: selectors.AssignmentMatrix, changed: int | None = None) -> dict:
    return {
        "fingerprint": matrix.fingerprint,
        "units": [unit_out(u) for u in matrix.units],
        "answers": [{"id": a.pk, "number": a.indicator} for a in matrix.answers],
        "assignments": matrix.assignments,
        "changed": changed,
    }

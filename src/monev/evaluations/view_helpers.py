"""What the evaluation pages share: permission-checked fetches, the answer page's context,
and the small reads that only pages need (audit history, per-institution access)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.audit import selectors as audit_selectors
from monev.audit.models import AuditEvent
from monev.core.engine import gap_to_target
from monev.core.numbers import value_text
from monev.evaluations import forms, hooks, selectors
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement, Milestone, Period
from monev.evaluations.services.common import self_assessment_window
from monev.institutions.models import Membership
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Forbidden, InvalidInput
from monev.lib.params import id_param, number_param

C = Capability
Status = Answer.Status
Stage = AssessorPass.Stage
ItemJudgementReason = ItemJudgement.Reason


def is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def period_or_404(
    user, period_id: int, *capabilities: Capability, not_found=None
) -> tuple[Period, Access]:
    """The period if the user is a member of its institution (else NotFound, with the message
    `not_found` when the period was reached through another object), and Forbidden unless they
    hold one of `capabilities` (when given)."""
    period, access = selectors.period_for_user(user, period_id, not_found=not_found)
    if capabilities and not any(access.can(c) for c in capabilities):
        raise Forbidden(_("Your role does not allow this."))
    return period, access


def invalid(form) -> InvalidInput:
    """A form's problems as the error the pages show in place (422)."""
    details = [
        {"location": name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]
    return InvalidInput(_("Please correct the marked fields."), details=details)


def accesses_by_institution(user) -> dict[int, Access]:
    """The user's access in every institution they belong to, in one query."""
    grouped: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(user=user).only(
        "institution_id", "role", "unit_id"
    ):
        grouped[membership.institution_id].append(membership)
    return {institution_id: Access(ms) for institution_id, ms in grouped.items()}


def period_tabs(period: Period, access: Access) -> dict[str, bool]:
    """Which of the period's pages the user may open (the period's sub-navigation)."""
    return {
        "todo": access.can(C.EDIT_ANSWER),
        "queue": access.can(C.VERIFY_ANSWER) or access.can(C.ASSESS),
        "matrix": access.can(C.ASSIGN_UNITS),
        "audit": access.can(C.VIEW_AUDIT),
        "settings": access.can(C.MANAGE_PERIOD),
        "evidence": bool(access),  # the institution's evidence library (data dukung)
        "plan": bool(access),  # the optimal plan and the what-if page (rencana)
        "dashboard": bool(access),  # the monitoring dashboard, history, forecast (dasbor)
        "reports": bool(access),  # Excel and PDF downloads (laporan)
        "imports": access.can(C.EDIT_ANSWER) or access.can(C.ASSIGN_UNITS),  # levels, matrix
        "institution_imports": access.can(C.MANAGE_INSTITUTION),  # units, users, past results
        # Tabs of the features above evaluations ("Peralihan instrumen").
        **hooks.period_tabs.collect(period, access),
    }


def deadline_of(period: Period) -> datetime | None:
    return self_assessment_window(period)[1]


def days_left(when: datetime | None, now: datetime | None = None) -> int | None:
    if when is None:
        return None
    now = now or timezone.now()
    return (timezone.localdate(when) - timezone.localdate(now)).days


# --- the overview --------------------------------------------------------------------------


@dataclass
class StageCard:
    score: selectors.StageScore
    gap: Any = None  # engine Gap when the period has a target and the stage has a score


def stage_cards(overview: selectors.PeriodOverview) -> list[StageCard]:
    cards = []
    for stage in selectors.ScoreStage.ORDER:
        score = overview.scores[stage]
        target = overview.period.target
        gap = gap_to_target(score.result, target) if score.result and target is not None else None
        cards.append(StageCard(score, gap))
    return cards


def filter_rows(rows: list[selectors.AnswerRow], query) -> tuple[list, dict[str, str]]:
    """The overview's rows narrowed by ?status= and ?unit= (both optional)."""
    status, unit = query.get("status", ""), query.get("unit", "")
    if status in Status.values:
        rows = [row for row in rows if row.answer.status == status]
    else:
        status = ""
    if (unit_id := id_param(unit)) is not None:
        rows = [row for row in rows if any(u.pk == unit_id for u in row.units)]
    else:
        unit = ""
    return rows, {"status": status, "unit": unit}


def units_in(rows: list[selectors.AnswerRow]) -> list:
    seen = {}
    for row in rows:
        for unit in row.units:
            seen.setdefault(unit.pk, unit)
    return sorted(seen.values(), key=lambda u: u.code)


def matrix_grid(rows, units, chosen: set, saved: set) -> list:
    """(row, [(unit, checked, differs from what is saved)]) for the unit x indicator matrix."""

    def cell(row, unit):
        key = (row.answer.pk, unit.pk)
        return unit, key in chosen, (key in chosen) != (key in saved)

    return [(row, [cell(row, unit) for unit in units]) for row in rows]


# --- audit history -------------------------------------------------------------------------

ACTION_LABELS = {
    "period.create": _("Period created"),
    "period.set_target": _("Target set"),
    "period.assign_matrix": _("Responsible units assigned (matrix)"),
    "period.close_self_assessment": _("Self-assessment closed"),
    "milestone.set": _("Milestone set"),
    "milestone.delete": _("Milestone deleted"),
    "answer.save": _("Answer saved"),
    "answer.submit": _("Submitted (diajukan)"),
    "answer.verify": _("Verified (diverifikasi)"),
    "answer.return": _("Returned (dikembalikan)"),
    "answer.reopen": _("Reopened"),
    "answer.assign_units": _("Responsible units changed"),
    "answer.comment": _("Comment"),
    "assessment.dokumen": _("Document review level"),
    "assessment.interviu": _("Interview level"),
    "assessment.visitasi": _("Site visit level"),
    "assessment.final": _("Final level"),
    "assessment.response": _("Institution's response"),
    "assessment.items": _("Items judged"),
    "evidence.upload": _("Evidence uploaded"),
    "evidence.create_link": _("Evidence link added"),
    "evidence.new_version": _("New evidence version"),
    "evidence.update": _("Evidence description changed"),
    "evidence.link": _("Evidence linked to the answer"),
    "evidence.unlink": _("Evidence removed from the answer"),
    "plan.create": _("Plan computed"),
    "plan.efforts_set": _("Efforts set"),
    "action_item.done": _("Action item done"),
    "action_item.reassign": _("Action item reassigned"),
    "snapshot.take": _("Snapshot taken"),
    "transition.generate": _("Crosswalk suggestions made"),
    "transition.accept": _("Crosswalk suggestion accepted"),
    "transition.reject": _("Crosswalk suggestion rejected"),
}


@dataclass
class Change:
    field: str
    before: str
    after: str


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# The audit events' field names as the history shows them, in the UI language; a name not
# listed (an indicator number in a matrix change, say) is shown as it is.
FIELD_LABELS = {
    "level": _("level"),
    "levels": _("levels"),
    "explanation": _("penjelasan"),
    "status": _("status"),
    "version": _("version"),
    "stage": _("stage"),
    "notes": _("assessor's notes"),
    "institution_response": _("institution's response"),
    "computed_level": _("value computed from items"),
    "level_entered": _("level entered directly"),
    "items": _("items"),
    "comment": _("comment"),
    "units": _("units"),
    "evidence": _("evidence"),
    "year": _("year"),
    "kind": _("kind"),
    "instrument": _("instrument"),
    "target": _("target index"),
    "title": _("title"),
    "milestones": _("milestones"),
    "schedule": _("default schedule"),
    "carried_over_from": _("carried over from period"),
    "answers_locked": _("answers locked"),
    "at": _("date"),
    **dict(Milestone.Kind.choices),
}


def changes_of(event: AuditEvent) -> list[Change]:
    keys = list(dict.fromkeys([*event.before, *event.after]))
    return [
        Change(
            str(FIELD_LABELS.get(key, key)),
            _text(event.before.get(key)),
            _text(event.after.get(key)),
        )
        for key in keys
        if event.before.get(key) != event.after.get(key)
    ]


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def answer_history(answer_id: int) -> list[dict]:
    events = audit_selectors.answer_events(answer_id)
    return [{"event": e, "label": action_label(e.action), "changes": changes_of(e)} for e in events]


def indicator_numbers(period: Period) -> dict[int, str]:
    return dict(Answer.objects.filter(period=period).values_list("pk", "indicator"))


# --- the answer page -----------------------------------------------------------------------


def answer_permissions(detail: selectors.AnswerDetail, closes: datetime | None) -> dict:
    """Which of the answer's actions the page offers (the services check again)."""
    answer, access = detail.row.answer, detail.access
    unit_ids = {unit.pk for unit in detail.row.units}

    def can(capability: Capability) -> bool:
        return access.can_on_answer(capability, unit_ids)

    status = answer.status
    closed = closes is not None and timezone.now() >= closes
    return {
        "save": can(C.EDIT_ANSWER) and (status != Status.FINAL or answer.reopened),
        "submit": can(C.SUBMIT_ANSWER) and status in (Status.DRAFT, Status.RETURNED),
        "verify": can(C.VERIFY_ANSWER) and status == Status.SUBMITTED,
        "return": can(C.VERIFY_ANSWER) and status in (Status.SUBMITTED, Status.VERIFIED),
        "reopen": can(C.REOPEN_ANSWER)
        and not answer.reopened
        and (status == Status.FINAL or closed),
        "assess": can(C.ASSESS) and status == Status.FINAL,
        "judge_items": can(C.ASSESS) and status == Status.FINAL and item_judged(detail),
        "respond": can(C.RESPOND_TO_ASSESSOR) and Stage.DOCUMENT in detail.row.passes,
        "comment": can(C.COMMENT),
        "units": can(C.ASSIGN_UNITS),
    }


def level_text(level) -> str | None:
    """A stored level (3.00) as the level input shows it (3, 1.25 for partial credit, 7/6
    for an exact value), so that saving the form again keeps it exactly."""
    if level is None:
        return None
    if level == level.to_integral_value():
        return str(int(level))
    return value_text(level)


def fresh_form(name: str, detail: selectors.AnswerDetail):
    """The action's form as the page first shows it, filled from the stored answer."""
    row = detail.row
    answer = row.answer
    kw = {"instrument": detail.instrument, "item": row.item, "auto_id": f"id_{name}_%s"}
    if name == "save":
        initial = {"level": level_text(answer.level), "explanation": answer.explanation}
        return forms.AnswerSaveForm(initial={**initial, "version": answer.version}, **kw)
    auto_id = kw["auto_id"]
    if name in ("submit", "verify"):
        return forms.VersionForm(initial={"version": answer.version}, auto_id=auto_id)
    if name == "return":
        return forms.ReturnForm(initial={"version": answer.version}, auto_id=auto_id)
    if name == "reopen":
        return forms.ReopenForm(initial={"version": answer.version}, auto_id=auto_id)
    if name == "assess":
        versions = {f"version_{s}": p.version for s, p in row.passes.items()}
        stage = next((s for s in AssessorPass.ORDER if s not in row.passes), Stage.FINAL)
        return forms.AssessorPassForm(initial={"stage": stage, **versions}, **kw)
    if name == "respond":
        document = row.passes.get(Stage.DOCUMENT)
        initial = {
            "response": document.institution_response if document else "",
            "version": document.version if document else 0,
        }
        return forms.ResponseForm(initial=initial, auto_id=auto_id)
    if name == "comment":
        return forms.CommentForm(auto_id=auto_id)
    if name == "units":
        initial = {"units": [unit.pk for unit in row.units]}
        return forms.AssignUnitsForm(
            initial=initial, units=detail.institution_units, auto_id=auto_id
        )
    raise KeyError(name)


def bound_form(name: str, detail: selectors.AnswerDetail, data):
    """The action's form bound to what was posted."""
    unbound = fresh_form(name, detail)
    kw = {"auto_id": unbound.auto_id}
    if isinstance(unbound, forms.AnswerSaveForm | forms.AssessorPassForm):
        kw |= {"instrument": detail.instrument, "item": detail.row.item}
    if isinstance(unbound, forms.AssignUnitsForm):
        kw |= {"units": detail.institution_units}
    return type(unbound)(data, **kw)


def render_answer(request: HttpRequest, answer_id: int, *, status: int = 200, **extra):
    """The answer page, or its panel alone for HTMX; `extra` may carry `forms` (bound forms
    to show instead of fresh ones), `error`, `conflict` and `notice`."""
    detail = selectors.answer_detail(request.user, answer_id)
    closes = deadline_of(detail.period)
    allowed = answer_permissions(detail, closes)
    shown = {
        name: fresh_form(name, detail)
        for name, ok in allowed.items()
        if ok and name != "judge_items"
    }
    shown.update(extra.pop("forms", {}))
    # The sections other apps contribute (the evidence per level, with its readiness checks).
    sections = {name: build(detail, extra) for name, build in hooks.answer_sections.items()}
    context = {
        "detail": detail,
        "row": detail.row,
        "answer": detail.row.answer,
        "period": detail.period,
        "instrument": detail.instrument,
        "indicator": detail.row.indicator,
        "levels": detail.levels,
        "allowed": allowed,
        "forms": shown,
        "closes": closes,
        "history": answer_history(answer_id),
        "stages": [(s, detail.row.passes.get(s)) for s in AssessorPass.ORDER],
        "item_review": items_section(
            detail,
            allowed["judge_items"],
            extra.pop("items_stage", None) or request.GET.get("stage"),
            data=extra.pop("items_data", None),
            error=extra.pop("items_error", None),
            keys=extra.pop("items_keys", None),
        ),
        **sections,
        **extra,
    }
    if is_htmx(request):
        return render(request, "evaluations/_answer_panel.html", context, status=status)
    return render(request, "evaluations/answer.html", context, status=status)


# --- the answer page's item-level assessment (pemdi-2026) -------------------------------------


def item_judged(detail: selectors.AnswerDetail) -> bool:
    """Whether this answer's items are judged one by one (no query)."""
    from monev.evaluations.services.items import item_assessment_problem

    return item_assessment_problem(detail.instrument, detail.row.indicator) is None


def parse_items_post(detail: selectors.AnswerDetail, data) -> tuple[list, list[str], dict]:
    """The item checklist as posted: the decisions (one per item with a status field), the
    key of each decision's item in the same order (to place the service's problems), and
    the stage, version and follow_items flag. Malformed fields raise InvalidInput."""
    from monev.core.items import items_of
    from monev.evaluations.services import ItemDecision

    version = number_param(data.get("version"))
    if version is None:
        raise InvalidInput(_("The form is out of date; reload the page."))
    decisions, keys = [], []
    for level, texts in sorted(items_of(detail.row.indicator, detail.instrument).items()):
        for position in range(len(texts)):
            key = f"{level}-{position}"
            status = data.get(f"status-{key}")
            if status is None:  # not offered (automatically rejected) or not sent
                continue
            decisions.append(
                ItemDecision(
                    level=level,
                    position=position,
                    status=status,
                    reason_kind=data.get(f"reason_kind-{key}", ""),
                    reason=data.get(f"reason-{key}", ""),
                )
            )
            keys.append(key)
    meta = {
        "stage": data.get("stage", ""),
        "version": version,
        "follow_items": data.get("follow_items") == "on",
    }
    return decisions, keys, meta


def _item_problems(error, keys: list[str]) -> dict[str, list[str]]:
    """The service's problems (items[<n>].<field>) by item key."""
    problems: dict[str, list[str]] = defaultdict(list)
    for detail in getattr(error, "details", None) or []:
        location = str(detail.get("location", ""))
        if location.startswith("items[") and "]" in location:
            index = location[6 : location.index("]")]
            if index.isdigit() and int(index) < len(keys):
                problems[keys[int(index)]].append(detail["message"])
    return problems


def items_section(
    detail: selectors.AnswerDetail,
    can_judge: bool,
    stage: str | None = None,
    *,
    data=None,
    error=None,
    keys: list[str] | None = None,
) -> dict | None:
    """The item checklist of one stage (one query: the answer's judgements): for assessors
    a form; for everyone else who sees the answer, each item's result and reason, read-only.
    `data` (the posted form) is shown again after a refusal, with the problems per item."""
    if not item_judged(detail):
        return None
    answer = detail.row.answer
    judgements = selectors.item_judgements_of(answer)
    if not judgements and not can_judge:
        return None
    sheet = selectors.item_sheet(
        answer, detail.instrument, detail.row.indicator, detail.row.passes, judgements, stage
    )
    problems = _item_problems(error, keys or [])
    levels = []
    for level in sheet.levels:
        rows = []
        for item in level.items:
            key = item.key
            if data is not None and f"status-{key}" in data:
                chosen = (
                    data.get(f"status-{key}"),
                    data.get(f"reason_kind-{key}", ""),
                    data.get(f"reason-{key}", ""),
                )
            else:
                chosen = (item.judged or "belum", item.reason_kind, item.reason)
            rows.append(
                {
                    "item": item,
                    "status": chosen[0],
                    "reason_kind": chosen[1],
                    "reason": chosen[2],
                    "errors": problems.get(key, []),
                }
            )
        levels.append({"level": level, "rows": rows})
    version = sheet.version
    if data is not None and number_param(data.get("version")) is not None:
        version = number_param(data["version"])
    return {
        "sheet": sheet,
        "levels": levels,
        "can_judge": can_judge,
        "version": version,
        "error": error,
        "stages": [(value, label) for value, label in Stage.choices],
        "reasons": ItemJudgementReason.choices,
        "follow_items": data is not None and data.get("follow_items") == "on",
    }

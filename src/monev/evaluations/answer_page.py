"""The answer page: which actions it offers, their forms (fresh or as posted), the page or its
htmx panel, and the item checklist of one stage (pemdi-2026)."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from monev.core.items import ItemStatus
from monev.core.numbers import value_text
from monev.evaluations import forms, hooks, selectors
from monev.evaluations.actions import AnswerActions, detail_actions
from monev.evaluations.history import answer_history
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement
from monev.institutions.clock import now_for
from monev.lib.errors import InvalidInput
from monev.lib.http import is_htmx
from monev.lib.params import number_param

Status = Answer.Status
Stage = AssessorPass.Stage
ItemJudgementReason = ItemJudgement.Reason


def answer_permissions(detail: selectors.AnswerDetail, actions: AnswerActions) -> dict:
    """Which of the answer's forms the page shows: those allowed now (the services check
    again), reopening only where it changes something (a final answer, a passed deadline)."""
    allowed = {name: state.allowed for name, state in actions.actions.items()}
    closes = actions.window[1]
    closed = closes is not None and now_for(detail.period.institution) >= closes
    final = detail.row.answer.status == Status.FINAL
    allowed["reopen"] = allowed["reopen"] and (final or closed)
    allowed["judge_items"] = allowed["assess"] and item_judged(detail)
    return allowed


# The self-assessment's buttons, as the page labels them: shown disabled, with the reason,
# to a viewer whose role may use them but not now.
BLOCKABLE = {
    "save": _("Save"),
    "submit": _("Submit (ajukan)"),
    "verify": _("Verify (verifikasi)"),
    "return": _("Return (kembalikan) to the unit"),
}


def blocked_actions(actions: AnswerActions) -> list[dict]:
    """The buttons the viewer's role has but cannot use now, grouped by the reason (one
    closed window blocks several): [{"labels": [...], "reason": ...}]."""
    groups: dict[str, list] = {}
    for name, label in BLOCKABLE.items():
        state = actions.actions[name]
        if state.permitted and not state.allowed:
            groups.setdefault(state.reason, []).append({"name": name, "label": label})
    # The reason already said in the answer's state is not repeated under the buttons.
    said = set(actions.state)
    return [
        {"buttons": buttons, "reason": "" if reason in said else reason, "key": buttons[0]["name"]}
        for reason, buttons in groups.items()
    ]


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
    if name == "submit":
        return forms.SubmitForm(initial={"version": answer.version}, auto_id=auto_id)
    if name == "verify":
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


# Actions whose forms are not this page's own: the item checklist (items_section) and the
# evidence forms (the evidence app's section, which follows `link_evidence`).
FORMLESS = {"judge_items", "link_evidence"}


def render_answer(request: HttpRequest, answer_id: int, *, status: int = 200, **extra):
    """The answer page, or its panel alone for HTMX; `extra` may carry `forms` (bound forms
    to show instead of fresh ones), `error`, `conflict` and `notice`."""
    detail = selectors.answer_detail(request.user, answer_id)
    actions = detail_actions(request.user, detail)
    closes = actions.window[1]  # the answer's: its units' extensions included
    allowed = answer_permissions(detail, actions)
    shown = {
        name: fresh_form(name, detail)
        for name, ok in allowed.items()
        if ok and name not in FORMLESS
    }
    shown.update(extra.pop("forms", {}))
    # The sections other apps contribute (the evidence per level, with its readiness checks).
    sections = {name: build(detail, extra) for name, build in hooks.answer_sections.items()}
    warnings = [w for part in sections.values() for w in part.get("submission_warnings", ())]
    context = {
        "detail": detail,
        "row": detail.row,
        "answer": detail.row.answer,
        "period": detail.period,
        "instrument": detail.instrument,
        "indicator": detail.row.indicator,
        "levels": detail.levels,
        "allowed": allowed,
        "answer_state": actions.state,
        "blocked": blocked_actions(actions),
        "submission_warnings": warnings,
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


# --- the item checklist (pemdi-2026) ---------------------------------------------------------


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
                chosen = (item.judged or ItemStatus.PENDING, item.reason_kind, item.reason)
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

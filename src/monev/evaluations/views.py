"""Evaluation-cycle pages. Views stay thin: a selector to read, a service to write; what pages
share lives beside them (navigation, period_pages, answer_page, history; monev.lib.http)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monev.audit import selectors as audit_selectors
from monev.audit.export import write_events_csv
from monev.evaluations import forms, history, hooks, navigation, period_pages, selectors, services
from monev.evaluations.answer_page import bound_form, parse_items_post, render_answer
from monev.evaluations.hooks import assigned_aspects
from monev.evaluations.models import AssessorPass, Milestone
from monev.evaluations.services.answers import assignment_fingerprint
from monev.institutions.access import institutions_of
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.instruments.selectors import instrument_list
from monev.lib.errors import Conflict, DomainError, Forbidden, NotFound
from monev.lib.http import invalid, is_htmx

# --- periods -------------------------------------------------------------------------------


@require_safe
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    periods = selectors.periods_for_user(request.user)
    accesses = navigation.accesses_by_institution(request.user)
    rows = [(p, navigation.period_tabs(p, accesses[p.institution_id])) for p in periods]
    can_create = any(a.can(Capability.MANAGE_PERIOD) for a in accesses.values())
    context = {"rows": rows, "periods": periods, "can_create": can_create}
    return render(request, "evaluations/period_list.html", context)


@require_safe
@login_required
def period_overview(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    overview = selectors.period_overview(period, access)
    rows, filters = period_pages.filter_rows(overview.rows, request.GET)
    context = {
        "period": period,
        "overview": overview,
        "instrument": overview.instrument,
        "cards": period_pages.stage_cards(overview),
        "rows": rows,
        "filters": filters,
        "units": period_pages.units_in(overview.rows),
        "statuses": selectors.Status.choices,
        "upcoming": [(m, overview.days_left(m)) for m in overview.upcoming],
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "evaluations/overview.html", context)


@require_safe
@login_required
def unit_todo(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id, Capability.EDIT_ANSWER)
    rows = selectors.unit_todo(period, access)
    closes = navigation.deadline_of(period)
    context = {
        "period": period,
        "rows": rows,
        **hooks.todo_sections.collect(period, access),  # the plan's actions, with dates
        "closes": closes,
        "days_left": navigation.days_left(closes, now_for(period.institution)),
        # An operator's page names their units (the koordinator's lists every unit's).
        "my_units": selectors.units_named(access.unit_ids) if access.is_operator_only else [],
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "evaluations/todo.html", context)


@require_safe
@login_required
def review_queue(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(
        request.user, period_id, Capability.VERIFY_ANSWER, Capability.ASSESS
    )
    aspects = assigned_aspects(request.user, period) if access.can(Capability.ASSESS) else []
    rows = selectors.review_queue(period, access, aspects=aspects)
    context = {
        "period": period,
        "rows": rows,
        "instrument": selectors.instrument_of(period),
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "evaluations/queue.html", context)


# --- the unit x indicator matrix ------------------------------------------------------------


def _render_matrix(request, period, access, *, chosen=None, status=200, error=None):
    rows = selectors.period_overview(period, access).rows
    units = selectors.institution_units(period.institution)
    saved = {(row.answer.pk, unit.pk) for row in rows for unit in row.units}
    chosen = saved if chosen is None else chosen
    grid = period_pages.matrix_grid(rows, units, chosen, saved)
    context = {
        "period": period,
        "units": units,
        "grid": grid,
        "fingerprint": assignment_fingerprint(saved),
        "answer_ids": ",".join(str(row.answer.pk) for row in rows),
        "error": error,
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "evaluations/matrix.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assignment_matrix(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id, Capability.ASSIGN_UNITS)
    if request.method != "POST":
        return _render_matrix(request, period, access)
    form = forms.MatrixForm(request.POST)
    chosen = None
    try:
        if not form.is_valid():
            raise invalid(form)
        assignments = form.assignments(request.POST.getlist("cell"))
        chosen = {(a, u) for a, units in assignments.items() for u in units}
        changed = services.period_assign_matrix(
            actor=request.user,
            period_id=period.pk,
            assignments=assignments,
            expected_fingerprint=form.cleaned_data["fingerprint"],
        )
    except ValidationError as problem:
        return _render_matrix(request, period, access, status=422, error=problem.messages[0])
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _render_matrix(
            request, period, access, chosen=chosen, status=error.status, error=error
        )
    messages.success(request, _("%(count)d indicators changed.") % {"count": changed})
    return redirect("evaluations:matrix", period_id=period.pk)


# --- audit ---------------------------------------------------------------------------------


@require_safe
@login_required
def period_audit(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id, Capability.VIEW_AUDIT)
    page = Paginator(audit_selectors.period_events(period.pk), 50).get_page(request.GET.get("page"))
    labels = history.indicator_labels(period)
    events = [
        {
            "event": e,
            "label": history.action_label(e.action),
            "changes": history.changes_of(e, labels),
            "indicator": labels.get(e.answer_id, ""),
        }
        for e in page
    ]
    context = {"period": period, "page": page, "events": events}
    context["tabs"] = navigation.period_tabs(period, access)
    return render(request, "evaluations/audit.html", context)


@require_safe
@login_required
def period_audit_csv(request: HttpRequest, period_id: int) -> HttpResponse:
    period, _access = navigation.period_or_404(request.user, period_id, Capability.VIEW_AUDIT)
    numbers = history.indicator_numbers(period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"audit-periode-{period.pk}-{period.year}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # a byte-order mark: spreadsheets then read UTF-8 right
    events = audit_selectors.period_events(period.pk).order_by("chain", "seq")
    write_events_csv(response, events, numbers, history.indicator_labels(period, numbers))
    return response


# --- settings and creation -----------------------------------------------------------------


def _render_settings(request, period, access, *, status=200, error=None, bound=None):
    context = {
        "period": period,
        "milestones": list(period.milestones.order_by("due_at")),
        "single_kinds": Milestone.SINGLE,
        "target_form": forms.TargetForm(initial={"target": period.target}),
        "milestone_form": forms.MilestoneForm(),
        "close_form": forms.CloseForm(),
        "error": error,
        "tabs": navigation.period_tabs(period, access),
        **(bound or {}),
    }
    return render(request, "evaluations/settings.html", context, status=status)


@require_safe
@login_required
def period_settings(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id, Capability.MANAGE_PERIOD)
    return _render_settings(request, period, access)


@dataclass(frozen=True)
class SettingsAction:
    form: type
    context_name: str
    run: Callable
    done: str


SETTINGS_ACTIONS = {
    "target": SettingsAction(
        forms.TargetForm,
        "target_form",
        lambda user, period, form, _pk: services.period_set_target(
            actor=user, period_id=period.pk, target=form.cleaned_data["target"]
        ),
        _("Target saved."),
    ),
    "milestone": SettingsAction(
        forms.MilestoneForm,
        "milestone_form",
        lambda user, period, form, _pk: services.milestone_set(
            actor=user,
            period_id=period.pk,
            kind=form.cleaned_data["kind"],
            due_at=form.due_at(),
            title=form.cleaned_data["title"],
        ),
        _("Milestone saved."),
    ),
    "milestone-delete": SettingsAction(
        forms.forms.Form,
        "delete_form",
        lambda user, period, form, pk: services.milestone_delete(actor=user, milestone_id=pk),
        _("Milestone deleted."),
    ),
    "close": SettingsAction(
        forms.CloseForm,
        "close_form",
        lambda user, period, form, _pk: services.period_close_self_assessment(
            actor=user, period_id=period.pk
        ),
        _("The self-assessment is closed: every answer is final mandiri."),
    ),
}


@require_POST
@login_required
def period_settings_action(
    request: HttpRequest, period_id: int, action: str, pk: int | None = None
) -> HttpResponse:
    spec = SETTINGS_ACTIONS.get(action)
    if spec is None:
        raise Http404
    period, access = navigation.period_or_404(request.user, period_id, Capability.MANAGE_PERIOD)
    if pk is not None and not period.milestones.filter(pk=pk).exists():
        raise NotFound(_("Milestone not found."))
    form = spec.form(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        spec.run(request.user, period, form, pk)
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        bound = {spec.context_name: form}
        return _render_settings(
            request, period, access, status=error.status, error=error, bound=bound
        )
    messages.success(request, spec.done)
    return redirect("evaluations:settings", period_id=period.pk)


def _create_form(request: HttpRequest, data=None) -> forms.PeriodCreateForm:
    accesses = navigation.accesses_by_institution(request.user)
    managed = {i for i, a in accesses.items() if a.can(Capability.MANAGE_PERIOD)}
    if not managed:
        raise Forbidden(_("Your role does not allow creating periods."))
    periods = [p for p in selectors.periods_for_user(request.user) if p.institution_id in managed]
    # A new period takes the newest version of an instrument (the API still takes id@version).
    entries = instrument_list()
    newest = {}
    for entry in entries:
        best = newest.get(entry.instrument.id)
        if best is None or entry.instrument.version > best.instrument.version:
            newest[entry.instrument.id] = entry
    return forms.PeriodCreateForm(
        data,
        initial={"year": timezone.localdate().year, "kind": "evaluasi"},
        institutions=[i for i in institutions_of(request.user) if i.pk in managed],
        instruments=[e for e in entries if newest[e.instrument.id] is e],
        previous=periods,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    form = _create_form(request, request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return render(request, "evaluations/period_create.html", {"form": form})
    try:
        if not form.is_valid():
            raise invalid(form)
        data = form.cleaned_data
        period = services.period_create(
            actor=request.user,
            institution_id=data["institution"],
            year=data["year"],
            kind=data["kind"],
            instrument=data["instrument"],
            target=data["target"],
            carry_over_from=data["carry_over_from"],
            use_schedule=data["use_schedule"],
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        context = {"form": form, "error": error}
        return render(request, "evaluations/period_create.html", context, status=error.status)
    scheduled = period.milestones.count()
    if scheduled:
        messages.success(
            request,
            _(
                "Period created with %(count)d milestones from the instrument's schedule; "
                "adjust them below."
            )
            % {"count": scheduled},
        )
    else:
        messages.success(request, _("Period created. Set its milestones below."))
    return redirect("evaluations:settings", period_id=period.pk)


# --- the answer page -----------------------------------------------------------------------


@require_safe
@login_required
def answer_page(request: HttpRequest, answer_id: int) -> HttpResponse:
    return render_answer(request, answer_id)


def _cd(form) -> dict:
    return form.cleaned_data


@dataclass(frozen=True)
class AnswerAction:
    capability: Capability
    run: Callable  # (user, answer id, form) -> None
    done: str


ANSWER_ACTIONS = {
    "save": AnswerAction(
        Capability.EDIT_ANSWER,
        lambda user, pk, form: services.answer_save(
            actor=user,
            answer_id=pk,
            expected_version=_cd(form)["version"],
            level=_cd(form)["level"],
            explanation=_cd(form)["explanation"],
        ),
        _("Answer saved."),
    ),
    "submit": AnswerAction(
        Capability.SUBMIT_ANSWER,
        lambda user, pk, form: services.answer_submit(
            actor=user,
            answer_id=pk,
            expected_version=_cd(form)["version"],
            warnings_confirmed=_cd(form)["confirm_readiness_errors"],
        ),
        _("Answer submitted (diajukan) for verification."),
    ),
    "verify": AnswerAction(
        Capability.VERIFY_ANSWER,
        lambda user, pk, form: services.answer_verify(
            actor=user, answer_id=pk, expected_version=_cd(form)["version"]
        ),
        _("Answer verified (diverifikasi)."),
    ),
    "return": AnswerAction(
        Capability.VERIFY_ANSWER,
        lambda user, pk, form: services.answer_return(
            actor=user, answer_id=pk, expected_version=_cd(form)["version"], note=_cd(form)["note"]
        ),
        _("Answer returned (dikembalikan) to the unit."),
    ),
    "reopen": AnswerAction(
        Capability.REOPEN_ANSWER,
        lambda user, pk, form: services.answer_reopen(
            actor=user,
            answer_id=pk,
            expected_version=_cd(form)["version"],
            reason=_cd(form)["reason"],
        ),
        _("Answer reopened."),
    ),
    "assess": AnswerAction(
        Capability.ASSESS,
        lambda user, pk, form: services.assessor_pass_save(
            actor=user,
            answer_id=pk,
            stage=_cd(form)["stage"],
            level=_cd(form)["level"],
            notes=_cd(form)["notes"],
            expected_version=form.expected_version(),
        ),
        _("Assessment saved."),
    ),
    "respond": AnswerAction(
        Capability.RESPOND_TO_ASSESSOR,
        lambda user, pk, form: services.assessor_response_save(
            actor=user,
            answer_id=pk,
            response=_cd(form)["response"],
            expected_version=_cd(form)["version"],
        ),
        _("Response saved."),
    ),
    "comment": AnswerAction(
        Capability.COMMENT,
        lambda user, pk, form: services.comment_add(
            actor=user, answer_id=pk, body=_cd(form)["body"]
        ),
        _("Comment added."),
    ),
    "units": AnswerAction(
        Capability.ASSIGN_UNITS,
        lambda user, pk, form: services.answer_assign_units(
            actor=user, answer_id=pk, unit_ids=_cd(form)["units"]
        ),
        _("Responsible units saved."),
    ),
}


@require_POST
@login_required
def answer_action(request: HttpRequest, answer_id: int, action: str) -> HttpResponse:
    """Every action on the answer page: parse, call the service, then show the refreshed
    answer (the panel alone for HTMX); a refused action is shown in place with its 4xx."""
    if action == "items":
        return _answer_items(request, answer_id)
    spec = ANSWER_ACTIONS.get(action)
    if spec is None:
        raise Http404
    detail = selectors.answer_detail(request.user, answer_id)  # NotFound if not visible
    if not detail.access.can_on_answer(spec.capability, {u.pk for u in detail.row.units}):
        raise Forbidden(_("Your role does not allow this on this answer."))
    form = bound_form(action, detail, request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        spec.run(request.user, answer_id, form)
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _answer_refused(request, detail, action, form, error)
    if is_htmx(request):
        return render_answer(request, answer_id, notice=spec.done)
    messages.success(request, spec.done)
    return redirect("answers:detail", answer_id=answer_id)


def _answer_refused(request, detail, action: str, form, error: DomainError):
    """Show the refusal beside the user's own input. On a conflict, the other person's
    version is shown too and the form carries the current version, so saving again is a
    deliberate choice to replace theirs; nothing typed is lost."""
    conflict = error.extra.get("current") if isinstance(error, Conflict) else None
    if conflict is not None and "version" in conflict:
        data = request.POST.copy()
        key = "version" if action != "assess" else f"version_{form.data.get('stage')}"
        data[key] = str(conflict["version"])
        form = bound_form(action, detail, data)
        form.is_valid()
    for problem in error.details:
        if problem.get("location") in form.fields and problem["location"] not in form.errors:
            form.add_error(problem["location"], problem["message"])
    bound = {action: form}
    return render_answer(
        request,
        detail.row.answer.pk,
        status=error.status,
        forms=bound,
        error=error,
        conflict=conflict,
        conflict_action=action,
    )


def _answer_items(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The item checklist of one stage (pemdi-2026), saved in one call. A refusal shows the
    checklist again as it was posted, with the problems per item; on a conflict the form
    carries the current version, so saving again is a deliberate choice."""
    detail = selectors.answer_detail(request.user, answer_id)  # NotFound if not visible
    if not detail.access.can_on_answer(Capability.ASSESS, {u.pk for u in detail.row.units}):
        raise Forbidden(_("Your role does not allow this on this answer."))
    data, keys = request.POST, []
    stage = data.get("stage") if data.get("stage") in AssessorPass.Stage.values else None
    try:
        decisions, keys, meta = parse_items_post(detail, data)
        services.items_judge(
            actor=request.user,
            answer_id=answer_id,
            stage=meta["stage"],
            decisions=decisions,
            expected_version=meta["version"],
            follow_items=meta["follow_items"],
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        conflict = error.extra.get("current") if isinstance(error, Conflict) else None
        if conflict is not None:
            data = data.copy()
            data["version"] = str(conflict.get("version", 0))
        return render_answer(
            request,
            answer_id,
            status=error.status,
            items_stage=stage,
            items_data=data,
            items_error=error,
            items_keys=keys,
            conflict=conflict,
            conflict_action="items",
        )
    done = _("Item judgements saved.")
    if is_htmx(request):
        return render_answer(request, answer_id, notice=done, items_stage=stage)
    messages.success(request, done)
    url = reverse("answers:detail", kwargs={"answer_id": answer_id})
    return redirect(f"{url}?stage={stage}#items" if stage else f"{url}#items")

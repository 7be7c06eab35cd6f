"""Planning pages: the what-if page, the optimal plan with its action items, the efforts.
Views stay thin: a selector to read, a service to write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from monev.evaluations import navigation
from monev.evaluations import selectors as evaluation_selectors
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.permissions import Capability
from monev.lib.errors import DomainError, Forbidden, InvalidInput, NotFound
from monev.lib.http import invalid, is_htmx
from monev.planning import forms, selectors, services
from monev.planning.freshness import plan_freshness
from monev.planning.models import ActionItem

LEVEL_PREFIX = "level-"


# --- what-if -------------------------------------------------------------------------------


def _posted_levels(request: HttpRequest) -> dict[str, str]:
    return {
        key[len(LEVEL_PREFIX) :]: value
        for key, value in request.POST.items()
        if key.startswith(LEVEL_PREFIX)
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def what_if(request: HttpRequest, period_id: int) -> HttpResponse:
    """Change levels and see the new index at once (HTMX on every change; the button without
    JavaScript). Nothing is saved."""
    period, access = navigation.period_or_404(request.user, period_id)
    raw = _posted_levels(request) if request.method == "POST" else {}
    context = {"period": period, "tabs": navigation.period_tabs(period, access), "error": None}
    status = 200
    try:
        view = selectors.what_if_view(period, access, selectors.parse_changes(raw))
    except InvalidInput as error:
        view, status = selectors.what_if_view(period, access), error.status
        context["error"] = error
        for row in view.rows:
            row.shown = raw.get(row.item.number, row.shown)
    context |= {"view": view, "result": view.result, "instrument": view.instrument}
    if is_htmx(request):
        return render(request, "planning/_what_if_result.html", context, status=status)
    return render(request, "planning/what_if.html", context, status=status)


# --- the plan ------------------------------------------------------------------------------


def _plan_form(period, instrument, units, plan, data=None) -> forms.PlanForm:
    initial = forms.PlanForm.initial_from(
        plan.parameters if plan else {}, plan.target if plan else period.target
    )
    return forms.PlanForm(data, initial=initial, instrument=instrument, units=units)


def _render_plan(request, period, access, *, status=200, error=None):
    """The plan, whether it is still true, its action items by unit; the constraint form
    lives on its own page (planning:compute) unless there is no plan yet."""
    view = selectors.plan_view(period, access)
    instrument = instrument_of(period)
    can_manage = access.can(Capability.MANAGE_PERIOD)
    freshness = plan_freshness(view.plan, instrument) if view.plan else None
    form = None
    if view.plan is None and can_manage:
        units = evaluation_selectors.institution_units(period.institution)
        form = _plan_form(period, instrument, units, None)
    context = {
        "period": period,
        "view": view,
        "plan": view.plan,
        "freshness": freshness,
        "changed": {c.number: c for c in freshness.off_plan} if freshness else {},
        "form": form,
        "error": error,
        "can_manage": can_manage,
        "can_complete": access.can(Capability.EDIT_ANSWER),
        "deadline": services.evidence_deadline(period),
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "planning/plan.html", context, status=status)


@require_http_methods(["GET", "HEAD"])
@login_required
def plan_page(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    return _render_plan(request, period, access)


def _computed(request, plan) -> None:
    if plan.reachable:
        messages.success(request, _("The optimal plan is computed."))
    else:
        messages.warning(
            request,
            _("The target cannot be reached; the plan shown reaches the best reachable index."),
        )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def plan_compute(request: HttpRequest, period_id: int) -> HttpResponse:
    """The target and constraints (GET: as the active plan had them), computed on POST."""
    period, access = navigation.period_or_404(request.user, period_id, Capability.MANAGE_PERIOD)
    instrument = instrument_of(period)
    units = evaluation_selectors.institution_units(period.institution)
    plan = selectors.active_plan(period)
    data = request.POST if request.method == "POST" else None
    form = _plan_form(period, instrument, units, plan, data)
    status, error = 200, None
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise invalid(form)
            plan = services.plan_create(
                actor=request.user, period_id=period.pk, **form.parameters()
            )
        except DomainError as problem:
            if isinstance(problem, NotFound | Forbidden):
                raise
            status, error = problem.status, problem
        else:
            _computed(request, plan)
            return redirect("planning:plan", period_id=period.pk)
    context = {
        "period": period,
        "plan": plan,
        "form": form,
        "error": error,
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "planning/compute.html", context, status=status)


@require_POST
@login_required
def plan_replan(request: HttpRequest, period_id: int) -> HttpResponse:
    """Compute the plan again from the levels now, with the same target and constraints."""
    period, access = navigation.period_or_404(request.user, period_id, Capability.MANAGE_PERIOD)
    form = forms.ReplanForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        plan = services.plan_replan(
            actor=request.user, period_id=period.pk, expected_plan_id=form.cleaned_data["plan"]
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _render_plan(request, period, access, status=error.status, error=error)
    _computed(request, plan)
    return redirect("planning:plan", period_id=period.pk)


def _back(request: HttpRequest, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return default


def _item_response(
    request, item: ActionItem, period, access, *, status=200, error=None, notice=None, edit=False
):
    # Read again for the row; an item the operator reaches only through its answer's units
    # is not in their list, and shows as it is.
    shown = next((i for i in selectors.plan_items(item.plan, access) if i.pk == item.pk), None)
    if shown is None:
        shown = item
        selectors.describe_items(period, [item])
    context = {
        "item": shown,
        "period": period,
        "can_manage": access.can(Capability.MANAGE_PERIOD),
        "can_complete": access.can(Capability.EDIT_ANSWER),
        # The unit choices only in the row being edited: not one list per row of the plan.
        "units": evaluation_selectors.institution_units(period.institution) if edit else (),
        "editing": edit,
        "error": error,
        "notice": notice,
    }
    if edit and not is_htmx(request):
        context["tabs"] = navigation.period_tabs(period, access)
        return render(request, "planning/item_unit.html", context, status=status)
    return render(request, "planning/_item_row.html", context, status=status)


@require_POST
@login_required
def item_done(request: HttpRequest, item_id: int) -> HttpResponse:
    item, period, access = selectors.action_item_for(request.user, item_id, Capability.EDIT_ANSWER)
    form = forms.DoneForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        item = services.action_item_complete(
            actor=request.user, item_id=item.pk, expected_version=version
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden) or not is_htmx(request):
            raise
        return _item_response(request, item, period, access, status=error.status, error=error)
    if is_htmx(request):
        return _item_response(request, item, period, access, notice=_("Done."))
    messages.success(request, _("Action item done."))
    return _back(request, redirect("planning:plan", period_id=period.pk))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def item_reassign(request: HttpRequest, item_id: int) -> HttpResponse:
    """GET: the row with its unit choice (htmx swaps it in; without JavaScript a page with
    that row); POST: give the item to the unit chosen."""
    item, period, access = selectors.action_item_for(
        request.user, item_id, Capability.MANAGE_PERIOD
    )
    if request.method != "POST":
        return _item_response(request, item, period, access, edit=True)
    form = forms.ReassignForm(
        request.POST, units=evaluation_selectors.institution_units(period.institution)
    )
    try:
        if not form.is_valid():
            raise invalid(form)
        item = services.action_item_reassign(
            actor=request.user,
            item_id=item.pk,
            unit_id=form.cleaned_data["unit"],
            expected_version=form.cleaned_data.get("version"),
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _item_response(
            request, item, period, access, status=error.status, error=error, edit=True
        )
    if is_htmx(request):
        return _item_response(request, item, period, access, notice=_("Unit changed."))
    messages.success(request, _("Responsible unit changed."))
    return redirect(f"{reverse('planning:plan', args=[period.pk])}#action-item-{item.pk}")


# --- efforts -------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def efforts(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    rows = selectors.effort_rows(period)
    can_manage = access.can(Capability.MANAGE_PERIOD)
    initial = forms.EffortsForm.initial_from(rows)
    status, error = 200, None
    if request.method == "POST":
        if not can_manage:
            raise Forbidden(_("Your role does not allow this."))
        form = forms.EffortsForm(request.POST, rows=rows, initial=initial)
        try:
            if not form.is_valid():
                raise invalid(form)
            changed = services.efforts_set(
                actor=request.user, period_id=period.pk, efforts=form.changes()
            )
        except DomainError as problem:
            if isinstance(problem, NotFound | Forbidden):
                raise
            status, error = problem.status, problem
        else:
            messages.success(request, _("%(count)d efforts changed.") % {"count": changed})
            return redirect("planning:efforts", period_id=period.pk)
    else:
        form = forms.EffortsForm(rows=rows, initial=initial)
    context = {
        "period": period,
        "form": form,
        "rows": form.bound_rows(),
        "can_manage": can_manage,
        "error": error,
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "planning/efforts.html", context, status=status)

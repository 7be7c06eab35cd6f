"""The "Peralihan instrumen" page of a period: last period's evidence and penjelasan
suggested for the new instrument's indicators through the crosswalk (a judgement), accepted or
rejected one by one or per indicator. HTMX swaps the indicator's block; without JavaScript the
forms post and come back to the page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.evaluations import navigation
from monev.lib.errors import DomainError, Forbidden, NotFound
from monev.lib.http import invalid, is_htmx
from monev.transition import selectors, services
from monev.transition.models import CrosswalkSuggestion


class DecisionForm(forms.Form):
    level = forms.IntegerField(required=False, min_value=0, max_value=10)
    version = forms.IntegerField(required=False, min_value=1)
    reason = forms.CharField(required=False, max_length=2000)


def _context(period, access, *, error=None, error_indicator=None):
    view = selectors.transition_view(period, access)
    levels = list(range(max(view.instrument.scale.min, 1), view.instrument.scale.max + 1))
    return {
        "period": period,
        "view": view,
        "levels": levels,
        "default_level": services.DEFAULT_LEVEL,
        "error": error,
        "error_indicator": error_indicator,
        "tabs": navigation.period_tabs(period, access),
    }


def _page(request, period, access, *, status=200, error=None, error_indicator=None):
    context = _context(period, access, error=error, error_indicator=error_indicator)
    return render(request, "transition/suggestions.html", context, status=status)


@require_safe
@login_required
def suggestions(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = selectors.period_for_transition(request.user, period_id)
    return _page(request, period, access)


@require_POST
@login_required
def generate(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = selectors.period_for_transition(request.user, period_id)
    try:
        result = services.suggestions_generate(actor=request.user, period_id=period.pk)
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _page(request, period, access, status=error.status, error=error)
    messages.success(
        request,
        _("%(created)s new suggestions; %(total)s in all.")
        % {"created": result.created, "total": result.total},
    )
    return redirect("transition:suggestions", period_id=period.pk)


def _group_response(
    request, period, access, indicator: str, *, status=200, error=None, notice=None
):
    context = _context(period, access, error=error, error_indicator=indicator)
    group = next((g for g in context["view"].groups if g.indicator.number == indicator), None)
    if group is None:
        raise NotFound(_("Indicator not found."))
    context |= {"group": group, "notice": notice}
    return render(request, "transition/_group.html", context, status=status)


def _decided(request, period, access, indicator, notice, error=None, status=200):
    if is_htmx(request):
        return _group_response(
            request, period, access, indicator, status=status, error=error, notice=notice
        )
    if error is not None:
        return _page(request, period, access, status=status, error=error, error_indicator=indicator)
    messages.success(request, notice)
    url = reverse("transition:suggestions", args=[period.pk])
    return redirect(f"{url}#indicator-{indicator}")


@require_POST
@login_required
def accept(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion, period, access = selectors.suggestion_for(request.user, suggestion_id)
    form = DecisionForm(request.POST)
    evidence = suggestion.kind == CrosswalkSuggestion.Kind.EVIDENCE
    try:
        if not form.is_valid():
            raise invalid(form)
        services.suggestion_accept(
            actor=request.user,
            suggestion_id=suggestion.pk,
            # Linking evidence overwrites nothing: only a penjelasan needs the answer's version.
            level=form.cleaned_data["level"] if evidence else None,
            expected_version=None if evidence else form.cleaned_data["version"],
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _decided(request, period, access, suggestion.indicator, None, error, error.status)
    return _decided(request, period, access, suggestion.indicator, _("Accepted."))


@require_POST
@login_required
def reject(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    suggestion, period, access = selectors.suggestion_for(request.user, suggestion_id)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        services.suggestion_reject(
            actor=request.user, suggestion_id=suggestion.pk, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _decided(request, period, access, suggestion.indicator, None, error, error.status)
    return _decided(request, period, access, suggestion.indicator, _("Rejected."))


@require_POST
@login_required
def accept_indicator(request: HttpRequest, period_id: int, indicator: str) -> HttpResponse:
    period, access = selectors.period_for_transition(request.user, period_id)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise invalid(form)
        count = services.suggestions_accept_indicator(
            actor=request.user,
            period_id=period.pk,
            indicator=indicator,
            level=form.cleaned_data["level"],
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _decided(request, period, access, indicator, None, error, error.status)
    notice = _("%(count)s suggestions accepted.") % {"count": count}
    return _decided(request, period, access, indicator, notice)

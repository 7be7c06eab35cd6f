"""Monitoring pages: the period dashboard, the history across quarters and years, the
forecast. Thin: a selector to read, a service to write."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.evaluations import navigation
from monev.institutions.access import institution_for_user
from monev.institutions.permissions import Capability
from monev.lib.errors import InvalidInput
from monev.lib.params import old_query_names
from monev.monitoring import charts, selectors, services


def as_of_param(value: str | None) -> datetime | None:
    """`?as_of=YYYY-MM-DD`: the end of that day, in the site's time zone."""
    if not value:
        return None
    day = parse_date(value) if len(value) == 10 else None
    if day is None:
        raise InvalidInput(
            _("Give the date as YYYY-MM-DD."),
            details=[{"location": "as_of", "message": str(_("Not a date."))}],
        )
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@require_safe
@login_required
def dashboard(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    board = selectors.dashboard(period, access)
    context = {
        "period": period,
        "board": board,
        "instrument": board.instrument,
        "aspect_chart": charts.comparison_chart(board, "aspect"),
        "domain_chart": charts.comparison_chart(board, "domain"),
        "can_snapshot": access.can(Capability.MANAGE_PERIOD),
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "monitoring/dashboard.html", context)


@require_safe
@login_required
def history(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    result = selectors.period_history(period, access)
    context = {
        "period": period,
        "history": result,
        "history_chart": charts.history_chart(result),
        "snapshot_chart": charts.snapshot_chart(result),
        "can_snapshot": access.can(Capability.MANAGE_PERIOD),
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "monitoring/history.html", context)


@require_safe
@login_required
def institution_history(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution, _access = institution_for_user(request.user, institution_id)
    result = selectors.institution_history(institution)
    context = {
        "institution": institution,
        "history": result,
        "history_chart": charts.history_chart(result),
    }
    return render(request, "monitoring/institution_history.html", context)


@require_safe
@old_query_names("pada")
@login_required
def forecast(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    result = selectors.forecast(period, access, as_of=as_of_param(request.GET.get("as_of")))
    context = {
        "period": period,
        "forecast": result,
        "instrument": result.instrument,
        "forecast_chart": charts.forecast_chart(result),
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "monitoring/forecast.html", context)


@require_POST
@login_required
def snapshot_take(request: HttpRequest, period_id: int) -> HttpResponse:
    snapshot = services.snapshot_take(
        actor=request.user, period_id=period_id, label=request.POST.get("label", "")
    )
    messages.success(request, _("Snapshot “%(label)s” taken.") % {"label": snapshot.label})
    return redirect("monitoring:history", period_id=period_id)

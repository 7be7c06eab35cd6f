"""The deadline view ("Tenggat", /rencana/periode/ID/tenggat/): what is due when and who still
owes what. A thin view over monev.planning.deadlines, which the API reads too."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.evaluations import navigation
from monev.lib.errors import InvalidInput
from monev.planning.deadlines import Kind, deadline_view, parse_sort


@require_safe
@login_required
def deadlines(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id)
    status, error = 200, None
    try:
        sort = parse_sort(request.GET.get("sort"))
    except InvalidInput as problem:
        # Said above the view, which stays in its default order.
        status, error, sort = problem.status, problem, "due"
    view = deadline_view(period, access, sort=sort)
    context = {
        "period": period,
        "view": view,
        "kinds": Kind,
        "error": error,
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "planning/deadlines.html", context, status=status)

"""Instrument pages: the list, one instrument's structure, one indicator's criteria."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from monev.instruments import selectors
from monev.instruments.milestones import MilestoneKind
from monev.instruments.selectors import InstrumentNotFound


def _instrument_or_404(reference: str):
    try:
        return selectors.instrument_get(reference)
    except InstrumentNotFound:
        raise Http404("instrument not found") from None


@require_safe
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(request, "instruments/list.html", {"entries": selectors.instrument_list()})


@require_safe
def instrument_detail(request: HttpRequest, reference: str) -> HttpResponse:
    instrument = _instrument_or_404(reference)
    versions = [e for e in selectors.instrument_list() if e.instrument.id == instrument.id]
    # The default schedule as a period of the instrument's first year would get it.
    kinds = dict(MilestoneKind.choices)
    schedule = [
        {"label": kinds.get(kind, kind), "due_at": due_at, "title": title}
        for kind, due_at, title in selectors.schedule_milestones(instrument, instrument.years.first)
    ]
    context = {
        "instrument": instrument,
        "structure": selectors.instrument_structure(instrument),
        "versions": versions,
        "schedule": schedule,
    }
    return render(request, "instruments/detail.html", context)


@require_safe
def indicator_detail(request: HttpRequest, reference: str, number: str) -> HttpResponse:
    instrument = _instrument_or_404(reference)
    try:
        indicator = selectors.indicator_get(instrument, number)
    except InstrumentNotFound:
        raise Http404("indicator not found") from None
    context = {
        "instrument": instrument,
        "indicator": indicator,
        "aspect": instrument.aspects_by_code[indicator.aspect],
        "levels": selectors.indicator_levels(instrument, indicator),
    }
    # The same fragment serves the inline expansion on the instrument page (HTMX).
    if request.headers.get("HX-Request"):
        return render(request, "instruments/_indicator_levels.html", context)
    return render(request, "instruments/indicator.html", context)

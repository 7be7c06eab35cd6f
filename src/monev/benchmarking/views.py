"""The evaluator's pages over many institutions, and one institution against its peers.
Thin: a selector reads, the template shows."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from monev.benchmarking import charts, selectors
from monev.lib.params import old_query_names


def _filters(request: HttpRequest) -> dict:
    get = request.GET
    return {
        "year": get.get("year"),
        "instrument_id": get.get("instrument"),
        "kind": get.get("kind"),
        "province": get.get("province"),
    }


@require_safe
@old_query_names("tahun", "instrumen", "jenis", "provinsi", "urut", "halaman")
@login_required
def progress(request: HttpRequest) -> HttpResponse:
    result = selectors.progress(
        request.user,
        **_filters(request),
        sort=request.GET.get("sort"),
        page=request.GET.get("page"),
    )
    context = {
        "progress": result,
        # The period links without a reverse() per row.
        "overview_base": reverse("evaluations:overview", args=[0]).removesuffix("0/"),
        "choice": result.choice,
        "instrument": result.choice.instrument,
        "kinds": selectors.KINDS,
        "provinces": result.provinces,
    }
    return render(request, "benchmarking/progress.html", context)


@require_safe
@old_query_names("tahun", "instrumen", "jenis", "provinsi", "sumber", "halaman")
@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    result = selectors.ranking(
        request.user,
        **_filters(request),
        source=request.GET.get("source"),
        page=request.GET.get("page"),
    )
    context = {
        "ranking": result,
        # The peer pages' links without a reverse() per row (50 rows a page).
        "peers_base": reverse("benchmarking:peers", args=[0]).removesuffix("0/banding/"),
        "choice": result.choice,
        "instrument": result.choice.instrument,
        "kinds": selectors.KINDS,
    }
    return render(request, "benchmarking/rankings.html", context)


@require_safe
@old_query_names("tahun", "instrumen", "jenis", "provinsi", "sumber")
@login_required
def distributions(request: HttpRequest) -> HttpResponse:
    result = selectors.distribution(
        request.user, **_filters(request), source=request.GET.get("source")
    )
    context = {
        "dist": result,
        "choice": result.choice,
        "instrument": result.choice.instrument,
        "kinds": selectors.KINDS,
        "kind_groups": [result.overall, *result.by_kind],
    }
    return render(request, "benchmarking/distributions.html", context)


@require_safe
@old_query_names("tahun")
@login_required
def peers(request: HttpRequest, institution_id: int) -> HttpResponse:
    result = selectors.peers(request.user, institution_id, year=request.GET.get("year"))
    context = {
        "cmp": result,
        "instrument": result.choice.instrument if result.choice else None,
        "charts": [],
        "min_peers": selectors.MIN_PEERS,
        "history_chart": None,
    }
    instrument = context["instrument"]
    if result.own is not None and instrument is not None:
        for group in result.groups:
            if not group.shown:
                continue
            rows = [charts.Row(_("Index"), result.own.index, group.index)]
            rows += [
                charts.Row(
                    f"{code} {result.aspect_names.get(code, '')}",
                    _decimal(result.own.aspects.get(code)),
                    group.aspects.get(code),
                )
                for code in result.own.aspects
            ]
            context["charts"].append(
                (group, charts.peer_chart(rows, scale_max=instrument.scale.max, title=group.label))
            )
    if result.history:
        context["history_chart"] = charts.peer_chart(
            [charts.Row(f"{p.year} {p.instrument_id}", p.index, p.peers) for p in result.history],
            scale_max=5,
            title=_("Published index against the published indices of its kind"),
        )
    return render(request, "benchmarking/peers.html", context)


def _decimal(value):
    return None if value in (None, "") else Decimal(value)

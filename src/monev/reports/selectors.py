"""Reads of the report pages that the exports themselves do not need."""

from __future__ import annotations

from monev.evaluations.models import Period
from monev.institutions.permissions import Access
from monev.reports.institutions import viewable_institution_ids


def recap_choices(user) -> list[tuple[int, str]]:
    """(year, instrument id) pairs with a period in an institution the user may view, newest
    first: what the evaluator's recap can be asked for (two queries)."""
    pairs = (
        Period.objects.filter(institution_id__in=viewable_institution_ids(user))
        .values_list("year", "instrument_id")
        .distinct()
        .order_by("-year", "instrument_id")
    )
    return [(year, instrument_id) for year, instrument_id in pairs]


def reports_tab(period: Period, access: Access) -> bool:
    """The period's "Laporan" tab, its Excel and PDF downloads (evaluations.hooks.period_tabs):
    every member."""
    return bool(access)

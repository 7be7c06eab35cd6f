"""Reads of external results shared by the pages, the API, the dashboard and the services.

Which result a period uses (the rule, also in docs/pemdi.md): for one institution, instrument
and indicator, among the results whose data year is not after the period's year, the one of
the newest data year; within that year the one recorded last (a correction supersedes the
earlier entry, which stays in the history). Without such a result the instrument's default
value (1) applies. A correction of an older data year does not replace a newer year's value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.model import Indicator, Instrument
from monev.external.models import ExternalResult
from monev.institutions.access import institution_for_user
from monev.institutions.permissions import Access, Capability
from monev.instruments.external_indices import index_label, owner_label
from monev.instruments.selectors import instrument_catalog
from monev.lib.errors import NotFound

DEFAULT_INSTRUMENT = "pemdi-2026"


def latest_instrument(instrument_id: str) -> Instrument:
    """The newest version of an instrument (NotFound if unknown)."""
    try:
        return instrument_catalog().find(instrument_id).instrument
    except Exception:
        raise NotFound(_("Unknown instrument: %(ref)s") % {"ref": instrument_id}) from None


def imported_indicators(instrument: Instrument) -> list[Indicator]:
    return [indicator for indicator in instrument.indicators if indicator.imported]


def pick(results: Iterable[ExternalResult], year: int) -> ExternalResult | None:
    """The result a period of `year` uses among one indicator's results (see the module)."""
    best = None
    for result in results:
        if result.data_year > year:
            continue
        if best is None or (result.data_year, result.recorded_at, result.pk) > (
            best.data_year,
            best.recorded_at,
            best.pk,
        ):
            best = result
    return best


def applicable_results(
    institution_id: int, instrument_id: str, year: int, indicators: Iterable[str]
) -> dict[str, ExternalResult]:
    """indicator number -> the result a period of `year` uses (one query)."""
    numbers = list(indicators)
    by_indicator: dict[str, list[ExternalResult]] = {}
    queryset = ExternalResult.objects.filter(
        institution_id=institution_id,
        instrument_id=instrument_id,
        indicator__in=numbers,
        data_year__lte=year,
    ).select_related("evidence")
    for result in queryset:
        by_indicator.setdefault(result.indicator, []).append(result)
    chosen = {number: pick(results, year) for number, results in by_indicator.items()}
    return {number: result for number, result in chosen.items() if result is not None}


def default_value(indicator: Indicator) -> Decimal | None:
    external = indicator.external
    return Decimal(external.default_value) if external and external.default_value else None


@dataclass
class ExternalStatus:
    """One imported indicator as a period (or the dashboard) sees it."""

    indicator: Indicator
    index: str  # the index's short name ("Indeks SDI")
    owner: str  # "Bappenas"
    result: ExternalResult | None  # None: the default applies
    default: Decimal | None

    @property
    def value(self) -> Decimal | None:
        return self.result.value if self.result is not None else self.default

    @property
    def waiting(self) -> bool:
        return self.result is None


def period_external(period, instrument: Instrument) -> list[ExternalStatus]:
    """Each imported indicator of the period's instrument with the result it uses (one query;
    none at all for an instrument without imported indicators)."""
    indicators = imported_indicators(instrument)
    if not indicators:
        return []
    results = applicable_results(
        period.institution_id, instrument.id, period.year, (i.number for i in indicators)
    )
    return [
        ExternalStatus(
            indicator=indicator,
            index=index_label(instrument.id, indicator),
            owner=owner_label(indicator),
            result=results.get(indicator.number),
            default=default_value(indicator),
        )
        for indicator in indicators
    ]


def can_record(access: Access) -> bool:
    return access.can(Capability.MANAGE_PERIOD) or access.can(Capability.MANAGE_ASSESSORS)


@dataclass
class IndicatorHistory:
    indicator: Indicator
    index: str
    owner: str
    results: list[ExternalResult]  # newest data year first, then latest recorded first
    current: ExternalResult | None  # what a period of this year uses now
    default: Decimal | None


@dataclass
class InstitutionExternal:
    institution: object
    access: Access
    instrument: Instrument
    indicators: list[IndicatorHistory]
    year: int

    @property
    def can_record(self) -> bool:
        return can_record(self.access)


def institution_external(
    user, institution_id: int, *, instrument_id: str = DEFAULT_INSTRUMENT, year: int | None = None
) -> InstitutionExternal:
    """Every result of the institution for the instrument's imported indicators, history
    included, and the one a period of `year` (this year by default) uses. A fixed number of
    queries (access, institution, results) however many results."""
    institution, access = institution_for_user(user, institution_id)
    instrument = latest_instrument(instrument_id)
    year = year or timezone.localdate().year
    indicators = imported_indicators(instrument)
    results: dict[str, list[ExternalResult]] = {}
    queryset = (
        ExternalResult.objects.filter(
            institution_id=institution.pk,
            instrument_id=instrument.id,
            indicator__in=[i.number for i in indicators],
        )
        .select_related("evidence", "recorded_by")
        .order_by("-data_year", "-recorded_at", "-pk")
    )
    for result in queryset:
        results.setdefault(result.indicator, []).append(result)
    histories = [
        IndicatorHistory(
            indicator=indicator,
            index=index_label(instrument.id, indicator),
            owner=owner_label(indicator),
            results=results.get(indicator.number, []),
            current=pick(results.get(indicator.number, []), year),
            default=default_value(indicator),
        )
        for indicator in indicators
    ]
    return InstitutionExternal(institution, access, instrument, histories, year)

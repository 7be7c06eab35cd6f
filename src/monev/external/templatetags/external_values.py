"""The external values on other apps' pages: the period overview and dashboard list each
imported indicator's source, year and value (or that the default applies); the answer page of
an imported indicator says where its value comes from."""

from __future__ import annotations

from decimal import Decimal

from django import template

from monev.core.external import imported_indicator
from monev.external import selectors
from monev.external.services import number_text
from monev.instruments.external_indices import index_label, owner_label

register = template.Library()


@register.filter
def plain_number(value: Decimal | None) -> str:
    """68.750 -> "68,75" (Indonesian), 100.000 -> "100"."""
    return "" if value is None else number_text(Decimal(value))


@register.inclusion_tag("external/_summary.html", takes_context=True)
def external_summary(context, period, instrument):
    """One query (none for an instrument without imported indicators)."""
    rows = selectors.period_external(period, instrument)
    return {
        "rows": rows,
        "period": period,
        "instrument": instrument,
        "request": context.get("request"),
    }


@register.inclusion_tag("external/_answer_note.html")
def external_answer_note(period, answer, instrument):
    """Nothing for an indicator scored from evidence; one query for an imported one."""
    indicator = imported_indicator(instrument, answer.indicator)
    if indicator is None:
        return {"indicator": None}
    results = selectors.applicable_results(
        period.institution_id, instrument.id, period.year, [indicator.number]
    )
    return {
        "indicator": indicator,
        "index": index_label(instrument.id, indicator),
        "owner": owner_label(indicator),
        "result": results.get(indicator.number),
        "default": selectors.default_value(indicator),
        "period": period,
        "answer": answer,
    }

"""Small display helpers for the evaluation-cycle pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from monev.core.numbers import display_value
from monev.evaluations.models import Answer

register = template.Library()

STATUS_CLASSES = {
    Answer.Status.DRAFT: "badge",
    Answer.Status.SUBMITTED: "badge badge-info",
    Answer.Status.RETURNED: "badge badge-warn",
    Answer.Status.VERIFIED: "badge badge-ok",
    Answer.Status.FINAL: "badge badge-final",
}


@register.filter
def level(value: Decimal | None) -> str:
    """A level as people write it: 3 for a whole level, 1,17 for partial credit - an exact
    value such as 7/6 rounded once (half up) to two places."""
    if value is None or value == "":
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(display_value(value), decimal_pos=2)


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "badge")


@register.filter
def get(mapping, key):
    """mapping[key] in a template (None when absent)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def provisional_instrument(period) -> bool:
    """Whether the period's instrument is provisional (pemdi-2026): every page of the period
    says so beside its name. Read from the file catalogue, no query."""
    from monev.evaluations.period_instrument import instrument_of
    from monev.instruments.selectors import InstrumentNotFound

    try:
        return instrument_of(period).provisional
    except InstrumentNotFound:
        return False

"""Template helpers of the report pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def many_institutions(periods) -> bool:
    """Whether the periods listed belong to more than one institution (then the evaluator's
    recap over institutions is worth a link)."""
    return len({period.institution_id for period in periods}) > 1

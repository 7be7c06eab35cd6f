"""The demo banner: a demo institution lives on its story's day (monev.institutions.clock);
every page says so, with that day, so that nobody mistakes the story's dates for today's."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils import timezone

from monev.institutions.clock import DEMO_CLOCKS_SESSION_KEY

register = template.Library()


@register.inclusion_tag("_demo_banner.html", takes_context=True)
def demo_banner(context) -> dict:
    """The user's demo institutions with their current story time, from the session (no
    query): [{"name", "now"}]."""
    request = context.get("request")
    session = getattr(request, "session", None)
    clocks = session.get(DEMO_CLOCKS_SESSION_KEY, []) if session is not None else []
    real = timezone.now()
    return {
        "clocks": [
            {"name": name, "now": real + timedelta(seconds=seconds)} for name, seconds in clocks
        ]
    }

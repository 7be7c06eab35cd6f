"""What the apps above audit provide to it, registered in their `AppConfig.ready`
(monev.lib.hooks; docs/architecture.md)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from monev.lib.hooks import Provider

# fn(institution_id) -> datetime: the institution's current time (monev.institutions.clock; a
# demo institution lives on its story's day), the moment its events are recorded at.
institution_now = Provider("an institution's current time")


def event_time(institution_id: int | None) -> datetime:
    """When an event of this chain happens now: the institution's time, the real time for the
    global chain. One query for an institution: callers that have its time pass `at`."""
    if institution_id is None:
        return timezone.now()
    return institution_now.implementation(institution_id)

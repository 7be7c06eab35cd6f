"""Units' deadline extensions, read for many answers at once: an answer assigned to a unit
with an extension closes at the latest of the period's self-assessment close and its units'
extensions (the rule of services.common.self_assessment_window, for one answer)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db.models import Exists, OuterRef, QuerySet

from monev.evaluations.models import Answer, DeadlineExtension


def unit_extensions(period) -> dict[int, datetime]:
    """unit id -> the end of its extension, for the period (one query)."""
    return dict(DeadlineExtension.objects.filter(period=period).values_list("unit_id", "until"))


def extended_window(
    window: tuple[datetime | None, datetime | None],
    extensions: Mapping[int, datetime],
    unit_ids: Iterable[int],
) -> tuple[datetime | None, datetime | None]:
    """The period's `window` for an answer of `unit_ids`: its close moved to the latest of
    their extensions, if later. A period without a close has nothing to extend."""
    opens, closes = window
    latest = max((extensions[u] for u in unit_ids if u in extensions), default=None)
    if closes is not None and latest is not None and latest > closes:
        closes = latest
    return opens, closes


def answers_due(now: datetime) -> QuerySet[Answer]:
    """The answers a passed self-assessment close locks at `now` (`monev cycle close-due`):
    neither final nor reopened by the koordinator, and not kept open by an extension of one of
    their units that is still running."""
    running = DeadlineExtension.objects.filter(
        period=OuterRef("period"), unit__answer_links__answer=OuterRef("pk"), until__gt=now
    )
    return (
        Answer.objects.filter(reopened=False)
        .exclude(status=Answer.Status.FINAL)
        .exclude(Exists(running))
    )

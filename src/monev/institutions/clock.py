"""Each institution's own clock.

A real institution's clock is the real one (offset zero). A demo institution lives on its
story's day: the demo loader sets its clock to the story's moment (`set_clock`), and from there
it advances in real time, so whatever day the demo is loaded its deadlines lie ahead as the
story has them, while the dates shown stay the story's.

Whatever decides by the current time about an institution's data - a window open or closed,
days left, overdue, the last seven days, forecasts, reminders, the cycle jobs - and the moments
recorded on its rows (audit events, answers, evidence) ask `now_for`. What belongs to no
institution (sessions, tokens, sign-in throttling, backups, health, the national views across
institutions) keeps the real time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from monev.institutions.models import Institution

ZERO = timedelta(0)


def offset_of(institution: Institution | int | None) -> timedelta:
    """How far the institution's clock runs from the real one. An instance answers without a
    query (read it with its period: `select_related("period__institution")`); an id costs one."""
    if institution is None:
        return ZERO
    if isinstance(institution, Institution):
        return institution.clock_offset or ZERO
    found = Institution.objects.filter(pk=institution).values_list("clock_offset", flat=True)
    return found.first() or ZERO


def now_for(institution: Institution | int | None, real: datetime | None = None) -> datetime:
    """The institution's current time (`real` + its offset; `real` defaults to now)."""
    return (real or timezone.now()) + offset_of(institution)


def today_for(institution: Institution | int | None) -> date:
    """The institution's current day, in the site's time zone."""
    return timezone.localdate(now_for(institution))


def set_clock(institution: Institution, moment: datetime) -> timedelta:
    """Make the institution's current time `moment`, from now on advancing in real time (the
    demo loader living through its story). Returns the offset stored."""
    institution.clock_offset = moment - timezone.now()
    institution.save(update_fields=["clock_offset"])
    return institution.clock_offset


def clocks() -> list[tuple[timedelta, datetime]]:
    """Every clock the institutions run on with its time now, (offset, now), the real clock
    first. One query; a job across institutions (`monev cycle`, `monev remind`) runs once per
    clock, on the institutions whose `clock_offset` it is."""
    real = timezone.now()
    offsets = set(Institution.objects.values_list("clock_offset", flat=True).distinct())
    ordered = sorted(offsets | {ZERO}, key=lambda offset: (offset != ZERO, offset))
    return [(offset, real + offset) for offset in ordered]


def demo_clocks(institutions) -> list[tuple[str, timedelta]]:
    """(short name, offset) of the demo institutions among `institutions` (a queryset) whose
    clock is not the real one: what the demo banner names. One query."""
    return [
        (short_name or name, offset)
        for short_name, name, offset in institutions.filter(is_demo=True)
        .exclude(clock_offset=ZERO)
        .order_by("name")
        .values_list("short_name", "name", "clock_offset")
    ]


# The session key holding the demo clocks of the signed-in user's institutions, [[name, offset
# in seconds]]: the banner on every page reads it without a query (set at sign-in).
DEMO_CLOCKS_SESSION_KEY = "monev_demo_clocks"


def remember_demo_clocks(sender, request, user, **kwargs) -> None:
    """At sign-in: which of the user's institutions live on a story's day (the banner)."""
    if request is None or not hasattr(request, "session"):
        return
    mine = Institution.objects.filter(memberships__user=user).distinct()
    request.session[DEMO_CLOCKS_SESSION_KEY] = [
        [name, offset.total_seconds()] for name, offset in demo_clocks(mine)
    ]

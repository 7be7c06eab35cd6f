"""How the pages reach a period and move between its pages: the permission-checked fetch,
the user's access per institution, the period's tabs and the self-assessment's deadline."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.evaluations import hooks, selectors
from monev.evaluations.models import Period
from monev.evaluations.services.common import self_assessment_window
from monev.institutions.models import Membership
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Forbidden


def period_or_404(
    user, period_id: int, *capabilities: Capability, not_found=None
) -> tuple[Period, Access]:
    """The period if the user is a member of its institution (else NotFound, with the message
    `not_found` when the period was reached through another object), and Forbidden unless they
    hold one of `capabilities` (when given)."""
    period, access = selectors.period_for_user(user, period_id, not_found=not_found)
    if capabilities and not any(access.can(c) for c in capabilities):
        raise Forbidden(_("Your role does not allow this."))
    return period, access


def accesses_by_institution(user) -> dict[int, Access]:
    """The user's access in every institution they belong to, in one query."""
    grouped: dict[int, list] = defaultdict(list)
    for membership in Membership.objects.filter(user=user).only(
        "institution_id", "role", "unit_id"
    ):
        grouped[membership.institution_id].append(membership)
    return {institution_id: Access(ms) for institution_id, ms in grouped.items()}


def period_tabs(period: Period, access: Access) -> dict[str, bool]:
    """Which of the period's pages the user may open (the period's sub-navigation): the
    evaluation's own, and those the apps above it register (hooks.period_tabs); the nav
    template (evaluations/_period_nav.html) fixes their order."""
    return {
        "todo": access.can(Capability.EDIT_ANSWER),
        "queue": access.can(Capability.VERIFY_ANSWER) or access.can(Capability.ASSESS),
        "matrix": access.can(Capability.ASSIGN_UNITS),
        "audit": access.can(Capability.VIEW_AUDIT),
        "bulk": access.can(Capability.MANAGE_PERIOD),  # services.bulk's permission
        "settings": access.can(Capability.MANAGE_PERIOD),
        **hooks.period_tabs.collect(period, access),
    }


def deadline_of(period: Period) -> datetime | None:
    return self_assessment_window(period)[1]


def days_left(when: datetime | None, now: datetime | None = None) -> int | None:
    if when is None:
        return None
    now = now or timezone.now()
    return (timezone.localdate(when) - timezone.localdate(now)).days

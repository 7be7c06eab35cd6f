"""Permission-checked fetches: every page, API handler and command goes through these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.errors import Forbidden, NotFound
from monev.institutions.models import Institution, Membership
from monev.institutions.permissions import Access, Capability


def access_for(user, institution_id: int) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return Access(())
    memberships = Membership.objects.filter(user=user, institution_id=institution_id).only(
        "role", "unit_id"
    )
    return Access(memberships)


def institution_for_user(user, institution_id: int) -> tuple[Institution, Access]:
    """The institution and the user's access; NotFound if they have no membership in it
    (its existence is not revealed)."""
    access = access_for(user, institution_id)
    if not access:
        raise NotFound(_("Institution not found."))
    try:
        return Institution.objects.get(pk=institution_id), access
    except Institution.DoesNotExist:
        raise NotFound(_("Institution not found.")) from None


def require(access: Access, capability: Capability) -> None:
    if not access.can(capability):
        raise Forbidden(_("Your role does not allow this."))


def institutions_of(user) -> list[Institution]:
    if not user.is_authenticated:
        return []
    return list(Institution.objects.filter(memberships__user=user).distinct().order_by("name"))

"""Permission-checked fetches: every page, API handler and command goes through these."""

from __future__ import annotations

from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from monev.institutions.models import Institution, Membership
from monev.institutions.permissions import EVALUATOR_ROLE, Access, Capability
from monev.lib.errors import Forbidden, NotFound

NATIONAL = "nasional"
PROVINCE = "provinsi"


def access_for(user, institution_id: int) -> Access:
    if user is None or not user.is_authenticated or not user.is_active:
        return Access(())
    memberships = list(
        Membership.objects.filter(user=user, institution_id=institution_id).only("role", "unit_id")
    )
    if getattr(user, "evaluator_scope", "") and evaluator_covers(user, institution_id):
        memberships.append(SimpleNamespace(role=EVALUATOR_ROLE, unit_id=None))
    return Access(memberships)


def scope_filter(user, prefix: str = "") -> Q:
    """The institutions a user's evaluator scope covers, as a filter (on Institution, or
    through `prefix` on a model that refers to one); matches nothing without a scope."""
    scope = getattr(user, "evaluator_scope", "")
    if scope == NATIONAL:
        return Q()
    if scope == PROVINCE and user.evaluator_province:
        # A province evaluator oversees the province itself and its kabupaten and kota.
        # Not the central agencies that happen to sit in its capital.
        return Q(**{f"{prefix}province": user.evaluator_province}) & ~Q(
            **{f"{prefix}kind": "pusat"}
        )
    return Q(pk__in=[])


def evaluator_covers(user, institution_id: int) -> bool:
    scope = getattr(user, "evaluator_scope", "")
    if scope == NATIONAL:
        return Institution.objects.filter(pk=institution_id).exists()
    if scope == PROVINCE:
        return Institution.objects.filter(scope_filter(user), pk=institution_id).exists()
    return False


def institutions_in_scope(user) -> QuerySet[Institution]:
    """Every institution the user can see: through memberships, and through an evaluator
    scope. One query when evaluated; the pages of many institutions start here."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Institution.objects.none()
    scope = getattr(user, "evaluator_scope", "")
    if scope == NATIONAL:
        return Institution.objects.all()
    if scope:
        # Q() would vanish from an OR; a province scope is never empty, so this is safe.
        return Institution.objects.filter(scope_filter(user) | Q(memberships__user=user)).distinct()
    return Institution.objects.filter(memberships__user=user).distinct()


def institution_for_user(
    user, institution_id: int, *, not_found=None
) -> tuple[Institution, Access]:
    """The institution and the user's access; NotFound if they have no membership in it
    (its existence is not revealed). `not_found`: the message when the institution was reached
    through another object (a period, an evidence item), the one a missing id of that object
    gets - a different message would tell that the id exists."""
    message = not_found or _("Institution not found.")
    access = access_for(user, institution_id)
    if not access:
        raise NotFound(message)
    try:
        return Institution.objects.get(pk=institution_id), access
    except Institution.DoesNotExist:
        raise NotFound(message) from None


def require(access: Access, capability: Capability) -> None:
    if not access.can(capability):
        raise Forbidden(_("Your role does not allow this."))


def institutions_of(user) -> list[Institution]:
    return list(institutions_in_scope(user).order_by("name"))

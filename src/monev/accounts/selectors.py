"""Reads about the signed-in person: their tokens and memberships (one query each)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.accounts.models import ApiToken, User
from monev.institutions.models import Membership
from monev.lib.errors import NotFound


def tokens_of(user: User) -> list[ApiToken]:
    """All the user's tokens, revoked ones included, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("institution", "unit")
        .order_by("institution__name", "role", "unit__code")
    )


def token_of(user: User, token_id: int) -> ApiToken:
    """One of the user's tokens; NotFound for another person's (not revealed) or none."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(_("Token not found."))
    return token

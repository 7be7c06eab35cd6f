"""Reads about the signed-in person: their tokens and memberships (one query each)."""

from __future__ import annotations

from monev.accounts.models import ApiToken, User
from monev.institutions.models import Membership


def tokens_of(user: User) -> list[ApiToken]:
    """All the user's tokens, revoked ones included, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk"))


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("institution", "unit")
        .order_by("institution__name", "role", "unit__code")
    )

"""Personal API tokens: created, listed, revoked; only their hash is stored."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.accounts.models import ApiToken, User
from monev.audit.services import audit_record
from monev.errors import Forbidden, InvalidInput, NotFound

# Writing last_used_at on every request would turn every API read into a write.
LAST_USED_RESOLUTION_SECONDS = 60


class SessionRequired(Forbidden):
    code = "session_required"


@transaction.atomic
def token_create(
    *,
    actor: User,
    name: str,
    origin: str = ApiToken.Origin.UNKNOWN,
    via_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `actor`; returns the token row and the secret, shown only now.

    `via_token`: the token the request was made with, if any. A token may not make tokens:
    otherwise a leaked token could mint successors that keep working after it is revoked."""
    if via_token is not None:
        raise SessionRequired(
            _(
                "A token cannot create tokens. Create it signed in, on the page /akun/token/, "
                "or on the server with `monev token create`."
            )
        )
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the token a name, e.g. where it is used."))
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:100],
        key_prefix=secret[:12],
        key_hash=ApiToken.hash_key(secret),
        origin=origin,
    )
    audit_record(
        actor=actor,
        action="token.create",
        obj=token,
        after={"name": token.name, "origin": token.origin},
    )
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("Token not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="token.revoke", obj=token, before={"name": token.name})
    return token


def token_authenticate(secret: str) -> User | None:
    """The active user holding this token, or None."""
    token = token_for_secret(secret)
    return token.user if token is not None else None


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret (its user loaded and active), or None; notes its use."""
    if not secret.startswith(ApiToken.PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    stale = token.last_used_at is None or (
        (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    )
    if stale:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

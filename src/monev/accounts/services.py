"""Personal API tokens: created, listed, revoked; only their hash is stored."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.accounts.models import ApiToken, User
from monev.audit.services import audit_record
from monev.institutions.models import Institution
from monev.lib.errors import Forbidden, InvalidInput, NotFound

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


# --- evaluator scopes ------------------------------------------------------------------------


def _scope_state(user) -> dict:
    return {"evaluator_scope": user.evaluator_scope, "evaluator_province": user.evaluator_province}


def evaluator_scope_problem(scope: str, province: str) -> str | None:
    if scope not in User.EvaluatorScope.values:
        return str(_("Unknown evaluator scope: %(scope)s") % {"scope": scope})
    if scope == "provinsi" and not province.strip():
        return str(_("A province evaluator needs the name of their province."))
    return None


@transaction.atomic
def evaluator_scope_set(actor, *, user_id: int, scope: str, province: str = "") -> User:
    """Make a user a national evaluator ("nasional"), the evaluator of one province
    ("provinsi" + its name, spelled as the institutions spell it), or no evaluator ("").
    Only a superuser (the Django admin) or the system (`monev evaluator`) may. Audit event
    user.evaluator_scope in the global chain."""
    if actor is not None and not actor.is_superuser:
        raise Forbidden(_("Only an administrator of the deployment sets evaluator scopes."))
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("User not found."))
    province = " ".join(province.split()) if scope == "provinsi" else ""
    if problem := evaluator_scope_problem(scope, province):
        raise InvalidInput(
            problem, details=[{"location": "evaluator_province", "message": problem}]
        )
    if scope == "provinsi":
        # Spelled as the stored institutions spell it, so the scope matches them.
        known = (
            Institution.objects.filter(province__iexact=province)
            .values_list("province", flat=True)
            .first()
        )
        province = known or province
    before = _scope_state(user)
    user.evaluator_scope, user.evaluator_province = scope, province
    if _scope_state(user) == before:
        return user
    user.save(update_fields=["evaluator_scope", "evaluator_province"])
    audit_record(
        actor=actor,
        action="user.evaluator_scope",
        obj=user,
        before={"username": user.username, **before},
        after={"username": user.username, **_scope_state(user)},
    )
    return user

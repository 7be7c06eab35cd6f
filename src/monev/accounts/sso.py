"""Single sign-on: who the identity server says signed in, and which memberships follow.

`sso_sign_in` finds (or creates) the user for a verified set of claims and brings the
memberships granted from claims (those marked by an SsoGrant) in line with the role claim,
through the role map file (MONEV_OIDC_ROLE_MAP; docs/sso.md). Memberships granted in Monev are
never touched. Every change is an audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.accounts.models import SsoGrant, SsoIdentity, User
from monev.audit.services import audit_record
from monev.institutions.models import Institution, Membership, Role, Unit
from monev.lib.errors import DomainError

log = logging.getLogger(__name__)


class SsoRefused(DomainError):
    code = "sso_refused"


class RoleMapError(Exception):
    """The role map file cannot be read or has the wrong shape."""


@dataclass(frozen=True)
class RoleGrant:
    institution: str  # institution code
    role: str
    unit: str | None  # unit code within the institution


@dataclass(frozen=True)
class MembershipKey:
    institution_id: int
    role: str
    unit_id: int | None


# --- the role map ---------------------------------------------------------------------------

_cache: dict[Path, tuple[tuple[int, int], dict[str, list[RoleGrant]]]] = {}


def load_role_map(path: Path) -> dict[str, list[RoleGrant]]:
    """claim value -> grants, from a JSON or YAML file; re-read when the file changes."""
    try:
        stat = path.stat()
    except OSError as error:
        raise RoleMapError(f"cannot read {path}: {error}") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    role_map = parse_role_map(path.read_text(encoding="utf-8"), str(path))
    _cache[path] = (stamp, role_map)
    return role_map


def parse_role_map(text: str, source: str = "role map") -> dict[str, list[RoleGrant]]:
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise RoleMapError(f"{source} is not valid JSON or YAML: {error}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RoleMapError(f"{source}: expected a mapping of claim values to grants")
    roles = set(Role.values)
    parsed: dict[str, list[RoleGrant]] = {}
    for claim_value, entries in data.items():
        where = f"{source}: {claim_value!r}"
        entries = entries if isinstance(entries, list) else [entries]
        grants = []
        for entry in entries:
            if not isinstance(entry, dict) or not entry.get("institution") or not entry.get("role"):
                raise RoleMapError(f"{where}: each grant needs an institution and a role")
            unknown = set(entry) - {"institution", "role", "unit"}
            if unknown:
                raise RoleMapError(f"{where}: unknown keys {sorted(unknown)}")
            role, unit = str(entry["role"]), entry.get("unit")
            if role not in roles:
                raise RoleMapError(f"{where}: role {role!r} is not one of {sorted(roles)}")
            if role == Role.OPERATOR and not unit:
                raise RoleMapError(f"{where}: an operator grant needs a unit")
            grants.append(RoleGrant(str(entry["institution"]), role, str(unit) if unit else None))
        parsed[str(claim_value)] = grants
    return parsed


def claim_values(claims: dict, claim: str) -> list[str]:
    """The role claim's values; a dotted name walks nested objects (realm_access.roles)."""
    value = claims
    for part in claim.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value if isinstance(item, str | int)]
    return []


def desired_memberships(values: list[str], role_map) -> dict[MembershipKey, str]:
    """The memberships the claims grant, each with the claim value granting it. Codes the
    database does not know are a configuration error: logged, and that grant skipped."""
    wanted = [(value, grant) for value in values for grant in role_map.get(value, [])]
    codes = {grant.institution for _value, grant in wanted}
    institutions = dict(Institution.objects.filter(code__in=codes).values_list("code", "id"))
    units = {
        (institution_id, code): unit_id
        for unit_id, institution_id, code in Unit.objects.filter(
            institution_id__in=institutions.values()
        ).values_list("id", "institution_id", "code")
    }
    desired: dict[MembershipKey, str] = {}
    for value, grant in wanted:
        institution_id = institutions.get(grant.institution)
        if institution_id is None:
            log.error(
                "SSO role map configuration error: claim value %r names institution %r, "
                "which does not exist; grant skipped",
                value,
                grant.institution,
            )
            continue
        unit_id = None
        if grant.unit:
            unit_id = units.get((institution_id, grant.unit))
            if unit_id is None:
                log.error(
                    "SSO role map configuration error: claim value %r names unit %r, which "
                    "institution %r does not have; grant skipped",
                    value,
                    grant.unit,
                    grant.institution,
                )
                continue
        desired.setdefault(MembershipKey(institution_id, grant.role, unit_id), value)
    return desired


# --- signing in -----------------------------------------------------------------------------


def _full_name(claims: dict) -> str:
    name = claims.get("name") or " ".join(
        part for part in (claims.get("given_name"), claims.get("family_name")) if part
    )
    return str(name or "")[:200]


def _username(claims: dict, issuer: str, subject: str) -> str:
    """preferred_username when free; never an existing local account's name."""
    base = str(claims.get("preferred_username") or claims.get("email") or "sso")
    base = re.sub(r"[^\w.@+-]", "-", base)[:120] or "sso"
    if not User.objects.filter(username__iexact=base).exists():
        return base
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:10]
    return f"{base}-{digest}"


def _find_user(issuer: str, subject: str, claims: dict) -> tuple[User | None, SsoIdentity | None]:
    identity = SsoIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    identity = identity.first()
    if identity is not None:
        return identity.user, identity
    email = str(claims.get("email") or "")
    if settings.MONEV_OIDC_LINK_BY_EMAIL and email and claims.get("email_verified") is True:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        if len(matches) == 1 and not matches[0].sso_identities.filter(issuer=issuer).exists():
            return matches[0], None
    return None, None


@transaction.atomic
def sso_sign_in(*, issuer: str, claims: dict) -> User:
    """The user these verified claims belong to, with memberships following the role claim."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SsoRefused(_("The sign-in server did not say who you are."))
    user, identity = _find_user(issuer, subject, claims)
    email = str(claims.get("email") or "")[:254]
    full_name = _full_name(claims)
    if user is None:
        user = User.objects.create_user(
            username=_username(claims, issuer, subject), email=email, full_name=full_name
        )  # no usable password: this account signs in only through the identity server
        audit_record(
            actor=user,
            action="user.sso_create",
            obj=user,
            after={"username": user.username, "issuer": issuer, "subject": subject},
        )
    else:
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = {
            field: value
            for field, value in (("email", email), ("full_name", full_name))
            if value and getattr(user, field) != value
        }
        if changed:
            for field, value in changed.items():
                setattr(user, field, value)
            user.save(update_fields=list(changed))
    if identity is None:
        try:
            with transaction.atomic():
                identity = SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        except IntegrityError:  # the same first sign-in, twice at once
            identity = SsoIdentity.objects.get(issuer=issuer, subject=subject)
            if identity.user_id != user.pk:
                raise SsoRefused(_("Sign-in is already in progress; try again.")) from None
        else:
            audit_record(
                actor=user,
                action="user.sso_link",
                obj=user,
                after={"issuer": issuer, "subject": subject},
            )
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    sync_memberships(user, claims)
    return user


def sync_memberships(user: User, claims: dict) -> None:
    """Add and remove the user's claim-granted memberships to match the role claim."""
    path = settings.MONEV_OIDC_ROLE_MAP
    if path is None:
        role_map: dict[str, list[RoleGrant]] = {}
    else:
        try:
            role_map = load_role_map(path)
        except RoleMapError as error:
            log.error("SSO role map configuration error: %s", error)
            raise SsoRefused(
                _(
                    "Single sign-on is not set up correctly (the role map cannot be read). "
                    "Ask your administrator."
                )
            ) from None
    desired = desired_memberships(claim_values(claims, settings.MONEV_OIDC_ROLE_CLAIM), role_map)
    current = {
        MembershipKey(m.institution_id, m.role, m.unit_id): m
        for m in Membership.objects.filter(user=user).select_related("sso_grant")
    }
    for key, membership in current.items():
        managed = getattr(membership, "sso_grant", None) is not None
        if managed and key not in desired:
            before = _describe(membership, membership.sso_grant.claim_value)
            audit_record(
                actor=user,
                action="membership.sso_revoke",
                obj=membership,
                institution_id=membership.institution_id,
                before=before,
                reason="claim no longer present",
            )
            membership.delete()
    for key, value in desired.items():
        if key in current:
            continue  # already held: from claims, or granted in Monev (left as it is)
        membership = Membership.objects.create(
            user=user, institution_id=key.institution_id, role=key.role, unit_id=key.unit_id
        )
        SsoGrant.objects.create(membership=membership, claim_value=value[:300])
        audit_record(
            actor=user,
            action="membership.sso_grant",
            obj=membership,
            institution_id=key.institution_id,
            after=_describe(membership, value),
        )


def _describe(membership: Membership, claim_value: str) -> dict:
    return {
        "user_id": membership.user_id,
        "role": membership.role,
        "unit_id": membership.unit_id,
        "claim": claim_value,
    }

"""Services for the changes imports make that no other app has a service for yet: units, users
and memberships of an institution, and published results. Each runs in a transaction, checks
MANAGE_INSTITUTION (unless the actor is None: the system, i.e. `monev import`) and records an
audit event in the institution's chain."""

from __future__ import annotations

from django.db import transaction

from monev.accounts.models import User
from monev.audit.services import audit_record
from monev.evaluations.models import PublishedResult
from monev.institutions.access import institution_for_user, require
from monev.institutions.models import Membership, Unit
from monev.institutions.permissions import Capability


def _check(actor, institution_id: int) -> None:
    if actor is not None:
        _institution, access = institution_for_user(actor, institution_id)
        require(access, Capability.MANAGE_INSTITUTION)


@transaction.atomic
def unit_save(*, actor, institution_id: int, code: str, name: str, short_name: str | None) -> Unit:
    """Create the unit with this code, or update its names. `short_name` None keeps it."""
    _check(actor, institution_id)
    unit = Unit.objects.select_for_update().filter(institution_id=institution_id, code=code).first()
    before = {}
    if unit is None:
        unit = Unit(institution_id=institution_id, code=code)
    else:
        before = {"name": unit.name, "short_name": unit.short_name}
    unit.name = name
    if short_name is not None:
        unit.short_name = short_name
    unit.full_clean(exclude=["institution"])
    unit.save()
    audit_record(
        actor=actor,
        action="unit.update" if before else "unit.create",
        obj=unit,
        institution_id=institution_id,
        before=before,
        after={"code": unit.code, "name": unit.name, "short_name": unit.short_name},
    )
    return unit


@transaction.atomic
def user_create(
    *, actor, institution_id: int, username: str, full_name: str, email: str, password_hash: str
) -> User:
    """A new account. `password_hash` "" gives it an unusable password (sign-in by SSO, or an
    admin sets one)."""
    _check(actor, institution_id)
    user = User(username=username, full_name=full_name, email=email)
    if password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        obj=user,
        institution_id=institution_id,
        after={
            "username": username,
            "full_name": full_name,
            "email": email,
            "initial_password": bool(password_hash),
        },
    )
    return user


@transaction.atomic
def membership_add(
    *, actor, institution_id: int, user_id: int, role: str, unit_id: int | None
) -> Membership:
    _check(actor, institution_id)
    membership, created = Membership.objects.get_or_create(
        user_id=user_id, institution_id=institution_id, role=role, unit_id=unit_id
    )
    if created:
        audit_record(
            actor=actor,
            action="membership.add",
            obj=membership,
            institution_id=institution_id,
            after={"user_id": user_id, "role": role, "unit_id": unit_id},
        )
    return membership


PUBLISHED_FIELDS = ("index", "predicate", "source", "note", "doubtful")


@transaction.atomic
def published_results_save(*, actor, institution_id: int, results: list[dict]) -> int:
    """Create or update published indices of one institution, each keyed by year and
    instrument ({"year", "instrument_id", "index", "predicate", "source", "note", "doubtful"}).
    In bulk (an import may bring thousands): one audit event for the institution listing each
    result before and after. Returns how many were written."""
    _check(actor, institution_id)
    existing = {
        (r.year, r.instrument_id): r
        for r in PublishedResult.objects.select_for_update().filter(institution_id=institution_id)
    }
    created, updated, before, after = [], [], {}, {}
    for values in results:
        key = (values["year"], values["instrument_id"])
        label = f"{values['year']}/{values['instrument_id'] or '-'}"
        result = existing.get(key)
        if result is None:
            result = PublishedResult(
                institution_id=institution_id, year=key[0], instrument_id=key[1]
            )
            created.append(result)
        else:
            before[label] = {name: getattr(result, name) for name in PUBLISHED_FIELDS}
            updated.append(result)
        for name in PUBLISHED_FIELDS:
            setattr(result, name, values[name])
        result.full_clean(exclude=["institution"], validate_unique=False)
        after[label] = {name: values[name] for name in PUBLISHED_FIELDS}
    PublishedResult.objects.bulk_create(created, batch_size=500)
    PublishedResult.objects.bulk_update(updated, list(PUBLISHED_FIELDS), batch_size=500)
    if created or updated:
        audit_record(
            actor=actor,
            action="published_result.import",
            obj=None,
            institution_id=institution_id,
            before=before,
            after=after,
        )
    return len(created) + len(updated)

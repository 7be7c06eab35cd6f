"""Assigning external assessors to periods (the evaluation of one institution in one year),
for all aspects or some. Every change in a transaction, permission-checked (MANAGE_ASSESSORS:
an evaluator whose scope covers the institution; `actor` None is the system, `monev import`),
with audit events in the institution's chain.

Access keeps working through memberships: an assignment makes sure the assessor holds
Membership(role=asesor_eksternal) in the institution. If the assignment had to create it, it
remembers so (`membership`); removing the institution's last assignment of that assessor then
removes that membership, and never one an administrator had granted by hand."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from monev.accounts.models import User
from monev.assignments.models import AssessorAssignment
from monev.audit.services import audit_record
from monev.evaluations.models import Period
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.access import access_for
from monev.institutions.models import Institution, Membership, Role
from monev.institutions.permissions import Capability
from monev.lib.errors import Conflict, Forbidden, InvalidInput, NotFound


def _state(assignment: AssessorAssignment) -> dict:
    return {
        "period_id": assignment.period_id,
        "assessor": assignment.assessor.username,
        "aspects": list(assignment.aspects),
        "version": assignment.version,
    }


def _check(actor, institution_id: int, not_found=None) -> None:
    if actor is None:
        return
    access = access_for(actor, institution_id)
    if not access:
        raise NotFound(not_found or _("Period not found."))
    if not access.can(Capability.MANAGE_ASSESSORS):
        raise Forbidden(
            _("Only an evaluator whose scope covers this institution assigns assessors.")
        )


def normalise_aspects(period: Period, aspects) -> list[str]:
    """The aspect codes in the instrument's order; InvalidInput naming any unknown code."""
    instrument = instrument_of(period)
    known = [aspect.code for aspect in instrument.aspects]
    wanted = {str(code).strip().upper() for code in aspects or () if str(code).strip()}
    unknown = sorted(wanted - set(known))
    if unknown:
        message = _("Unknown aspect %(codes)s; the instrument has %(known)s.") % {
            "codes": ", ".join(unknown),
            "known": ", ".join(known),
        }
        raise InvalidInput(message, details=[{"location": "aspects", "message": str(message)}])
    return [code for code in known if code in wanted]


def ineligible_assessors(users) -> dict[int, str]:
    """{user id: why they cannot be an external assessor} for those of `users` who cannot
    (the others are absent). One query.

    An assignment hands its assessor view, assess and comment in an institution, so who may
    receive one is not left to the evaluator: an external assessor comes from outside the
    institutions under evaluation and from outside the evaluation's management. Refused: a
    user holding any role but asesor eksternal in any institution (a koordinator of one
    institution would read and judge another's evidence), and a user with an evaluator scope
    (evaluators assign; they do not judge, themselves included). A user with no role anywhere
    - an assessor's account as the administrator or SSO created it - or an external assessor
    of other institutions is eligible; the system (`monev import`) follows the same rule."""
    users = list(users)
    problems: dict[int, str] = {}
    for user in users:
        if getattr(user, "evaluator_scope", ""):
            problems[user.pk] = str(
                _(
                    "%(user)s is an evaluator; evaluators assign external assessors and do "
                    "not assess."
                )
                % {"user": user.username}
            )
    insiders = (
        Membership.objects.filter(user__in=[u.pk for u in users])
        .exclude(role=Role.ASESOR_EKSTERNAL)
        .select_related("user", "institution")
        .order_by("user_id", "institution__name", "role")
    )
    for membership in insiders:
        problems.setdefault(
            membership.user_id,
            str(
                _(
                    "%(user)s is %(role)s in %(institution)s; an external assessor comes from "
                    "outside the institutions under evaluation."
                )
                % {
                    "user": membership.user.username,
                    "role": membership.get_role_display(),
                    "institution": membership.institution.name,
                }
            ),
        )
    return problems


def assessor_problem(assessor: User | None) -> str | None:
    """Why this user cannot be an external assessor, or None (ineligible_assessors)."""
    if assessor is None or not assessor.is_active:
        return str(_("No active user has this username."))
    return ineligible_assessors([assessor]).get(assessor.pk)


def assignments_fingerprint(assignments) -> str:
    """One state of a period's assignments (who, which version), as a page showed it."""
    text = ";".join(sorted(f"{a.assessor_id}:{a.version}" for a in assignments))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_expected(period, assessor, existing, expected_version, expected_fingerprint) -> None:
    """Refuse (Conflict) a change made from a stale view: of this assessor's assignment
    (`expected_version`, 0 = none expected; the API) or of the period's assignments as the
    page showed them (`expected_fingerprint`)."""
    stale = expected_version is not None and (existing.version if existing else 0) != (
        expected_version
    )
    if expected_fingerprint is not None and not stale:
        current = AssessorAssignment.objects.select_for_update().filter(period=period)
        stale = assignments_fingerprint(current) != expected_fingerprint
    if stale:
        raise Conflict(
            _("The assignments of this period changed meanwhile; reload and try again."),
            current=_state(existing) if existing else None,
        )


@transaction.atomic
def assignment_set(
    actor,
    *,
    period_id: int,
    assessor_id: int,
    aspects=(),
    expected_version: int | None = None,
    expected_fingerprint: str | None = None,
) -> tuple[AssessorAssignment, bool]:
    """Assign the assessor to the period for `aspects` (empty: every aspect), or change the
    aspects of an existing assignment. Returns (assignment, created). Setting the same
    aspects again changes nothing and records nothing. A change made from a stale view is
    refused (see _check_expected); without either expectation nothing is checked (file
    imports, which re-validate at apply)."""
    period = Period.objects.select_related("institution").filter(pk=period_id).first()
    if period is None:
        raise NotFound(_("Period not found."))
    institution_id = period.institution_id
    _check(actor, institution_id)
    assessor = User.objects.filter(pk=assessor_id).first()
    if problem := assessor_problem(assessor):
        raise InvalidInput(problem, details=[{"location": "assessor", "message": problem}])
    codes = normalise_aspects(period, aspects)
    existing = (
        AssessorAssignment.objects.select_for_update()
        .filter(period=period, assessor=assessor)
        .first()
    )
    _check_expected(period, assessor, existing, expected_version, expected_fingerprint)
    if existing is not None:
        if existing.aspects == codes:
            return existing, False
        before = _state(existing)
        existing.aspects = codes
        existing.version += 1
        existing.save(update_fields=["aspects", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="assignment.update",
            obj=existing,
            institution_id=institution_id,
            period_id=period.pk,
            before=before,
            after=_state(existing),
        )
        return existing, False
    membership, created = Membership.objects.get_or_create(
        user=assessor, institution_id=institution_id, role=Role.ASESOR_EKSTERNAL, unit=None
    )
    if created:
        audit_record(
            actor=actor,
            action="membership.add",
            obj=membership,
            institution_id=institution_id,
            after={"user_id": assessor.pk, "role": Role.ASESOR_EKSTERNAL, "unit_id": None},
            reason="assessor assignment",
        )
    try:
        with transaction.atomic():
            assignment = AssessorAssignment.objects.create(
                period=period,
                assessor=assessor,
                aspects=codes,
                membership=membership if created else None,
                assigned_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("This assessor was assigned meanwhile; reload the page.")) from None
    audit_record(
        actor=actor,
        action="assignment.create",
        obj=assignment,
        institution_id=institution_id,
        period_id=period.pk,
        after=_state(assignment),
    )
    return assignment, True


@transaction.atomic
def assignment_remove(actor, *, assignment_id: int) -> None:
    """Unassign. When it was the assessor's last assignment in the institution and an
    assignment created their membership, the membership goes too (and with it their access
    to the institution); a membership granted otherwise stays."""
    assignment = (
        AssessorAssignment.objects.select_for_update(of=("self",))
        .select_related("period", "assessor")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound(_("Assignment not found."))
    institution_id = assignment.period.institution_id
    _check(actor, institution_id, _("Assignment not found."))
    before = _state(assignment)
    membership_id = assignment.membership_id
    others = list(
        AssessorAssignment.objects.select_for_update()
        .filter(assessor_id=assignment.assessor_id, period__institution_id=institution_id)
        .exclude(pk=assignment.pk)
        .order_by("pk")
    )
    assignment.delete()
    audit_record(
        actor=actor,
        action="assignment.delete",
        obj=assignment,
        institution_id=institution_id,
        period_id=assignment.period_id,
        before=before,
    )
    if membership_id is None:
        return
    if others:
        # The membership stays while another assignment needs it; that one now owns it.
        others[0].membership_id = membership_id
        others[0].save(update_fields=["membership", "updated_at"])
        return
    membership = Membership.objects.filter(pk=membership_id).first()
    if membership is None:
        return
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership,
        institution_id=institution_id,
        before={"user_id": membership.user_id, "role": membership.role, "unit_id": None},
        reason="assessor assignment removed",
    )
    membership.delete()


def period_of(institution_id: int, year: int, kind: str = "") -> Period | None:
    """The period an assignment by institution and year means: the one of `kind`, else the
    evaluation of that year, else the only period of that year."""
    periods = list(Period.objects.filter(institution_id=institution_id, year=year))
    if kind:
        return next((p for p in periods if p.kind == kind), None)
    evaluation = next((p for p in periods if p.kind == Period.Kind.EVALUASI), None)
    if evaluation is not None:
        return evaluation
    return periods[0] if len(periods) == 1 else None


# --- institutions, for the bulk creation by evaluators ----------------------------------------


def _same_province(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def institution_problem(actor, *, kind: str, province: str, existing=None) -> str | None:
    """Why `actor` may not create (or, with `existing`, change) an institution of this kind
    and province, or None. A national evaluator may do any; a province evaluator only the
    province itself and its kabupaten and kota; the system (None) anything."""
    if actor is None:
        return None
    scope = getattr(actor, "evaluator_scope", "")
    if scope == "nasional":
        return None
    if scope == "provinsi" and actor.evaluator_province:
        mine = actor.evaluator_province
        for kind_, province_ in ((kind, province),) + (
            ((existing.kind, existing.province),) if existing is not None else ()
        ):
            if kind_ == Institution.Kind.PUSAT or not _same_province(province_, mine):
                return str(
                    _(
                        "As the evaluator of %(province)s you create and change only that "
                        "province and its kabupaten and kota."
                    )
                    % {"province": mine}
                )
        return None
    return str(_("Only an evaluator creates or changes institutions."))


INSTITUTION_FIELDS = ("code", "name", "short_name", "kind", "province")


@transaction.atomic
def institution_save(
    actor,
    *,
    code: str,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    province: str | None = None,
) -> tuple[Institution, bool]:
    """Create the institution with this code, or update the fields given (None keeps a
    field). Returns (institution, created). Audit: institution.create / institution.update
    in the institution's chain."""
    existing = Institution.objects.select_for_update().filter(code=code).first()
    if existing is None:
        if not name or not kind:
            raise InvalidInput(_("A new institution needs a name and a kind."))
        institution = Institution(code=code, name=name, short_name=short_name or "", kind=kind)
        institution.province = province or ""
        before = {}
    else:
        institution = existing
        before = {field: getattr(existing, field) for field in INSTITUTION_FIELDS}
        for field, value in (
            ("name", name),
            ("short_name", short_name),
            ("kind", kind),
            ("province", province),
        ):
            if value is not None:
                setattr(institution, field, value)
    if problem := institution_problem(
        actor, kind=institution.kind, province=institution.province, existing=existing
    ):
        raise Forbidden(problem)
    if institution.kind != Institution.Kind.PUSAT and not institution.province:
        raise InvalidInput(_("A province, kabupaten or kota needs its province."))
    try:
        institution.full_clean(validate_unique=existing is None)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from None
    after = {field: getattr(institution, field) for field in INSTITUTION_FIELDS}
    if before == after:
        return institution, False
    institution.save()
    audit_record(
        actor=actor,
        action="institution.update" if existing else "institution.create",
        obj=institution,
        institution_id=institution.pk,
        before=before,
        after=after,
    )
    return institution, existing is None

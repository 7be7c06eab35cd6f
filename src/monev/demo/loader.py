"""Loading, checking and removing the demo.

Institutions, units, people and the published history are reference data written directly;
everything about the 2025 period (the period, its milestones, the unit assignments, answers and
their workflow, comments) goes through the evaluation services, so the audit trail is the one a
real cycle leaves and `monev audit verify` passes. The services are given a `now` inside the 2025
self-assessment window: the demo shows the city as it stood at Triwulan II 2025.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from django.db import transaction

from monev.accounts.models import User
from monev.audit.models import AuditEvent, ChainHead
from monev.audit.services import chain_key
from monev.demo import data, pemdi_data
from monev.demo.benchmark import load_benchmark
from monev.demo.evidence import extract_now, load_evidence
from monev.demo.pemdi import load_pemdi_demo
from monev.demo.snapshots import load_snapshots
from monev.evaluations import selectors, services
from monev.evaluations.models import Answer, Period, PublishedResult
from monev.evaluations.services.answers import assignment_fingerprint
from monev.institutions.access import access_for
from monev.institutions.clock import set_clock
from monev.institutions.models import Institution, Membership, Unit

LOGINS_FILE = "demo-logins.txt"


class DemoError(Exception):
    """The demo cannot be loaded or removed as asked; the message says why."""


class DemoDrift(DemoError):
    """The demo's data no longer tells its story (e.g. the index is not 3.00)."""


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    label: str


# --- where the demo stands ----------------------------------------------------------------------


def demo_institution() -> Institution | None:
    return Institution.objects.filter(code=data.INSTITUTION["code"], is_demo=True).first()


def database_is_empty() -> bool:
    return not (User.objects.exists() or Institution.objects.exists())


def demo_usernames() -> list[str]:
    people = [*data.USERS, *pemdi_data.USERS, *pemdi_data.EVALUATORS]
    return [user.username for user in people]


# --- logins -------------------------------------------------------------------------------------


def logins_path(data_dir: Path) -> Path:
    return Path(data_dir) / LOGINS_FILE


def write_logins(data_dir: Path, logins: list[Login]) -> Path:
    """The demo passwords, readable by the owner only (mode 0600)."""
    path = logins_path(data_dir)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.writelines(f"{x.username}\t{x.password}\t{x.label}\n" for x in logins)
    path.chmod(0o600)  # if the file existed with a wider mode
    return path


def read_logins(data_dir: Path) -> list[Login]:
    path = logins_path(data_dir)
    if not path.exists():
        return []
    logins = []
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            logins.append(Login(*parts))
    return logins


def renew_passwords(data_dir: Path) -> list[Login]:
    """New passwords for the demo's people (when the logins file was lost)."""
    institution = demo_institution()
    if institution is None:
        raise DemoError("The demo is not loaded.")
    demo_ids = Institution.objects.filter(is_demo=True).values_list("pk", flat=True)
    users = {
        u.username: u
        for u in User.objects.filter(username__in=demo_usernames())
        if u.evaluator_scope or u.memberships.filter(institution_id__in=demo_ids).exists()
    }
    logins = []
    for spec in [*data.USERS, *pemdi_data.USERS, *pemdi_data.EVALUATORS]:
        user = users.get(spec.username)
        if user is None:
            continue
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        logins.append(Login(spec.username, password, spec.label))
    write_logins(data_dir, logins)
    return logins


# --- loading ------------------------------------------------------------------------------------


def load(data_dir: Path) -> list[Login]:
    """Load the demo (in one transaction) and write the logins file. DemoError if it is
    already loaded or a demo username is taken by someone else."""
    with transaction.atomic():
        if demo_institution() is not None:
            raise DemoError("The demo is already loaded.")
        taken = sorted(
            User.objects.filter(username__in=demo_usernames()).values_list("username", flat=True)
        )
        if taken:
            raise DemoError(
                "These usernames are taken by accounts that are not the demo's: "
                + ", ".join(taken)
                + ". The demo was not loaded."
            )
        institution = Institution.objects.create(**data.INSTITUTION, is_demo=True)
        set_clock(institution, data.STORY_MOMENT)  # what is recorded unless dated otherwise
        units = _units(institution)
        users, logins = _people(institution, units)
        _published_history(institution)
        period = _period(institution, users["koordinator"])
        _assign(period, users["koordinator"], units)
        _answers(period, users)
        _comments(period, users)
        load_snapshots(period)  # Triwulan I and II of 2025 (monitoring history, forecast)
        stored_files = load_evidence(period, users, units)
        _plan(period, users["koordinator"])
        check(period, users["koordinator"])
        _pemdi_period, pemdi_files = load_pemdi_demo(users[pemdi_data.ASSESSOR], logins)
        _assign_assessor(period, users[pemdi_data.ASSESSOR])
        load_benchmark()
    extract_now(stored_files + pemdi_files)
    write_logins(data_dir, logins)
    return logins


def _units(institution: Institution) -> dict[str, Unit]:
    Unit.objects.bulk_create(
        [
            Unit(institution=institution, code=code, name=name, short_name=short)
            for code, name, short in data.UNITS
        ]
    )
    return {unit.code: unit for unit in institution.units.all()}


def _people(institution: Institution, units: dict[str, Unit]):
    users, logins = {}, []
    for spec in data.USERS:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=spec.username,
            password=password,
            full_name=spec.full_name,
            email=f"{spec.username}@demo.monev.invalid",
        )
        if spec.superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        if spec.units:
            for code in spec.units:
                Membership.objects.create(
                    user=user, institution=institution, role=spec.role, unit=units[code]
                )
        else:
            Membership.objects.create(user=user, institution=institution, role=spec.role)
        users[spec.username] = user
        logins.append(Login(spec.username, password, spec.label))
    return users, logins


def _published_history(institution: Institution) -> None:
    PublishedResult.objects.bulk_create(
        [
            PublishedResult(
                institution=institution,
                year=item.year,
                instrument_id=item.instrument_id,
                index=item.index,
                predicate=item.predicate,
                source=item.source,
                note=item.note,
                doubtful=item.doubtful,
            )
            for item in data.PUBLISHED_HISTORY
        ]
    )


def _period(institution: Institution, koordinator: User) -> Period:
    period = services.period_create(
        actor=koordinator,
        institution_id=institution.pk,
        year=data.YEAR,
        kind=data.KIND,
        instrument=data.INSTRUMENT,
        target=data.TARGET,
    )
    for kind, due_at, title in sorted(data.MILESTONES, key=lambda m: m[1]):
        services.milestone_set(
            actor=koordinator, period_id=period.pk, kind=kind, due_at=due_at, title=title
        )
    return period


def _assign(period: Period, koordinator: User, units: dict[str, Unit]) -> None:
    answer_ids = dict(period.answers.values_list("indicator", "pk"))
    services.period_assign_matrix(
        actor=koordinator,
        period_id=period.pk,
        assignments={
            answer_ids[number]: {units[code].pk for code in codes}
            for number, codes in data.ASSIGNMENTS.items()
        },
        expected_fingerprint=assignment_fingerprint([]),
    )


def _assign_assessor(period: Period, assessor: User) -> None:
    """The national evaluator (made by the Pemdi part) assigns the external assessor to the
    2025 monitoring for every aspect: an external assessor judges only within an assignment,
    their membership alone lets them see the institution."""
    from monev.assignments import services as assignment_services

    evaluator = User.objects.get(username=pemdi_data.EVALUATORS[0].username)
    assignment_services.assignment_set(evaluator, period_id=period.pk, assessor_id=assessor.pk)


def _clock(start: datetime):
    """Moments a few minutes apart from `start`: when each step of the demo happened."""
    moment = start
    while True:
        yield moment
        moment += timedelta(minutes=7)


def _answers(period: Period, users: dict[str, User]) -> None:
    operator_units = set(
        Membership.objects.filter(user=users["operator"]).values_list("unit__code", flat=True)
    )
    answers = {a.indicator: a for a in period.answers.all()}

    def author(number: str) -> User:
        if operator_units & set(data.ASSIGNMENTS[number]):
            return users["operator"]
        return users["koordinator"]

    # Drafts written in the first weeks of July, submitted mid-July, checked by the
    # Inspektorat just before the review meeting of 22 July 2025.
    clock = _clock(data.at(2025, 7, 2, 8, 30))
    for number, spec in data.ANSWERS.items():
        answers[number] = services.answer_save(
            actor=author(number),
            answer_id=answers[number].pk,
            expected_version=answers[number].version,
            level=Decimal(spec.level),
            explanation=spec.explanation,
            now=next(clock),
        )
    clock = _clock(data.at(2025, 7, 14, 9, 0))
    for number, spec in data.ANSWERS.items():
        if spec.state != data.DRAFT:
            answers[number] = services.answer_submit(
                actor=author(number),
                answer_id=answers[number].pk,
                expected_version=answers[number].version,
                now=next(clock),
            )
    clock = _clock(data.at(2025, 7, 18, 10, 0))
    for number, spec in data.ANSWERS.items():
        if spec.state == data.VERIFIED:
            answers[number] = services.answer_verify(
                actor=users["asesor.internal"],
                answer_id=answers[number].pk,
                expected_version=answers[number].version,
                now=next(clock),
            )
        elif spec.state == data.RETURNED:
            answers[number] = services.answer_return(
                actor=users["asesor.internal"],
                answer_id=answers[number].pk,
                expected_version=answers[number].version,
                note=data.RETURN_NOTE,
                now=next(clock),
            )


def _comments(period: Period, users: dict[str, User]) -> None:
    answer_ids = dict(period.answers.values_list("indicator", "pk"))
    for number, username, body in data.COMMENTS:
        services.comment_add(actor=users[username], answer_id=answer_ids[number], body=body)


def _plan(period: Period, koordinator: User) -> None:
    """The koordinator's optimal plan from 3.00 to the target, as asked at the review meeting
    of 22 July 2025: action items for the units, due before the evidence deadline."""
    from monev.planning import services as planning_services

    planning_services.plan_create(
        actor=koordinator,
        period_id=period.pk,
        target=data.TARGET,
        now=data.at(2025, 7, 22, 14, 0),
    )


def check(period: Period, koordinator: User) -> None:
    """The demo tells its story: the self-assessed index (computed by the engine, as the pages
    show it) is exactly 3.00, every indicator has a level, and audit (A6) is the weakest
    aspect. DemoDrift otherwise, so a changed instrument or data file cannot go unnoticed."""
    overview = selectors.period_overview(period, access_for(koordinator, period.institution_id))
    score = overview.scores[selectors.ScoreStage.SELF]
    if score.result is None or not score.complete:
        raise DemoDrift(f"the demo answers {score.given} of {score.total} indicators")
    index = score.result.index
    if index.exact != Fraction(data.SELF_ASSESSED_INDEX) or (
        index.reported != data.SELF_ASSESSED_INDEX
    ):
        raise DemoDrift(
            f"the demo's self-assessed index is {index.reported} ({index.exact}), "
            f"not {data.SELF_ASSESSED_INDEX}"
        )
    weakest = score.result.weakest_aspects(1)[0]
    if weakest.code != data.WEAKEST_ASPECT:
        raise DemoDrift(f"the weakest aspect is {weakest.code}, not {data.WEAKEST_ASPECT}")
    statuses = set(period.answers.values_list("status", flat=True))
    expected = {Answer.Status.DRAFT, Answer.Status.SUBMITTED}
    expected |= {Answer.Status.VERIFIED, Answer.Status.RETURNED}
    if statuses != expected:
        raise DemoDrift(f"the demo's answers are {sorted(statuses)}, not every workflow state")


# --- removing -----------------------------------------------------------------------------------


def reset_problems() -> list[str]:
    """Why removing the demo would touch data that is not the demo's (empty: safe)."""
    problems = []
    demo_ids = list(Institution.objects.filter(is_demo=True).values_list("pk", flat=True))
    chains = [chain_key(pk) for pk in demo_ids]
    users = User.objects.filter(username__in=demo_usernames())
    for user in users:
        elsewhere = user.memberships.exclude(institution_id__in=demo_ids)
        # The demo's evaluators see institutions through their scope, not memberships.
        if elsewhere.exists() or not (user.memberships.exists() or user.evaluator_scope):
            problems.append(f"user {user.username} belongs to data that is not the demo's")
    outside = AuditEvent.objects.filter(actor__in=users).exclude(chain__in=chains)
    if outside.exists():
        problems.append("demo users appear in the audit trail of data that is not the demo's")
    return problems


def reset() -> int:
    """Remove the demo: its institutions (is_demo), their audit chains, and the demo's
    people. Refuses (DemoError) if that would delete or change anything else."""
    with transaction.atomic():
        problems = reset_problems()
        if problems:
            raise DemoError(
                "The demo was not removed: " + "; ".join(problems) + ". Remove it by hand."
            )
        institutions = Institution.objects.filter(is_demo=True)
        chains = [chain_key(pk) for pk in institutions.values_list("pk", flat=True)]
        users = User.objects.filter(username__in=demo_usernames())
        removed = institutions.count()
        AuditEvent.objects.filter(chain__in=chains).delete()
        ChainHead.objects.filter(key__in=chains).delete()
        institutions.delete()
        users.delete()
    return removed

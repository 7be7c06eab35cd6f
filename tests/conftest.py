"""Shared fixtures: a small world with one persona per role (the healthchecks / Zulip way).

`world` holds Kota Contoh with two units, a user for every role, an outsider from another
institution, and an spbe-2020 period whose answers 1-5 belong to unit A and 6-10 to unit B;
the external assessor is assigned to that period (every aspect).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from monev.accounts.models import User
from monev.assignments.models import AssessorAssignment
from monev.evaluations import services
from monev.evaluations.models import Answer, AnswerUnit, Period
from monev.institutions.models import Institution, Role, Unit
from people_support import PASSWORD, grant, make_user
from tools_support import missing_tools_summary


@dataclass
class World:
    institution: Institution
    other_institution: Institution
    unit_a: Unit
    unit_b: Unit
    koordinator: User
    operator: User  # unit A
    operator_b: User  # unit B
    asesor_internal: User
    asesor_eksternal: User
    pimpinan: User
    admin: User
    outsider: User  # koordinator of another institution
    period: Period

    def answer(self, indicator: str) -> Answer:
        return Answer.objects.get(period=self.period, indicator=indicator)

    def personas(self) -> dict[str, User]:
        return {
            "koordinator": self.koordinator,
            "operator": self.operator,
            "operator_b": self.operator_b,
            "asesor_internal": self.asesor_internal,
            "asesor_eksternal": self.asesor_eksternal,
            "pimpinan": self.pimpinan,
            "admin": self.admin,
            "outsider": self.outsider,
        }


# A self-assessment window that is open "now" unless a test passes another `now`.
OPENS = datetime(2025, 1, 1, tzinfo=UTC)
CLOSES = datetime(2099, 1, 1, tzinfo=UTC)


def build_world() -> World:
    institution = Institution.objects.create(
        code="kota-contoh", name="Pemerintah Kota Contoh", kind="kota"
    )
    other = Institution.objects.create(
        code="kab-lain", name="Pemerintah Kabupaten Lain", kind="kabupaten"
    )
    unit_a = Unit.objects.create(
        institution=institution, code="A", name="Dinas A", short_name="Dinas A"
    )
    unit_b = Unit.objects.create(
        institution=institution, code="B", name="Dinas B", short_name="Dinas B"
    )
    users = {
        name: make_user(name)
        for name in (
            "koordinator",
            "operator",
            "operator_b",
            "asesor_internal",
            "asesor_eksternal",
            "pimpinan",
            "admin",
            "outsider",
        )
    }
    grant(users["koordinator"], institution, Role.KOORDINATOR)
    grant(users["operator"], institution, Role.OPERATOR, unit_a)
    grant(users["operator_b"], institution, Role.OPERATOR, unit_b)
    grant(users["asesor_internal"], institution, Role.ASESOR_INTERNAL)
    grant(users["asesor_eksternal"], institution, Role.ASESOR_EKSTERNAL)
    grant(users["pimpinan"], institution, Role.PIMPINAN)
    grant(users["admin"], institution, Role.ADMIN)
    grant(users["outsider"], other, Role.KOORDINATOR)
    period = services.period_create(
        actor=users["koordinator"],
        institution_id=institution.pk,
        year=2025,
        kind="pemantauan",
        instrument="spbe-2020",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )
    # An external assessor judges only within an evaluator's assignment (every aspect here).
    AssessorAssignment.objects.create(period=period, assessor=users["asesor_eksternal"])
    answers = {a.indicator: a.pk for a in period.answers.all()}
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer_id=answers[str(n)], unit=unit_a) for n in range(1, 6)]
        + [AnswerUnit(answer_id=answers[str(n)], unit=unit_b) for n in range(6, 11)]
    )
    return World(
        institution=institution,
        other_institution=other,
        unit_a=unit_a,
        unit_b=unit_b,
        period=period,
        **users,
    )


# Tests that only make sense on one database carry its marker (declared in pyproject.toml).
DATABASE_MARKERS = {"postgres": "postgresql", "sqlite": "sqlite"}


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    for item in items:
        for marker, vendor in DATABASE_MARKERS.items():
            if marker in item.keywords and connection.vendor != vendor:
                reason = f"needs {vendor}; this run uses {connection.vendor}"
                item.add_marker(pytest.mark.skip(reason=reason))


# Outermost, so that the summary comes after pytest's own list of skips, just above the counts.
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_terminal_summary(terminalreporter):
    yield
    reasons = [
        str(report.longrepr[2])
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple)
    ]
    if lines := missing_tools_summary(reasons):
        terminalreporter.section("missing tools", yellow=True)
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def isolated_files(settings, tmp_path):
    # Evidence files and upload temporaries of one test never meet another's.
    incoming = tmp_path / "files" / "incoming"
    incoming.mkdir(parents=True)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }
    settings.FILE_UPLOAD_TEMP_DIR = incoming
    return tmp_path / "files"


@pytest.fixture(autouse=True)
def isolated_audit_anchor(settings, tmp_path):
    # The audit anchor (`monev audit anchor`, `monev backup`) of one test is never compared
    # with another test's database, and never lands in the checkout's var/.
    settings.MONEV_AUDIT_ANCHOR = tmp_path / "audit-anchor.json"
    return settings.MONEV_AUDIT_ANCHOR


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def now():
    return timezone.now()


def later(days: int) -> datetime:
    return timezone.now() + timedelta(days=days)

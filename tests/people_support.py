"""People for tests, importable from any test module (`from people_support import ...`):
conftest.py is not, since tests/cli and tests/core have conftest modules of their own."""

from __future__ import annotations

from monev.accounts.models import User
from monev.institutions.models import Institution, Membership, Unit

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, full_name=username.title()
    )


def grant(user: User, institution: Institution, role: str, unit: Unit | None = None) -> None:
    Membership.objects.create(user=user, institution=institution, role=role, unit=unit)

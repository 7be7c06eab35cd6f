"""`monev demo`: loads into an empty database only, and prints the logins each time."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_it_loads_the_demo_and_prints_a_working_login(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    output = run_demo("--if-empty")
    assert "DEMO" in output
    password = output.strip().splitlines()[-1].split()[-1]
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_it_does_not_load_twice_into_a_database_with_data(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = run_demo("--if-empty")
    second = run_demo("--if-empty")
    assert "not loaded again" in second
    assert first.strip().splitlines()[-1] == second.strip().splitlines()[-1]
    assert get_user_model().objects.count() == 1

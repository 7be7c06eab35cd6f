"""Managing evaluator scopes: `monev evaluator` and the Django admin's user form."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from monev.accounts import services
from monev.accounts.models import User
from monev.audit.models import AuditEvent
from monev.lib.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def test_the_command_sets_and_clears_a_scope_with_an_audit_event(world, capsys):
    world.institution.province = "Jawa Barat"
    world.institution.save()
    call_command("evaluator", "pimpinan", "--province", "  jawa   barat ")
    user = User.objects.get(username="pimpinan")
    assert (user.evaluator_scope, user.evaluator_province) == ("provinsi", "Jawa Barat")
    event = AuditEvent.objects.get(action="user.evaluator_scope")
    assert event.actor is None and event.after["evaluator_province"] == "Jawa Barat"
    call_command("evaluator", "pimpinan", "--national")
    call_command("evaluator", "pimpinan", "--national")  # the same again: no event
    call_command("evaluator", "pimpinan", "--none")
    user.refresh_from_db()
    assert (user.evaluator_scope, user.evaluator_province) == ("", "")
    assert AuditEvent.objects.filter(action="user.evaluator_scope").count() == 3
    assert "no evaluator scope" in capsys.readouterr().out


def test_the_command_refuses_bad_input(world):
    with pytest.raises(CommandError, match="provinsi"):
        call_command("evaluator", "pimpinan", "--province", "  ")
    with pytest.raises(CommandError, match=r"tidak\.ada"):
        call_command("evaluator", "tidak.ada", "--national")
    with pytest.raises(CommandError):
        call_command("evaluator", "pimpinan")  # one of the three is required


def test_only_a_superuser_sets_scopes(world):
    with pytest.raises(Forbidden):
        services.evaluator_scope_set(world.admin, user_id=world.pimpinan.pk, scope="nasional")
    with pytest.raises(InvalidInput):
        services.evaluator_scope_set(None, user_id=world.pimpinan.pk, scope="dunia")


def test_the_admin_form_shows_and_validates_the_scope(world):
    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    client = Client()
    client.force_login(root)
    url = f"/admin/accounts/user/{world.pimpinan.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="evaluator_scope"' in page and 'name="evaluator_province"' in page
    form = {
        "username": "pimpinan",
        "full_name": "Pimpinan",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "evaluator_scope": "provinsi",
        "evaluator_province": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200  # the form again, with the error
    assert User.objects.get(pk=world.pimpinan.pk).evaluator_scope == ""
    response = client.post(url, {**form, "evaluator_province": "Jawa Barat"})
    assert response.status_code == 302
    user = User.objects.get(pk=world.pimpinan.pk)
    assert (user.evaluator_scope, user.evaluator_province) == ("provinsi", "Jawa Barat")
    assert AuditEvent.objects.get(action="user.evaluator_scope").actor == root


def make_user(username: str) -> User:
    return User.objects.create_user(
        username=username, password="correct-horse-battery-staple", full_name=username.title()
    )

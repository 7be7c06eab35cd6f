"""Staff manage institutions, units and memberships in the admin; every change is audited."""

from __future__ import annotations

import pytest

from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.institutions.models import Membership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world):
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    return world.admin


def test_it_records_a_unit_added_in_the_admin(client, world, staff):
    client.force_login(staff)
    response = client.post(
        "/admin/institutions/unit/add/",
        {"institution": world.institution.pk, "code": "C", "name": "Dinas C", "short_name": "C"},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="C")
    event = AuditEvent.objects.get(action="admin.unit.add")
    assert event.institution_id == world.institution.pk and event.after["name"] == "Dinas C"
    assert unit.institution == world.institution
    assert audit_verify()[1] == []


def test_it_records_a_membership_deleted_in_the_admin(client, world, staff):
    client.force_login(staff)
    membership = Membership.objects.get(user=world.pimpinan)
    response = client.post(
        f"/admin/institutions/membership/{membership.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.membership.delete")
    assert event.before["role"] == "pimpinan"


def test_it_keeps_non_staff_out_of_the_admin(client, world):
    client.force_login(world.koordinator)
    response = client.get("/admin/institutions/unit/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

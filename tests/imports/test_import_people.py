"""Units and users of an institution: memberships added, passwords never changed."""

from __future__ import annotations

import json

import pytest
from import_support import actions, csv_file, make_user, preview, rejected, xlsx

from monev.accounts.models import User
from monev.audit.models import AuditEvent
from monev.imports import services
from monev.imports.models import ImportBatch
from monev.institutions.models import Membership, Unit
from monev.lib.errors import Forbidden

pytestmark = pytest.mark.django_db

USERS_HEADER = ["Username", "Nama Lengkap", "Email", "Peran", "Kode Unit"]


def test_it_creates_units_and_users_from_a_workbook(world, tmp_path):
    path = xlsx(
        tmp_path / "orang.xlsx",
        {
            "Unit": [
                ["Kode", "Nama", "Nama Singkat"],
                ["C", "Dinas C", "Din C"],
                ["A", "Dinas A Baru", ""],
            ],
            "Pengguna": [
                USERS_HEADER,
                ["citra", "Citra Lestari", "citra@contoh.go.id", "Operator Unit", "C"],
                ["dedi", "Dedi", "", "Asesor internal", ""],
                ["operator", "", "", "pimpinan", ""],
            ],
        },
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    assert rejected(batch) == []
    assert actions(batch) == {"create": 3, "update": 1, "add": 1}
    assert services.import_apply(actor=world.admin, batch_id=batch.pk).applied
    unit_c = Unit.objects.get(institution=world.institution, code="C")
    assert (unit_c.name, unit_c.short_name) == ("Dinas C", "Din C")
    assert Unit.objects.get(institution=world.institution, code="A").name == "Dinas A Baru"
    citra = User.objects.get(username="citra")
    assert not citra.has_usable_password()
    assert Membership.objects.filter(user=citra, role="operator", unit=unit_c).exists()
    assert Membership.objects.filter(user=world.operator, role="pimpinan").exists()
    assert AuditEvent.objects.filter(action="user.create").count() == 2
    assert AuditEvent.objects.filter(action="membership.add").count() == 3


def test_it_reads_a_users_csv_and_never_changes_an_existing_password(world, tmp_path, password):
    path = csv_file(
        tmp_path / "pengguna.csv",
        [
            [*USERS_HEADER, "Kata Sandi Awal"],
            ["koordinator", "", "", "admin", "", "kata-sandi-baru-123"],
        ],
        delimiter=";",
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    [change] = batch.report["changes"]
    assert change["action"] == "add" and "tidak diubah" in change["note"]
    services.import_apply(actor=world.admin, batch_id=batch.pk)
    world.koordinator.refresh_from_db()
    assert world.koordinator.check_password(password)


def test_an_initial_password_is_validated_and_never_kept_as_typed(world, tmp_path):
    path = csv_file(
        tmp_path / "pengguna.csv",
        [
            [*USERS_HEADER, "Kata Sandi Awal"],
            ["eka", "Eka", "", "koordinator", "", "Sawah-Padi-Hijau-2025"],
            ["fajar", "Fajar", "", "koordinator", "", "123"],
        ],
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    [(row, column, message)] = rejected(batch)
    assert (row, column) == (3, "Kata Sandi Awal") and message
    stored = json.dumps(ImportBatch.objects.get(pk=batch.pk).rows) + json.dumps(batch.report)
    assert "Sawah-Padi-Hijau-2025" not in stored and '123"' not in stored


def test_a_valid_initial_password_lets_the_new_user_sign_in(world, tmp_path):
    path = csv_file(
        tmp_path / "pengguna.csv",
        [
            [*USERS_HEADER, "Kata Sandi Awal"],
            ["eka", "Eka", "", "koordinator", "", "Sawah-Padi-Hijau-2025"],
        ],
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    assert services.import_apply(actor=world.admin, batch_id=batch.pk).applied
    assert User.objects.get(username="eka").check_password("Sawah-Padi-Hijau-2025")


def test_it_rejects_bad_user_rows(world, tmp_path):
    path = csv_file(
        tmp_path / "pengguna.csv",
        [
            USERS_HEADER,
            ["gita", "", "", "operator", ""],
            ["hadi", "", "", "operator", "ZZ"],
            ["ika", "", "bukan-email", "koordinator", ""],
            ["joko", "", "", "raja", ""],
            ["ke lly", "", "", "pimpinan", ""],
            ["", "Tanpa Nama", "", "pimpinan", ""],
            ["lia", "", "", "pimpinan", ""],
            ["lia", "", "", "Pimpinan", ""],
        ],
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    problems = {row: column for row, column, _message in rejected(batch)}
    assert problems == {
        2: "Kode Unit",
        3: "Kode Unit",
        4: "Email",
        5: "Peran",
        6: "Username",
        7: "Username",
        9: "Username",
    }
    assert not services.import_apply(actor=world.admin, batch_id=batch.pk).applied
    assert not User.objects.filter(username="lia").exists()


def test_it_rejects_bad_unit_rows(world, tmp_path):
    path = xlsx(
        tmp_path / "unit.xlsx",
        {
            "Unit": [
                ["Kode", "Nama"],
                ["", "Tanpa kode"],
                ["D", ""],
                ["E", "Dinas E"],
                ["e", "Lagi"],
                ["X" * 31, "Panjang"],
            ]
        },
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    assert {row for row, _c, _m in rejected(batch)} == {2, 3, 5, 6}


@pytest.mark.parametrize("persona", ["koordinator", "operator", "asesor_internal", "pimpinan"])
def test_only_who_manages_the_institution_may_import_people(world, tmp_path, persona):
    path = csv_file(tmp_path / "u.csv", [["Kode", "Nama"], ["C", "Dinas C"]])
    with pytest.raises(Forbidden):
        preview(world.personas()[persona], "people", path, institution_id=world.institution.pk)


def test_an_existing_user_in_another_institution_only_gains_the_membership(world, tmp_path):
    other = make_user("tamu")
    other.email = "lama@contoh.go.id"
    other.save()
    path = csv_file(
        tmp_path / "p.csv",
        [USERS_HEADER, ["tamu", "Nama Baru", "baru@contoh.go.id", "pimpinan", ""]],
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    services.import_apply(actor=world.admin, batch_id=batch.pk)
    other.refresh_from_db()
    assert other.email == "lama@contoh.go.id"
    assert Membership.objects.filter(user=other, institution=world.institution).exists()


def test_initial_passwords_are_capped_per_file(world, tmp_path, monkeypatch):
    from monev.imports.kinds import people

    monkeypatch.setattr(people, "MAX_INITIAL_PASSWORDS", 2)
    rows = [[f"u{n}", "", "", "pimpinan", "", "Sawah-Padi-Hijau-2025"] for n in range(3)]
    path = csv_file(tmp_path / "p.csv", [[*USERS_HEADER, "Kata Sandi Awal"], *rows])
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    [(row, column, message)] = rejected(batch)
    assert (row, column) == (4, "Kata Sandi Awal") and "Paling banyak 2" in message


def test_no_password_hash_is_kept_once_the_import_is_applied(world, tmp_path):
    path = csv_file(
        tmp_path / "p.csv",
        [
            [*USERS_HEADER, "Kata Sandi Awal"],
            ["eka", "Eka", "", "pimpinan", "", "Sawah-Padi-Hijau-2025"],
        ],
    )
    batch = preview(world.admin, "people", path, institution_id=world.institution.pk)
    assert "pbkdf2" in json.dumps(batch.report) or "md5" in json.dumps(batch.report)
    services.import_apply(actor=world.admin, batch_id=batch.pk)
    stored = ImportBatch.objects.get(pk=batch.pk)
    assert "password_hash" not in json.dumps(stored.report) and stored.rows == []

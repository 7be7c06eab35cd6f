"""The evaluator's bulk imports: institutions, periods and assessor assignments, not tied to
one institution; each row is checked against the importer's evaluator scope."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from import_support import actions, csv_file, preview, rejected, xlsx

sys.path.insert(0, str(Path(__file__).parents[1] / "assignments"))
from assign_support import make_evaluators

from monev.assignments.models import AssessorAssignment
from monev.audit.models import AuditEvent
from monev.evaluations.models import Milestone, Period
from monev.imports import services
from monev.institutions.models import Institution, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluators(world):
    return make_evaluators(world)


INSTITUTIONS = ["Kode", "Nama", "Nama Singkat", "Jenis", "Provinsi"]
PERIODS = [
    "Kode Instansi",
    "Tahun",
    "Jenis",
    "Instrumen",
    "Target",
    "Penilaian Mandiri Dibuka",
    "Penilaian Mandiri Ditutup",
    "Penilaian Dokumen",
]
ASSIGNMENTS = ["Kode Instansi", "Tahun", "Username Asesor", "Aspek"]


def apply(actor, batch):
    outcome = services.import_apply(actor=actor, batch_id=batch.pk)
    assert outcome.applied, (outcome.message, rejected(outcome.batch))
    return outcome


def test_a_national_evaluator_creates_and_corrects_institutions(evaluators, tmp_path):
    path = csv_file(
        tmp_path / "instansi.csv",
        [
            INSTITUTIONS,
            ["kab-garut", "Pemerintah Kabupaten Garut", "Kab. Garut", "kabupaten", "jawa barat"],
            ["kemen-x", "Kementerian X", "", "pusat", ""],
            ["kota-contoh", "", "Kota Contoh", "", ""],  # only the short name changes
        ],
    )
    batch = preview(evaluators.national, "institutions", path)
    assert rejected(batch) == []
    assert actions(batch) == {"create": 2, "update": 1}
    apply(evaluators.national, batch)
    garut = Institution.objects.get(code="kab-garut")
    assert (garut.kind, garut.province) == ("kabupaten", "Jawa Barat")  # the stored spelling
    contoh = Institution.objects.get(code="kota-contoh")
    assert (contoh.name, contoh.short_name) == ("Pemerintah Kota Contoh", "Kota Contoh")
    assert AuditEvent.objects.filter(action="institution.create").count() == 2
    assert AuditEvent.objects.filter(action="institution.update").count() == 1
    assert AuditEvent.objects.filter(action="import.apply").count() == 1


def test_a_province_evaluator_creates_only_in_their_province(evaluators, tmp_path):
    path = csv_file(
        tmp_path / "instansi.csv",
        [
            INSTITUTIONS,
            ["kab-bogor", "Pemerintah Kabupaten Bogor", "", "kabupaten", ""],  # their province
            ["kab-jateng", "Pemerintah Kabupaten Jateng", "", "kabupaten", "Jawa Tengah"],
            ["kemen-y", "Kementerian Y", "", "pusat", ""],
            ["kab-lain", "Nama Baru", "", "", ""],  # exists, in Jawa Tengah
            ["", "Tanpa Kode", "", "kota", "Jawa Barat"],
            ["kota baru!", "Kota", "", "kota", "Jawa Barat"],
            ["kota-x", "Kota X", "", "desa", "Jawa Barat"],
            ["kab-bogor", "Lagi", "", "kabupaten", "Jawa Barat"],
        ],
    )
    batch = preview(evaluators.jabar, "institutions", path)
    rows = {row for row, _column, _message in rejected(batch)}
    assert rows == {3, 4, 5, 6, 7, 8, 9}
    assert actions(batch) == {"create": 1}
    outcome = services.import_apply(actor=evaluators.jabar, batch_id=batch.pk)
    assert not outcome.applied  # a file with rejected rows writes nothing
    assert not Institution.objects.filter(code="kab-bogor").exists()


def test_periods_are_created_through_the_period_service(evaluators, tmp_path):
    path = xlsx(
        tmp_path / "periode.xlsx",
        {
            "Periode": [
                PERIODS,
                [
                    "kota-contoh",
                    2026,
                    "evaluasi",
                    "pemdi-2026",
                    "3,00",
                    datetime(2026, 6, 15),  # noqa: DTZ001 - an Excel date cell
                    "31/07/2026",
                    "2026-08-31 10:00",
                ],
                ["kota-contoh", 2025, "pemantauan", "spbe-2020", "", "", "", ""],  # exists
            ]
        },
    )
    batch = preview(evaluators.jabar, "periods", path)
    assert rejected(batch) == []
    assert actions(batch) == {"create": 1, "unchanged": 1}
    apply(evaluators.jabar, batch)
    period = Period.objects.get(institution=evaluators.world.institution, year=2026)
    assert period.instrument_id == "pemdi-2026" and str(period.target) == "3.00"
    assert period.answers.count() == 20
    due = {m.kind: timezone.localtime(m.due_at) for m in period.milestones.all()}
    assert due[Milestone.Kind.SELF_ASSESSMENT_OPEN].hour == 16  # an Excel date: 16:00
    assert due[Milestone.Kind.SELF_ASSESSMENT_CLOSE].date().isoformat() == "2026-07-31"
    assert due[Milestone.Kind.DOCUMENT_REVIEW].hour == 10
    event = AuditEvent.objects.get(action="period.create", period_id=period.pk)
    assert event.actor == evaluators.jabar


def test_bad_period_rows_are_rejected_with_their_reason(evaluators, tmp_path):
    path = csv_file(
        tmp_path / "periode.csv",
        [
            PERIODS,
            ["kab-lain", "2026", "evaluasi", "pemdi-2026", "", "", "", ""],  # Jawa Tengah
            ["kota-contoh", "20x6", "evaluasi", "pemdi-2026", "", "", "", ""],
            ["kota-contoh", "2026", "audit", "pemdi-2026", "", "", "", ""],
            ["kota-contoh", "2026", "evaluasi", "pemdi-2099", "", "", "", ""],
            ["kota-contoh", "2026", "evaluasi", "pemdi-2026", "9", "", "", ""],
            ["kota-contoh", "2026", "evaluasi", "pemdi-2026", "", "besok", "", ""],
            ["kota-contoh", "2026", "evaluasi", "pemdi-2026", "", "2026-08-01", "2026-07-01", ""],
        ],
    )
    batch = preview(evaluators.jabar, "periods", path)
    columns = {row: column for row, column, _message in rejected(batch)}
    assert columns == {
        2: "Kode Instansi",
        3: "Tahun",
        4: "Jenis",
        5: "Instrumen",
        6: "Target",
        7: "Penilaian Mandiri Dibuka",
        8: "Penilaian Mandiri Ditutup",
    }


def test_assessor_assignments_from_a_file(evaluators, tmp_path):
    world = evaluators.world
    Period.objects.filter(pk=world.period.pk).update(kind="evaluasi")
    path = csv_file(
        tmp_path / "penugasan.csv",
        [
            ASSIGNMENTS,
            ["kota-contoh", "2025", "asesor.luar", "A1, a3"],
            ["kota-contoh", "2025", "asesor_eksternal", ""],
            ["kab-lain", "2025", "asesor.luar", ""],  # another province
            ["kota-contoh", "2024", "asesor.luar", ""],  # no period
            ["kota-contoh", "2025", "tidak.ada", ""],
            ["kota-contoh", "2025", "koordinator", ""],  # a member of the institution
            ["kota-contoh", "2025", "eval.nasional", "A1, B2"],
            ["kota-contoh", "2025", "asesor.luar", ""],  # twice
            ["kota-contoh", "2025", "outsider", ""],  # koordinator of another institution
            ["kota-contoh", "2025", "eval.jabar", ""],  # an evaluator
        ],
        delimiter=";",
    )
    batch = preview(evaluators.jabar, "assessor-assignments", path)
    problems = {row: message for row, _c, message in rejected(batch)}
    assert set(problems) == {4, 5, 6, 7, 8, 9, 10, 11}
    assert "Kabupaten Lain" in problems[10] and "evaluator" in problems[11]
    assert actions(batch) == {"create": 2}
    good = csv_file(
        tmp_path / "baik.csv",
        [ASSIGNMENTS, ["kota-contoh", "2025", "asesor.luar", "A1, a3"]],
    )
    apply(evaluators.jabar, preview(evaluators.jabar, "assessor-assignments", good))
    assignment = AssessorAssignment.objects.get()
    assert assignment.aspects == ["A1", "A3"] and assignment.assigned_by == evaluators.jabar
    assert Membership.objects.filter(user=evaluators.assessor, role="asesor_eksternal").exists()
    again = preview(evaluators.jabar, "assessor-assignments", good)
    assert actions(again) == {"unchanged": 1}


def test_someone_without_an_evaluator_scope_gets_every_row_rejected(evaluators, tmp_path):
    path = csv_file(
        tmp_path / "instansi.csv", [INSTITUTIONS, ["kab-z", "Kab Z", "", "kabupaten", "Jawa Barat"]]
    )
    batch = preview(evaluators.world.koordinator, "institutions", path)
    assert len(rejected(batch)) == 1
    client = Client()
    client.force_login(evaluators.world.koordinator)
    with path.open("rb") as fh:
        response = client.post(
            reverse("evaluator_imports:upload", args=["institutions"]), {"file": fh}
        )
    assert response.status_code == 403


def test_the_page_and_the_api_upload_and_apply(evaluators, tmp_path):
    from api_support import Api

    path = csv_file(
        tmp_path / "instansi.csv",
        [INSTITUTIONS, ["kota-bekasi", "Pemerintah Kota Bekasi", "", "kota", "Jawa Barat"]],
    )
    client = Client()
    client.force_login(evaluators.jabar)
    with path.open("rb") as fh:
        response = client.post(
            reverse("evaluator_imports:upload", args=["institutions"]), {"file": fh}
        )
    assert response.status_code == 302
    batch_page = client.get(response["Location"])
    assert batch_page.status_code == 200 and "kota-bekasi" in batch_page.content.decode()
    api = Api.token(evaluators.national)
    with path.open("rb") as fh:
        answer = api.client.post(
            "/api/v1/imports/evaluator/institutions",
            {"file": fh, "dry_run": "false"},
            headers=api.headers,
        )
    assert answer.status_code == 200, answer.json()
    assert Institution.objects.filter(code="kota-bekasi").exists()
    refused = Api.token(evaluators.world.koordinator)
    with path.open("rb") as fh:
        answer = refused.client.post(
            "/api/v1/imports/evaluator/periods", {"file": fh}, headers=refused.headers
        )
    assert answer.status_code == 403


def test_the_command_runs_the_evaluator_kinds_as_the_system(evaluators, tmp_path, capsys):
    path = csv_file(
        tmp_path / "instansi.csv",
        [INSTITUTIONS, ["kemen-z", "Kementerian Z", "KemenZ", "pusat", ""]],
    )
    call_command("import", "institutions", str(path))
    assert Institution.objects.filter(code="kemen-z").exists()
    periods = csv_file(
        tmp_path / "periode.csv",
        [PERIODS[:4], ["kemen-z", "2026", "evaluasi", "pemdi-2026"]],
    )
    call_command("import", "periods", str(periods))
    period = Period.objects.get(institution__code="kemen-z")
    assert AuditEvent.objects.get(action="period.create", period_id=period.pk).actor is None
    bad = csv_file(tmp_path / "buruk.csv", [PERIODS[:4], ["tidak-ada", "2026", "evaluasi", "x"]])
    with pytest.raises(CommandError):
        call_command("import", "periods", str(bad))


def test_the_templates_download(evaluators):
    client = Client()
    client.force_login(evaluators.national)
    for kind in ("institutions", "periods", "assessor-assignments"):
        response = client.get(reverse("imports:template", args=[kind]))
        assert response.status_code == 200

"""Levels and penjelasan: every row validated, written through answer_save, all or nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from import_support import (
    CLOSES,
    OPENS,
    TEXT,
    actions,
    csv_file,
    fresh,
    preview,
    rejected,
    saved,
    submitted,
    xlsx,
)
from openpyxl import Workbook

from monev.audit.models import AuditEvent
from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Answer, Milestone
from monev.imports import services
from monev.imports.models import ImportBatch
from monev.institutions.access import access_for
from monev.lib.errors import Forbidden, InvalidTransition, NotFound
from monev.reports import self_assessment

pytestmark = pytest.mark.django_db


def _levels(world) -> dict[str, tuple]:
    return {a.indicator: (a.level, a.explanation) for a in world.period.answers.all()}


def test_it_imports_levels_and_penjelasan_from_a_workbook(world, tmp_path):
    path = xlsx(
        tmp_path / "levels.xlsx",
        {
            "Penilaian Mandiri": [
                ["No.", "Domain", "No. Indikator", "Indikator", "Tingkat Mandiri", "Penjelasan"],
                [1, "Kebijakan", "1", "Kebijakan Internal", 3, "Perwal 12/2024"],
                [2, "Kebijakan", "2", "Kebijakan Internal 2", 4, "SK Walikota"],
            ]
        },
    )
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    assert rejected(batch) == []
    assert actions(batch) == {"update": 2}
    assert world.answer("1").level is None  # a preview writes nothing
    outcome = services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert outcome.applied
    one, two = world.answer("1"), world.answer("2")
    assert (one.level, one.explanation) == (Decimal("3"), "Perwal 12/2024")
    assert (two.level, two.explanation) == (Decimal("4"), "SK Walikota")
    assert one.updated_by == world.koordinator and one.version == 2


def test_it_imports_a_semicolon_csv_with_simple_headers(world, tmp_path):
    path = csv_file(
        tmp_path / "levels.csv",
        [["indicator", "level", "explanation"], ["3", "2,0", "Ada SOP"], ["4", "", ""]],
        delimiter=";",
        bom=True,
        newline="\r\n",
    )
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    assert rejected(batch) == []
    assert actions(batch) == {"update": 1, "unchanged": 1}
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    assert world.answer("3").level == Decimal("2")


def test_it_reports_unchanged_rows_and_does_not_rewrite_them(world, tmp_path):
    answer = saved(world, "1", "3")
    path = csv_file(
        tmp_path / "l.csv",
        [["Indikator", "Tingkat", "Penjelasan"], ["1", "3", TEXT], ["2", "4", "x"]],
    )
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    assert actions(batch) == {"unchanged": 1, "update": 1}
    services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert fresh(answer).version == answer.version


def test_it_keeps_the_penjelasan_when_the_file_has_only_levels(world, tmp_path):
    saved(world, "1", "3")
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "4"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert (world.answer("1").level, world.answer("1").explanation) == (Decimal("4"), TEXT)


def test_it_rejects_each_bad_row_with_its_row_column_and_reason(world, tmp_path):
    path = csv_file(
        tmp_path / "bad.csv",
        [
            ["No. Indikator", "Tingkat Mandiri", "Penjelasan"],
            ["1", "3", "baik"],
            ["99", "3", "tidak ada"],
            ["2", "tiga", "bukan angka"],
            ["3", "7", "di luar skala"],
            ["4", "2,5", "bukan bulat"],
            ["1", "4", "ganda"],
            ["", "3", "tanpa nomor"],
        ],
    )
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    problems = {row: (column, message) for row, column, message in rejected(batch)}
    assert set(problems) == {3, 4, 5, 6, 7, 8}
    assert problems[3] == ("No. Indikator", "Indikator 99 tidak ada di instrumen spbe-2020@1.")
    assert problems[4][0] == "Tingkat Mandiri" and "bukan angka" in problems[4][1]
    assert problems[5][0] == "Tingkat Mandiri" and "1-5" in problems[5][1]
    assert problems[6][0] == "Tingkat Mandiri" and "bulat" in problems[6][1]
    assert "baris 2" in problems[7][1]
    assert problems[8][0] == "No. Indikator"


def test_one_bad_row_means_nothing_is_written(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"], ["2", "9"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    outcome = services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert not outcome.applied
    assert world.answer("1").level is None
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview"


def test_a_row_refused_at_apply_time_undoes_the_rows_written_before_it(
    world, tmp_path, monkeypatch
):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"], ["2", "4"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    real = evaluation_services.answer_save

    def refuse_the_second(**kwargs):
        if kwargs["answer_id"] == world.answer("2").pk:
            raise InvalidTransition("ditolak saat menulis")
        return real(**kwargs)

    monkeypatch.setattr(evaluation_services, "answer_save", refuse_the_second)
    outcome = services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert not outcome.applied
    assert world.answer("1").level is None  # written first, then undone
    assert (3, "", "ditolak saat menulis") in rejected(ImportBatch.objects.get(pk=batch.pk))
    assert not AuditEvent.objects.filter(action="answer.save").exists()


def test_a_change_made_after_the_preview_stops_the_apply(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"], ["2", "4"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    saved(world, "2", "1")  # someone edits indicator 2 meanwhile
    outcome = services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert not outcome.applied and "berubah" in outcome.message
    assert world.answer("1").level is None and world.answer("2").level == Decimal("1")
    # The new preview is shown; applying it now works.
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    assert world.answer("2").level == Decimal("4")


def test_applying_twice_says_it_was_already_applied(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    with pytest.raises(InvalidTransition, match="sudah diterapkan"):
        services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert world.answer("1").version == 2


def test_another_persons_batch_is_not_found_on_apply_exactly_like_a_missing_one(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    with pytest.raises(NotFound) as missing:
        services.import_apply(actor=world.operator, batch_id=batch.pk + 1000)
    for someone_else in (world.operator, world.outsider):
        with pytest.raises(NotFound) as refused:
            services.import_apply(actor=someone_else, batch_id=batch.pk)
        assert str(refused.value.message) == str(missing.value.message)
        with pytest.raises(NotFound):
            services.batch_for(someone_else, batch.pk)
        with pytest.raises(NotFound):
            services.import_discard(actor=someone_else, batch_id=batch.pk)
    assert world.answer("1").level is None
    batch.refresh_from_db()
    assert batch.status == "preview"


def test_an_operator_may_import_only_their_units_answers(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"], ["6", "3"]])
    batch = preview(world.operator, "levels", path, period_id=world.period.pk)
    [(row, column, message)] = rejected(batch)
    assert (row, column) == (3, "Indikator") and "unit Anda" in message


@pytest.mark.parametrize("persona", ["asesor_internal", "asesor_eksternal", "pimpinan", "admin"])
def test_roles_that_cannot_edit_answers_cannot_import_levels(world, tmp_path, persona):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    with pytest.raises(Forbidden):
        preview(world.personas()[persona], "levels", path, period_id=world.period.pk)


def test_an_outsider_does_not_see_the_period(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    with pytest.raises(NotFound):
        preview(world.outsider, "levels", path, period_id=world.period.pk)


def test_rows_after_the_deadline_are_rejected(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    late = datetime(2099, 6, 1, tzinfo=UTC)
    batch = services.import_preview(
        actor=world.koordinator,
        kind="levels",
        path=path,
        filename="l.csv",
        period_id=world.period.pk,
        now=late,
    )
    [(_row, _column, message)] = rejected(batch)
    assert "ditutup" in message


def test_a_submitted_answer_goes_back_to_draft_and_the_preview_says_so(world, tmp_path):
    submitted(world, "1")
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "5"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    [change] = batch.report["changes"]
    assert "draf" in change["note"]
    services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert world.answer("1").status == Answer.Status.DRAFT


def test_applied_imports_leave_audit_events(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"], ["2", "4"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert AuditEvent.objects.filter(action="answer.save", actor=world.koordinator).count() == 2
    event = AuditEvent.objects.get(action="import.apply")
    assert event.period_id == world.period.pk and event.after["update"] == 2


def test_a_preview_expires_after_a_day(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=datetime(2025, 1, 1, tzinfo=UTC))
    outcome = services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert not outcome.applied and "kedaluwarsa" in outcome.message
    assert world.answer("1").level is None


def _self_assessment_workbook(period, path):
    """The shape of the exported self-assessment workbook: first sheet "Penilaian Mandiri",
    header row 1 with "No. Indikator", "Tingkat Mandiri" and "Penjelasan" among others."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Penilaian Mandiri"
    sheet.append(
        [
            "No.",
            "Domain",
            "Aspek",
            "No. Indikator",
            "Indikator",
            "Tingkat Mandiri",
            "Tingkat Final",
            "Penjelasan",
            "Data Dukung",
            "Unit Penanggung Jawab",
        ]
    )
    for position, answer in enumerate(period.answers.order_by("position"), start=1):
        level = None if answer.level is None else int(answer.level)
        sheet.append(
            [
                position,
                "Domain",
                "Aspek",
                answer.indicator,
                f"Indikator {answer.indicator}",
                level,
                None,
                answer.explanation,
                "",
                "Dinas A",
            ]
        )
    workbook.create_sheet("Keterangan Kolom").append(["Kolom", "Arti"])
    workbook.save(path)
    return path


def test_levels_round_trip_through_the_self_assessment_workbook(world, tmp_path):
    for number, level in (("1", "3"), ("2", "5"), ("7", "1"), ("47", "2")):
        saved(world, number, level)
    evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=world.answer("3").pk,
        expected_version=1,
        level=None,
        explanation="Belum ada dokumen; penjelasan saja.\nBaris kedua.",
    )
    path = _self_assessment_workbook(world.period, tmp_path / "penilaian-mandiri.xlsx")
    next_period = evaluation_services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="spbe-2020",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )
    batch = preview(world.koordinator, "levels", path, period_id=next_period.pk)
    assert rejected(batch) == []
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    imported = {a.indicator: (a.level, a.explanation) for a in next_period.answers.all()}
    assert imported == _levels(world)


def test_the_system_imports_without_a_user(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "3"]])
    batch = preview(None, "levels", path, period_id=world.period.pk)
    assert services.import_apply(actor=None, batch_id=batch.pk).applied
    answer = world.answer("1")
    assert answer.level == Decimal("3") and answer.updated_by is None
    assert AuditEvent.objects.get(action="answer.save").actor_label == "system"


def test_a_file_without_the_columns_is_rejected_as_a_whole(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Nama", "Alamat"], ["a", "b"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    [(row, _column, message)] = rejected(batch)
    assert row == 0 and "No. Indikator" in message


def test_a_closed_window_milestone_changes_nothing_in_the_preview(world, tmp_path):
    Milestone.objects.filter(period=world.period, kind="self_assessment_close").update(
        due_at=datetime(2025, 1, 2, tzinfo=UTC)
    )
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", ""]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    assert rejected(batch) == [] and actions(batch) == {"unchanged": 1}


def test_levels_round_trip_through_the_real_self_assessment_export(world, tmp_path):
    for number, level in (("1", "3"), ("2", "5"), ("7", "1"), ("47", "2")):
        saved(world, number, level)
    submitted(world, "3")
    content = self_assessment.build(
        world.period, access_for(world.koordinator, world.institution.pk)
    )
    path = tmp_path / "penilaian-mandiri.xlsx"
    path.write_bytes(content)
    next_period = evaluation_services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="spbe-2020",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )
    batch = preview(world.koordinator, "levels", path, period_id=next_period.pk)
    assert rejected(batch) == []
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    imported = {a.indicator: (a.level, a.explanation) for a in next_period.answers.all()}
    assert imported == _levels(world)


# --- exact values (issue 15) -----------------------------------------------------------------


def _pemdi_period(world):
    return evaluation_services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )


def test_pemdi_levels_import_as_fractions_or_with_ten_decimals_exactly(world, tmp_path):
    period = _pemdi_period(world)
    path = csv_file(
        tmp_path / "pemdi.csv",
        [["Indikator", "Tingkat"], ["4", "7/6"], ["13", "1.1666666667"], ["2", "1,25"]],
    )
    batch = preview(world.koordinator, "levels", path, period_id=period.pk)
    assert rejected(batch) == []
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    levels = {a.indicator: a.level for a in period.answers.all()}
    assert levels["4"] == Fraction(7, 6)
    assert levels["13"] == Decimal("1.1666666667") and levels["13"] != Fraction(7, 6)
    assert levels["2"] == Decimal("1.25")


def test_pemdi_levels_with_more_than_ten_decimals_are_refused_with_the_fraction_hint(
    world, tmp_path
):
    period = _pemdi_period(world)
    path = csv_file(tmp_path / "pemdi.csv", [["Indikator", "Tingkat"], ["4", "1.16666666667"]])
    batch = preview(world.koordinator, "levels", path, period_id=period.pk)
    assert rejected(batch) == [
        (
            2,
            "Tingkat",
            "Tingkat 1.16666666667 memiliki lebih dari sepuluh desimal; tulis sebagai pecahan "
            "seperti 7/6.",
        )
    ]


def test_a_fraction_is_refused_for_a_whole_level_instrument(world, tmp_path):
    path = csv_file(tmp_path / "l.csv", [["Indikator", "Tingkat"], ["1", "7/6"]])
    batch = preview(world.koordinator, "levels", path, period_id=world.period.pk)
    [(row, column, message)] = rejected(batch)
    assert (row, column) == (2, "Tingkat") and "7/6" in message and "bulat" in message

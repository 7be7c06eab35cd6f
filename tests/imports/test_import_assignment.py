"""The unit x indicator matrix: long and wide form, replaced as a whole, all or nothing."""

from __future__ import annotations

import pytest
from import_support import actions, csv_file, preview, rejected, xlsx

from monev.audit.models import AuditEvent
from monev.evaluations.models import AnswerUnit
from monev.imports import services
from monev.institutions.models import Unit
from monev.lib.errors import Forbidden

pytestmark = pytest.mark.django_db


def _links(world) -> set[tuple[str, str]]:
    return set(
        AnswerUnit.objects.filter(answer__period=world.period).values_list(
            "answer__indicator", "unit__code"
        )
    )


def _current_rows(world) -> list[list[str]]:
    return [[number, code] for number, code in sorted(_links(world))]


def test_it_replaces_the_matrix_from_a_long_csv(world, tmp_path):
    rows = [r for r in _current_rows(world) if r != ["1", "A"]] + [["1", "b"], ["11", "A"]]
    path = csv_file(tmp_path / "m.csv", [["Indikator", "Kode Unit"], *rows])
    batch = preview(world.koordinator, "assignment", path, period_id=world.period.pk)
    assert rejected(batch) == []
    assert actions(batch) == {"unchanged": 9, "add": 2, "remove": 1}
    removed = [c for c in batch.report["changes"] if c["action"] == "remove"]
    assert [c["subject"] for c in removed] == ["Indikator 1 – unit A"]
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    assert ("1", "A") not in _links(world)
    assert {("1", "B"), ("11", "A")} <= _links(world)
    assert AuditEvent.objects.filter(action="period.assign_matrix").count() == 1


def test_it_reads_the_wide_form_with_marks(world, tmp_path):
    path = xlsx(
        tmp_path / "m.xlsx",
        {
            "Matriks": [
                ["Indikator", "Nama Indikator", "A", "B"],
                ["1", "Kebijakan", "x", ""],
                ["2", "Kebijakan", "V", "1"],
                ["3", "Kebijakan", None, "✓"],
            ]
        },
    )
    batch = preview(world.koordinator, "assignment", path, period_id=world.period.pk)
    assert rejected(batch) == []
    services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert _links(world) == {("1", "A"), ("2", "A"), ("2", "B"), ("3", "B")}


def test_it_rejects_unknown_units_indicators_and_marks(world, tmp_path):
    path = xlsx(
        tmp_path / "m.xlsx",
        {
            "Matriks": [
                ["Indikator", "A", "ZZ"],
                ["1", "x", ""],
                ["99", "x", ""],
                ["2", "mungkin", ""],
                ["1", "", "x"],
            ]
        },
    )
    batch = preview(world.koordinator, "assignment", path, period_id=world.period.pk)
    problems = {(row, column) for row, column, _message in rejected(batch)}
    assert problems == {(1, "ZZ"), (3, "Indikator"), (4, "A"), (5, "Indikator")}
    assert not services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    assert len(_links(world)) == 10  # nothing written


def test_a_matrix_changed_after_the_preview_is_not_overwritten(world, tmp_path):
    path = csv_file(tmp_path / "m.csv", [["Indikator", "Kode Unit"], ["1", "B"]])
    batch = preview(world.koordinator, "assignment", path, period_id=world.period.pk)
    unit_c = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    AnswerUnit.objects.create(answer=world.answer("2"), unit=unit_c)
    outcome = services.import_apply(actor=world.koordinator, batch_id=batch.pk)
    assert not outcome.applied
    assert ("2", "C") in _links(world) and ("1", "A") in _links(world)


@pytest.mark.parametrize("persona", ["operator", "asesor_internal", "pimpinan", "admin"])
def test_only_who_assigns_units_may_import_the_matrix(world, tmp_path, persona):
    path = csv_file(tmp_path / "m.csv", [["Indikator", "Kode Unit"], ["1", "B"]])
    with pytest.raises(Forbidden):
        preview(world.personas()[persona], "assignment", path, period_id=world.period.pk)

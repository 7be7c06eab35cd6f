"""Helpers for the reports tests: a period with something in every column, and reading the
workbooks back with openpyxl."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from monev.evaluations import services
from monev.evaluations.models import AssessorPass, Comment
from monev.evidence.models import Evidence, EvidenceLink
from monev.monitoring.services import snapshot_take
from monev.planning import services as planning_services

TEXT = "Perwal 12/2024 tentang SPBE."
NOW = datetime(2025, 7, 22, 9, 0, tzinfo=UTC)  # inside the world's self-assessment window
DEADLINE = datetime(2025, 8, 18, 16, 59, tzinfo=UTC)


def set_levels(world, level: str = "2", numbers=None) -> None:
    for answer in world.period.answers.order_by("position"):
        if numbers is not None and answer.indicator not in numbers:
            continue
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(level),
            explanation=f"{TEXT} Indikator {answer.indicator}.",
            now=NOW,
        )


def populate(world) -> None:
    """Levels on every indicator, evidence on 1 (a regulation at levels 1-2, an application
    link), a comment on 2, the document-review pass on 3, a Triwulan snapshot, the evidence
    deadline and a plan whose action items fall to units A and B."""
    set_levels(world, "2")
    services.milestone_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        kind="evidence_deadline",
        due_at=DEADLINE,
    )
    regulation = Evidence.objects.create(
        institution=world.institution,
        title="Perwal SPBE",
        kind=Evidence.Kind.REGULATION,
        document_number="12/2024",
        document_date=date(2024, 3, 1),
        unit=world.unit_a,
    )
    application = Evidence.objects.create(
        institution=world.institution,
        title="Aplikasi SSO",
        kind=Evidence.Kind.APP_LINK,
        url="https://sso.contoh.go.id/",
        unit=world.unit_a,
    )
    answer_1 = world.answer("1")
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(answer=answer_1, evidence=regulation, level=1),
            EvidenceLink(answer=answer_1, evidence=regulation, level=2),
            EvidenceLink(answer=answer_1, evidence=application, level=2),
        ]
    )
    Comment.objects.create(
        answer=world.answer("2"), author=world.asesor_internal, body="Lengkapi SK tim."
    )
    AssessorPass.objects.create(
        answer=world.answer("3"),
        stage=AssessorPass.Stage.DOCUMENT,
        level=Decimal("3"),
        notes="Dokumen lengkap.",
        institution_response="Kami setuju.",
        assessor=world.asesor_eksternal,
    )
    snapshot_take(actor=world.koordinator, period_id=world.period.pk, label="Triwulan I", now=NOW)
    others = [str(n) for n in range(11, 48)]
    planning_services.plan_create(
        actor=world.koordinator,
        period_id=world.period.pk,
        target=Decimal("2.10"),
        locked=others,
        now=NOW,
    )


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def header(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def rows(sheet) -> list[dict]:
    """The sheet's rows below the header as dicts by header."""
    names = header(sheet)
    return [
        dict(zip(names, values, strict=False))
        for values in sheet.iter_rows(min_row=2, values_only=True)
    ]


def cell(sheet, row: dict, column: str):
    """The cell of `column` in the data row whose 'No. Indikator' is row's."""
    names = header(sheet)
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == row:
            return cells[names.index(column)]
    raise KeyError(row)


def other_period(world, level: str = "3", kind: str = "evaluasi"):
    """An spbe-2020 period of 2025 in the other institution (its koordinator is the outsider),
    every level set; the world's external assessor is assigned there too."""
    from monev.institutions.models import Membership, Role

    Membership.objects.get_or_create(
        user=world.asesor_eksternal,
        institution=world.other_institution,
        role=Role.ASESOR_EKSTERNAL,
    )
    period = services.period_create(
        actor=world.outsider,
        institution_id=world.other_institution.pk,
        year=2025,
        kind=kind,
        instrument="spbe-2020",
    )
    period.answers.update(level=Decimal(level), explanation=TEXT)
    return period

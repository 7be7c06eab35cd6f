"""Per-unit task lists ("Tugas Unit"): one sheet per perangkat daerah / unit kerja, for its head
to print - the indicators the unit answers for, the level it has now, the level it owes (the
active plan's action items), the evidence still missing (the readiness checks) and the due
dates. A first sheet "Ringkasan" sums them up unit by unit.

An operator's workbook holds only their own unit(s); a coordinator's every unit, and a sheet
of the indicators no unit answers for yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from monev.evaluations.models import Answer, Milestone, Period
from monev.evaluations.selectors import AnswerRow, period_overview
from monev.evidence.readiness import Severity, period_readiness
from monev.institutions.clock import now_for
from monev.institutions.models import Unit
from monev.institutions.permissions import Access
from monev.planning.models import ActionItem, Plan
from monev.reports.common import item_names
from monev.reports.workbook import (
    DATE_FORMAT,
    LEGEND_SHEET,
    Book,
    Column,
    indicator_level_column,
    sheet_name,
)

Status = Answer.Status
OPEN_STATUSES = (Status.DRAFT, Status.RETURNED)
NO_UNIT_SHEET = "Tanpa Unit"

COLUMNS = (
    Column("No. Indikator", 10, "Nomor indikator dalam instrumen."),
    Column("Indikator", 44, "Nama indikator.", wrap=True),
    Column("Aspek", 24, "Aspek indikator.", wrap=True),
    Column("Status", 14, "Status jawaban saat ini."),
    indicator_level_column(
        "Tingkat Saat Ini", "Tingkat penilaian mandiri yang tersimpan sekarang."
    ),
    indicator_level_column(
        "Tingkat yang Harus Dicapai",
        "Tingkat yang harus dicapai unit menurut butir rencana aktif yang masih terbuka "
        "(kosong bila rencana tidak meminta kenaikan).",
    ),
    Column(
        "Tenggat",
        12,
        "Tenggat terdekat: butir rencana yang terbuka, atau tenggat data dukung / penutupan "
        "penilaian mandiri periode bila jawaban belum diajukan.",
        DATE_FORMAT,
    ),
    Column(
        "Data Dukung yang Kurang",
        60,
        "Temuan pemeriksaan kesiapan data dukung (kesalahan dan peringatan) yang akan ditolak "
        "asesor bila tidak diperbaiki.",
        wrap=True,
    ),
    Column("Yang Harus Dilakukan", 36, "Ringkasan tindakan untuk unit.", wrap=True),
    Column("Unit Lain", 24, "Unit lain yang juga bertanggung jawab atas indikator ini.", wrap=True),
)

SUMMARY_COLUMNS = (
    Column("Kode Unit", 10, "Kode unit."),
    Column("Unit", 36, "Nama perangkat daerah / unit kerja.", wrap=True),
    Column("Lembar", 24, "Nama lembar daftar tugas unit dalam berkas ini."),
    Column("Indikator", 10, "Jumlah indikator yang menjadi tanggung jawab unit.", "0"),
    Column("Belum Diajukan", 12, "Jawaban berstatus draf atau dikembalikan.", "0"),
    Column("Data Dukung Kurang", 12, "Jawaban dengan temuan kesalahan data dukung.", "0"),
    Column("Butir Rencana Terbuka", 12, "Butir rencana aktif yang belum selesai.", "0"),
    Column("Tenggat Terdekat", 14, "Tenggat terdekat di antara tugas unit.", DATE_FORMAT),
)


@dataclass
class Owed:
    level: int | None = None  # the highest level still owed by open action items
    due: date | None = None  # their soonest due date
    count: int = 0


@dataclass
class UnitList:
    unit: Unit | None
    rows: list[list] = field(default_factory=list)
    open_answers: int = 0
    missing_evidence: int = 0
    open_items: int = 0
    due: date | None = None
    sheet: str = ""  # the name of its sheet


def _period_deadline(milestones: list[Milestone]) -> date | None:
    due = {m.kind: m.due_at for m in milestones}
    for kind in (Milestone.Kind.EVIDENCE_DEADLINE, Milestone.Kind.SELF_ASSESSMENT_CLOSE):
        if kind in due:
            return timezone.localdate(due[kind])
    return None


def _owed(period: Period, access: Access) -> dict[tuple[int, int | None], Owed]:
    """(answer id, unit id) -> what the active plan's open action items ask (one query)."""
    items = ActionItem.objects.filter(
        plan__period=period, plan__status=Plan.Status.ACTIVE, status=ActionItem.Status.OPEN
    ).order_by()
    if access.is_operator_only:
        items = items.filter(unit_id__in=access.unit_ids)
    owed: dict[tuple[int, int | None], Owed] = {}
    for answer_id, unit_id, to_level, due in items.values_list(
        "answer_id", "unit_id", "to_level", "due_date"
    ):
        entry = owed.setdefault((answer_id, unit_id), Owed())
        entry.level = max(entry.level or 0, to_level)
        entry.due = min(entry.due, due) if entry.due and due else (entry.due or due)
        entry.count += 1
    return owed


def _todo(row: AnswerRow, owed: Owed | None, problems: list[str]) -> str:
    answer = row.answer
    things = []
    if answer.status == Status.RETURNED:
        things.append("Perbaiki jawaban yang dikembalikan dan ajukan lagi.")
    elif answer.status == Status.DRAFT:
        things.append(
            "Isi tingkat dan penjelasan, lalu ajukan."
            if answer.level is None
            else "Ajukan jawaban."
        )
    if owed and owed.level:
        things.append(f"Naikkan ke tingkat {owed.level} sesuai rencana.")
    if problems:
        things.append("Lengkapi data dukung.")
    return "\n".join(things)


def _soonest(*dates: date | None) -> date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def build(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    now = now or now_for(period.institution)
    overview = period_overview(period, access, now=now)
    instrument = overview.instrument
    checks = period_readiness(period.pk, now=now)
    owed = _owed(period, access)
    deadline = _period_deadline(overview.milestones)
    lists: dict[int | None, UnitList] = {}
    for row in overview.rows:
        answer = row.answer
        names = item_names(instrument, row.item)
        problems = [
            c.message
            for c in checks.get(answer.pk, [])
            if c.severity in (Severity.ERROR, Severity.WARNING)
        ]
        errors = any(c.severity == Severity.ERROR for c in checks.get(answer.pk, []))
        units = row.units or [None]
        for unit in units:
            if unit is not None and access.is_operator_only and unit.pk not in access.unit_ids:
                continue
            unit_id = unit.pk if unit else None
            entry = lists.setdefault(unit_id, UnitList(unit))
            unit_owed = owed.get((answer.pk, unit_id))
            open_answer = answer.status in OPEN_STATUSES
            due = _soonest(unit_owed.due if unit_owed else None, deadline if open_answer else None)
            entry.rows.append(
                [
                    answer.indicator,
                    names.indicator,
                    names.aspect,
                    answer.get_status_display(),
                    answer.level,
                    unit_owed.level if unit_owed else None,
                    due,
                    "\n".join(problems),
                    _todo(row, unit_owed, problems),
                    "\n".join(u.name for u in row.units if u is not unit),
                ]
            )
            entry.open_answers += open_answer
            entry.missing_evidence += errors
            entry.open_items += unit_owed.count if unit_owed else 0
            entry.due = _soonest(entry.due, due)
    ordered = sorted(lists.values(), key=lambda e: (e.unit is None, e.unit.code if e.unit else ""))
    institution = period.institution
    book = Book(
        f"Daftar Tugas Unit {institution.name} {period.year}",
        subject=f"{instrument.index_name} ({period.instrument_reference})",
        description=f"{period.get_kind_display()} {period.year}",
        provisional=instrument.provisional,
    )
    # Name every unit's sheet first, so the summary can say where each list is.
    taken: list[str] = ["Ringkasan", LEGEND_SHEET]
    for entry in ordered:
        wanted = (entry.unit.short_name or entry.unit.code) if entry.unit else NO_UNIT_SHEET
        entry.sheet = sheet_name(wanted, taken)
        taken.append(entry.sheet)
    book.sheet(
        "Ringkasan",
        SUMMARY_COLUMNS,
        [
            [
                entry.unit.code if entry.unit else "",
                entry.unit.name if entry.unit else "Indikator tanpa unit penanggung jawab",
                entry.sheet,
                len(entry.rows),
                entry.open_answers,
                entry.missing_evidence,
                entry.open_items,
                entry.due,
            ]
            for entry in ordered
        ],
        about="Satu baris per unit: jumlah tugasnya dan lembar daftar tugasnya.",
    )
    for number, entry in enumerate(ordered):
        title = entry.unit.name if entry.unit else "Indikator tanpa unit penanggung jawab"
        book.sheet(
            entry.sheet,
            COLUMNS,
            entry.rows,
            about=f"Daftar tugas: {title}."
            + (" Semua lembar unit memakai kolom yang sama." if number == 0 else ""),
            print_header=f"{title} - {institution.name} {period.year}",
            explain_columns=number == 0,
        )
    if not ordered:
        book.sheet("Tugas", COLUMNS, [], about="Tidak ada indikator yang menjadi tugas unit.")
    return book.to_bytes()

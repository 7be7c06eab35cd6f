"""The institution-wide readiness as a workbook (.xlsx): one row per check, per unit, the way the
reports write theirs (monev.reports.workbook, which this app sits below): a bold header row
that stays in view, column widths, an autofilter, wrapped messages, and a "Keterangan" sheet
explaining the columns. Headers are in Bahasa Indonesia whatever the UI language, as in every
export; the messages are in the language of the request, as on the page.

Every text cell goes through keep_text: a title or unit name typed as "=..." stays text."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from monev.evidence.readiness_report import PeriodReadiness
from monev.lib.public_url import public_url
from monev.lib.spreadsheets import keep_text

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREATOR = "Monev SPBE"
SHEET = "Kesiapan Data Dukung"
LEGEND_SHEET = "Keterangan"
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(vertical="top", wrap_text=True)
SEVERITY_NAMES = {"error": "Kesalahan", "warning": "Peringatan"}

# (header, width, wrapped, explanation)
COLUMNS = (
    ("Kode Unit", 10, False, "Kode unit penanggung jawab (kosong: indikator tanpa unit)."),
    ("Unit", 32, True, "Nama perangkat daerah / unit kerja penanggung jawab."),
    ("No. Indikator", 10, False, "Nomor indikator dalam instrumen."),
    ("Indikator", 40, True, "Nama indikator."),
    ("Status", 14, False, "Status jawaban saat ini."),
    ("Tingkat", 8, False, "Tingkat penilaian mandiri yang diklaim."),
    ("Tingkat Keparahan", 12, False, "Kesalahan: asesor akan menolak; Peringatan: periksa."),
    ("Kode Pemeriksaan", 22, False, "Kode pemeriksaan kesiapan (docs/evidence.md)."),
    ("Temuan", 70, True, "Apa yang kurang dan apa yang harus dilakukan."),
    ("Tautan", 40, False, "Alamat halaman jawaban di aplikasi."),
)


def _clean(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _cell(sheet, value, *, wrap=False, header=False):
    cell = WriteOnlyCell(sheet, _clean(value))
    keep_text(cell)
    if header:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    elif wrap:
        cell.alignment = WRAP
    return cell


def _layout(sheet, columns) -> None:
    for number, (_header, width, *_rest) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def answer_address(answer_id: int) -> str:
    """The answer's page at the configured public address (MONEV_BASE_URL)."""
    return public_url(reverse("answers:detail", args=[answer_id]))


def rows(report: PeriodReadiness) -> list[list]:
    """One row per check, per unit listing the answer (the page's order)."""
    lines = []
    for group in report.groups:
        unit = group.unit
        for entry in group.answers:
            answer = entry.answer
            level = answer.level
            shown = None if level is None else (int(level) if level == int(level) else level)
            for check in entry.checks:
                lines.append(
                    [
                        unit.code if unit else "",
                        unit.name if unit else "Tanpa unit penanggung jawab",
                        answer.indicator,
                        entry.item.name,
                        str(answer.get_status_display()),
                        shown,
                        SEVERITY_NAMES.get(check.severity, check.severity),
                        check.code,
                        check.message,
                        answer_address(answer.pk),
                    ]
                )
    return lines


def filename(report: PeriodReadiness) -> str:
    period = report.period
    return f"kesiapan-data-dukung-{period.institution.code}-{period.year}.xlsx"


def build(report: PeriodReadiness) -> bytes:
    period = report.period
    book = Workbook(write_only=True)
    title = f"Kesiapan Data Dukung {period.institution.name} {period.year}"
    book.properties.title = title
    book.properties.creator = CREATOR
    book.properties.lastModifiedBy = CREATOR
    sheet = book.create_sheet(SHEET)
    _layout(sheet, COLUMNS)
    lines = rows(report)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(lines) + 1}"
    sheet.append([_cell(sheet, header, header=True) for header, *_rest in COLUMNS])
    for line in lines:
        sheet.append(
            [
                _cell(sheet, value, wrap=column[2])
                for value, column in zip(line, COLUMNS, strict=True)
            ]
        )
    legend_columns = (("Kolom", 24, False, ""), ("Keterangan", 100, True, ""))
    legend = book.create_sheet(LEGEND_SHEET)
    _layout(legend, legend_columns)
    legend.append([_cell(legend, header, header=True) for header, *_rest in legend_columns])
    made = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    severity = SEVERITY_NAMES.get(report.severity or "", "Kesalahan dan peringatan")
    totals = report.totals
    notes = [
        ("", f"{title}. Dibuat oleh {CREATOR} pada {made}."),
        (
            "",
            f"Tingkat keparahan: {severity}. Kesalahan: {totals.errors}; "
            f"peringatan: {totals.warnings}.",
        ),
        *[(header, explanation) for header, _w, _wrap, explanation in COLUMNS],
    ]
    for name, text in notes:
        legend.append([_cell(legend, name), _cell(legend, text, wrap=True)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

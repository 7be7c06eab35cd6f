"""Every export of a period, by kind: what it is, its builder, file name, content type and the
capability it needs. The pages, the API and `monev export` all go through `export_period` and
`export_institutions`, so each checks the same permission and writes the same bytes.

Builders take (period, access, now=) and return the file's bytes; they read only what the
access may see (an operator's workbooks hold only their own units' indicators).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import Period
from monev.institutions.access import require
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import NotFound
from monev.reports import institutions, recap, self_assessment, units
from monev.reports.workbook import CONTENT_TYPE as XLSX

PDF = "application/pdf"
Builder = Callable[..., bytes]


def _pdf_report(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    from monev.reports.pdf import period_report_pdf  # WeasyPrint loads only when asked

    return period_report_pdf(period, access, now=now)


def _pdf_summary(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    from monev.reports.pdf import period_summary_pdf

    return period_summary_pdf(period, access, now=now)


def _pdf_report_name(period: Period) -> str:
    from monev.reports.pdf import pdf_filename

    return pdf_filename(period)


def _pdf_summary_name(period: Period) -> str:
    from monev.reports.pdf import pdf_filename

    return pdf_filename(period, summary=True)


@dataclass(frozen=True)
class Export:
    kind: str
    label: str  # lazy
    purpose: str  # lazy: one sentence on what it is for, shown on the reports page
    build: Builder
    prefix: str  # of the file name
    extension: str
    content_type: str
    capability: Capability = Capability.VIEW
    name: Callable[[Period], str] | None = None  # the file name, where not prefix-code-year

    def filename(self, period: Period) -> str:
        if self.name is not None:
            return self.name(period)
        institution = period.institution
        name = slugify(institution.code or institution.name) or "instansi"
        return f"{self.prefix}-{name}-{period.year}.{self.extension}"

    @property
    def is_workbook(self) -> bool:
        return self.extension == "xlsx"


EXPORTS: dict[str, Export] = {
    export.kind: export
    for export in (
        Export(
            "self-assessment",
            _("Self-assessment workbook (Penilaian Mandiri)"),
            _(
                "Every indicator in the instrument's order with its level at each stage, "
                "penjelasan, data dukung, responsible units and reviewers' notes: enter it "
                "line by line into the ministry's evaluation application, or import it into "
                "next year's period."
            ),
            self_assessment.build,
            "penilaian-mandiri",
            "xlsx",
            XLSX,
        ),
        Export(
            "units",
            _("Task lists per unit"),
            _(
                "One sheet per unit kerja to print for its head: the indicators it answers "
                "for, the level it has and the level it owes, the data dukung still missing, "
                "and the due dates."
            ),
            units.build,
            "tugas-unit",
            "xlsx",
            XLSX,
        ),
        Export(
            "recap",
            _("Score recap"),
            _(
                "The index and predicate, domain, aspect and indicator scores at every stage, "
                "and per Triwulan from the snapshots: for the coordinator's own analysis."
            ),
            recap.build,
            "rekap-nilai",
            "xlsx",
            XLSX,
        ),
        Export(
            "pdf",
            _("Report for leadership (PDF)"),
            _("The full report for the leadership: index, charts, gaps, plan and progress."),
            _pdf_report,
            "laporan",
            "pdf",
            PDF,
            name=_pdf_report_name,
        ),
        Export(
            "summary-pdf",
            _("One-page summary (PDF)"),
            _("The one-page summary of the index and what to do next."),
            _pdf_summary,
            "ringkasan",
            "pdf",
            PDF,
            name=_pdf_summary_name,
        ),
    )
}
WORKBOOK_KINDS = tuple(kind for kind, export in EXPORTS.items() if export.is_workbook)
INSTITUTIONS_KIND = "institutions"
INSTITUTIONS_FILENAME = "rekap-instansi-{instrument}-{year}.xlsx"


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_of(kind: str) -> Export:
    export = EXPORTS.get(kind)
    if export is None:
        known = ", ".join(EXPORTS)
        raise NotFound(
            _("Unknown export %(kind)s; known: %(known)s.") % {"kind": kind, "known": known}
        )
    return export


def export_period(
    period: Period, access: Access, kind: str, *, now: datetime | None = None
) -> ExportFile:
    """The export `kind` of the period, if the access allows it (Forbidden otherwise)."""
    export = export_of(kind)
    require(access, export.capability)
    content = export.build(period, access, now=now)
    return ExportFile(export.filename(period), export.content_type, content)


def export_institutions(
    access_or_user, year, instrument_id, *, now: datetime | None = None
) -> ExportFile:
    """The evaluator's recap over the institutions the user (or the system) may view."""
    year, instrument_id = institutions.check_arguments(year, instrument_id)
    recap = institutions.institutions_recap(access_or_user, year, instrument_id)
    content = institutions.build(recap, now=now)
    name = INSTITUTIONS_FILENAME.format(instrument=slugify(instrument_id), year=year)
    return ExportFile(name, XLSX, content)

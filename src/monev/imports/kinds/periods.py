"""Periods in bulk: institution code, year, kind (evaluasi / pemantauan), instrument (e.g.
pemdi-2026), optional target and the dates of the main milestones. Each new period is created
through `period_create`, so it gets its answers and its `period.create` audit event as from
the page; a row without dates starts from the instrument's default schedule (pemdi-2026: the
national schedule), a row with dates has only those. A period that already exists (same
institution, year and kind) is reported unchanged and left alone: change its settings on its
own page. Rows of institutions outside the importer's evaluator scope are rejected."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.engine import score_problem
from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Milestone, Period
from monev.evaluations.period_instrument import resolve_instrument
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.kinds.evaluator import institution_and_year, institutions_by_code
from monev.imports.parsing import parse_decimal
from monev.imports.report import Action, Report
from monev.institutions.permissions import Capability
from monev.instruments.selectors import schedule_milestones
from monev.lib.errors import DomainError, InvalidInput

K = Milestone.Kind
MILESTONES = {
    K.SELF_ASSESSMENT_OPEN: ("Penilaian Mandiri Dibuka", "Mandiri Dibuka", "Self-assessment opens"),
    K.SELF_ASSESSMENT_CLOSE: (
        "Penilaian Mandiri Ditutup",
        "Mandiri Ditutup",
        "Batas Penilaian Mandiri",
        "Self-assessment closes",
    ),
    K.EVIDENCE_DEADLINE: ("Batas Data Dukung", "Evidence deadline"),
    K.DOCUMENT_REVIEW: ("Penilaian Dokumen", "Document review"),
    K.INTERVIEW: ("Penilaian Interviu", "Interviu", "Interview"),
    K.VISITATION: ("Visitasi", "Site visit"),
    K.ANNOUNCEMENT: ("Pengumuman", "Pengumuman Hasil", "Announcement"),
}
COLUMNS = Columns(
    aliases={
        "institution": ("Kode Instansi", "Instansi", "Institution code", "Institution"),
        "year": ("Tahun", "Year"),
        "kind": ("Jenis Periode", "Jenis", "Period kind", "Kind"),
        "instrument": ("Instrumen", "Instrument"),
        "target": ("Target Indeks", "Target", "Target index"),
        **{str(kind): aliases for kind, aliases in MILESTONES.items()},
    },
    required=("institution", "year", "kind", "instrument"),
)
KIND_NAMES = {
    "evaluasi": Period.Kind.EVALUASI,
    "evaluation": Period.Kind.EVALUASI,
    "pemantauan": Period.Kind.PEMANTAUAN,
    "monitoring": Period.Kind.PEMANTAUAN,
}
# A date without a time (or an Excel date cell, read as midnight) means this local time:
# the default of the milestone form, the end of an office day.
DEFAULT_TIME = time(16, 0)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d-%m-%Y %H:%M")


def parse_when(text: str) -> datetime | None:
    """A milestone date as people (and Excel) write it, made aware in the local time zone."""
    text = text.strip()
    text = re.sub(r"(T| )(\d{1,2}:\d{2}):\d{2}(\.\d+)?$", r"\1\2", text)  # drop seconds
    moment = None
    for pattern in DATETIME_FORMATS:
        try:
            moment = datetime.strptime(text, pattern)  # noqa: DTZ007 - made aware below
            break
        except ValueError:
            continue
    if moment is not None and moment.time() == time(0, 0):
        moment = datetime.combine(moment.date(), DEFAULT_TIME)  # an Excel date cell
    if moment is None:
        for pattern in DATE_FORMATS:
            try:
                day: date = datetime.strptime(text, pattern).date()  # noqa: DTZ007
            except ValueError:
                continue
            moment = datetime.combine(day, DEFAULT_TIME)
            break
    if moment is None:
        return None
    return timezone.make_aware(moment, timezone.get_current_timezone())


class PeriodsImport(ImportKind):
    name = "periods"
    scope = "evaluator"
    many_institutions = True
    page = "evaluator_imports:page"
    title = _("Periods")
    description = _(
        "New evaluation or monitoring periods per institution and year, with the instrument, "
        "the target and the dates of the main milestones. Existing periods are left as they are."
    )
    capability = Capability.MANAGE_ASSESSORS
    template_sheets = [
        (
            "Periode",
            [
                "Kode Instansi",
                "Tahun",
                "Jenis",
                "Instrumen",
                "Target",
                "Penilaian Mandiri Dibuka",
                "Penilaian Mandiri Ditutup",
                "Batas Data Dukung",
                "Penilaian Dokumen",
                "Interviu",
                "Visitasi",
                "Pengumuman",
            ],
            [
                [
                    "kota-contoh",
                    "2026",
                    "evaluasi",
                    "pemdi-2026",
                    "3,00",
                    "2026-06-15",
                    "2026-07-31",
                    "2026-07-31",
                    "2026-08-31",
                    "2026-09-30",
                    "",
                    "2026-12-10",
                ]
            ],
        )
    ]

    def extract(self, sheets):
        found = COLUMNS.find(sheets)
        if found is None:
            return [], [no_header('"Kode Instansi", "Tahun", "Jenis", "Instrumen"')], {}
        sheet, header = found
        layout = {"labels": header.labels, "sheet": sheet.name, "has": sorted(header.columns)}
        return rows_below(sheet, header, COLUMNS.fields), [], layout

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        by_code, in_scope = institutions_by_code(context)
        label = {name: labels(layout, name, name) for name in COLUMNS.fields}
        sheet = layout.get("sheet", "")
        existing = set(Period.objects.values_list("institution_id", "year", "kind"))
        now = timezone.now()
        instruments: dict[str, tuple] = {}
        seen: dict[tuple, int] = {}
        for row in rows:
            line = row["_row"]

            def reject(column: str, message, line=line) -> None:
                report.reject(line, label[column], message, sheet)

            institution = by_code.get(row["institution"].strip().casefold())
            found = institution_and_year(row, institution, in_scope, reject)
            if found is None:
                continue
            institution, year = found
            kind = KIND_NAMES.get(row["kind"].strip().casefold())
            if kind is None:
                reject("kind", _("The kind is evaluasi or pemantauan."))
                continue
            reference = row["instrument"].strip()
            if reference not in instruments:
                try:
                    instruments[reference] = resolve_instrument(reference)
                except InvalidInput as error:
                    instruments[reference] = (None, str(error.message))
            instrument, _sha = instruments[reference]
            if instrument is None:
                reject("instrument", _("Unknown instrument: %(ref)s") % {"ref": reference[:60]})
                continue
            target = None
            target_text = row.get("target", "").strip()
            if target_text:
                target = parse_decimal(target_text)
                problem = (
                    score_problem(instrument, target)
                    if target is not None
                    else _("“%(text)s” is not a number.") % {"text": target_text[:20]}
                )
                if problem:
                    reject("target", problem)
                    continue
            milestones: dict[str, str] = {}
            bad = None
            for milestone_kind in MILESTONES:
                text = row.get(str(milestone_kind), "").strip()
                if not text:
                    continue
                when = parse_when(text)
                if when is None:
                    bad = (
                        str(milestone_kind),
                        _("“%(text)s” is not a date (write 2026-07-31 or 31/07/2026).")
                        % {"text": text[:30]},
                    )
                    break
                milestones[str(milestone_kind)] = when.isoformat()
            if bad:
                reject(*bad)
                continue
            opens = milestones.get(K.SELF_ASSESSMENT_OPEN)
            closes = milestones.get(K.SELF_ASSESSMENT_CLOSE)
            if opens and closes and datetime.fromisoformat(closes) <= datetime.fromisoformat(opens):
                reject(
                    str(K.SELF_ASSESSMENT_CLOSE),
                    _("The self-assessment must close after it opens."),
                )
                continue
            key = (institution.pk, year, kind)
            if key in seen:
                reject(
                    "year",
                    _("The same institution, year and kind are already in row %(row)d.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = line
            subject = f"{institution.name} {Period.Kind(kind).label} {year}"
            if key in existing:
                report.change(
                    line,
                    Action.UNCHANGED,
                    subject,
                    note=str(_("The period exists; change its settings on its page.")),
                )
                continue
            if milestones:
                planned = str(_("%(count)d milestones") % {"count": len(milestones)})
            elif ahead := [m for m in schedule_milestones(instrument, year) if m[1] > now]:
                # No dates in the row: the service starts the period from the schedule's
                # milestones still ahead.
                planned = str(
                    _("%(count)d milestones from the instrument's schedule") % {"count": len(ahead)}
                )
            else:
                planned = ""
            shown = ", ".join(
                filter(
                    None,
                    [
                        f"{instrument.id}@{instrument.version}",
                        f"target {target}" if target is not None else "",
                        planned,
                    ],
                )
            )
            report.change(
                line,
                Action.CREATE,
                subject,
                after=shown,
                note=str(_("Provisional instrument.")) if instrument.provisional else "",
                data={
                    "institution_id": institution.pk,
                    "year": year,
                    "kind": kind,
                    "instrument": reference,
                    "target": str(target) if target is not None else None,
                    "milestones": milestones,
                },
            )

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        from decimal import Decimal

        failures = []
        for change in report.writes:
            data = change.data
            try:
                evaluation_services.period_create(
                    actor=context.actor,
                    institution_id=data["institution_id"],
                    year=data["year"],
                    kind=data["kind"],
                    instrument=data["instrument"],
                    target=Decimal(data["target"]) if data["target"] is not None else None,
                    milestones={
                        k: datetime.fromisoformat(v) for k, v in data["milestones"].items()
                    },
                )
            except DomainError as error:
                failures.append((change.row, "", str(error.message)))
        return failures

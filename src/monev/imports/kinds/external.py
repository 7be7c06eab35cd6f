"""Results of other agencies' indices for the imported indicators (pemdi-2026 5, 6, 7, 18):
one row per institution, indicator and data year, so an evaluator loads the SDI of hundreds of
institutions from one file. Each row names its institution by code or full name; a row of an
institution the importer may not record for (not its koordinator, outside its evaluator scope)
is rejected. Written through monev.external.services.result_record (a new result per row:
the history stays; the answers of the institution's periods take the value)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from monev.external import services
from monev.external.models import ExternalResult
from monev.external.selectors import DEFAULT_INSTRUMENT, can_record, latest_instrument
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.parsing import parse_decimal, parse_int
from monev.imports.report import Action, Report
from monev.institutions.access import scope_filter
from monev.institutions.models import Institution, Membership
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import DomainError

COLUMNS = Columns(
    aliases={
        "institution": ("Kode Instansi", "Instansi", "Institution code", "Institution", "Kode"),
        "indicator": ("Indikator", "No. Indikator", "Nomor Indikator", "Indicator"),
        "data_year": ("Tahun Data", "Tahun", "Data year", "Year"),
        "source_value": ("Nilai Sumber", "Nilai Indeks", "Nilai SDI", "Source value"),
        "value": ("Nilai Indikator", "Indicator value"),
        "source": ("Sumber/Keterangan", "Sumber", "Keterangan", "Source", "Note"),
    },
    required=("institution", "indicator", "data_year"),
    any_of=("source_value", "value"),
)


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://")) and " " not in text


def _number(value) -> str:
    return "" if value is None else services.number_text(Decimal(value))


class ExternalImport(ImportKind):
    name = "external"
    scope = "institution"
    # The rows name their institutions: the import needs no target institution (the evaluator
    # of a province or the nation loads many at once), and each row is checked on its own.
    many_institutions = True
    page = "external_imports:page"
    title = _("External values (SDI, SJIG, statistics index)")
    description = _(
        "Results of other agencies' indices for the imported indicators, one row per "
        "institution, indicator and data year. A row names its institution by code or full name."
    )
    capability = Capability.MANAGE_ASSESSORS
    template_sheets = [
        (
            "Nilai Eksternal",
            [
                "Kode Instansi",
                "Indikator",
                "Tahun Data",
                "Nilai Sumber",
                "Nilai Indikator",
                "Sumber/Keterangan",
            ],
            [
                ["kota-contoh", "5", "2025", "68,75", "", "Hasil Evaluasi SDI 2025 (Bappenas)"],
                ["kota-contoh", "7", "2025", "", "2,60", "https://ips.bps.go.id/…"],
            ],
        )
    ]

    def permits(self, access: Access) -> bool:
        return can_record(access)

    def extract(self, sheets):
        found = COLUMNS.find(sheets)
        if found is None:
            return (
                [],
                [no_header('"Kode Instansi", "Indikator", "Tahun Data", "Nilai Sumber"')],
                {},
            )
        sheet, header = found
        layout = {"labels": header.labels, "sheet": sheet.name, "has": sorted(header.columns)}
        return rows_below(sheet, header, COLUMNS.fields), [], layout

    def _allowed(self, context: Context) -> set[int] | None:
        """The institutions the importer may record for (None: all, the system)."""
        if context.is_system:
            return None
        actor = context.actor
        grouped: dict[int, list] = {}
        for membership in Membership.objects.filter(user=actor).only(
            "institution_id", "role", "unit_id"
        ):
            grouped.setdefault(membership.institution_id, []).append(membership)
        allowed = {pk for pk, ms in grouped.items() if can_record(Access(ms))}
        if getattr(actor, "evaluator_scope", ""):
            allowed |= set(
                Institution.objects.filter(scope_filter(actor)).values_list("pk", flat=True)
            )
        return allowed

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        instrument = latest_instrument(DEFAULT_INSTRUMENT)
        by_code, by_name = {}, {}
        for institution in Institution.objects.only("pk", "code", "name"):
            by_code[institution.code.casefold()] = institution
            by_name[" ".join(institution.name.split()).casefold()] = institution
        allowed = self._allowed(context)
        named = {}
        for row in rows:
            text = row["institution"].strip()
            named[row["_row"]] = by_code.get(text.casefold()) or by_name.get(
                " ".join(text.split()).casefold()
            )
        latest: dict[tuple, ExternalResult] = {}
        institution_ids = {i.pk for i in named.values() if i is not None}
        existing = ExternalResult.objects.filter(
            Q(institution_id__in=institution_ids), instrument_id=instrument.id
        ).order_by("recorded_at", "pk")
        for result in existing:  # the last recorded per institution, indicator and year wins
            latest[(result.institution_id, result.indicator, result.data_year)] = result
        label = {name: labels(layout, name, name) for name in COLUMNS.fields}
        sheet = layout.get("sheet", "")
        seen: dict[tuple, int] = {}
        for row in rows:
            line = row["_row"]
            text = row["institution"].strip()
            institution = named[line]
            if not text:
                report.reject(line, label["institution"], _("The institution is empty."), sheet)
                continue
            if institution is None or (allowed is not None and institution.pk not in allowed):
                message = _(
                    "Institution “%(name)s” is not found or is outside what you may record "
                    "for (its koordinator, or an evaluator whose scope covers it)."
                )
                report.reject(line, label["institution"], message % {"name": text[:80]}, sheet)
                continue
            indicator, problem = services.indicator_problem(instrument, row["indicator"])
            if indicator is None:
                report.reject(line, label["indicator"], problem, sheet)
                continue
            numbers = {}
            bad = False
            for name in ("source_value", "value"):
                cell_text = row.get(name, "").strip()
                numbers[name] = parse_decimal(cell_text) if cell_text else None
                if cell_text and numbers[name] is None:
                    report.reject(
                        line,
                        label[name],
                        _("“%(text)s” is not a number.") % {"text": cell_text[:20]},
                        sheet,
                    )
                    bad = True
                    break
            if bad:
                continue
            source = row.get("source", "").strip()
            if len(source) > services.MAX_NOTE:
                report.reject(
                    line,
                    label["source"],
                    _("The text is longer than %(limit)d characters.")
                    % {"limit": services.MAX_NOTE},
                    sheet,
                )
                continue
            year = parse_int(row["data_year"])
            checked, problems = services.check_result(
                instrument,
                indicator,
                data_year=year,
                source_value=numbers["source_value"],
                value=numbers["value"],
                has_source=bool(source),
            )
            if checked is None:
                columns = {"source_note": "source", "data_year": "data_year"}
                first = problems[0]
                column = columns.get(first["location"], first["location"])
                report.reject(line, label.get(column, ""), first["message"], sheet)
                continue
            key = (institution.pk, indicator.number, year)
            if key in seen:
                report.reject(
                    line,
                    label["indicator"],
                    _("The same institution, indicator and data year are already in row %(row)d.")
                    % {"row": seen[key]},
                    sheet,
                )
                continue
            seen[key] = line
            url = source if _is_url(source) else ""
            note = "" if url else source
            subject = _("%(institution)s · indicator %(number)s · %(year)s") % {
                "institution": institution.name,
                "number": indicator.number,
                "year": year,
            }
            shown = (
                f"{_number(checked.source_value)} → {_number(checked.value)}"
                if checked.source_value is not None
                else _number(checked.value)
            )
            current = latest.get(key)
            if current is not None and (
                current.source_value,
                current.value,
                current.source_note,
                current.source_url,
            ) == (checked.source_value, checked.value, note, url):
                report.change(line, Action.UNCHANGED, subject, before=shown)
                continue
            data = {
                "institution_id": institution.pk,
                "indicator": indicator.number,
                "data_year": year,
                "source_value": None
                if numbers["source_value"] is None
                else str(numbers["source_value"]),
                "value": None if numbers["value"] is None else str(numbers["value"]),
                "source_note": note,
                "source_url": url,
            }
            if current is None:
                report.change(line, Action.CREATE, subject, after=shown, data=data)
            else:
                before = (
                    f"{_number(current.source_value)} → {_number(current.value)}"
                    if current.source_value is not None
                    else _number(current.value)
                )
                note_text = _("A new result; the earlier one stays in the history.")
                report.change(
                    line,
                    Action.UPDATE,
                    subject,
                    before=before,
                    after=shown,
                    note=str(note_text),
                    data=data,
                )

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        failures = []
        for change in report.writes:
            data = change.data
            try:
                services.result_record(
                    context.actor,
                    institution_id=data["institution_id"],
                    indicator=data["indicator"],
                    data_year=data["data_year"],
                    source_value=None
                    if data["source_value"] is None
                    else Decimal(data["source_value"]),
                    value=None if data["value"] is None else Decimal(data["value"]),
                    source_note=data["source_note"],
                    source_url=data["source_url"],
                    now=context.now,
                )
            except DomainError as error:
                failures.append((change.row, "", str(error.message)))
        return failures

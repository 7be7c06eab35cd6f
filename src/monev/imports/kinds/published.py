"""Published results of past years (the ministry's indices, quoted with their source). A row
names its institution by code or by its full name, so the shared reference file
(institution, year, index, predicate, note, source_url) imports as it is. Rows of institutions
the importer does not manage are rejected one by one."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import PublishedResult
from monev.imports import writes
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.parsing import parse_decimal, parse_int
from monev.imports.report import Action, Report
from monev.institutions.models import Institution, Membership
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import DomainError

COLUMNS = Columns(
    aliases={
        "institution": ("Kode Instansi", "Instansi", "Institution", "Institution code", "Kode"),
        "year": ("Tahun", "Year"),
        "index": ("Indeks", "Indeks SPBE", "Index"),
        "predicate": ("Predikat", "Predicate"),
        "instrument": ("Instrumen", "Instrument"),
        "source": ("Sumber", "Source", "source_url", "URL Sumber", "Source URL"),
        "note": ("Catatan", "Note", "Keterangan"),
        "doubtful": ("Diragukan", "Doubtful"),
    },
    required=("institution", "year", "index"),
)
YES = {"ya", "y", "yes", "1", "x", "v", "true", "benar"}
NO = {"", "tidak", "no", "n", "0", "false", "salah", "-"}
LIMITS = {"predicate": 40, "instrument": 60, "source": 500}


class PublishedImport(ImportKind):
    name = "published"
    scope = "institution"
    title = _("Published results of past years")
    description = _(
        "Indices the ministry published (per institution and year, with the source). A row "
        "names its institution by code or by full name."
    )
    capability = Capability.MANAGE_INSTITUTION
    system_needs_no_target = True
    template_sheets = [
        (
            "Hasil Terbit",
            ["Kode Instansi", "Tahun", "Indeks", "Predikat", "Instrumen", "Sumber", "Catatan"],
            [["kota-contoh", "2024", "3,50", "Sangat Baik", "spbe-2020", "https://…", ""]],
        )
    ]

    def extract(self, sheets):
        found = COLUMNS.find(sheets)
        if found is None:
            return [], [no_header('"Kode Instansi", "Tahun", "Indeks"')], {}
        sheet, header = found
        layout = {"labels": header.labels, "sheet": sheet.name, "has": sorted(header.columns)}
        return rows_below(sheet, header, COLUMNS.fields), [], layout

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        by_code, by_name = institution_lookup()
        accesses = actor_accesses(context)
        named = {}
        for row in rows:
            text = row["institution"].strip()
            named[row["_row"]] = by_code.get(text.casefold()) or by_name.get(name_key(text))
        existing = {
            (r.institution_id, r.year, r.instrument_id): r
            for r in PublishedResult.objects.filter(
                institution__in={i.pk for i in named.values() if i is not None}
            )
        }
        label = {name: labels(layout, name, name) for name in COLUMNS.fields}
        has = set(layout.get("has", []))
        sheet = layout.get("sheet", "")
        seen: dict[tuple, int] = {}
        for row in rows:
            line = row["_row"]
            institution = named[line]
            text = row["institution"].strip()
            if not text:
                report.reject(line, label["institution"], _("The institution is empty."), sheet)
                continue
            allowed = institution is not None and (
                context.is_system
                or accesses.get(institution.pk, Access(())).can(Capability.MANAGE_INSTITUTION)
            )
            if not allowed:
                message = (
                    _("Institution “%(name)s” is not found.")
                    if context.is_system
                    else _("Institution “%(name)s” is not found or you do not manage it.")
                )
                report.reject(line, label["institution"], message % {"name": text[:80]}, sheet)
                continue
            year = parse_int(row["year"])
            if year is None or not 2000 <= year <= 2100:
                report.reject(
                    line,
                    label["year"],
                    _("“%(text)s” is not a year (2000-2100).") % {"text": row["year"][:20]},
                    sheet,
                )
                continue
            index = parse_decimal(row["index"])
            if index is None or not Decimal(0) <= index <= Decimal(5):
                report.reject(
                    line,
                    label["index"],
                    _("“%(text)s” is not an index between 0 and 5.") % {"text": row["index"][:20]},
                    sheet,
                )
                continue
            if index != index.quantize(Decimal("0.01")):
                report.reject(
                    line, label["index"], _("The index has more than two decimals."), sheet
                )
                continue
            values = {
                name: row.get(name, "").strip()
                for name in ("predicate", "instrument", "source", "note")
            }
            too_long = next(
                (name for name, limit in LIMITS.items() if len(values[name]) > limit), None
            )
            if too_long:
                report.reject(
                    line,
                    label[too_long],
                    _("The text is longer than %(limit)d characters.")
                    % {"limit": LIMITS[too_long]},
                    sheet,
                )
                continue
            doubtful_text = row.get("doubtful", "").strip().casefold()
            if doubtful_text not in YES | NO:
                report.reject(
                    line, label["doubtful"], _("Write “ya” or leave the cell empty."), sheet
                )
                continue
            doubtful = doubtful_text in YES
            key = (institution.pk, year, values["instrument"])
            if key in seen:
                report.reject(
                    line,
                    label["year"],
                    _("The same institution, year and instrument are already in row %(row)d.")
                    % {"row": seen[key]},
                    sheet,
                )
                continue
            seen[key] = line
            subject = f"{institution.name} {year}" + (
                f" ({values['instrument']})" if values["instrument"] else ""
            )
            current = existing.get(key)
            wanted = {
                "index": index,
                "predicate": values["predicate"],
                "source": values["source"],
                "note": values["note"],
                "doubtful": doubtful,
            }
            if current is not None:
                # Columns the file lacks keep their stored value.
                for name, column in (
                    ("predicate", "predicate"),
                    ("source", "source"),
                    ("note", "note"),
                    ("doubtful", "doubtful"),
                ):
                    if column not in has:
                        wanted[name] = getattr(current, name)
            data = {
                "institution_id": institution.pk,
                "year": year,
                "instrument_id": values["instrument"],
                **{k: (str(v) if k == "index" else v) for k, v in wanted.items()},
            }
            shown = f"{wanted['index']:.2f} {wanted['predicate']}".strip()
            if current is None:
                report.change(line, Action.CREATE, subject, after=shown, data=data)
                continue
            if all(getattr(current, name) == value for name, value in wanted.items()):
                report.change(line, Action.UNCHANGED, subject, before=shown)
                continue
            before = f"{current.index:.2f} {current.predicate}".strip()
            report.change(line, Action.UPDATE, subject, before=before, after=shown, data=data)

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        return apply_published(context, report)


def name_key(text: str) -> str:
    """An institution's name compared without case or repeated spaces."""
    return " ".join(text.split()).casefold()


def institution_lookup() -> tuple[dict[str, Institution], dict[str, Institution]]:
    """Every institution by code and by name (both casefolded). Institutions are few
    (hundreds): one query."""
    by_code, by_name = {}, {}
    for institution in Institution.objects.only("pk", "code", "name"):
        by_code[institution.code.casefold()] = institution
        by_name[name_key(institution.name)] = institution
    return by_code, by_name


def actor_accesses(context: Context) -> dict[int, Access]:
    """The importer's access per institution from their memberships (none for the system)."""
    if context.is_system:
        return {}
    grouped: dict[int, list] = {}
    for membership in Membership.objects.filter(user=context.actor).only(
        "institution_id", "role", "unit_id"
    ):
        grouped.setdefault(membership.institution_id, []).append(membership)
    return {pk: Access(ms) for pk, ms in grouped.items()}


def apply_published(context: Context, report: Report) -> list[tuple[int, str, str]]:
    """Write the report's published results, one service call per institution."""
    by_institution: dict[int, list] = {}
    for change in report.writes:
        by_institution.setdefault(change.data["institution_id"], []).append(change)
    failures = []
    for institution_id, changes in by_institution.items():
        results = [{**change.data, "index": Decimal(change.data["index"])} for change in changes]
        try:
            writes.published_results_save(
                actor=context.actor, institution_id=institution_id, results=results
            )
        except DomainError as error:
            failures.append((changes[0].row, "", str(error.message)))
        except ValidationError as error:
            failures.append((changes[0].row, "", " ".join(error.messages)))
    return failures

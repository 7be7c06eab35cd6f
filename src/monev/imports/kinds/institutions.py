"""Institutions in bulk: code, name, short name, kind (pusat / provinsi / kabupaten / kota)
and province. A new code creates the institution; an existing code is updated only in the
cells the file fills (an empty cell, or a column the file lacks, keeps the stored value: a
file never blanks a name). A national evaluator may create and change any institution; a
province evaluator only their province and its kabupaten and kota. Written through
`institution_save` (audit events institution.create / institution.update)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from monev.assignments import services as assignment_services
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.kinds.evaluator import institutions_by_code
from monev.imports.parsing import normalise
from monev.imports.report import Action, Report
from monev.institutions.models import Institution
from monev.institutions.permissions import Capability
from monev.lib.errors import DomainError

COLUMNS = Columns(
    aliases={
        "code": ("Kode Instansi", "Kode", "Code"),
        "name": ("Nama Instansi", "Nama", "Name"),
        "short_name": ("Nama Singkat", "Singkatan", "Short name"),
        "kind": ("Jenis Instansi", "Jenis", "Kind"),
        "province": ("Provinsi", "Province"),
    },
    required=("code",),
    any_of=("name", "short_name", "kind", "province"),
)
KINDS = {
    **{normalise(kind.value): kind.value for kind in Institution.Kind},
    **{normalise(str(kind.label)): kind.value for kind in Institution.Kind},
    normalise("kab"): Institution.Kind.KABUPATEN,
    normalise("kabupaten"): Institution.Kind.KABUPATEN,
    normalise("pemerintah pusat"): Institution.Kind.PUSAT,
    normalise("kementerian"): Institution.Kind.PUSAT,
    normalise("lembaga"): Institution.Kind.PUSAT,
    normalise("pemerintah provinsi"): Institution.Kind.PROVINSI,
    normalise("pemprov"): Institution.Kind.PROVINSI,
    normalise("pemkab"): Institution.Kind.KABUPATEN,
    normalise("pemkot"): Institution.Kind.KOTA,
}
LIMITS = {"code": 60, "name": 200, "short_name": 80, "province": 80}
FIELDS = ("name", "short_name", "kind", "province")


def _spaced(text: str) -> str:
    return " ".join(text.split())


class InstitutionsImport(ImportKind):
    name = "institutions"
    scope = "evaluator"
    many_institutions = True
    page = "evaluator_imports:page"
    title = _("Institutions")
    description = _(
        "New institutions, or corrections to existing ones (by code; empty cells keep the "
        "stored value). Kind: pusat, provinsi, kabupaten or kota."
    )
    capability = Capability.MANAGE_ASSESSORS
    template_sheets = [
        (
            "Instansi",
            ["Kode", "Nama", "Nama Singkat", "Jenis", "Provinsi"],
            [
                [
                    "kab-contoh",
                    "Pemerintah Kabupaten Contoh",
                    "Kab. Contoh",
                    "kabupaten",
                    "Jawa Barat",
                ],
                ["kemen-contoh", "Kementerian Contoh", "KemenContoh", "pusat", ""],
            ],
        )
    ]

    def extract(self, sheets):
        found = COLUMNS.find(sheets)
        if found is None:
            return [], [no_header('"Kode", "Nama", "Jenis", "Provinsi"')], {}
        sheet, header = found
        layout = {"labels": header.labels, "sheet": sheet.name, "has": sorted(header.columns)}
        return rows_below(sheet, header, COLUMNS.fields), [], layout

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        by_code, _in_scope = institutions_by_code(context)
        # A province spelled as the stored institutions spell it ("jawa barat" -> "Jawa Barat").
        provinces = {
            _spaced(i.province).casefold(): i.province for i in by_code.values() if i.province
        }
        label = {name: labels(layout, name, name) for name in COLUMNS.fields}
        sheet = layout.get("sheet", "")
        seen: dict[str, int] = {}
        for row in rows:
            line = row["_row"]

            def reject(column: str, message, line=line) -> None:
                report.reject(line, label[column], message, sheet)

            code = row["code"].strip()
            values = {name: _spaced(row.get(name, "")) for name in FIELDS}
            if not code:
                reject("code", _("The institution code is empty."))
                continue
            try:
                validate_slug(code)
            except ValidationError:
                reject(
                    "code",
                    _("“%(code)s” is not a valid code: letters, digits, - and _ only.")
                    % {"code": code[:60]},
                )
                continue
            too_long = next(
                (n for n, limit in LIMITS.items() if len(values.get(n, code)) > limit), None
            )
            if too_long:
                reject(
                    too_long,
                    _("The text is longer than %(limit)d characters.")
                    % {"limit": LIMITS[too_long]},
                )
                continue
            if code.casefold() in seen:
                reject(
                    "code",
                    _("Institution %(code)s is already in row %(row)d.")
                    % {"code": code, "row": seen[code.casefold()]},
                )
                continue
            kind = None
            if values["kind"]:
                kind = KINDS.get(normalise(values["kind"]))
                if kind is None:
                    reject(
                        "kind",
                        _(
                            "The kind “%(kind)s” is not known; use pusat, provinsi, kabupaten "
                            "or kota."
                        )
                        % {"kind": values["kind"][:40]},
                    )
                    continue
            province = None
            if values["province"]:
                province = provinces.get(values["province"].casefold(), values["province"])
            existing = by_code.get(code.casefold())
            province_evaluator = (
                context.actor is not None
                and getattr(context.actor, "evaluator_scope", "") == "provinsi"
            )
            if existing is None and province is None and province_evaluator and kind != "pusat":
                province = context.actor.evaluator_province  # their own province
            wanted = {
                "name": values["name"] or None,
                "short_name": values["short_name"] or None,
                "kind": kind,
                "province": province,
            }
            if existing is None:
                if not wanted["name"]:
                    reject("name", _("A new institution needs its name."))
                    continue
                if not kind:
                    reject("kind", _("A new institution needs its kind."))
                    continue
                final = {k: v or "" for k, v in wanted.items()}
            else:
                final = {
                    k: (v if v is not None else getattr(existing, k)) for k, v in wanted.items()
                }
            if final["kind"] != Institution.Kind.PUSAT and not final["province"]:
                reject("province", _("A province, kabupaten or kota needs its province."))
                continue
            problem = assignment_services.institution_problem(
                context.actor,
                kind=final["kind"],
                province=final["province"],
                existing=existing,
            )
            if problem:
                reject("province" if existing is None else "code", problem)
                continue
            seen[code.casefold()] = line
            shown = " / ".join(
                filter(
                    None,
                    [
                        final["name"],
                        final["short_name"],
                        str(Institution.Kind(final["kind"]).label),
                        final["province"],
                    ],
                )
            )
            subject = _("Institution %(code)s") % {"code": existing.code if existing else code}
            data = {"code": existing.code if existing else code, **wanted}
            if existing is None:
                report.change(line, Action.CREATE, subject, after=shown, data=data)
                continue
            current = {k: getattr(existing, k) for k in FIELDS}
            if current == final:
                report.change(line, Action.UNCHANGED, subject, before=shown)
                continue
            before = " / ".join(
                filter(
                    None,
                    [
                        existing.name,
                        existing.short_name,
                        str(existing.get_kind_display()),
                        existing.province,
                    ],
                )
            )
            report.change(line, Action.UPDATE, subject, before=before, after=shown, data=data)

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        failures = []
        for change in report.writes:
            try:
                assignment_services.institution_save(context.actor, **change.data)
            except DomainError as error:
                failures.append((change.row, "", str(error.message)))
        return failures

"""External assessors assigned to periods in bulk: one row per institution, year and
assessor, with the aspects (a comma list; empty = every aspect). Written through
`assignment_set` (which also gives the assessor their asesor_eksternal membership). Rows of
institutions outside the importer's evaluator scope, and assessors who may not be one
(`ineligible_assessors`: a role in any institution, an evaluator scope), are rejected one by
one."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from monev.accounts.models import User
from monev.assignments import services as assignment_services
from monev.assignments.models import AssessorAssignment
from monev.evaluations.models import Period
from monev.evaluations.period_instrument import instrument_of
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.kinds.evaluator import institution_and_year, institutions_by_code
from monev.imports.report import Action, Report
from monev.institutions.models import Membership, Role
from monev.institutions.permissions import Capability
from monev.lib.errors import DomainError

COLUMNS = Columns(
    aliases={
        "institution": ("Kode Instansi", "Instansi", "Institution code", "Institution"),
        "year": ("Tahun", "Year"),
        "assessor": ("Username Asesor", "Asesor", "Username", "Assessor"),
        "aspects": ("Aspek", "Aspects", "Aspect"),
        "kind": ("Jenis Periode", "Jenis", "Period kind", "Kind"),
    },
    required=("institution", "year", "assessor"),
)


def split_aspects(text: str) -> list[str]:
    return [part.strip().upper() for part in re.split(r"[,;/\s]+", text) if part.strip()]


class AssessorAssignmentsImport(ImportKind):
    name = "assessor-assignments"
    scope = "evaluator"
    many_institutions = True
    page = "evaluator_imports:page"
    title = _("Assessor assignments")
    description = _(
        "External assessors per institution and year, with the aspects they judge (a comma "
        "list of aspect codes such as A1, A3; empty: every aspect)."
    )
    capability = Capability.MANAGE_ASSESSORS
    template_sheets = [
        (
            "Penugasan",
            ["Kode Instansi", "Tahun", "Username Asesor", "Aspek"],
            [
                ["kota-contoh", "2026", "asesor.budi", "A1, A2"],
                ["kab-lain", "2026", "asesor.sari", ""],
            ],
        )
    ]

    def extract(self, sheets):
        found = COLUMNS.find(sheets)
        if found is None:
            return [], [no_header('"Kode Instansi", "Tahun", "Username Asesor"')], {}
        sheet, header = found
        layout = {"labels": header.labels, "sheet": sheet.name, "has": sorted(header.columns)}
        return rows_below(sheet, header, COLUMNS.fields), [], layout

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        by_code, in_scope = institutions_by_code(context)
        label = {name: labels(layout, name, name) for name in COLUMNS.fields}
        sheet = layout.get("sheet", "")
        named = [by_code.get(row["institution"].strip().casefold()) for row in rows]
        ids = {i.pk for i in named if i is not None}
        periods: dict[tuple[int, int], list[Period]] = {}
        for period in Period.objects.filter(institution_id__in=ids):
            periods.setdefault((period.institution_id, period.year), []).append(period)
        usernames = {row["assessor"].strip() for row in rows}
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        ineligible = assignment_services.ineligible_assessors(users.values())
        roles: dict[tuple[int, int], set[str]] = {}
        for user_id, institution_id, role in Membership.objects.filter(
            user__in=users.values(), institution_id__in=ids
        ).values_list("user_id", "institution_id", "role"):
            roles.setdefault((user_id, institution_id), set()).add(role)
        existing = {
            (a.period_id, a.assessor_id): a
            for a in AssessorAssignment.objects.filter(
                period__institution_id__in=ids, assessor__in=users.values()
            )
        }
        seen: dict[tuple[int, int], int] = {}
        for row, institution in zip(rows, named, strict=True):
            line = row["_row"]

            def reject(column: str, message, line=line) -> None:
                report.reject(line, label[column], message, sheet)

            found = institution_and_year(row, institution, in_scope, reject)
            if found is None:
                continue
            institution, year = found
            kind = row.get("kind", "").strip().casefold()
            if kind and kind not in Period.Kind.values:
                reject("kind", _("The kind is evaluasi or pemantauan."))
                continue
            candidates = periods.get((institution.pk, year), [])
            if kind:
                period = next((p for p in candidates if p.kind == kind), None)
            else:
                period = next((p for p in candidates if p.kind == Period.Kind.EVALUASI), None)
                if period is None and len(candidates) == 1:
                    period = candidates[0]
            if period is None:
                reject(
                    "year",
                    _("%(institution)s has no evaluation period in %(year)d; create it first.")
                    % {"institution": institution.name, "year": year},
                )
                continue
            username = row["assessor"].strip()
            user = users.get(username)
            if user is None or not user.is_active:
                reject(
                    "assessor",
                    _("No active user has the username “%(name)s”.") % {"name": username[:60]},
                )
                continue
            if user.pk in ineligible:
                reject("assessor", ineligible[user.pk])
                continue
            codes = split_aspects(row.get("aspects", ""))
            known = [aspect.code for aspect in instrument_of(period).aspects]
            unknown = sorted(set(codes) - set(known))
            if unknown:
                reject(
                    "aspects",
                    _("Unknown aspect %(codes)s; the instrument has %(known)s.")
                    % {"codes": ", ".join(unknown), "known": ", ".join(known)},
                )
                continue
            codes = [code for code in known if code in codes]
            key = (period.pk, user.pk)
            if key in seen:
                reject(
                    "assessor",
                    _("The same assessor and period are already in row %(row)d.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = line
            subject = f"{institution.name} {year}: {username}"
            shown = ", ".join(codes) or str(_("all aspects"))
            data = {"period_id": period.pk, "assessor_id": user.pk, "aspects": codes}
            current = existing.get(key)
            if current is None:
                note = ""
                if Role.ASESOR_EKSTERNAL not in roles.get((user.pk, institution.pk), set()):
                    note = str(_("The assessor gains access to the institution."))
                report.change(line, Action.CREATE, subject, after=shown, note=note, data=data)
            elif current.aspects == codes:
                report.change(line, Action.UNCHANGED, subject, before=shown)
            else:
                before = ", ".join(current.aspects) or str(_("all aspects"))
                report.change(line, Action.UPDATE, subject, before=before, after=shown, data=data)

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        failures = []
        for change in report.writes:
            try:
                assignment_services.assignment_set(
                    context.actor,
                    period_id=change.data["period_id"],
                    assessor_id=change.data["assessor_id"],
                    aspects=change.data["aspects"],
                )
            except DomainError as error:
                failures.append((change.row, "", str(error.message)))
        return failures

"""The unit x indicator assignment matrix of a period, replaced as a whole through
`period_assign_matrix`: long form (a row per link: indicator, unit code) or wide form (a row per
indicator, a column per unit code, a mark in the cell). Indicators the file does not name end
up with no unit: the preview lists every link removed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.evaluations import services
from monev.evaluations.models import AnswerUnit
from monev.evaluations.services.answers import assignment_fingerprint
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.parsing import cell, normalise
from monev.imports.report import Action, Report
from monev.institutions.permissions import Capability
from monev.lib.errors import DomainError

INDICATOR = ("No. Indikator", "Nomor Indikator", "Indikator", "Indicator", "No", "Nomor")
LONG = Columns(
    aliases={"indicator": INDICATOR, "unit": ("Kode Unit", "Unit", "Unit code", "Kode")},
    required=("indicator", "unit"),
)
WIDE = Columns(aliases={"indicator": INDICATOR}, required=("indicator",))
# Header cells of the wide form that describe the indicator rather than name a unit.
DESCRIPTIVE = {
    normalise(text)
    for text in (
        "No",
        "No.",
        "Nomor",
        "Nama",
        "Nama Indikator",
        "Indikator (nama)",
        "Uraian",
        "Domain",
        "Aspek",
        "Keterangan",
        "Catatan",
        "Name",
        "Description",
    )
}
MARKS_YES = {"x", "v", "✓", "✔", "1", "ya", "y", "yes", "true", "benar"}
MARKS_NO = {"", "-", "0", "tidak", "no", "n", "false", "salah"}


class AssignmentImport(ImportKind):
    name = "assignment"
    scope = "period"
    title = _("Responsible units (unit x indicator matrix)")
    description = _(
        "Which units are responsible for which indicator. Replaces the whole matrix: "
        "indicators not in the file lose their units."
    )
    capability = Capability.ASSIGN_UNITS
    template_sheets = [
        ("Matriks", ["Indikator", "A", "B"], [["1", "x", ""], ["2", "", "x"]]),
        ("Daftar", ["Indikator", "Kode Unit"], [["1", "A"], ["2", "B"]]),
    ]

    def extract(self, sheets):
        if found := LONG.find(sheets):
            sheet, header = found
            layout = {"form": "long", "labels": header.labels, "sheet": sheet.name}
            return rows_below(sheet, header, LONG.fields), [], layout
        for sheet in sheets:
            found = WIDE.find([sheet])
            if found is None:
                continue
            sheet, header = found
            unit_columns = {
                str(position): text
                for position, text in header.extra.items()
                if normalise(text) not in DESCRIPTIVE
            }
            if not unit_columns:
                continue
            rows = []
            for values in rows_below(sheet, header, WIDE.fields):
                source = sheet.rows[values["_row"] - 1]
                values["marks"] = {
                    position: cell(source, int(position)) for position in unit_columns
                }
                rows.append(values)
            layout = {
                "form": "wide",
                "labels": header.labels,
                "unit_columns": unit_columns,
                "header_row": header.row_number,
                "sheet": sheet.name,
            }
            return rows, [], layout
        expected = '"Indikator" + "Kode Unit", or "Indikator" + a column per unit code'
        return [], [no_header(expected)], {}

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        period = context.period
        answers = dict(period.answers.values_list("indicator", "pk"))
        numbers = {pk: number for number, pk in answers.items()}
        units = {unit.code.casefold(): unit for unit in period.institution.units.all()}
        unit_codes = {unit.pk: unit.code for unit in units.values()}
        pairs = list(
            AnswerUnit.objects.filter(answer__period=period).values_list("answer_id", "unit_id")
        )
        report.state["fingerprint"] = assignment_fingerprint(pairs)
        have = {(a, u) for a, u in pairs}
        wanted: dict[tuple[int, int], int] = {}  # link -> the row asking for it
        indicator_label = labels(layout, "indicator", "Indikator")
        sheet = layout.get("sheet", "")

        def answer_of(row) -> int | None:
            number = row["indicator"].strip()
            if not number:
                report.reject(
                    row["_row"], indicator_label, _("The indicator number is empty."), sheet
                )
                return None
            if number not in answers:
                report.reject(
                    row["_row"],
                    indicator_label,
                    _("Indicator %(number)s is not in the instrument %(instrument)s.")
                    % {"number": number, "instrument": period.instrument_reference},
                    sheet,
                )
                return None
            return answers[number]

        if layout.get("form") == "long":
            unit_label = labels(layout, "unit", "Kode Unit")
            for row in rows:
                answer_id = answer_of(row)
                code = row["unit"].strip()
                if not code:
                    report.reject(row["_row"], unit_label, _("The unit code is empty."), sheet)
                    continue
                unit = units.get(code.casefold())
                if unit is None:
                    report.reject(
                        row["_row"],
                        unit_label,
                        _("Unit %(code)s is not a unit of this institution.") % {"code": code},
                        sheet,
                    )
                    continue
                if answer_id is not None:
                    wanted.setdefault((answer_id, unit.pk), row["_row"])
        else:
            column_units = {}
            for position, text in layout.get("unit_columns", {}).items():
                unit = units.get(text.strip().casefold())
                if unit is None:
                    report.reject(
                        layout.get("header_row", 1),
                        text,
                        _("Column %(code)s is not the code of a unit of this institution.")
                        % {"code": text},
                        sheet,
                    )
                else:
                    column_units[position] = (text, unit)
            seen: dict[int, int] = {}
            for row in rows:
                answer_id = answer_of(row)
                if answer_id is None:
                    continue
                if answer_id in seen:
                    report.reject(
                        row["_row"],
                        indicator_label,
                        _("Indicator %(number)s is already in row %(row)d.")
                        % {"number": numbers[answer_id], "row": seen[answer_id]},
                        sheet,
                    )
                    continue
                seen[answer_id] = row["_row"]
                for position, (text, unit) in column_units.items():
                    mark = row["marks"].get(position, "").strip().casefold()
                    if mark in MARKS_YES:
                        wanted[(answer_id, unit.pk)] = row["_row"]
                    elif mark not in MARKS_NO:
                        report.reject(
                            row["_row"],
                            text,
                            _(
                                "The mark “%(mark)s” is not understood: use x, v or 1 for "
                                "responsible, leave the cell empty otherwise."
                            )
                            % {"mark": row["marks"][position][:20]},
                            sheet,
                        )

        def subject(answer_id: int, unit_id: int) -> str:
            return str(
                _("Indicator %(number)s – unit %(code)s")
                % {"number": numbers[answer_id], "code": unit_codes[unit_id]}
            )

        for link in sorted(wanted, key=lambda k: (wanted[k], k)):
            action = Action.UNCHANGED if link in have else Action.ADD
            report.change(
                wanted[link],
                action,
                subject(*link),
                data={"answer_id": link[0], "unit_id": link[1]},
            )
        for link in sorted(have - set(wanted)):
            report.change(
                0, Action.REMOVE, subject(*link), data={"answer_id": link[0], "unit_id": link[1]}
            )

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        period = context.period
        assignments: dict[int, set[int]] = {
            pk: set() for pk in period.answers.values_list("pk", flat=True)
        }
        for change in report.changes:
            if change.action in (Action.ADD, Action.UNCHANGED):
                assignments[change.data["answer_id"]].add(change.data["unit_id"])
        try:
            services.period_assign_matrix(
                actor=context.actor,
                period_id=period.pk,
                assignments=assignments,
                expected_fingerprint=report.state["fingerprint"],
            )
        except DomainError as error:
            return [(0, "", str(error.message))]
        return []

"""Levels and penjelasan into a period (e.g. last year's, or the ministry's workbook): written
through `answer_save`, so the deadline, the versions, the permissions and the audit trail apply
exactly as when the answer is typed in."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from monev.core.engine import value_problem
from monev.core.model import ValueType
from monev.core.numbers import ExactDecimal, NotExact, parse_value, value_text
from monev.evaluations import services
from monev.evaluations.deadlines import extended_window, unit_extensions
from monev.evaluations.models import Answer, AnswerUnit
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.services.common import self_assessment_window
from monev.imports.kinds.base import Columns, Context, ImportKind, labels, no_header, rows_below
from monev.imports.parsing import parse_decimal
from monev.imports.report import Action, Report
from monev.institutions.clock import now_for
from monev.institutions.permissions import Capability
from monev.instruments.external_indices import imported_refusal
from monev.lib.errors import DomainError

Status = Answer.Status

COLUMNS = Columns(
    aliases={
        "indicator": (
            "No. Indikator",
            "Nomor Indikator",
            "Indikator",
            "Indicator",
            "No",
            "Nomor",
            "Number",
        ),
        "level": ("Tingkat Mandiri", "Tingkat", "Level", "Tingkat Kematangan"),
        "explanation": ("Penjelasan", "Penjelasan Mandiri", "Explanation"),
    },
    required=("indicator",),
    any_of=("level", "explanation"),
)


def level_text(value: Decimal | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, ExactDecimal):
        return value_text(value)  # 7/6
    return format(value.normalize(), "f")


def parse_level(text: str) -> Decimal | None:
    """A level as a cell holds it: a decimal ("2,50" too) or an exact fraction ("7/6");
    None if it is neither."""
    if "/" in text:
        try:
            return parse_value(text)
        except NotExact:
            return None
    return parse_decimal(text)


def short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def level_problem(instrument, item, value: Decimal) -> str | None:
    """The engine's verdict (value_problem), worded for people in the UI language."""
    if value_problem(instrument, item, value) is None:
        return None
    low, high = instrument.scale.min, instrument.scale.max
    params = {"value": level_text(value), "low": low, "high": high, "instrument": instrument.id}
    if not low <= value <= high:
        return str(_("Level %(value)s is outside the scale %(low)s-%(high)s.") % params)
    if item.value_type is ValueType.WHOLE:
        return str(
            _("Level %(value)s is not a whole level; %(instrument)s takes whole levels.") % params
        )
    if item.value_type is ValueType.FRACTIONAL:
        return str(
            _("Level %(value)s has more than ten decimals; write it as a fraction such as 7/6.")
            % params
        )
    return str(_("Level %(value)s has more than two decimals.") % params)


def deadline_problem(answer: Answer, window, now) -> str | None:
    """The rule answer_save enforces (check_self_assessment_open), read from a window fetched
    once for the whole file (with the answer's units' extensions); answer_save checks it again
    when the import is applied."""
    if answer.reopened:
        return None
    if answer.status == Status.FINAL:
        return str(_("The answer is locked as final mandiri; only the coordinator can reopen it."))
    opens, closes = window
    if opens and now < opens:
        when = formats.date_format(timezone.localtime(opens), "DATETIME_FORMAT")
        return str(_("The self-assessment opens on %(when)s.") % {"when": when})
    if closes and now >= closes:
        when = formats.date_format(timezone.localtime(closes), "DATETIME_FORMAT")
        return str(
            _("The self-assessment closed on %(when)s; only the coordinator can reopen an answer.")
            % {"when": when}
        )
    return None


class LevelsImport(ImportKind):
    name = "levels"
    scope = "period"
    title = _("Levels and penjelasan")
    description = _(
        "A level and penjelasan per indicator, e.g. last year's or the Penilaian Mandiri "
        "workbook exported from this application."
    )
    capability = Capability.EDIT_ANSWER
    template_sheets = [
        (
            "Penilaian Mandiri",
            ["No. Indikator", "Tingkat Mandiri", "Penjelasan"],
            [["1", "3", "Perwal 12/2024 tentang SPBE mengatur kebijakan internal."]],
        )
    ]

    def extract(self, sheets):
        found = COLUMNS.find(sheets)
        if found is None:
            return [], [no_header('"No. Indikator", "Tingkat Mandiri" / "Penjelasan"')], {}
        sheet, header = found
        layout = {
            "labels": header.labels,
            "has_level": "level" in header.columns,
            "has_explanation": "explanation" in header.columns,
            "sheet": sheet.name,
        }
        return rows_below(sheet, header, COLUMNS.fields), [], layout

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        period = context.period
        instrument = instrument_of(period)
        answers = {answer.indicator: answer for answer in period.answers.all()}
        units: dict[int, set[int]] = {}
        for answer_id, unit_id in AnswerUnit.objects.filter(answer__period=period).values_list(
            "answer_id", "unit_id"
        ):
            units.setdefault(answer_id, set()).add(unit_id)
        window, extensions = self_assessment_window(period), unit_extensions(period)
        now = context.now or now_for(period.institution)
        column = {
            name: labels(layout, name, default)
            for name, default in (
                ("indicator", "No. Indikator"),
                ("level", "Tingkat Mandiri"),
                ("explanation", "Penjelasan"),
            )
        }
        seen: dict[str, int] = {}
        for row in rows:
            number, line, sheet = row["indicator"].strip(), row["_row"], row["_sheet"]
            if not number:
                if row["level"] or row["explanation"]:
                    report.reject(
                        line, column["indicator"], _("The indicator number is empty."), sheet
                    )
                continue  # a heading or spacer row (domain and aspect rows of the workbook)
            answer = answers.get(number)
            if answer is None:
                report.reject(
                    line,
                    column["indicator"],
                    _("Indicator %(number)s is not in the instrument %(instrument)s.")
                    % {"number": number, "instrument": period.instrument_reference},
                    sheet,
                )
                continue
            if number in seen:
                report.reject(
                    line,
                    column["indicator"],
                    _("Indicator %(number)s is already in row %(row)d.")
                    % {"number": number, "row": seen[number]},
                    sheet,
                )
                continue
            seen[number] = line
            if refusal := imported_refusal(instrument, number):
                # Imported from another agency's index: the row is left as it is (a workbook of
                # another period imports without deleting these rows).
                subject = _("Indicator %(number)s") % {"number": number}
                report.change(
                    line, Action.UNCHANGED, subject, before=level_text(answer.level), note=refusal
                )
                continue
            if not context.is_system and not context.access.can_on_answer(
                Capability.EDIT_ANSWER, units.get(answer.pk, set())
            ):
                report.reject(
                    line,
                    column["indicator"],
                    _(
                        "You may not edit the answer of indicator %(number)s (it is not assigned "
                        "to your unit)."
                    )
                    % {"number": number},
                    sheet,
                )
                continue
            level = answer.level
            if layout.get("has_level"):
                text = row["level"].strip()
                level = parse_level(text) if text else None
                if text and level is None:
                    report.reject(
                        line,
                        column["level"],
                        _("“%(text)s” is not a number.") % {"text": short(text, 40)},
                        sheet,
                    )
                    continue
                if level is not None and (
                    problem := level_problem(instrument, instrument.items_by_number[number], level)
                ):
                    report.reject(line, column["level"], problem, sheet)
                    continue
            explanation = answer.explanation
            if layout.get("has_explanation"):
                explanation = row["explanation"].strip()
            subject = _("Indicator %(number)s") % {"number": number}
            if level == answer.level and explanation == answer.explanation:
                report.change(line, Action.UNCHANGED, subject, before=level_text(level))
                continue
            answer_window = extended_window(window, extensions, units.get(answer.pk, ()))
            if problem := deadline_problem(answer, answer_window, now):
                report.reject(line, column["indicator"], problem, sheet)
                continue
            before, after = [], []
            if level != answer.level:
                before.append(_("level %(level)s") % {"level": level_text(answer.level)})
                after.append(_("level %(level)s") % {"level": level_text(level)})
            if explanation != answer.explanation:
                before.append(short(answer.explanation) or str(_("(no penjelasan)")))
                after.append(short(explanation) or str(_("(no penjelasan)")))
            note = ""
            if answer.status in (Status.SUBMITTED, Status.VERIFIED):
                note = str(_("The answer goes back to draft: it must be submitted again."))
            report.change(
                line,
                Action.UPDATE,
                subject,
                before="; ".join(str(b) for b in before),
                after="; ".join(str(a) for a in after),
                note=note,
                data={
                    "answer_id": answer.pk,
                    "version": answer.version,
                    "level": None if level is None else value_text(level),  # "7/6" exactly
                    "explanation": explanation,
                },
            )

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        failures = []
        for change in report.writes:
            data = change.data
            try:
                services.answer_save(
                    actor=context.actor,
                    answer_id=data["answer_id"],
                    expected_version=data["version"],
                    level=None if data["level"] is None else parse_value(data["level"]),
                    explanation=data["explanation"],
                    now=context.now,
                )
            except DomainError as error:
                failures.append((change.row, "", str(error.message)))
        return failures

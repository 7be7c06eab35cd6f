"""Recording another agency's result for an imported indicator, and carrying the value into
the answers of the institution's periods.

The one mechanism by which the value reaches every consumer: the indicator's answers hold it.
When a result is recorded (form, API, file) and when a period is created, `apply_to_period`
writes the value that applies (the result's, else the instrument's default) into the answer's
level and verified_level, as the system, with an audit event. The dashboard, the overview,
reports, Excel/PDF, planning and the API all read answers, so they all see the same value; the
answer services refuse level edits on these indicators (monev.instruments.external_indices).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.core import external as conversion
from monev.core.model import ConversionMethod, Indicator, Instrument
from monev.core.numbers import NotExact, parse_decimal
from monev.evaluations.models import Answer, Period
from monev.evaluations.period_instrument import instrument_of
from monev.external.models import ExternalResult
from monev.external.selectors import (
    DEFAULT_INSTRUMENT,
    applicable_results,
    can_record,
    default_value,
    imported_indicators,
    latest_instrument,
)
from monev.institutions.access import institution_for_user
from monev.institutions.clock import now_for
from monev.instruments.external_indices import index_label, owner_label
from monev.lib.errors import Forbidden, InvalidInput

Status = Answer.Status
MAX_NOTE = 2000


def number_text(value: Decimal) -> str:
    """12.5 -> "12,5" in Indonesian; 100.000 -> "100"."""
    value = value.normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return formats.number_format(value)


# --- validation (shared with the file import) -----------------------------------------------


@dataclass
class Checked:
    indicator: Indicator
    method: str
    source_value: Decimal | None
    value: Decimal


def indicator_problem(instrument: Instrument, number: str) -> tuple[Indicator | None, str]:
    indicator = instrument.indicators_by_number.get(str(number).strip())
    if indicator is None:
        message = _("Indicator %(number)s is not in the instrument %(instrument)s.") % {
            "number": str(number)[:20],
            "instrument": instrument.id,
        }
        return None, str(message)
    if not indicator.imported:
        message = _(
            "Indicator %(number)s is not scored from another agency's index: its value comes "
            "from the answers and evidence."
        ) % {"number": indicator.number}
        return None, str(message)
    return indicator, ""


def check_result(
    instrument: Instrument,
    indicator: Indicator,
    *,
    data_year: int | None,
    source_value: Decimal | None,
    value: Decimal | None,
    has_source: bool,
) -> tuple[Checked | None, list[dict]]:
    """The checked result, or the problems as [{"location", "message"}] (Indonesian in the UI)."""
    problems: list[dict] = []
    external = indicator.external
    label = index_label(instrument.id, indicator)
    if data_year is None or not 2000 <= data_year <= 2100:
        problems.append(
            {
                "location": "data_year",
                "message": str(_("The data year must be between 2000 and 2100.")),
            }
        )
    method = external.method or ConversionMethod.ENTERED
    if conversion.converts(external):
        if source_value is None:
            message = _("Give the value of %(index)s.") % {"index": label}
            problems.append({"location": "source_value", "message": str(message)})
        else:
            low, high = conversion.source_range(external, instrument.scale)
            if not source_value.is_finite() or not low <= source_value <= high:
                message = _("The %(index)s value must be between %(low)s and %(high)s.") % {
                    "index": label,
                    "low": number_text(low),
                    "high": number_text(high),
                }
                problems.append({"location": "source_value", "message": str(message)})
            elif source_value != source_value.quantize(Decimal("0.001")):
                message = _("The %(index)s value has more than three decimals.") % {"index": label}
                problems.append({"location": "source_value", "message": str(message)})
        if not problems:
            converted = conversion.convert(external, instrument.scale, source_value)
            if value is not None and value != converted:
                message = _(
                    "The indicator value follows from %(index)s by the instrument's conversion "
                    "(%(value)s); leave it empty."
                ) % {"index": label, "value": number_text(converted)}
                problems.append({"location": "value", "message": str(message)})
            else:
                value = converted
    else:
        low, high = instrument.scale.min, instrument.scale.max
        if value is None:
            message = _(
                "%(index)s has no known conversion: enter the indicator value (%(low)s-%(high)s) "
                "with its source."
            ) % {"index": label, "low": low, "high": high}
            problems.append({"location": "value", "message": str(message)})
        elif (
            not value.is_finite()
            or not low <= value <= high
            or value != value.quantize(Decimal("0.01"))
        ):
            message = _(
                "The indicator value must be between %(low)s and %(high)s, with at most two "
                "decimals."
            ) % {"low": low, "high": high}
            problems.append({"location": "value", "message": str(message)})
        if not has_source:
            message = _(
                "An entered value needs its source: a note, a link or a document of %(owner)s."
            ) % {"owner": owner_label(indicator)}
            problems.append({"location": "source_note", "message": str(message)})
        if source_value is not None and not source_value.is_finite():
            message = _("“%(text)s” is not a number.") % {"text": str(source_value)[:20]}
            problems.append({"location": "source_value", "message": str(message)})
    if problems:
        return None, problems
    return Checked(indicator, str(method), source_value, value), []


def parse_number(text, location: str) -> Decimal | None:
    """A number from a form or the API ("68,75" or "68.75"); None if empty."""
    if text is None:
        return None
    if isinstance(text, Decimal):
        return text
    text = str(text).strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        # The core's reading of a typed number: ASCII digits only (Decimal would take "٣"),
        # no exponent, no NaN or infinity.
        return parse_decimal(text)
    except NotExact:
        message = str(_("“%(text)s” is not a number.") % {"text": text[:20]})
        raise InvalidInput(message, details=[{"location": location, "message": message}]) from None


# --- recording ------------------------------------------------------------------------------


def _recorder_access(actor, institution_id: int):
    institution, access = institution_for_user(actor, institution_id)
    if not can_record(access):
        raise Forbidden(
            _(
                "Only the institution's koordinator or an evaluator whose scope covers it may "
                "record external values."
            )
        )
    return institution, access


def _snapshot(result: ExternalResult) -> dict:
    return {
        "instrument": result.instrument_id,
        "indicator": result.indicator,
        "index": result.index_name,
        "data_year": result.data_year,
        "source_value": result.source_value,
        "value": result.value,
        "method": result.method,
        "evidence_id": result.evidence_id,
        "source_note": result.source_note,
        "source_url": result.source_url,
    }


@transaction.atomic
def result_record(
    actor,
    *,
    institution_id: int,
    indicator: str,
    data_year: int | None,
    source_value: Decimal | None = None,
    value: Decimal | None = None,
    evidence_id: int | None = None,
    source_note: str = "",
    source_url: str = "",
    instrument: str = DEFAULT_INSTRUMENT,
    now: datetime | None = None,
) -> ExternalResult:
    """Record one result of another agency's index for an institution (a new row: earlier
    results stay as history), then write the value that now applies into the answers of the
    institution's periods under that instrument. Koordinator (manage_period) or an evaluator
    whose scope covers the institution (manage_assessors)."""
    institution, _access = _recorder_access(actor, institution_id)
    core = latest_instrument(instrument)
    found, problem = indicator_problem(core, indicator)
    if found is None:
        raise InvalidInput(problem, details=[{"location": "indicator", "message": problem}])
    source_note = (source_note or "").strip()
    source_url = (source_url or "").strip()
    problems: list[dict] = []
    if len(source_note) > MAX_NOTE:
        message = str(_("The note is longer than %(limit)d characters.") % {"limit": MAX_NOTE})
        problems.append({"location": "source_note", "message": message})
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            message = str(_("The link must be a web address (https://...)."))
            problems.append({"location": "source_url", "message": message})
    evidence = None
    if evidence_id is not None:
        from monev.evidence.models import Evidence

        evidence = Evidence.objects.filter(pk=evidence_id, institution_id=institution.pk).first()
        if evidence is None:
            message = str(_("The document is not evidence of this institution."))
            problems.append({"location": "evidence_id", "message": message})
    checked, more = check_result(
        core,
        found,
        data_year=data_year,
        source_value=source_value,
        value=value,
        has_source=bool(source_note or source_url or evidence),
    )
    problems += more
    if problems:
        raise InvalidInput(problems[0]["message"], details=problems)
    result = ExternalResult.objects.create(
        institution=institution,
        instrument_id=core.id,
        indicator=found.number,
        index_name=found.external.index[:300],
        data_year=data_year,
        source_value=checked.source_value,
        value=checked.value,
        method=checked.method,
        evidence=evidence,
        source_note=source_note,
        source_url=source_url,
        recorded_by=actor,
        recorded_at=now or now_for(institution),
    )
    audit_record(
        actor=actor,
        action="external_result.record",
        obj=result,
        institution_id=institution.pk,
        after=_snapshot(result),
    )
    apply_to_institution(institution.pk, core.id, indicators=[found.number])
    return result


# --- carrying the value into the answers ----------------------------------------------------


def apply_to_institution(institution_id: int, instrument_id: str, *, indicators=None) -> int:
    """Write the applicable values into every period of the institution under the instrument.
    Returns how many answers changed."""
    changed = 0
    periods = Period.objects.filter(institution_id=institution_id, instrument_id=instrument_id)
    for period in periods.select_for_update().order_by("year", "pk"):
        changed += len(apply_to_period(period, indicators=indicators))
    return changed


def explanation_for(instrument: Instrument, indicator: Indicator, result) -> str:
    """The penjelasan written with the value, in the deployment's language (it is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        label, owner = index_label(instrument.id, indicator), owner_label(indicator)
        if result is None:
            return str(
                _("Default value %(value)s: waiting for %(index)s from %(owner)s.")
                % {"value": number_text(default_value(indicator)), "index": label, "owner": owner}
            )
        if result.source_value is not None:
            text = _(
                "Value from %(index)s (%(owner)s), data year %(year)s: %(source)s, converted to "
                "%(value)s."
            )
        else:
            text = _("Value from %(index)s (%(owner)s), data year %(year)s: %(value)s, entered.")
        return str(
            text
            % {
                "index": label,
                "owner": owner,
                "year": result.data_year,
                "source": number_text(result.source_value)
                if result.source_value is not None
                else "",
                "value": number_text(result.value),
            }
        )


def apply_to_new_period(period: Period) -> None:
    """A new period's imported indicators get their values (evaluations.hooks.period_created)."""
    if any(indicator.imported for indicator in instrument_of(period).indicators):
        apply_to_period(period)


def apply_to_period(period: Period, *, indicators=None) -> list[Answer]:
    """Write the applicable value of each imported indicator into the period's answer: level and
    verified_level, status verified (final mandiri stays final), a generated penjelasan. As the
    system, one `answer.external_value` audit event per answer changed. Runs inside the caller's
    transaction (period_create, result_record). Returns the answers changed."""
    instrument = instrument_of(period)
    imported = {i.number: i for i in imported_indicators(instrument)}
    if indicators is not None:
        imported = {n: i for n, i in imported.items() if n in set(indicators)}
    items = {
        item.number: imported[item.indicator]
        for item in instrument.scored_items
        if item.indicator in imported
    }
    if not items:
        return []
    results = applicable_results(period.institution_id, instrument.id, period.year, imported)
    answers = Answer.objects.select_for_update().filter(period=period, indicator__in=items)
    changed = []
    for answer in answers.order_by("position"):
        indicator = items[answer.indicator]
        result = results.get(indicator.number)
        value = result.value if result is not None else default_value(indicator)
        if value is None:
            continue
        status = Status.FINAL if answer.status == Status.FINAL else Status.VERIFIED
        explanation = explanation_for(instrument, indicator, result)
        if (answer.level, answer.verified_level, answer.status, answer.explanation) == (
            value,
            value,
            status,
            explanation,
        ):
            continue
        before = {
            "level": answer.level,
            "verified_level": answer.verified_level,
            "status": answer.status,
            "version": answer.version,
        }
        answer.level = answer.verified_level = value
        answer.status, answer.explanation = status, explanation
        answer.version += 1
        answer.updated_by = None
        answer.save(
            update_fields=[
                "level",
                "verified_level",
                "status",
                "explanation",
                "version",
                "updated_by",
                "updated_at",
            ]
        )
        audit_record(
            actor=None,
            action="answer.external_value",
            obj=answer,
            institution_id=period.institution_id,
            period_id=period.pk,
            answer_id=answer.pk,
            before=before,
            after={
                "level": value,
                "verified_level": value,
                "status": status,
                "version": answer.version,
                "external_result": result.pk if result is not None else None,
                "default": result is None,
            },
        )
        changed.append(answer)
    return changed

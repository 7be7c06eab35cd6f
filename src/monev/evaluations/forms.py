"""Parsing and checking what the evaluation pages post. Forms only turn text into values;
the services decide what is allowed and write."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument, ScoredItem, ValueType
from monev.core.numbers import NotExact, parse_value
from monev.evaluations.models import AssessorPass, Milestone, Period

STAGES = AssessorPass.ORDER


class ExactValueField(forms.CharField):
    """A value as typed: a decimal ("1.30", "1,30") or a fraction ("7/6"), kept exact. Whether
    the instrument takes it (scale, places) is the services' question, in their words."""

    default_error_messages = {
        "invalid": _("Enter a number such as 1.30, or a fraction such as 7/6."),
    }

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        try:
            return parse_value(text.replace(",", ".") if text.count(",") == 1 else text)
        except NotExact:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


def level_field(instrument: Instrument, item: ScoredItem, *, required: bool) -> forms.Field:
    """A level within the instrument's scale: a select of whole levels, a decimal input with
    step 0.01 for two-decimal partial credit, or a text input taking up to ten decimals or a
    fraction where the instrument keeps values exact (pemdi-2026)."""
    low, high = instrument.scale.min, instrument.scale.max
    if item.value_type is ValueType.FRACTIONAL:
        return ExactValueField(
            label=_("Level"),
            required=required,
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
    if item.value_type is ValueType.WHOLE:
        choices = [("", "—")] if not required else []
        choices += [(str(level), str(level)) for level in range(low, high + 1)]
        return forms.TypedChoiceField(
            label=_("Level"), choices=choices, required=required, coerce=_decimal, empty_value=None
        )
    return AsciiDecimalField(
        label=_("Level"),
        required=required,
        min_value=low,
        max_value=high,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": low, "max": high}),
    )


class AsciiDecimalField(forms.DecimalField):
    """Django's DecimalField reads any Unicode digit ("٣" as 3); a level is typed in ASCII
    digits, as everywhere else (monev.core.numbers)."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def _decimal(value: str) -> Decimal:
    return Decimal(value)


class VersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class SubmitForm(VersionForm):
    # Required by the service, not the form, and only while the readiness checks find errors.
    confirm_readiness_errors = forms.BooleanField(
        label=_("I am submitting anyway, despite the readiness errors"), required=False
    )


class AnswerSaveForm(VersionForm):
    explanation = forms.CharField(
        label=_("Penjelasan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        strip=False,
    )

    def __init__(self, *args, instrument: Instrument, item: ScoredItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"level": level_field(instrument, item, required=False), **self.fields}


class ReturnForm(VersionForm):
    note = forms.CharField(label=_("Note for the unit"), widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for reopening"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessorPassForm(forms.Form):
    """One stage's judgement. The version of each stage's judgement rides along, so the
    one chosen is checked against what is stored."""

    stage = forms.ChoiceField(label=_("Stage"), choices=AssessorPass.Stage.choices)
    notes = forms.CharField(
        label=_("Assessor's notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, instrument: Instrument, item: ScoredItem, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {
            "stage": self.fields["stage"],
            "level": level_field(instrument, item, required=True),
        }
        fields["notes"] = self.fields["notes"]
        for stage in STAGES:
            fields[f"version_{stage}"] = forms.IntegerField(
                min_value=0, required=False, widget=forms.HiddenInput
            )
        self.fields = fields

    def expected_version(self) -> int:
        return self.cleaned_data.get(f"version_{self.cleaned_data['stage']}") or 0


class ResponseForm(VersionForm):
    response = forms.CharField(
        label=_("The institution's response (clarification or objection)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignUnitsForm(forms.Form):
    units = forms.TypedMultipleChoiceField(
        label=_("Responsible units"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(u.pk, f"{u.code} · {u}") for u in units]


class MatrixForm(forms.Form):
    """The unit x indicator matrix: `answers` lists the rows shown, `cell` the checked
    boxes as "answer:unit"."""

    fingerprint = forms.CharField(widget=forms.HiddenInput)
    answers = forms.CharField(widget=forms.HiddenInput)

    def assignments(self, cells: list[str]) -> dict[int, set[int]]:
        try:
            result = {int(a): set() for a in self.cleaned_data["answers"].split(",") if a}
            for cell in cells:
                answer_id, unit_id = (int(part) for part in cell.split(":"))
                result.setdefault(answer_id, set()).add(unit_id)
        except ValueError:
            raise forms.ValidationError(_("The matrix was not sent completely.")) from None
        return result


class TargetForm(forms.Form):
    target = forms.DecimalField(
        label=_("Target index"),
        required=False,
        min_value=0,
        max_digits=4,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=_("Leave empty for no target."),
    )


class LocalDateTimeForm(forms.Form):
    """A date and time as people here write them, in the server's local time zone
    (Asia/Jakarta by default), stored aware."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(
        label=_("Time"), initial="16:00", widget=forms.TimeInput(attrs={"type": "time"})
    )

    def due_at(self) -> datetime:
        naive = datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(naive, timezone.get_current_timezone())


class MilestoneForm(LocalDateTimeForm):
    kind = forms.ChoiceField(label=_("Milestone"), choices=Milestone.Kind.choices)
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=200)
    field_order = ["kind", "date", "time", "title"]


class CloseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: every answer becomes final mandiri and units can no longer edit."),
        required=True,
    )


class PeriodCreateForm(forms.Form):
    # Plain numbers: the service decides whether the user may use them (404 / 403).
    institution = forms.IntegerField(label=_("Institution"), widget=forms.Select)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Period.Kind.choices)
    instrument = forms.ChoiceField(label=_("Instrument"))
    target = TargetForm.base_fields["target"]
    carry_over_from = forms.IntegerField(
        label=_("Carry over answers from"), required=False, widget=forms.Select
    )
    use_schedule = forms.BooleanField(
        label=_("Start from the instrument's schedule"),
        required=False,
        initial=True,
        help_text=_(
            "Where the instrument carries a default schedule (Pemdi 2026: the national "
            "schedule), the period's milestones start from it, in the period's year; change "
            "them afterwards in the period's settings."
        ),
    )

    def __init__(self, *args, institutions, instruments, previous, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].widget.choices = [(i.pk, i.name) for i in institutions]
        self.fields["instrument"].choices = [
            (e.reference, f"{e.instrument.short_name} ({e.reference})") for e in instruments
        ]
        self.fields["carry_over_from"].widget.choices = [("", _("— none: start empty —"))] + [
            (p.pk, str(p)) for p in previous
        ]

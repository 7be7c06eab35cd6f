"""Parsing what the evidence pages post. Forms only turn text into values; the services
decide what is allowed and write. Files are taken from request.FILES by the views, so a
refused file never hides the other fields' problems."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.evidence.facts import READABLE
from monev.evidence.models import Evidence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_KINDS = [(value, label) for value, label in Evidence.Kind.choices if value != "tautan"]


def supply_units(units, access) -> list:
    """The units the user may name as the supplying unit (an operator: their own)."""
    from monev.institutions.permissions import Capability

    if Capability.MANAGE_EVIDENCE in access.scoped:
        return [unit for unit in units if unit.pk in access.unit_ids]
    return list(units)


def unit_choices(units, *, operator_only: bool) -> list[tuple[str, str]]:
    """An operator supplies evidence for their own units only; others may leave it open."""
    choices = [] if operator_only else [("", "—")]
    return choices + [(str(unit.pk), unit.name) for unit in units]


class _UnitMixin:
    def _setup_units(self, units, operator_only: bool) -> None:
        field = self.fields["unit"]
        field.choices = unit_choices(units, operator_only=operator_only)
        field.required = operator_only

    def clean_unit(self) -> int | None:
        value = self.cleaned_data.get("unit")
        return int(value) if value else None


class DescribeForm(_UnitMixin, forms.Form):
    """What describes a document: used once per file on the upload page."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the file name."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=FILE_KINDS, initial="peraturan")
    document_number = forms.CharField(label=_("Document number"), max_length=120, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE)
    effective_date = forms.DateField(label=_("Effective date"), required=False, widget=DATE)
    unit = forms.ChoiceField(label=_("Supplying unit"), required=False)

    def __init__(self, *args, units=(), operator_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_units(units, operator_only)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "unit_id": data["unit"],
            "document_number": data["document_number"],
            "document_date": data["document_date"],
            "effective_date": data["effective_date"],
        }


class LinkCreateForm(_UnitMixin, forms.Form):
    """A link as evidence: an application's address, with test-account notes."""

    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    access_notes = forms.CharField(
        label=_("Test account / access notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How an assessor can try the application: a test account, a path to follow."),
    )
    unit = forms.ChoiceField(label=_("Supplying unit"), required=False)

    def __init__(self, *args, units=(), operator_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_units(units, operator_only)


class EvidenceEditForm(_UnitMixin, forms.Form):
    """The description of an evidence item, with the version it was read at."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=120, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DATE)
    effective_date = forms.DateField(label=_("Effective date"), required=False, widget=DATE)
    unit = forms.ChoiceField(label=_("Supplying unit"), required=False)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    access_notes = forms.CharField(
        label=_("Test account / access notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The fields pre-filled from the document's text (facts.proposals): saved unchanged, they
    # are recorded as read from the text, not typed.
    read_from_text = forms.MultipleChoiceField(
        choices=[(name, name) for name in READABLE],
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, units=(), operator_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_units(units, operator_only)

    @classmethod
    def initial_of(cls, evidence: Evidence) -> dict:
        return {
            "version": evidence.version,
            "title": evidence.title,
            "kind": evidence.kind,
            "document_number": evidence.document_number,
            "document_date": evidence.document_date,
            "effective_date": evidence.effective_date,
            "unit": str(evidence.unit_id or ""),
            "url": evidence.url,
            "access_notes": evidence.access_notes,
        }

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "kind": data["kind"],
            "document_number": data["document_number"],
            "document_date": data["document_date"],
            "effective_date": data["effective_date"],
            "unit_id": data["unit"],
            "url": data["url"],
            "access_notes": data["access_notes"],
        }


class NewVersionForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    change_note = forms.CharField(
        label=_("What changed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: e.g. “signed version”, “revised annex”."),
    )


def level_choices(low: int, high: int) -> list[tuple[str, str]]:
    return [(str(level), str(level)) for level in range(max(low, 1), high + 1)]


class AnswerLinkForm(forms.Form):
    """Link an evidence item of the library to an answer at some levels."""

    evidence = forms.TypedChoiceField(label=_("Evidence"), coerce=int)
    levels = forms.TypedMultipleChoiceField(
        label=_("Levels"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, library=(), levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [("", "—")] + [
            (str(item.pk), item.title) for item in library
        ]
        self.fields["levels"].choices = list(levels)


class AnswerUploadForm(DescribeForm):
    """Upload a file and link it to the answer in one step."""

    levels = forms.TypedMultipleChoiceField(
        label=_("Levels"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].choices = list(levels)

"""What the bulk actions page posts (Tindakan massal): the action, its scope, the one reason,
the extension's date, and - with the confirmation - the versions the preview showed. The form
only turns text into values; services.bulk decides what is allowed and writes."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from monev.evaluations.services.bulk import ACTION_LABELS, BulkAction, BulkScope

SCOPES = [
    ("unit", _("A unit's answers")),
    ("aspect", _("An aspect's answers")),
    ("answers", _("The answers ticked in the list")),
]
DEFAULT_TIME = time(23, 59)  # the last minute of the day, as the milestones' deadlines
REASON_MAX = 2000


class BulkActionForm(forms.Form):
    """Field names are the API's (`unit_id`, `aspect`, `answer_ids`, `reason`), with the
    extension's date-time as a local date and time, as the milestones take it."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(action.value, label) for action, label in ACTION_LABELS.items()],
        widget=forms.RadioSelect,
    )
    scope = forms.ChoiceField(
        label=_("Which answers"), choices=SCOPES, initial="unit", widget=forms.RadioSelect
    )
    unit_id = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    aspect = forms.ChoiceField(label=_("Aspect"), required=False)
    answer_ids = forms.TypedMultipleChoiceField(label=_("Answers"), coerce=int, required=False)
    reason = forms.CharField(
        label=_("Reason (recorded on every answer)"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    until_date = forms.DateField(
        label=_("Open until (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until_time = forms.TimeField(
        label=_("Time"),
        required=False,
        initial=DEFAULT_TIME.strftime("%H:%M"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    # "answer id:version,..." as the preview showed them: sent back with the confirmation.
    versions = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, aspects, answer_ids, extensions=None, **kwargs):
        super().__init__(*args, **kwargs)
        extensions = extensions or {}

        def unit_label(unit) -> str:
            label = f"{unit.code} · {unit.name}"
            if unit.pk in extensions:
                when = formats.date_format(
                    timezone.localtime(extensions[unit.pk]), "DATETIME_FORMAT"
                )
                label += " " + str(_("(extended until %(when)s)") % {"when": when})
            return label

        self.fields["unit_id"].choices = [("", "—")] + [(u.pk, unit_label(u)) for u in units]
        self.fields["aspect"].choices = [("", "—")] + [
            (aspect.code, f"{aspect.code} · {aspect.name}") for aspect in aspects
        ]
        self.fields["answer_ids"].choices = [(pk, str(pk)) for pk in answer_ids]

    def clean_versions(self) -> dict[int, int]:
        text = self.cleaned_data["versions"].strip()
        try:
            pairs = [part.split(":") for part in text.split(",") if part]
            return {int(answer): int(version) for answer, version in pairs}
        except ValueError:
            raise forms.ValidationError(
                _("The preview was not sent completely: look at the preview again.")
            ) from None

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        needed = {
            "unit": ("unit_id", _("Choose a unit.")),
            "aspect": ("aspect", _("Choose an aspect.")),
            "answers": ("answer_ids", _("Tick at least one answer in the list.")),
        }
        if scope in needed:
            name, message = needed[scope]
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        extending = data.get("action") == BulkAction.EXTEND
        if extending and data.get("until_date") is None and "until_date" not in self.errors:
            self.add_error("until_date", _("Give the date the unit's self-assessment closes."))
        return data

    # --- the values the service takes, once the form is valid --------------------------------

    def bulk_scope(self) -> BulkScope:
        data, scope = self.cleaned_data, self.cleaned_data["scope"]
        if scope == "unit":
            return BulkScope(unit_id=data["unit_id"])
        if scope == "aspect":
            return BulkScope(aspect=data["aspect"])
        return BulkScope(answer_ids=tuple(data["answer_ids"]))

    def until(self) -> datetime | None:
        """The extension's end, aware in the site's time zone (None for the other actions)."""
        data = self.cleaned_data
        if data["action"] != BulkAction.EXTEND or data.get("until_date") is None:
            return None
        naive = datetime.combine(data["until_date"], data.get("until_time") or DEFAULT_TIME)
        return timezone.make_aware(naive, timezone.get_current_timezone())

    def chosen_answers(self) -> set[int]:
        """The answers ticked, as posted (kept when the form comes back with a problem)."""
        getlist = getattr(self.data, "getlist", None)
        values = getlist("answer_ids") if getlist else []
        return {int(value) for value in values if value.isascii() and value.isdigit()}

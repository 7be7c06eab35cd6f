"""The form to record one result of another agency's index. Plain text fields: the service
checks the values (range of the index, the conversion, the source) and says what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.external.selectors import IndicatorHistory

FIELDS = (
    "indicator",
    "data_year",
    "source_value",
    "value",
    "evidence_id",
    "source_note",
    "source_url",
)


class ResultForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    data_year = forms.CharField(
        label=_("Data year"),
        max_length=4,
        help_text=_("The year of the other agency's evaluation (e.g. SDI 2025)."),
    )
    source_value = forms.CharField(
        label=_("Value of the source index"),
        max_length=20,
        required=False,
        help_text=_("SDI 0-100, SJIG 1-5; the indicator value is converted from it."),
    )
    value = forms.CharField(
        label=_("Indicator value"),
        max_length=10,
        required=False,
        help_text=_("Only where the conversion is not known (statistics index): 1.00-5.00."),
    )
    evidence_id = forms.TypedChoiceField(
        label=_("Document (evidence)"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional: the result's document from the evidence library."),
    )
    source_note = forms.CharField(
        label=_("Source / note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source_url = forms.CharField(label=_("Source link"), max_length=500, required=False)

    def __init__(self, *args, histories: list[IndicatorHistory], evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [
            (
                h.indicator.number,
                f"{h.indicator.number} · {h.indicator.short_name or h.indicator.name} ({h.index})",
            )
            for h in histories
        ]
        self.fields["evidence_id"].choices = [("", "—")] + [
            (e.pk, f"{e.title} ({e.get_kind_display()})") for e in evidence
        ]

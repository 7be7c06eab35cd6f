from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.institutions.models import Institution


class BoardFilter(forms.Form):
    """The filters of the assignment page (GET)."""

    tahun = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    jenis = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Institution.Kind.choices],
        required=False,
    )
    provinsi = forms.CharField(label=_("Province"), max_length=80, required=False)
    halaman = forms.IntegerField(min_value=1, required=False)


class AssignForm(forms.Form):
    period = forms.IntegerField(min_value=1)
    assessor = forms.CharField(label=_("Assessor (username)"), max_length=150)
    aspects = forms.MultipleChoiceField(label=_("Aspects"), required=False, choices=())
    seen = forms.CharField(max_length=16, required=False)  # the row's assignments, as shown

    def __init__(self, *args, aspect_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aspects"].choices = [(code, code) for code in aspect_codes]


class QueueFilter(forms.Form):
    instansi = forms.IntegerField(min_value=1, required=False)
    tahun = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    tahap = forms.CharField(max_length=12, required=False)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.institutions.models import Institution


class BoardFilter(forms.Form):
    """The filters of the assignment page (GET), named as the API names them."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *Institution.Kind.choices],
        required=False,
    )
    province = forms.CharField(label=_("Province"), max_length=80, required=False)
    page = forms.IntegerField(min_value=1, required=False)


class AssignForm(forms.Form):
    period = forms.IntegerField(min_value=1)
    assessor = forms.CharField(label=_("Assessor (username)"), max_length=150)
    aspects = forms.MultipleChoiceField(label=_("Aspects"), required=False, choices=())
    seen = forms.CharField(max_length=16, required=False)  # the row's assignments, as shown

    def __init__(self, *args, aspect_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aspects"].choices = [(code, code) for code in aspect_codes]


class QueueFilter(forms.Form):
    """The filters of the assessor's queue (GET), named as the API names them."""

    institution_id = forms.IntegerField(min_value=1, required=False)
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    stage = forms.CharField(max_length=20, required=False)

"""The personal token form: only a name (where the token is used)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “laporan-bulanan” or “dasbor-bappeda”."),
    )

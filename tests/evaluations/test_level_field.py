"""The level field of the answer form reads ASCII digits only, whatever the value type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms

from monev.core.model import ValueType
from monev.core.registry import catalog
from monev.evaluations.forms import level_field


def decimal2_field() -> forms.Field:
    # pemdi-2026 version 1 keeps two-decimal values (a number input, Django's DecimalField).
    instrument = catalog().get("pemdi-2026@1")
    item = next(i for i in instrument.scored_items if i.value_type is ValueType.DECIMAL2)
    return level_field(instrument, item, required=True)


@pytest.mark.parametrize("text", ["\u0663", "\u0662.5", "\uff13"])
def test_a_level_in_other_digits_is_refused(text):
    with pytest.raises(forms.ValidationError):
        decimal2_field().clean(text)


def test_a_level_in_ascii_digits_is_read():
    assert decimal2_field().clean("2.5") == Decimal("2.5")

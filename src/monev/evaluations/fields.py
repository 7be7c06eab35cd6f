"""Exact indicator values in the database.

An item judgement of 1 accepted out of 3 at level 1 is 7/6 (pemdi-2026), and the national
system combines it unrounded; so an answer's or a pass's value is stored exactly, in two
columns:

- the value column (`level`): a decimal with EXACT_PLACES (10) places, as the national system
  keeps its values - every value of up to ten places exactly (1.1666666667), and for one with
  no such form (7/6) its rounding, so that sums, filters and the admin still see a number;
- its companion (`level_fraction`): "7/6" where the value has no ten-place form, else "".

Reading an instance gives the value as one Decimal again: a plain Decimal (3.00, 1.25,
1.1666666667), or an ExactDecimal carrying 7/6 (`monev.core.numbers`), which every Decimal
use takes as 1.1666666667 and the engine as exactly 7/6. A companion that does not round to
the value column (the column written alone) is ignored. Reads that bypass instances
(`values_list`) fetch both columns and join them with `exact_value`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django.db import models

from monev.core.numbers import (
    EXACT_PLACES,
    ExactDecimal,
    exact_decimal,
    fraction_text,
    round_fraction,
)

TWO_PLACES = Decimal("0.01")


def _shown(value: Decimal) -> Decimal:
    """A value read from its ten-place column as it was written: 3.00 and 1.25 as before
    values had ten places, 1.1666666667 in full."""
    short = value.quantize(TWO_PLACES)
    return short if short == value else value.normalize()


def exact_value(value: Decimal | None, fraction: str) -> Decimal | None:
    """A value column and its companion as one exact value (see the module's docstring)."""
    if value is None or not fraction:
        return value
    numerator, _, denominator = fraction.partition("/")
    try:
        exact = Fraction(int(numerator), int(denominator))
    except (ValueError, ZeroDivisionError):
        return value
    if round_fraction(exact, EXACT_PLACES) != value:
        return value  # the column was written without its companion: the column stands
    return ExactDecimal(exact)


class ExactValueField(models.DecimalField):
    """A value column of EXACT_PLACES places with a companion CharField holding the exact
    fraction where the value has no such form; the model declares the companion after this
    field and reads values through `attach_exact_values` (in its `from_db`)."""

    def __init__(self, *args, fraction_field: str = "", **kwargs):
        kwargs.setdefault("max_digits", EXACT_PLACES + 2)
        kwargs.setdefault("decimal_places", EXACT_PLACES)
        self.fraction_field = fraction_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["fraction_field"] = self.fraction_field
        return name, path, args, kwargs

    def to_python(self, value):
        # An ExactDecimal stays itself (a full_clean would otherwise keep only its digits).
        if isinstance(value, Decimal) and value.is_finite():
            return value
        if isinstance(value, Fraction):
            return exact_decimal(value)
        return super().to_python(value)

    def from_db_value(self, value, expression, connection):
        return None if value is None else _shown(Decimal(value))

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is not None:
            # A Fraction or an over-long Decimal becomes the Decimal that keeps it exactly.
            value = exact_decimal(value if isinstance(value, Decimal) else Fraction(value))
            setattr(model_instance, self.attname, value)
        # The companion is declared after this field, so the save writes what is set here.
        setattr(model_instance, self.fraction_field, fraction_text(value))
        return value

    def get_prep_value(self, value):
        if isinstance(value, ExactDecimal):
            value = Decimal(value)  # its ten-place digits
        elif isinstance(value, Fraction):
            value = round_fraction(value, EXACT_PLACES)
        return super().get_prep_value(value)


def exact_fraction_field() -> models.CharField:
    """The companion of an ExactValueField: "7/6", or "" where the value column is exact."""
    return models.CharField(max_length=60, blank=True, default="", editable=False)


def attach_exact_values(instance: models.Model) -> models.Model:
    """Join every loaded ExactValueField with its loaded companion (a deferred companion is
    not fetched: its value column stands)."""
    loaded = instance.__dict__
    for field in instance._meta.concrete_fields:
        if isinstance(field, ExactValueField) and field.attname in loaded:
            fraction = loaded.get(field.fraction_field, "")
            loaded[field.attname] = exact_value(loaded[field.attname], fraction)
    return instance


class ExactValuesModel(models.Model):
    """A model with ExactValueFields: instances read their values exactly, and a save limited
    to some fields writes the companions of the value fields among them."""

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            names = list(update_fields)
            for field in self._meta.concrete_fields:
                companion = getattr(field, "fraction_field", "")
                if field.name in names and companion and companion not in names:
                    names.append(companion)
            update_fields = names
        super().save(*args, update_fields=update_fields, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        return attach_exact_values(super().from_db(db, field_names, values))

"""Forms of the planning pages: the plan's constraints, the efforts, an action item's unit."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument


def _force_name(number: str) -> str:
    return f"force-{number}"


def _lock_name(number: str) -> str:
    return f"lock-{number}"


def _capacity_name(code: str) -> str:
    return f"capacity-{code}"


class PlanForm(forms.Form):
    """The target, and per indicator: locked, or a minimum level; per unit: a capacity."""

    target = forms.DecimalField(
        label=_("Target index"), max_digits=4, decimal_places=2, min_value=0, required=False
    )

    def __init__(self, *args, instrument: Instrument, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument, self.units = instrument, units
        levels = [("", "—")] + [
            (str(level), str(level))
            for level in range(instrument.scale.min + 1, instrument.scale.max + 1)
        ]
        for item in instrument.scored_items:
            self.fields[_lock_name(item.number)] = forms.BooleanField(
                label=_("Lock %(number)s") % {"number": item.number}, required=False
            )
            self.fields[_force_name(item.number)] = forms.TypedChoiceField(
                label=_("Minimum level for %(number)s") % {"number": item.number},
                choices=levels,
                coerce=int,
                empty_value=None,
                required=False,
            )
        for unit in units:
            self.fields[_capacity_name(unit.code)] = forms.IntegerField(
                label=_("Capacity of %(unit)s") % {"unit": unit},
                min_value=0,
                max_value=1000,
                required=False,
            )

    @classmethod
    def initial_from(cls, parameters: dict, target) -> dict:
        initial: dict = {"target": target}
        for number in parameters.get("locked", []):
            initial[_lock_name(number)] = True
        for number, level in parameters.get("forced", {}).items():
            initial[_force_name(number)] = str(level)
        for code, capacity in parameters.get("capacities", {}).items():
            initial[_capacity_name(code)] = capacity
        return initial

    def rows(self):
        """(item, lock field, force field) per indicator, for the template."""
        return [
            (item, self[_lock_name(item.number)], self[_force_name(item.number)])
            for item in self.instrument.scored_items
        ]

    def unit_fields(self):
        return [(unit, self[_capacity_name(unit.code)]) for unit in self.units]

    def parameters(self) -> dict:
        data = self.cleaned_data
        items = self.instrument.scored_items
        return {
            "target": data["target"],
            "locked": [i.number for i in items if data.get(_lock_name(i.number))],
            "forced": {
                i.number: data[_force_name(i.number)]
                for i in items
                if data.get(_force_name(i.number)) is not None
            },
            "capacities": {
                u.code: data[_capacity_name(u.code)]
                for u in self.units
                if data.get(_capacity_name(u.code)) is not None
            },
        }


def effort_name(number: str, level: int) -> str:
    return f"effort-{number}-{level}"


class EffortsForm(forms.Form):
    """One optional effort per indicator x step; blank keeps (or returns to) the default."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.effort_rows = rows
        for row in rows:
            self.fields[effort_name(row.item.number, row.to_level)] = forms.DecimalField(
                label=_("Effort of %(number)s to level %(level)s")
                % {"number": row.item.number, "level": row.to_level},
                min_value=Decimal(0),
                max_digits=10,
                decimal_places=2,
                required=False,
            )

    @classmethod
    def initial_from(cls, rows) -> dict:
        return {
            effort_name(r.item.number, r.to_level): r.override
            for r in rows
            if r.override is not None
        }

    def bound_rows(self):
        return [(row, self[effort_name(row.item.number, row.to_level)]) for row in self.effort_rows]

    def changes(self) -> dict[tuple[str, int], Decimal | None]:
        """The steps whose effort differs from what is stored."""
        changes = {}
        for row in self.effort_rows:
            value = self.cleaned_data.get(effort_name(row.item.number, row.to_level))
            if value != row.override:
                changes[(row.item.number, row.to_level)] = value
        return changes


class DoneForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReassignForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Responsible unit"), coerce=int)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, str(u)) for u in units]


class ReplanForm(forms.Form):
    """The plan the koordinator saw as stale: a second click after someone re-planned is a
    conflict, not a third plan."""

    plan = forms.IntegerField(required=False, widget=forms.HiddenInput)

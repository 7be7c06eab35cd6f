"""The other agencies' indices an instrument imports (pemdi-2026 5, 6, 7, 18): their short
names, and the rule the answer services apply to the indicators whose value comes from one
(evaluations refuse the level, imports skip it, planning leaves it out; monev.external
records the values)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.core.external import imported_indicator
from monev.core.model import Indicator, Instrument

# The instrument file names each index in full ("Evaluasi/Indeks Satu Data Indonesia (skala
# 0-100)"); messages use the name people say. Keyed by (instrument id, indicator number);
# an index not listed is named by its full name up to the first parenthesis or dash.
SHORT_NAMES = {
    ("pemdi-2026", "5"): "Indeks SDI",
    ("pemdi-2026", "18"): "Indeks SDI aspek Interoperabilitas Data",
    ("pemdi-2026", "6"): "Penilaian Simpul Jaringan IG (SJIG)",
    ("pemdi-2026", "7"): "Indeks Pembangunan Statistik (EPSS)",
}


def index_label(instrument_id: str, indicator: Indicator) -> str:
    short = SHORT_NAMES.get((instrument_id, indicator.number))
    if short:
        return short
    name = indicator.external.index if indicator.external else ""
    for mark in (" (", " — ", " - "):
        name = name.split(mark)[0]
    return name.strip("' ")


def owner_label(indicator: Indicator) -> str:
    """ "Kementerian PPN/Bappenas" -> "Bappenas"; "BIG" -> "BIG"."""
    owner = indicator.external.owner if indicator.external else ""
    return owner.rsplit("/", 1)[-1].strip()


def imported_refusal(instrument: Instrument, item_number: str) -> str | None:
    """Why the institution may not set this answer's level (its value is imported), or None."""
    indicator = imported_indicator(instrument, item_number)
    if indicator is None:
        return None
    return str(
        _(
            "This indicator's value comes from %(index)s (%(owner)s); record it under "
            "External values."
        )
        % {"index": index_label(instrument.id, indicator), "owner": owner_label(indicator)}
    )

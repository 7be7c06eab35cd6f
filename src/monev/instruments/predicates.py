"""The predicate as the pages, the PDF and the workbooks show it (issue 15).

Two honest additions to the name: where rounded inputs admit more than one predicate, all of
them ("Cukup atau Baik"); where the instrument's band edges are contested (pemdi-2026) and the
reported index lies exactly on one, the other reading ("Cukup (bila batas bawah inklusif:
Baik)"). Only a predicate this application reads from the bands gets the other reading; one
the ministry published is quoted as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from monev.core.engine import Result
from monev.core.model import EdgeReading, Instrument


def other_reading(instrument: Instrument | None, index: Decimal | None) -> str:
    """The predicate the other reading gives where `index` (a reported index) lies exactly on
    a contested band edge of `instrument`; else ""."""
    if instrument is None or index is None:
        return ""
    try:
        other = instrument.predicate_other_reading(index)
    except ValueError:  # an index outside the bands (a doubtful published value)
        return ""
    return other.name if other is not None else ""


def other_reading_note(instrument: Instrument | None, index: Decimal | None) -> str:
    """The note the pages put beside such a predicate, in the UI language: "bila batas bawah
    inklusif: Baik"; else ""."""
    other = other_reading(instrument, index)
    if instrument is None or not other:
        return ""
    if instrument.band_edges.predicates.other is EdgeReading.LOWER_INCLUSIVE:
        return _("if lower bounds are inclusive: %(predicate)s") % {"predicate": other}
    return _("if upper bounds are inclusive: %(predicate)s") % {"predicate": other}


def predicate_label(name: str, *, possible: Sequence[str] = (), note: str = "") -> str:
    """Every possible predicate joined ("Cukup atau Baik") where there is more than one; else
    the name, with the note of the other reading in parentheses if there is one."""
    if len(possible) > 1:
        text = possible[0]
        for higher in possible[1:]:
            text = _("%(lower)s or %(higher)s") % {"lower": text, "higher": higher}
        return text
    if note:
        return f"{name} ({note})"
    return name


def result_predicate_label(result: Result | None) -> str:
    """A scoring result's predicate as the pages show it."""
    if result is None:
        return ""
    return predicate_label(
        result.predicate.name,
        possible=[band.name for band in result.predicates_possible],
        note=other_reading_note(result.instrument, result.index.reported),
    )

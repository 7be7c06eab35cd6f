"""The instrument a period is pinned to."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.core.model import Instrument
from monev.instruments.selectors import InstrumentNotFound, instrument_catalog
from monev.lib.errors import InvalidInput


def instrument_of(period) -> Instrument:
    """The exact instrument version the period was created with."""
    try:
        loaded = instrument_catalog().find(period.instrument_reference)
    except Exception:
        raise InstrumentNotFound(period.instrument_reference) from None
    return loaded.instrument


def resolve_instrument(reference: str):
    """(instrument, sha256) for a new period; InvalidInput if unknown."""
    try:
        loaded = instrument_catalog().find(reference)
    except Exception:
        raise InvalidInput(_("Unknown instrument: %(ref)s") % {"ref": reference}) from None
    return loaded.instrument, loaded.sha256

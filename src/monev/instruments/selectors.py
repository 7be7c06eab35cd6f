"""Reads of instruments shared by the pages and the API.

Instruments are files (built-in, plus MONEV_INSTRUMENT_DIRS), not database rows: they are
regulation data, versioned by id and version, and read through the pure core.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from monev.core.loader import InstrumentError
from monev.core.model import Aspect, Domain, Indicator, Instrument
from monev.core.registry import BUILTIN_DIR, Catalog, catalog


class InstrumentNotFound(LookupError):
    pass


@dataclass(frozen=True)
class InstrumentSummary:
    instrument: Instrument
    builtin: bool
    sha256: str

    @property
    def reference(self) -> str:
        return f"{self.instrument.id}@{self.instrument.version}"


@dataclass(frozen=True)
class AspectGroup:
    aspect: Aspect
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class DomainGroup:
    domain: Domain | None  # None for instruments without domains (pemdi-2026)
    aspects: tuple[AspectGroup, ...]


def instrument_catalog() -> Catalog:
    return catalog(settings.MONEV_INSTRUMENT_DIRS)


def instrument_list() -> list[InstrumentSummary]:
    """Every known instrument version, newest regulation first."""
    entries = [
        InstrumentSummary(
            instrument=entry.instrument,
            builtin=entry.source.startswith(str(BUILTIN_DIR)),
            sha256=entry.sha256,
        )
        for entry in instrument_catalog().instruments
    ]
    return sorted(
        entries, key=lambda e: (-e.instrument.years.first, e.instrument.id, -e.instrument.version)
    )


def schedule_milestones(instrument: Instrument, year: int) -> list[tuple[str, datetime, str]]:
    """(kind, due_at, title) of the instrument's default schedule in a period of `year`. The
    file gives days; their times are the deployment's (MONEV_TIME_ZONE, Asia/Jakarta unless
    set): an opening at 00:00, every other milestone at 23:59 of its day."""
    if instrument.schedule is None:
        return []
    zone = timezone.get_default_timezone()
    return [
        (kind, timezone.make_aware(moment, zone), title)
        for kind, moment, title in instrument.schedule.on(year)
    ]


def instrument_get(reference: str) -> Instrument:
    """By id (highest version) or id@version."""
    try:
        return instrument_catalog().get(reference)
    except InstrumentError:
        raise InstrumentNotFound(reference) from None


def instrument_structure(instrument: Instrument) -> tuple[DomainGroup, ...]:
    """Domains -> aspects -> indicators, in the instrument's order."""

    def aspects_of(aspects: tuple[Aspect, ...]) -> tuple[AspectGroup, ...]:
        return tuple(AspectGroup(a, instrument.indicators_of(a.code)) for a in aspects)

    if not instrument.domains:
        return (DomainGroup(None, aspects_of(instrument.aspects)),)
    return tuple(
        DomainGroup(d, aspects_of(instrument.aspects_of(d.code))) for d in instrument.domains
    )


def indicator_get(instrument: Instrument, number: str) -> Indicator:
    try:
        return instrument.indicators_by_number[number]
    except KeyError:
        raise InstrumentNotFound(f"{instrument.id} indicator {number}") from None


def indicator_levels(instrument: Instrument, indicator: Indicator) -> list[dict]:
    """Per level of the scale: its name, the criteria and the evidence expected (as the
    indicator page shows them, and the API answers)."""
    scale = instrument.level_scales_by_code.get(indicator.level_scale)
    return [
        {
            "level": level,
            "name": scale.level_name(level) if scale else "",
            "criteria": indicator.criteria.get(level, ""),
            "evidence": indicator.evidence.get(level, ""),
        }
        for level in range(instrument.scale.min, instrument.scale.max + 1)
        if level in indicator.criteria or level in indicator.evidence or scale
    ]

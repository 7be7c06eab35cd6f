"""Instruments through the API: the same reads as the pages, plus scoring."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Router, Schema
from pydantic import model_validator

from monev.core.engine import gap_to_target, score_aspects, score_domains, score_items
from monev.core.model import Instrument
from monev.core.numbers import exact_str
from monev.core.report import gap_to_dict, result_to_dict
from monev.instruments import selectors
from monev.lib.api_schemas import DecimalIn, ErrorOut, ValueIn

# Instruments are public regulation data, and scoring saves nothing: no login needed.
router = Router(tags=["instruments"], auth=None)


class InstrumentSummaryOut(Schema):
    id: str
    version: int
    name: str
    index_name: str
    first_year: int
    last_year: int | None
    status: str
    provisional: bool
    indicators: int
    builtin: bool
    sha256: str


@router.get("", response=list[InstrumentSummaryOut], summary="List instruments")
def list_instruments(request):
    """Every instrument version known to this installation, newest regulation first."""
    return [
        InstrumentSummaryOut(
            id=e.instrument.id,
            version=e.instrument.version,
            name=e.instrument.name,
            index_name=e.instrument.index_name,
            first_year=e.instrument.years.first,
            last_year=e.instrument.years.last,
            status=e.instrument.status.value,
            provisional=e.instrument.provisional,
            indicators=len(e.instrument.indicators),
            builtin=e.builtin,
            sha256=e.sha256,
        )
        for e in selectors.instrument_list()
    ]


@router.get("/{reference}", response=Instrument, summary="Get an instrument")
def get_instrument(request, reference: str):
    """The whole instrument: weights (exact, as strings), bands, levels, criteria.
    `reference` is an id (highest version) or id@version."""
    return selectors.instrument_get(reference)


class IndicatorLevelOut(Schema):
    level: int
    name: str
    criteria: str
    evidence: str


class IndicatorOut(Schema):
    number: str = Field(examples=["1"])
    name: str
    aspect: str = Field(description="the aspect's code")
    aspect_name: str
    domain: str = Field(description="the domain's code")
    weight: str = Field(description="exact, as a string")
    levels: list[IndicatorLevelOut] = Field(description="criteria and evidence expected per level")


@router.get(
    "/{reference}/indicators/{number}",
    response={200: IndicatorOut, 404: ErrorOut},
    summary="Get an indicator",
)
def get_indicator(request, reference: str, number: str):
    """One indicator with its aspect and domain and, per level, the criteria and the evidence
    an assessor expects - as the indicator page shows it."""
    instrument = selectors.instrument_get(reference)
    indicator = selectors.indicator_get(instrument, number)
    aspect = instrument.aspects_by_code[indicator.aspect]
    return {
        "number": indicator.number,
        "name": indicator.name,
        "aspect": aspect.code,
        "aspect_name": aspect.name,
        "domain": aspect.domain,
        "weight": exact_str(indicator.weight),
        "levels": selectors.indicator_levels(instrument, indicator),
    }


Values = dict[str, DecimalIn]
# Indicator values may be exact fractions ("7/6") where the instrument keeps them (pemdi-2026).
IndicatorValues = dict[str, ValueIn]


def _only(chosen: str) -> dict:
    others = {"indicators", "aspects", "domains"} - {chosen}
    return {
        "required": [chosen],
        "properties": {chosen: {"type": "object"}, **{o: {"type": "null"} for o in others}},
    }


class ScoreIn(Schema):
    # The document says what the validator checks: exactly one of the three, the others null.
    model_config = {
        "json_schema_extra": {"oneOf": [_only(k) for k in ("indicators", "aspects", "domains")]}
    }

    indicators: IndicatorValues | None = Field(
        None,
        description="indicator number -> level (pemdi-2026: up to ten decimals, or a "
        "fraction such as 7/6)",
        examples=[{"1": "3", "2": "4"}],
    )
    aspects: Values | None = Field(None, description="aspect code -> published score")
    domains: Values | None = Field(None, description="domain code -> published score")
    missing: Literal["error", "min"] = Field(
        "error", description="refuse missing entries, or score them at the scale minimum"
    )
    target: DecimalIn | None = Field(None, description="a target index, to report the gap")

    @model_validator(mode="after")
    def exactly_one_kind(self):
        given = [v for v in (self.indicators, self.aspects, self.domains) if v is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of indicators, aspects or domains")
        return self


class ScoreNodeOut(Schema):
    code: str
    name: str
    domain: str | None = None
    weight: str
    score: str
    score_exact: str


class ScoreIndicatorOut(Schema):
    number: str
    name: str
    aspect: str
    level: str = Field(description="the value to the reported places (7/6 -> 1.17)")
    level_exact: str = Field(description="the exact value")
    weight: str
    contribution: str
    headroom: str


class TargetOut(Schema):
    target: str
    reached: bool
    shortfall_exact: str


class ScoreOut(Schema):
    instrument: str
    instrument_version: int
    provisional: bool
    basis: str
    index: str
    index_exact: str
    predicate: str
    index_low: str = Field(
        description="the lowest exact index the inputs admit: published aspect or domain "
        "scores are rounded (each stands for +-half a unit of its last place); equal to "
        "index_exact for indicator levels"
    )
    index_high: str = Field(description="the highest exact index the inputs admit")
    predicates_possible: list[str] = Field(
        description="every predicate an exact index from index_low to index_high gets, "
        "lowest first; one for indicator levels",
        examples=[["Cukup", "Baik"]],
    )
    predicate_other_reading: str | None = Field(
        description="where the instrument's band edges are contested (pemdi-2026) and the "
        "reported index lies exactly on one: the predicate the other reading gives"
    )
    domains: list[ScoreNodeOut]
    aspects: list[ScoreNodeOut]
    indicators: list[ScoreIndicatorOut]
    filled_with_minimum: list[str]
    target: TargetOut | None = None


@router.post("/{reference}/score", response=ScoreOut, summary="Score levels or published scores")
def score(request, reference: str, payload: ScoreIn):
    """The index, aspect and domain scores and predicate, computed exactly as the ministry
    does; nothing is saved. The same result as `monev score --format json`."""
    instrument = selectors.instrument_get(reference)
    if payload.indicators is not None:
        result = score_items(instrument, payload.indicators, missing=payload.missing)
    elif payload.aspects is not None:
        result = score_aspects(instrument, payload.aspects, missing=payload.missing)
    else:
        result = score_domains(instrument, payload.domains or {}, missing=payload.missing)
    data = result_to_dict(result)
    if payload.target is not None:
        data["target"] = gap_to_dict(gap_to_target(result, payload.target))
    return data

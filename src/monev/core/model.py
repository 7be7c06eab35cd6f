"""The instrument: what a regulation measures, with which weights, and how it is reported.

An instrument file is YAML in the format described in docs/instrument-format.md. These
pydantic models are its schema (structure and types); loader.py adds the checks that span
the file (weights summing to their parent, codes unique, bands covering the scale).
"""

from __future__ import annotations

import calendar
import math
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, WithJsonSchema

from monev.core.numbers import NotExact, exact_str, is_terminating, to_fraction

FORMAT = "monev-instrument/1"


def _exact(value: object) -> Fraction:
    try:
        return to_fraction(value)
    except NotExact as error:
        raise ValueError(str(error)) from None


def _bound(value: object) -> Decimal:
    if isinstance(value, float):
        raise ValueError("write the number as an exact decimal (a float was given)")
    if isinstance(value, int | str | Decimal) and not isinstance(value, bool):
        try:
            result = Decimal(str(value).strip())
        except ArithmeticError:
            raise ValueError(f"{value!r} is not a decimal number") from None
        if result.is_finite():
            return result
    raise ValueError(f"{value!r} is not a decimal number")


def _code(value: object) -> str:
    """Indicator numbers are text ("35.1"); YAML may hand them over as int or Decimal."""
    if isinstance(value, bool) or value is None:
        raise ValueError("expected an indicator number such as 12 or '35.1'")
    if isinstance(value, int | Decimal | str):
        text = str(value).strip()
        if text:
            return text
    raise ValueError("expected an indicator number such as 12 or '35.1'")


_NUMBER_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^\d+(\.\d+)?$"}]}
ExactNumber = Annotated[
    Fraction,
    BeforeValidator(_exact),
    PlainSerializer(exact_str, return_type=str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number"},
                {"type": "string", "pattern": r"^\d+(\.\d+)?(\s*/\s*\d+(\.\d+)?)?$"},
            ],
            "description": "an exact decimal (1.3), or a fraction (10/3) for an even split",
        }
    ),
]
Bound = Annotated[
    Decimal,
    BeforeValidator(_bound),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_NUMBER_SCHEMA),
]
ItemNumber = Annotated[str, BeforeValidator(_code)]
Text = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1990, le=2100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Status(StrEnum):
    DRAFT = "draft"
    PROVISIONAL = "provisional"
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"


class ValueType(StrEnum):
    WHOLE = "whole"  # whole levels only: 1, 2, 3
    DECIMAL2 = "decimal2"  # partial credit within a level, up to two decimals: 1.17, 2.50
    # Partial credit kept exact: up to ten decimals (1.1666666667) or a fraction (7/6), as the
    # national system keeps item-derived values unrounded (pemdi-2026).
    FRACTIONAL = "fractional"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM_HIGH = "medium-high"
    MEDIUM = "medium"
    MEDIUM_LOW = "medium-low"
    LOW = "low"


class ExternalMode(StrEnum):
    IMPORT = "import"  # the value is imported from the other agency's index, converted
    EVIDENCE = "evidence"  # the other agency's result is an evidence item per level


class Note(Strict):
    """A statement about how certain a fact in the file is, and where it comes from."""

    subject: Text
    confidence: Confidence
    note: Text
    source: str = ""


class LegalBasis(Strict):
    regulation: Text
    replaces: str = ""
    superseded_by: str = ""
    results_published_by: str = ""
    enacted: date | None = None  # ditetapkan
    promulgated: date | None = None  # diundangkan
    gazette: str = ""  # Berita Negara: where it was promulgated
    confidence: Confidence | None = None  # of the dates and the gazette number
    source: str = ""


class Years(Strict):
    first: Year
    last: Year | None = None  # None: still in force

    def covers(self, year: int) -> bool:
        return self.first <= year and (self.last is None or year <= self.last)


class Scale(Strict):
    min: int
    max: int


class EdgeReading(StrEnum):
    """Which of two bands owns the value on the edge they share."""

    LOWER_INCLUSIVE = "lower_inclusive"  # [min, max): the band above (2.50 is Baik)
    UPPER_INCLUSIVE = "upper_inclusive"  # (min, max]: the band below (2.50 is Cukup)

    @property
    def other(self) -> EdgeReading:
        if self is EdgeReading.LOWER_INCLUSIVE:
            return EdgeReading.UPPER_INCLUSIVE
        return EdgeReading.LOWER_INCLUSIVE


class BandEdges(Strict):
    """How values exactly on a band edge are read, for the predicates and for the level names
    of fractional values (pemdi-2026: 1.50 is Kurang and "Rintisan", or Cukup and level 2?).
    `contested`: the sources disagree, so a value on an edge is shown with the other reading."""

    predicates: EdgeReading = EdgeReading.LOWER_INCLUSIVE
    level_names: EdgeReading = EdgeReading.LOWER_INCLUSIVE
    contested: bool = False
    confidence: Confidence | None = None
    note: str = ""
    source: str = ""


class LevelName(Strict):
    level: int
    name: Text
    name_en: str = ""
    aliases: tuple[str, ...] = ()
    description: str = ""
    # The fractional values this level names (pemdi-2026: level 2 names 1.5-2.5); an edge two
    # levels share goes by `band_edges.level_names`. Absent: only the whole value is named.
    min: Bound | None = None
    max: Bound | None = None


class LevelScale(Strict):
    """A named scale of maturity levels (spbe-2020 has two: process, technical function)."""

    code: Text
    name: Text
    applies_to: str = ""
    levels: tuple[LevelName, ...]

    def level_name(self, level: int) -> str:
        for entry in self.levels:
            if entry.level == level:
                return entry.name
        return ""

    @property
    def has_value_bands(self) -> bool:
        return bool(self.levels) and all(
            entry.min is not None and entry.max is not None for entry in self.levels
        )

    def level_for(self, value: Decimal, reading: EdgeReading) -> LevelName | None:
        """The level a value is named by: by the value bands where the scale has them (an
        edge two bands share going to the band below when upper_inclusive, else to the band
        above; the scale's ends to their band); else a whole value's own level. None for a
        fractional value without bands, or a value outside them."""
        if not self.has_value_bands:
            if value != value.to_integral_value():
                return None
            return next((e for e in self.levels if e.level == int(value)), None)
        bands = sorted(self.levels, key=lambda entry: entry.level)
        for index, entry in enumerate(bands):
            assert entry.min is not None and entry.max is not None
            first, last = index == 0, index == len(bands) - 1
            if reading is EdgeReading.UPPER_INCLUSIVE:
                inside = (entry.min < value or (first and value == entry.min)) and (
                    value <= entry.max
                )
            else:
                inside = entry.min <= value and (value < entry.max or (last and value == entry.max))
            if inside:
                return entry
        return None


class Predicate(Strict):
    """A rating band: the reported index falls in [min, max) or [min, max] etc."""

    name: Text
    min: Bound
    max: Bound
    min_inclusive: bool = True
    max_inclusive: bool = False
    level_alias: str = ""

    def contains(self, value: Decimal) -> bool:
        above = value >= self.min if self.min_inclusive else value > self.min
        below = value <= self.max if self.max_inclusive else value < self.max
        return above and below


class Rounding(Strict):
    places: int = Field(ge=0, le=6)
    mode: Literal["half_up", "half_even"] = "half_up"
    # Whether aspect and domain scores are rounded before they are aggregated further.
    intermediate: bool = False
    note: str = ""


class Domain(Strict):
    code: Text
    name: Text
    weight: ExactNumber


class Aspect(Strict):
    code: Text
    name: Text
    short_name: str = ""
    domain: str = ""  # empty for instruments without domains (pemdi-2026)
    weight: ExactNumber


def numbered(number: str, name: str) -> str:
    """An indicator or a scored item as people see it: its number, then its name
    ("11. Arsitektur SPBE"). Names alone are not enough: spbe-2020's indicators 1 and 11 share
    the short name "Arsitektur SPBE"; numbers never repeat in an instrument."""
    return f"{number}. {name}"


class SubItem(Strict):
    """A scored part of an indicator (spbe-2018 35 -> 35.1, 35.2, 35.3)."""

    number: ItemNumber
    name: Text
    weight: ExactNumber


class ConversionMethod(StrEnum):
    LINEAR_BANDS = "linear_bands"  # linear between the listed points (SDI -> indicator 5)
    DIRECT = "direct"  # the other index is already on the instrument's scale (SJIG)
    ENTERED = "entered"  # formula unknown: the indicator value is entered, the source attached


class ConversionPoint(Strict):
    """One point of a linear-within-bands conversion: the other index's value -> ours."""

    source: Bound
    value: Bound


class ExternalSource(Strict):
    """Another agency's evaluation that an indicator depends on (pemdi-2026)."""

    index: Text
    owner: Text
    mode: ExternalMode
    conversion: str = ""  # the conversion in words, as the sources describe it
    method: ConversionMethod | None = None  # import mode: how a value is converted
    points: tuple[ConversionPoint, ...] = ()  # linear_bands: ascending in source and value
    default_value: Bound | None = None  # the value used until the external result arrives
    # evidence mode: the other agency's result must be no older than this when assessed
    max_age_months: Annotated[int, Field(ge=1)] | None = None
    regulation: str = ""  # what defines the other index (IKASANDI: Peraturan BSSN 10/2023)
    confidence: Confidence
    source: str = ""


class ItemBand(Strict):
    """The values an indicator takes while the items of one level are being accepted."""

    level: int
    min: Bound
    max: Bound


class ItemRule(Strict):
    """How an indicator's value follows from its evidence items judged one by one per level
    (pemdi-2026): the band of the first level not wholly accepted, its lower bound plus the
    share of that level's items accepted times the band's width. A finding, not a rule
    anyone published: kept as data, with its confidence, so it can be corrected."""

    method: Literal["band_share"]
    bands: tuple[ItemBand, ...]
    confidence: Confidence
    note: str = ""
    source: str = ""


class ItemWeights(Strict):
    """The weights of one level's evidence items in the item rule: one positive number per
    item, in the order of the level's items (normalised: they need not sum to 1), or
    `unknown` where published values show the items are not equal but no source gives their
    weights. Levels not listed weigh their items equally."""

    level: int
    weights: tuple[ExactNumber, ...] | Literal["unknown"]
    note: str = ""
    source: str = ""

    @property
    def known(self) -> bool:
        return self.weights != "unknown"


class Indicator(Strict):
    number: ItemNumber
    code: str = ""  # the instrument's own code where it has one (pemdi-2026: IK-01)
    assessor_code: str = ""  # the code the assessors' application uses (pemdi-2026: 1.1)
    name: Text
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    aspect: Text
    weight: ExactNumber
    kind: str = ""  # kebijakan, tata_kelola, manajemen, audit, layanan ... (effort defaults)
    level_scale: str = ""
    value_type: ValueType | None = None  # None: the instrument's value type
    description: str = ""
    criteria: dict[int, Text] = {}
    evidence: dict[int, Text] = {}
    # The evidence items judged one by one at each level (item-level assessment); where a
    # level lists none, its evidence text's clauses are the items (see evidence_items_at).
    evidence_items: dict[int, tuple[Text, ...]] = {}
    # Per level, the items' weights in the item rule where they are not equal or not known.
    item_weights: tuple[ItemWeights, ...] = ()
    evidence_general: tuple[str, ...] = ()
    criteria_confidence: Confidence | None = None
    supervising_agencies: tuple[str, ...] = ()  # instansi pembina
    sources: tuple[str, ...] = ()
    sub_items: tuple[SubItem, ...] = ()
    external: ExternalSource | None = None
    note: str = ""

    @property
    def label(self) -> str:
        """Its number and short name (else name): "11. Arsitektur SPBE"."""
        return numbered(self.number, self.short_name or self.name)

    @property
    def imported(self) -> bool:
        """Scored from another agency's index, not from evidence (pemdi-2026 5, 6, 7, 18)."""
        return self.external is not None and self.external.mode == ExternalMode.IMPORT

    def evidence_items_at(self, level: int) -> tuple[str, ...]:
        """The items judged at a level: the listed ones; else one per clause (split on "; ")
        of the level's evidence text; else the level's criterion as the one item."""
        if level in self.evidence_items:
            return self.evidence_items[level]
        text = self.evidence.get(level, "").strip()
        if text:
            return tuple(part.strip() for part in text.split("; ") if part.strip())
        criterion = self.criteria.get(level, "")
        return (criterion,) if criterion else ()

    def item_weights_at(self, level: int) -> tuple[Fraction, ...] | None:
        """The weights of the items judged at a level, each a share of 1: as listed, else
        equal; None where the file says they are unknown."""
        count = len(self.evidence_items_at(level))
        listed = next((entry for entry in self.item_weights if entry.level == level), None)
        if listed is None:
            return tuple(Fraction(1, count) for _ in range(count))
        if listed.weights == "unknown":
            return None
        total = sum(listed.weights, Fraction(0))
        return tuple(weight / total for weight in listed.weights)


class ScoredItem(Strict):
    """What takes a value when scoring: an indicator, or each sub-item of a split indicator."""

    number: str
    name: str
    weight: ExactNumber
    indicator: str
    aspect: str
    value_type: ValueType
    short_name: str = ""  # the indicator's short name; a sub-item (35.1) has none

    @property
    def label(self) -> str:
        """Its number and short name (else name): "11. Arsitektur SPBE", a sub-item
        "35.1. Layanan Publik Instansi Pemerintah - layanan 1"."""
        return numbered(self.number, self.short_name or self.name)


# The milestones a period can have (evaluations.models.Milestone.Kind; a test keeps the two
# equal). Kept here so the pure core can check a schedule without Django.
MILESTONE_KINDS = (
    "self_assessment_open",
    "self_assessment_close",
    "evidence_deadline",
    "mentoring",
    "document_review",
    "interview",
    "visitation",
    "announcement",
    "triwulan_1",
    "triwulan_2",
    "triwulan_3",
    "triwulan_4",
)
START_OF_DAY = time(0, 0)
# The last minute of the day, as the milestone form and the demo write a deadline.
END_OF_DAY = time(23, 59)


class DayPart(StrEnum):
    START = "start"  # 00:00: a window opens when its first day begins
    END = "end"  # 23:59: a deadline or a result date counts to the end of its day


class ScheduledMilestone(Strict):
    """One milestone of a default schedule, relative to the period's year."""

    kind: Literal[MILESTONE_KINDS]  # type: ignore[valid-type]
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    at: DayPart = DayPart.END
    year_offset: Annotated[int, Field(ge=0, le=1)] = 0  # 1: in the year after the period's
    title: str = ""

    @property
    def exists_every_year(self) -> bool:
        return self.day <= calendar.monthrange(2001, self.month)[1]  # 2001: not a leap year

    def moment(self, year: int) -> datetime:
        """The milestone in a period of `year`, as a local (naive) date and time: the caller
        places it in the deployment's time zone."""
        when = date(year + self.year_offset, self.month, self.day)
        return datetime.combine(when, START_OF_DAY if self.at is DayPart.START else END_OF_DAY)


class Schedule(Strict):
    """The milestones a new period starts from (pemdi-2026: the 2026 national schedule),
    each editable per period afterwards."""

    milestones: Annotated[tuple[ScheduledMilestone, ...], Field(min_length=1)]
    confidence: Confidence
    note: str = ""
    source: str = ""

    def on(self, year: int) -> tuple[tuple[str, datetime, str], ...]:
        """(kind, local date and time, title) of every milestone in a period of `year`."""
        return tuple((m.kind, m.moment(year), m.title) for m in self.milestones)


class Instrument(Strict):
    format: Literal["monev-instrument/1"]
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    version: Annotated[int, Field(ge=1)]
    name: Text
    short_name: Text
    index_name: Text
    legal_basis: LegalBasis
    years: Years
    status: Status
    confidence: Confidence
    confidence_notes: tuple[Note, ...] = ()
    scale: Scale
    value_type: ValueType
    level_scales: tuple[LevelScale, ...] = ()
    criteria_available: bool
    cumulative_criteria: bool = True
    item_rule: ItemRule | None = None  # item-level assessment, where the instrument has it
    schedule: Schedule | None = None  # the default milestones of a new period
    band_edges: BandEdges = BandEdges()  # default: lower-inclusive, not contested
    predicates: tuple[Predicate, ...]
    rounding: Rounding
    domains: tuple[Domain, ...] = ()
    aspects: tuple[Aspect, ...]
    indicators: tuple[Indicator, ...]

    @property
    def provisional(self) -> bool:
        return self.status in (Status.PROVISIONAL, Status.DRAFT)

    @cached_property
    def total_weight(self) -> Fraction:
        return sum((aspect.weight for aspect in self.aspects), Fraction(0))

    @cached_property
    def scored_items(self) -> tuple[ScoredItem, ...]:
        items = []
        for indicator in self.indicators:
            value_type = indicator.value_type or self.value_type
            parts = indicator.sub_items or (indicator,)
            for part in parts:
                items.append(
                    ScoredItem(
                        number=part.number,
                        name=part.name,
                        weight=part.weight,
                        indicator=indicator.number,
                        aspect=indicator.aspect,
                        value_type=value_type,
                        short_name="" if indicator.sub_items else indicator.short_name,
                    )
                )
        return tuple(items)

    @cached_property
    def integer_weights(self) -> tuple[int, dict[str, int]]:
        """(D, weights * D as integers) for a common denominator D of all item weights."""
        denominator = math.lcm(*(item.weight.denominator for item in self.scored_items))
        weights = {item.number: int(item.weight * denominator) for item in self.scored_items}
        return denominator, weights

    @cached_property
    def item_shares(self) -> dict[str, Decimal | None]:
        """Each item's weight / total weight as an exact Decimal where it terminates (so a
        contribution is value x share, exactly, without rational arithmetic), else None."""
        shares: dict[str, Decimal | None] = {}
        for item in self.scored_items:
            share = item.weight / self.total_weight
            shares[item.number] = Decimal(exact_str(share)) if is_terminating(share) else None
        return shares

    @cached_property
    def items_by_number(self) -> dict[str, ScoredItem]:
        return {item.number: item for item in self.scored_items}

    @cached_property
    def item_labels(self) -> dict[str, str]:
        """The label (numbered) of every indicator and scored item, by number: what a page,
        a mail or an export shows where it names one."""
        labels = {indicator.number: indicator.label for indicator in self.indicators}
        labels |= {item.number: item.label for item in self.scored_items}
        return labels

    def label_of(self, number: str) -> str:
        """The label of an indicator or scored item; a number the instrument lacks as it is."""
        return self.item_labels.get(number, number)

    @cached_property
    def indicators_by_number(self) -> dict[str, Indicator]:
        return {indicator.number: indicator for indicator in self.indicators}

    @cached_property
    def aspects_by_code(self) -> dict[str, Aspect]:
        return {aspect.code: aspect for aspect in self.aspects}

    @cached_property
    def domains_by_code(self) -> dict[str, Domain]:
        return {domain.code: domain for domain in self.domains}

    @cached_property
    def level_scales_by_code(self) -> dict[str, LevelScale]:
        return {scale.code: scale for scale in self.level_scales}

    def aspects_of(self, domain_code: str) -> tuple[Aspect, ...]:
        return tuple(aspect for aspect in self.aspects if aspect.domain == domain_code)

    def indicators_of(self, aspect_code: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.aspect == aspect_code)

    def predicate_for(self, reported: Decimal) -> Predicate:
        for band in self.predicates:
            if band.contains(reported):
                return band
        # The loader checks that bands cover the whole scale, and scores stay in the scale.
        raise ValueError(f"no predicate band contains {reported}")

    def predicate_other_reading(self, reported: Decimal) -> Predicate | None:
        """Where the band edges are contested and `reported` lies exactly on an edge two bands
        share: the band the other reading puts it in (the one that does not include it)."""
        if not self.band_edges.contested:
            return None
        own = self.predicate_for(reported)
        for band in self.predicates:
            if band is not own and reported in (band.min, band.max) and not band.contains(reported):
                return band
        return None

    def level_for(self, indicator: Indicator, value: Decimal) -> tuple[str, str]:
        """The name of the level `value` stands for on the indicator's scale, and, where the
        edges are contested and the value lies on one, the name the other reading gives ("" for
        none); ("", "") where the scale does not name the value."""
        scale = self.level_scales_by_code.get(indicator.level_scale)
        if scale is None:
            return "", ""
        reading = self.band_edges.level_names
        entry = scale.level_for(value, reading)
        if entry is None:
            return "", ""
        other = scale.level_for(value, reading.other) if self.band_edges.contested else None
        return entry.name, other.name if other is not None and other is not entry else ""


def instrument_json_schema() -> dict:
    """The JSON Schema of instrument files, for editors and for evaluators writing their own."""
    schema = Instrument.model_json_schema(mode="validation")
    schema["$id"] = "https://monev-spbe.example/schema/instrument-1.json"
    schema["title"] = "Monev SPBE instrument file (format monev-instrument/1)"
    return schema

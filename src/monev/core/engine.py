"""The scoring engine: indicator values -> aspect, domain and index scores and the predicate.

Every score is a weighted mean: aspect = sum(w_i * v_i) / W_a over its indicators, domain =
sum(W_a * aspect) / W_d over its aspects, index = sum(W_d * domain) / 100. With nested weights
this equals sum(w_i * v_i) / 100 over all indicators. The exact value is kept; the reported
value is rounded once by the instrument's rounding policy, and the predicate is read from the
reported value, as the ministry publishes it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from monev.core.model import Instrument, Predicate, ScoredItem, ValueType
from monev.core.numbers import (
    EXACT_PLACES,
    ExactDecimal,
    decimal_places,
    exact_decimal,
    exact_fraction,
    round_fraction,
    value_text,
)

Missing = Literal["error", "min"]
Basis = Literal["indicators", "aspects", "domains"]


@dataclass(frozen=True)
class InputProblem:
    key: str  # the indicator number, aspect or domain code the problem is about
    message: str


class ScoringInputError(ValueError):
    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.key}: {p.message}" for p in problems))


@dataclass(frozen=True)
class Score:
    exact: Fraction
    reported: Decimal

    def __str__(self) -> str:
        return str(self.reported)


@dataclass(frozen=True)
class NodeScore:
    """An aspect's or a domain's score."""

    code: str
    name: str
    weight: Fraction
    score: Score
    parent: str = ""  # an aspect's domain


@dataclass(frozen=True)
class ItemScore:
    number: str
    indicator: str
    aspect: str
    name: str
    value: Decimal
    weight: Fraction
    total_weight: Fraction
    scale_max: int

    @property
    def contribution(self) -> Fraction:
        """This item's share of the index: value * weight / total weight."""
        return Fraction(self.value) * self.weight / self.total_weight

    @property
    def headroom(self) -> Fraction:
        """What one more level of this item adds to the index (0 at the maximum)."""
        level = Fraction(self.value)
        return (min(level + 1, self.scale_max) - level) * self.weight / self.total_weight

    @property
    def headroom_to_max(self) -> Fraction:
        """What raising this item to the scale maximum adds to the index."""
        return (self.scale_max - Fraction(self.value)) * self.weight / self.total_weight


@dataclass(frozen=True)
class Interval:
    """Where an exact value can lie: from `low` to `high`, each end included or not."""

    low: Fraction
    high: Fraction
    low_included: bool = True
    high_included: bool = True


@dataclass(frozen=True)
class Result:
    instrument: Instrument
    basis: Basis
    index: Score
    predicate: Predicate
    domains: tuple[NodeScore, ...]
    aspects: tuple[NodeScore, ...]
    items: tuple[ItemScore, ...] = ()
    filled_with_minimum: tuple[str, ...] = ()  # keys missing from the input, scored at the minimum
    # Where the exact index can lie when the inputs were rounded (aspect or domain scores);
    # None for exact input. Every predicate that admits, lowest first (one for exact input).
    interval: Interval | None = None
    predicates_possible: tuple[Predicate, ...] = ()
    # On a band edge the sources read differently: the predicate the other reading gives.
    predicate_other_reading: Predicate | None = None

    @property
    def index_low(self) -> Fraction:
        return self.interval.low if self.interval else self.index.exact

    @property
    def index_high(self) -> Fraction:
        return self.interval.high if self.interval else self.index.exact

    def aspect(self, code: str) -> NodeScore:
        return next(node for node in self.aspects if node.code == code)

    def domain(self, code: str) -> NodeScore:
        return next(node for node in self.domains if node.code == code)

    def weakest_aspects(self, count: int = 3) -> tuple[NodeScore, ...]:
        return tuple(sorted(self.aspects, key=lambda node: (node.score.exact, node.code))[:count])


@dataclass(frozen=True)
class Change:
    code: str
    name: str
    before: Score
    after: Score

    @property
    def delta(self) -> Fraction:
        return self.after.exact - self.before.exact


@dataclass(frozen=True)
class WhatIf:
    before: Result
    after: Result
    changed_items: tuple[tuple[str, Decimal, Decimal], ...]  # (number, before, after)
    index: Change
    aspects: tuple[Change, ...] = field(default=())
    domains: tuple[Change, ...] = field(default=())

    @property
    def predicate_changed(self) -> bool:
        return self.before.predicate.name != self.after.predicate.name


@dataclass(frozen=True)
class Gap:
    target: Decimal
    index: Score
    shortfall: Fraction  # target - exact index, or 0 when reached

    @property
    def reached(self) -> bool:
        """Reached means the exact index is at least the target, not merely rounds to it."""
        return self.shortfall == 0


# --- checking input ------------------------------------------------------------------------


def value_problem(
    instrument: Instrument, item: ScoredItem, value: Decimal | Fraction
) -> str | None:
    """Why `value` cannot be given to `item`, or None if it can. A fractional value type takes
    up to EXACT_PLACES decimals or an exact fraction (an ExactDecimal, 7/6)."""
    low, high = instrument.scale.min, instrument.scale.max
    if isinstance(value, Decimal) and not value.is_finite():
        return f"value {value} is outside the scale {low}-{high}"
    shown, exact = value_text(value), exact_fraction(value)
    if not low <= exact <= high:
        return f"value {shown} is outside the scale {low}-{high}"
    if item.value_type is ValueType.WHOLE and exact.denominator != 1:
        return (
            f"value {shown} is not a whole level; {instrument.id} takes whole levels {low}-{high}"
        )
    if item.value_type is ValueType.DECIMAL2 and (exact * 100).denominator != 1:
        return f"value {shown} has more than two decimals"
    if (
        item.value_type is ValueType.FRACTIONAL
        and isinstance(value, Decimal)
        and not isinstance(value, ExactDecimal)
        and decimal_places(value) > EXACT_PLACES
    ):
        return f"value {shown} has more than ten decimals; give it as a fraction such as 7/6"
    return None


def score_problem(instrument: Instrument, value: Decimal) -> str | None:
    """Why an aspect or domain score `value` cannot be used, or None if it can."""
    low, high = instrument.scale.min, instrument.scale.max
    if not value.is_finite() or not low <= value <= high:
        return f"score {value} is outside the scale {low}-{high}"
    return None


InputKind = Literal["indicator", "aspect", "domain"]


def input_problems(
    instrument: Instrument, kind: InputKind, values: Mapping[str, Decimal]
) -> list[InputProblem]:
    """Problems with the given keys and values (unknown key, value not allowed); missing keys
    are not checked here."""
    if kind == "indicator":
        items = instrument.items_by_number
        problems = [
            InputProblem(key, f"unknown indicator {key}{split_indicator_hint(instrument, key)}")
            for key in values
            if key not in items
        ]
        for key, value in values.items():
            if key in items and (message := value_problem(instrument, items[key], value)):
                problems.append(InputProblem(key, message))
        return problems
    if kind == "domain" and not instrument.domains:
        message = f"{instrument.id} has no domains; give indicator or aspect scores"
        return [InputProblem("domain", message)]
    known = instrument.aspects_by_code if kind == "aspect" else instrument.domains_by_code
    problems = [InputProblem(key, f"unknown {kind} {key}") for key in values if key not in known]
    problems += [
        InputProblem(key, message)
        for key, value in values.items()
        if key in known and (message := score_problem(instrument, value))
    ]
    return problems


def _checked(
    instrument: Instrument,
    kind: InputKind,
    values: Mapping[str, Decimal],
    wanted: list[str],
    missing: Missing,
) -> tuple[dict[str, Decimal], list[str]]:
    """The values completed per `missing`, or ScoringInputError naming every problem."""
    problems = input_problems(instrument, kind, values)
    if kind == "domain" and not instrument.domains:
        raise ScoringInputError(problems)
    minimum = Decimal(instrument.scale.min)
    complete, filled, missing_problems = _complete(wanted, values, missing, minimum, kind)
    problems += missing_problems
    if problems:
        raise ScoringInputError(problems)
    return complete, filled


def _complete(
    wanted: list[str], given: Mapping[str, Decimal], missing: Missing, minimum: Decimal, what: str
) -> tuple[dict[str, Decimal], list[str], list[InputProblem]]:
    values: dict[str, Decimal] = {}
    filled: list[str] = []
    problems: list[InputProblem] = []
    for key in wanted:
        if key in given:
            values[key] = given[key]
        elif missing == "min":
            values[key] = minimum
            filled.append(key)
        else:
            problems.append(InputProblem(key, f"{what} {key} has no value"))
    return values, filled, problems


def split_indicator_hint(instrument: Instrument, key: str) -> str:
    indicator = instrument.indicators_by_number.get(key)
    if indicator and indicator.sub_items:
        parts = ", ".join(sub.number for sub in indicator.sub_items)
        return f"; indicator {key} is scored through its sub-items {parts}"
    return ""


# --- scoring -------------------------------------------------------------------------------


def _score(instrument: Instrument, exact: Fraction) -> Score:
    rounding = instrument.rounding
    return Score(exact=exact, reported=round_fraction(exact, rounding.places, rounding.mode))


def _carried(instrument: Instrument, score: Score) -> Fraction:
    """The value an aggregate passes upward: rounded first if the instrument says so."""
    return Fraction(score.reported) if instrument.rounding.intermediate else score.exact


def _aggregate_domains(instrument: Instrument, aspect_values: Mapping[str, Fraction]):
    domains = []
    for domain in instrument.domains:
        total = sum(
            (
                aspect.weight * aspect_values[aspect.code]
                for aspect in instrument.aspects_of(domain.code)
            ),
            Fraction(0),
        )
        domains.append(
            NodeScore(
                domain.code, domain.name, domain.weight, _score(instrument, total / domain.weight)
            )
        )
    return tuple(domains)


def _index(instrument: Instrument, domains, aspect_values: Mapping[str, Fraction]) -> Score:
    if instrument.domains:
        total = sum(
            (node.weight * _carried(instrument, node.score) for node in domains), Fraction(0)
        )
    else:
        total = sum((a.weight * aspect_values[a.code] for a in instrument.aspects), Fraction(0))
    return _score(instrument, total / instrument.total_weight)


def _result(
    instrument: Instrument, basis: Basis, index: Score, interval: Interval | None = None, **parts
) -> Result:
    predicate = instrument.predicate_for(index.reported)
    possible = predicates_possible(instrument, interval) if interval else (predicate,)
    return Result(
        instrument=instrument,
        basis=basis,
        index=index,
        predicate=predicate,
        interval=interval,
        predicates_possible=possible,
        predicate_other_reading=instrument.predicate_other_reading(index.reported),
        **parts,
    )


# --- rounded inputs ------------------------------------------------------------------------


def given_interval(instrument: Instrument, value: Decimal | Fraction) -> Interval:
    """Every exact score a published (rounded) aspect or domain score stands for.

    A Decimal written with d decimals was rounded to d places (at least the instrument's
    reported places: "3.5" is taken as 3.50 with its zero dropped) by the instrument's
    rounding mode, so the exact score x reports as the value: half up, x in [v - h, v + h) with
    h = 0.5 x 10^-d; half even, both ends included when the last digit is even, neither when
    odd. The interval stops at the scale's ends (no score lies beyond them). A Fraction is
    exact."""
    exact = Fraction(value)
    if isinstance(value, Fraction):
        return Interval(exact, exact)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    places = max(instrument.rounding.places, -exponent)
    half = Fraction(1, 2 * 10**places)
    if instrument.rounding.mode == "half_up":
        low_included, high_included = True, False
    else:
        even = (exact * 10**places).numerator % 2 == 0
        low_included = high_included = even
    low, high = exact - half, exact + half
    if low <= instrument.scale.min:
        low, low_included = Fraction(instrument.scale.min), True
    if high >= instrument.scale.max:
        high, high_included = Fraction(instrument.scale.max), True
    return Interval(low, high, low_included, high_included)


def predicates_possible(instrument: Instrument, interval: Interval) -> tuple[Predicate, ...]:
    """Every predicate an exact index within `interval` can get, lowest first. The predicate
    is read from the reported (rounded) index, so these are the bands holding any reported
    value the interval rounds to."""
    places, mode = instrument.rounding.places, instrument.rounding.mode
    scale = 10**places

    def units(value: Fraction) -> int:
        return int(round_fraction(value, places, mode).scaleb(places))

    # An end not included reports as the values just inside it do: a tie there rounds inwards.
    lowest = (
        units(interval.low)
        if interval.low_included
        else math.floor(interval.low * scale + Fraction(1, 2))
    )
    highest = (
        units(interval.high)
        if interval.high_included
        else math.ceil(interval.high * scale - Fraction(1, 2))
    )
    found = []
    for band in sorted(instrument.predicates, key=lambda band: band.min):
        first = max(lowest, math.ceil(Fraction(band.min) * scale))
        if first == Fraction(band.min) * scale and not band.min_inclusive:
            first += 1
        if first <= highest and band.contains(Decimal(first).scaleb(-places)):
            found.append(band)
    return tuple(found)


def _units(value: Decimal) -> int | None:
    """A plain decimal of at most EXACT_PLACES places in units of 10^-EXACT_PLACES, exactly;
    None for an ExactDecimal."""
    if isinstance(value, ExactDecimal):
        return None
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -EXACT_PLACES:
        return None
    return int(value.scaleb(EXACT_PLACES))


def score_items(
    instrument: Instrument, values: Mapping[str, Decimal | Fraction], *, missing: Missing = "error"
) -> Result:
    """Score from indicator values (sub-items such as "35.1" where an indicator is split)."""
    wanted = list(instrument.items_by_number)
    complete, filled = _checked(instrument, "indicator", values, wanted, missing)

    # Integer arithmetic in the loop (weights over a common denominator, values in units of
    # 10^-EXACT_PLACES) keeps scoring hundreds of institutions fast; a value with no such
    # form (7/6 from the item rule) is added as the exact rational it is. The result is the
    # same rational either way: nothing is rounded before the reported scores.
    total = instrument.total_weight
    denominator, integer_weights = instrument.integer_weights
    sums: dict[str, int] = {aspect.code: 0 for aspect in instrument.aspects}
    rationals: dict[str, Fraction] = {}
    item_scores = []
    for item in instrument.scored_items:
        value = exact_decimal(complete[item.number])
        units = _units(value)
        if units is not None:
            sums[item.aspect] += integer_weights[item.number] * units
        else:
            rational = integer_weights[item.number] * exact_fraction(value)
            rationals[item.aspect] = rationals.get(item.aspect, Fraction(0)) + rational
        item_scores.append(
            ItemScore(
                item.number,
                item.indicator,
                item.aspect,
                item.name,
                value,
                item.weight,
                total,
                instrument.scale.max,
            )
        )
    scale = denominator * 10**EXACT_PLACES

    def _aspect_sum(code: str) -> Fraction:
        return Fraction(sums[code], scale) + rationals.get(code, Fraction(0)) / denominator

    aspects = tuple(
        NodeScore(
            a.code,
            a.name,
            a.weight,
            _score(instrument, _aspect_sum(a.code) / a.weight),
            a.domain,
        )
        for a in instrument.aspects
    )
    carried = {node.code: _carried(instrument, node.score) for node in aspects}
    domains = _aggregate_domains(instrument, carried)
    return _result(
        instrument,
        "indicators",
        _index(instrument, domains, carried),
        domains=domains,
        aspects=aspects,
        items=tuple(item_scores),
        filled_with_minimum=tuple(filled),
    )


def score_aspects(
    instrument: Instrument, scores: Mapping[str, Decimal], *, missing: Missing = "error"
) -> Result:
    """Score from published aspect scores (pre-aggregated input)."""
    wanted = list(instrument.aspects_by_code)
    complete, filled = _checked(instrument, "aspect", scores, wanted, missing)
    aspects = tuple(
        NodeScore(
            a.code, a.name, a.weight, _score(instrument, Fraction(complete[a.code])), a.domain
        )
        for a in instrument.aspects
    )
    # Given scores are taken as they are, whatever the intermediate-rounding policy.
    given = {code: Fraction(value) for code, value in complete.items()}
    domains = _aggregate_domains(instrument, given)

    def index_of(values: Mapping[str, Fraction]) -> Fraction:
        return _index(instrument, _aggregate_domains(instrument, values), values).exact

    return _result(
        instrument,
        "aspects",
        _index(instrument, domains, given),
        _propagated(instrument, complete, filled, index_of),
        domains=domains,
        aspects=aspects,
        filled_with_minimum=tuple(filled),
    )


def _propagated(
    instrument: Instrument,
    complete: Mapping[str, Decimal],
    filled: list[str],
    index_of,
) -> Interval:
    """The interval of the index from the intervals of rounded inputs. Weights are positive,
    so the index is increasing in every input: its ends are the index of the inputs' ends, and
    an end is reached only if every input's end is (filled-in minimums are exact)."""
    bounds = {
        key: Interval(Fraction(value), Fraction(value))
        if key in filled
        else given_interval(instrument, value)
        for key, value in complete.items()
    }
    low = index_of({key: b.low for key, b in bounds.items()})
    high = index_of({key: b.high for key, b in bounds.items()})
    # Rounding between the levels makes the ends reachable in steps: keep them (wider, safe).
    intermediate = instrument.rounding.intermediate
    return Interval(
        low,
        high,
        intermediate or all(b.low_included for b in bounds.values()),
        intermediate or all(b.high_included for b in bounds.values()),
    )


def score_domains(
    instrument: Instrument, scores: Mapping[str, Decimal], *, missing: Missing = "error"
) -> Result:
    """Score from published domain scores (pre-aggregated input)."""
    wanted = list(instrument.domains_by_code)
    complete, filled = _checked(instrument, "domain", scores, wanted, missing)
    domains = tuple(
        NodeScore(d.code, d.name, d.weight, _score(instrument, Fraction(complete[d.code])))
        for d in instrument.domains
    )
    total = sum((node.weight * node.score.exact for node in domains), Fraction(0))
    index = _score(instrument, total / instrument.total_weight)

    def index_of(values: Mapping[str, Fraction]) -> Fraction:
        weighted = (d.weight * values[d.code] for d in instrument.domains)
        return sum(weighted, Fraction(0)) / instrument.total_weight

    return _result(
        instrument,
        "domains",
        index,
        _propagated(instrument, complete, filled, index_of),
        domains=domains,
        aspects=(),
        filled_with_minimum=tuple(filled),
    )


# --- what-if and gap -----------------------------------------------------------------------


def _changes(before: tuple[NodeScore, ...], after: tuple[NodeScore, ...]) -> tuple[Change, ...]:
    return tuple(
        Change(old.code, old.name, old.score, new.score)
        for old, new in zip(before, after, strict=True)
        if old.score.exact != new.score.exact
    )


def what_if(
    instrument: Instrument,
    base: Mapping[str, Decimal],
    changes: Mapping[str, Decimal],
    *,
    missing: Missing = "error",
) -> WhatIf:
    """The scores if `changes` were applied to `base`; nothing is saved anywhere."""
    before = score_items(instrument, base, missing=missing)
    current = {item.number: item.value for item in before.items}
    after = score_items(instrument, {**current, **changes})
    changed = tuple(
        (number, current[number], value)
        for number, value in changes.items()
        if current[number] != value
    )
    return WhatIf(
        before=before,
        after=after,
        changed_items=changed,
        index=Change("index", instrument.index_name, before.index, after.index),
        aspects=_changes(before.aspects, after.aspects),
        domains=_changes(before.domains, after.domains),
    )


def gap_to_target(result: Result, target: Decimal) -> Gap:
    instrument = result.instrument
    if (message := score_problem(instrument, target)) is not None:
        raise ScoringInputError([InputProblem("target", message.replace("score", "target"))])
    shortfall = max(Fraction(target) - result.index.exact, Fraction(0))
    return Gap(target=target, index=result.index, shortfall=shortfall)

"""Properties of the engine for all three built-in instruments, checked against independent
computations with Fraction (and Decimal at high precision for the rounding)."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from monev.core.engine import score_aspects, score_domains, score_items, what_if
from monev.core.loader import load_file
from monev.core.model import Instrument, ValueType
from monev.core.numbers import exact_decimal, exact_str, is_terminating
from monev.core.registry import BUILTIN_DIR

INSTRUMENTS: dict[str, Instrument] = {
    name: load_file(BUILTIN_DIR / f"{name}.yaml").instrument
    for name in ("spbe-2018", "spbe-2020", "pemdi-2026")
}

# The published bands, written out here rather than read from the files: (edge, name). spbe
# bands start at their edge (2.60 is Baik); pemdi-2026's end at it (2.50 is Cukup, 2.51 Baik).
UPPER_INCLUSIVE = {"pemdi-2026"}
BANDS = {
    "spbe-2018": [("4.2", "Memuaskan"), ("3.5", "Sangat Baik"), ("2.6", "Baik"), ("1.8", "Cukup")],
    "spbe-2020": [("4.2", "Memuaskan"), ("3.5", "Sangat Baik"), ("2.6", "Baik"), ("1.8", "Cukup")],
    "pemdi-2026": [("4.0", "Memuaskan"), ("3.5", "Sangat Baik"), ("2.5", "Baik"), ("1.5", "Cukup")],
}

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


def steps(value_type: ValueType) -> int:
    """Values are drawn as integers in units of 1 (whole) or 0.01 (decimal2)."""
    return 1 if value_type is ValueType.WHOLE else 100


def value_strategy(instrument: Instrument, value_type: ValueType) -> st.SearchStrategy[Decimal]:
    unit = steps(value_type)
    low, high = instrument.scale.min * unit, instrument.scale.max * unit
    places = 0 if unit == 1 else 2
    drawn = st.integers(low, high).map(lambda n: Decimal(n).scaleb(-places))
    if value_type is not ValueType.FRACTIONAL:
        return drawn
    # Exact partial credit (pemdi-2026): item values such as 7/6, and values to ten places.
    scale = instrument.scale
    fractions = st.fractions(scale.min, scale.max, max_denominator=24).map(exact_decimal)
    ten_places = st.integers(scale.min * 10**10, scale.max * 10**10).map(
        lambda n: Decimal(n).scaleb(-10)
    )
    return st.one_of(drawn, fractions, ten_places)


def values_for(instrument: Instrument) -> st.SearchStrategy[dict[str, Decimal]]:
    return st.fixed_dictionaries(
        {
            item.number: value_strategy(instrument, item.value_type)
            for item in instrument.scored_items
        }
    )


# Examples carry the instrument's id, so that a failing example prints readably.
instrument_ids = st.sampled_from(sorted(INSTRUMENTS))
cases = instrument_ids.flatmap(lambda name: st.tuples(st.just(name), values_for(INSTRUMENTS[name])))


def weighted_mean(pairs) -> Fraction:
    pairs = list(pairs)
    return sum(Fraction(w) * Fraction(v) for w, v in pairs) / sum(Fraction(w) for w, _ in pairs)


def half_up(value: Fraction) -> Decimal:
    """Independent rounding: a 60-digit decimal approximation, then ROUND_HALF_UP.

    Ties (x.xx5) terminate and are represented exactly; every other value here has a small
    denominator and so lies far further than 1e-50 from a tie."""
    with localcontext() as context:
        context.prec = 60
        approx = Decimal(value.numerator) / Decimal(value.denominator)
        return approx.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def expected_predicate(instrument: Instrument, reported: Decimal) -> str:
    upper = instrument.id in UPPER_INCLUSIVE
    for edge, name in BANDS[instrument.id]:
        if reported > Decimal(edge) or (not upper and reported == Decimal(edge)):
            return name
    return "Kurang"


def all_scores(result):
    return [result.index, *(n.score for n in result.aspects), *(n.score for n in result.domains)]


@PROPERTY_SETTINGS
@given(cases)
def test_the_index_is_the_weighted_mean_of_all_items(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    result = score_items(instrument, values)
    expected = sum(
        (item.weight * Fraction(values[item.number]) for item in instrument.scored_items),
        Fraction(0),
    ) / Fraction(100)
    assert result.index.exact == expected


@PROPERTY_SETTINGS
@given(cases)
def test_every_score_lies_within_the_scale(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    result = score_items(instrument, values)
    low, high = instrument.scale.min, instrument.scale.max
    for score in all_scores(result):
        assert low <= score.exact <= high
        assert low <= score.reported <= high


@PROPERTY_SETTINGS
@given(cases)
def test_aspect_domain_and_index_scores_are_consistent(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    result = score_items(instrument, values)
    for aspect in result.aspects:
        items = [i for i in instrument.scored_items if i.aspect == aspect.code]
        assert aspect.score.exact == weighted_mean((i.weight, values[i.number]) for i in items)
    aspect_scores = {node.code: node.score.exact for node in result.aspects}
    for domain in result.domains:
        members = instrument.aspects_of(domain.code)
        assert domain.score.exact == weighted_mean(
            (a.weight, aspect_scores[a.code]) for a in members
        )
    from_aspects = weighted_mean((a.weight, a.score.exact) for a in result.aspects)
    assert result.index.exact == from_aspects
    if result.domains:
        from_domains = weighted_mean((d.weight, d.score.exact) for d in result.domains)
        assert result.index.exact == from_domains


@PROPERTY_SETTINGS
@given(cases)
def test_contributions_add_up_to_the_index(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    result = score_items(instrument, values)
    assert sum((item.contribution for item in result.items), Fraction(0)) == result.index.exact
    for item in result.items:
        assert 0 <= item.headroom <= item.headroom_to_max


@PROPERTY_SETTINGS
@given(cases)
def test_the_reported_value_is_the_exact_value_rounded_half_up_to_two_places(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    for score in all_scores(score_items(instrument, values)):
        assert score.reported == half_up(score.exact)
        assert score.reported.as_tuple().exponent == -2


@PROPERTY_SETTINGS
@given(cases)
def test_the_predicate_is_the_band_containing_the_reported_value(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    result = score_items(instrument, values)
    assert result.predicate.name == expected_predicate(instrument, result.index.reported)


@PROPERTY_SETTINGS
@given(st.data())
def test_raising_one_value_never_lowers_any_score(data):
    instrument = INSTRUMENTS[data.draw(instrument_ids)]
    values = data.draw(values_for(instrument))
    below_max = [i for i in instrument.scored_items if values[i.number] < instrument.scale.max]
    assume(below_max)
    item = data.draw(st.sampled_from(below_max))
    unit = steps(item.value_type)
    old_units = int(values[item.number] * unit)
    higher = Decimal(data.draw(st.integers(old_units + 1, instrument.scale.max * unit))) / unit
    before = score_items(instrument, values)
    after = score_items(instrument, values | {item.number: higher})
    assert after.index.exact > before.index.exact
    assert after.index.reported >= before.index.reported
    for old, new in zip(
        before.aspects + before.domains, after.aspects + after.domains, strict=True
    ):
        assert new.score.exact >= old.score.exact
        assert new.score.reported >= old.score.reported
    change = what_if(instrument, values, {item.number: higher})
    assert (
        change.index.delta == item.weight * (Fraction(higher) - Fraction(values[item.number])) / 100
    )


@st.composite
def balanced_cases(draw):
    """Values whose aspect means are each a value on the scale, so they always terminate:
    every item of an aspect starts at one value, then equal-weight pairs move apart."""
    instrument_id = draw(instrument_ids)
    instrument = INSTRUMENTS[instrument_id]
    values: dict[str, Decimal] = {}
    for aspect in instrument.aspects:
        items = [i for i in instrument.scored_items if i.aspect == aspect.code]
        value_type = items[0].value_type
        if value_type is ValueType.FRACTIONAL:
            value_type = ValueType.DECIMAL2  # two places: the aspect means must terminate
        base = draw(value_strategy(instrument, value_type))
        by_weight = defaultdict(list)
        for item in items:
            values[item.number] = base
            by_weight[item.weight].append(item)
        unit = Decimal(1) / steps(value_type)
        room = min(base - instrument.scale.min, instrument.scale.max - base)
        for group in by_weight.values():
            for up, down in zip(group[::2], group[1::2], strict=False):
                delta = draw(st.integers(0, int(room / unit))) * unit
                values[up.number], values[down.number] = base + delta, base - delta
    return instrument_id, values


@PROPERTY_SETTINGS
@given(balanced_cases())
def test_scoring_from_the_exact_aspect_scores_gives_the_index_from_the_items(case):
    instrument_id, values = case
    instrument = INSTRUMENTS[instrument_id]
    from_items = score_items(instrument, values)
    exact = {node.code: node.score.exact for node in from_items.aspects}
    assert all(is_terminating(value) for value in exact.values())
    from_aspects = score_aspects(instrument, {c: Decimal(exact_str(v)) for c, v in exact.items()})
    assert from_aspects.index == from_items.index
    assert from_aspects.predicate.name == from_items.predicate.name
    domains = {node.code: node.score.exact for node in from_items.domains}
    if domains and all(is_terminating(value) for value in domains.values()):
        given_scores = {code: Decimal(exact_str(value)) for code, value in domains.items()}
        assert score_domains(instrument, given_scores).index == from_items.index


@PROPERTY_SETTINGS
@given(st.sampled_from(["spbe-2018", "spbe-2020"]), st.data())
def test_scoring_from_domain_scores_is_their_weighted_mean(instrument_id, data):
    instrument = INSTRUMENTS[instrument_id]
    scores = {
        d.code: data.draw(value_strategy(instrument, ValueType.DECIMAL2))
        for d in instrument.domains
    }
    result = score_domains(instrument, scores)
    assert result.index.exact == weighted_mean(
        (d.weight, scores[d.code]) for d in instrument.domains
    )
    assert result.index.reported == half_up(result.index.exact)
    assert result.predicate.name == expected_predicate(instrument, result.index.reported)

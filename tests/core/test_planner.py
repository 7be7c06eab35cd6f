"""The optimal planner: least effort to an exact target, proven against exhaustive search on
hundreds of random small instruments, and against a dynamic program on the full spbe-2020."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest

from monev.core.csvinput import CsvInputError
from monev.core.model import Instrument
from monev.core.numbers import exact_str
from monev.core.planner import (
    EFFORT_TABLE,
    PlannerInputError,
    PlanStep,
    default_effort,
    plan,
    plan_to_dict,
    read_efforts,
)

D = Decimal


def small_instrument(
    weights: list[Fraction | int],
    kinds: list[str] | None = None,
    *,
    scale_min: int = 1,
    value_type: str = "whole",
) -> Instrument:
    """A one-aspect instrument with the given item weights (no loader: built in the test)."""
    total = sum((Fraction(w) for w in weights), Fraction(0))
    kinds = kinds or [""] * len(weights)
    return Instrument.model_validate(
        {
            "format": "monev-instrument/1",
            "id": "test-small",
            "version": 1,
            "name": "Small test instrument",
            "short_name": "Small",
            "index_name": "Index",
            "legal_basis": {"regulation": "none"},
            "years": {"first": 2020},
            "status": "draft",
            "confidence": "low",
            "scale": {"min": scale_min, "max": 5},
            "value_type": value_type,
            "criteria_available": False,
            "predicates": [{"name": "All", "min": 0, "max": 5, "max_inclusive": True}],
            "rounding": {"places": 2},
            "aspects": [{"code": "A1", "name": "Aspect", "weight": str(total)}],
            "indicators": [
                {
                    "number": str(n + 1),
                    "name": f"Item {n + 1}",
                    "aspect": "A1",
                    "weight": str(Fraction(w)),
                    "kind": kind,
                }
                for n, (w, kind) in enumerate(zip(weights, kinds, strict=True))
            ],
        }
    )


def index_of(instrument: Instrument, levels: dict[str, Decimal]) -> Fraction:
    total = sum((item.weight for item in instrument.scored_items), Fraction(0))
    return (
        sum(item.weight * Fraction(levels[item.number]) for item in instrument.scored_items) / total
    )


def effort_of(instrument: Instrument, number: str, to_level: int, efforts) -> Decimal:
    if (number, to_level) in efforts:
        return efforts[number, to_level]
    kind = instrument.indicators_by_number[number].kind
    return default_effort(kind, to_level)


# --- an independent oracle: every combination of final levels ----------------------------------


def exhaustive(
    instrument, levels, target, *, efforts, locked, forced, max_levels, owners, capacity
):
    """(min effort to reach the target or None, best index reachable, min effort to reach it),
    or None when no combination satisfies the constraints."""
    options = []
    for item in instrument.scored_items:
        number, current = item.number, levels[item.number]
        floor = math.floor(current)
        ceiling = min(5, max_levels.get(number, 5))
        choices = [(current, D(0), 0)]  # (final value, effort, steps)
        if number not in locked:
            effort = D(0)
            for to_level in range(floor + 1, ceiling + 1):
                effort += effort_of(instrument, number, to_level, efforts)
                choices.append((D(to_level), effort, to_level - floor))
        if number in forced and forced[number] > current:
            choices = [c for c in choices if c[0] >= forced[number]]
        options.append(choices)
    numbers = [item.number for item in instrument.scored_items]
    feasible = []
    for combination in itertools.product(*options):
        used = Counter()
        for number, (_, _, steps) in zip(numbers, combination, strict=True):
            for unit in set(owners.get(number, ())):
                used[unit] += steps
        if any(used[unit] > limit for unit, limit in capacity.items()):
            continue
        finals = {n: c[0] for n, c in zip(numbers, combination, strict=True)}
        feasible.append((index_of(instrument, finals), sum(c[1] for c in combination)))
    if not feasible:
        return None
    reaching = [effort for index, effort in feasible if index >= Fraction(target)]
    best = max(index for index, _ in feasible)
    best_effort = min(effort for index, effort in feasible if index == best)
    return (min(reaching) if reaching else None), best, best_effort


def check_plan_respects(
    instrument, levels, result, *, locked, forced, max_levels, owners, capacity
):
    """The plan's steps obey every constraint, independently of the planner."""
    by_item: dict[str, list[PlanStep]] = {}
    for step in result.steps:
        by_item.setdefault(step.number, []).append(step)
    used = Counter()
    for number, steps in by_item.items():
        assert number not in locked
        current = levels[number]
        expected = list(range(math.floor(current) + 1, steps[-1].to_level + 1))
        assert [s.to_level for s in steps] == expected  # cumulative, whole levels, in order
        assert steps[0].from_level == current
        assert steps[-1].to_level <= min(5, max_levels.get(number, 5))
        for unit in set(owners.get(number, ())):
            used[unit] += len(steps)
    for unit, limit in capacity.items():
        assert used[unit] <= limit
    final = result.levels_after(levels)
    for number, level in forced.items():
        assert final[number] >= level
    assert index_of(instrument, final) == result.index_after.exact


def random_case(rng: random.Random):
    count = rng.randint(3, 6)
    weights = [
        rng.choice([Fraction(rng.randint(1, 9)), Fraction(rng.randint(1, 20), rng.choice([3, 7]))])
        for _ in range(count)
    ]
    kinds = [rng.choice(list(EFFORT_TABLE)) for _ in range(count)]
    scale_min = rng.choice([0, 1, 1])
    decimal2 = rng.random() < 0.3
    instrument = small_instrument(
        weights, kinds, scale_min=scale_min, value_type="decimal2" if decimal2 else "whole"
    )
    numbers = [str(n) for n in range(1, count + 1)]
    levels = {}
    for number in numbers:
        if decimal2:
            levels[number] = D(rng.randint(scale_min * 100, 500)).scaleb(-2)
        else:
            levels[number] = D(rng.randint(scale_min, 5))
    efforts = {}
    for number in numbers:
        for to_level in range(scale_min + 1, 6):
            if rng.random() < 0.3:
                efforts[number, to_level] = rng.choice(
                    [D(0), D("0.5"), D("1.25"), D(rng.randint(1, 9))]
                )
    locked = {n for n in numbers if rng.random() < 0.15}
    max_levels = {n: rng.randint(scale_min, 5) for n in numbers if rng.random() < 0.2}
    forced = {}
    for number in numbers:
        if number not in locked and rng.random() < 0.15:
            forced[number] = rng.randint(scale_min, max_levels.get(number, 5))
    units = ["u1", "u2", "u3"]
    owners = {n: rng.sample(units, rng.choice([0, 1, 1, 2])) for n in numbers}
    capacity = {unit: rng.randint(0, 5) for unit in units if rng.random() < 0.6}
    now = index_of(instrument, levels)
    target = D(rng.randint(max(scale_min * 100, int(now * 100) - 30), 500)).scaleb(-2)
    return instrument, levels, target, efforts, locked, forced, max_levels, owners, capacity


@pytest.mark.parametrize("seed", range(400))
def test_it_is_optimal_against_exhaustive_search(seed):
    rng = random.Random(seed)
    instrument, levels, target, efforts, locked, forced, max_levels, owners, capacity = random_case(
        rng
    )
    constraints = dict(
        locked=locked, forced=forced, max_levels=max_levels, owners=owners, capacity=capacity
    )
    expected = exhaustive(instrument, levels, target, efforts=efforts, **constraints)
    if expected is None:  # the forced steps alone exceed a capacity
        with pytest.raises(PlannerInputError, match="exceed its capacity"):
            plan(instrument, levels, target, efforts=efforts, **constraints)
        return
    result = plan(instrument, levels, target, efforts=efforts, **constraints)
    check_plan_respects(instrument, levels, result, **constraints)
    minimum, best, best_effort = expected
    assert result.index_before.exact == index_of(instrument, levels)
    assert result.total_effort == sum((s.effort for s in result.steps), D(0))
    if minimum is not None:
        assert result.reachable
        assert result.best_reachable is None
        assert result.index_after.exact >= target
        assert result.total_effort == minimum
    else:
        assert not result.reachable
        assert result.best_reachable is not None
        assert result.best_reachable.exact == best == result.index_after.exact
        assert result.total_effort == best_effort


def test_the_random_cases_cover_every_kind_of_outcome():
    outcomes = Counter()
    for seed in range(400):
        instrument, levels, target, efforts, *rest = random_case(random.Random(seed))
        locked, forced, max_levels, owners, capacity = rest
        expected = exhaustive(
            instrument,
            levels,
            target,
            efforts=efforts,
            locked=locked,
            forced=forced,
            max_levels=max_levels,
            owners=owners,
            capacity=capacity,
        )
        if expected is None:
            outcomes["infeasible"] += 1
        elif expected[0] is None:
            outcomes["unreachable"] += 1
        elif index_of(instrument, levels) >= target:
            outcomes["already met"] += 1
        else:
            outcomes["reachable"] += 1
    assert all(outcomes[kind] >= 10 for kind in ("unreachable", "already met", "reachable"))
    assert outcomes["infeasible"] >= 1


# --- the full spbe-2020: a dynamic program as the oracle ---------------------------------------


def cheapest_by_dynamic_program(instrument, levels, target) -> Decimal:
    """Min effort to reach `target` with default efforts and no capacities (a multiple-choice
    knapsack over whole gains)."""
    _denominator, weights = instrument.integer_weights
    unit = 100 * sum(weights.values())
    now = index_of(instrument, levels)
    need = math.ceil((Fraction(target) - now) * unit)
    infinity = Decimal("Infinity")
    best = [D(0)] + [infinity] * need  # best[g]: least effort for a gain of at least g
    for item in instrument.scored_items:
        current = levels[item.number]
        kind = instrument.indicators_by_number[item.indicator].kind
        choices, effort = [], D(0)
        for to_level in range(math.floor(current) + 1, 6):
            effort += default_effort(kind, to_level)
            choices.append((weights[item.number] * int((to_level - current) * 100), effort))
        updated = list(best)
        for gain, cost in choices:
            for reached in range(need + 1):
                if best[reached] != infinity:
                    after = min(need, reached + gain)
                    updated[after] = min(updated[after], best[reached] + cost)
        best = updated
    return best[need]


@pytest.mark.parametrize("target", ["3.5", "4.00", "4.62", "5.00"])
def test_it_is_optimal_on_the_full_spbe_2020_against_a_dynamic_program(spbe2020, target):
    levels = {item.number: D(3) for item in spbe2020.scored_items}
    result = plan(spbe2020, levels, D(target))
    assert result.reachable
    assert result.total_effort == cheapest_by_dynamic_program(spbe2020, levels, D(target))


def test_the_demo_case_reaches_4_62_from_3_00_exactly_at_least_effort(spbe2020, mixed_levels):
    levels = {item.number: D(3) for item in spbe2020.scored_items}
    result = plan(spbe2020, levels, D("4.62"))
    assert str(result.index_before.reported) == "3.00"
    assert result.reachable and result.best_reachable is None
    assert result.index_after.exact >= Fraction("4.62")
    assert result.total_effort == cheapest_by_dynamic_program(spbe2020, levels, D("4.62"))
    assert sum((s.gain for s in result.steps), Fraction(0)) == result.index_after.exact - 3
    ordered = [
        (spbe2020.scored_items.index(spbe2020.items_by_number[s.number]), s.to_level)
        for s in result.steps
    ]
    assert ordered == sorted(ordered)
    # A realistic mix too (index 3.34).
    mixed = plan(spbe2020, mixed_levels, D("4.62"))
    assert mixed.reachable
    assert mixed.total_effort == cheapest_by_dynamic_program(spbe2020, mixed_levels, D("4.62"))


# --- exactness at the boundary -----------------------------------------------------------------


def test_it_refuses_a_plan_that_only_rounds_up_to_the_target():
    # Index = (a + 2b) / 3. Target 3.67: a + 2b = 11 gives 3.666... which REPORTS 3.67 but is
    # below it; only a + 2b >= 12 reaches it. The rounding-only plan is much cheaper.
    instrument = small_instrument([1, 2])
    levels = {"1": D(1), "2": D(1)}
    efforts = {("1", 2): D(1), ("1", 3): D(1), ("1", 4): D(1), ("1", 5): D(1)}
    efforts |= {("2", 2): D(1), ("2", 3): D(1), ("2", 4): D(10), ("2", 5): D(10)}
    result = plan(instrument, levels, D("3.67"), efforts=efforts)
    assert result.reachable
    assert result.index_after.exact == 4  # a = 4, b = 4: 12/3; never 11/3
    assert result.total_effort == 3 + 12
    rounding_only = plan(instrument, levels, D("3.66"), efforts=efforts)
    assert rounding_only.index_after.exact == Fraction(11, 3)  # a = 5, b = 3
    assert rounding_only.total_effort == 4 + 2


def test_a_solution_short_by_a_rounding_hair_is_refused_and_solved_again(monkeypatch):
    from monev.core import planner

    original = planner._Program._solve
    calls = []

    def sloppy(self, *, need):
        chosen = original(self, need=need)
        calls.append(need)
        if len(calls) == 1 and chosen:  # as if HiGHS had rounded the last step away
            last = max(i for i, taken in enumerate(chosen) if taken)
            chosen = [taken and i != last for i, taken in enumerate(chosen)]
        return chosen

    monkeypatch.setattr(planner._Program, "_solve", sloppy)
    instrument = small_instrument([1, 2, 3])
    result = plan(instrument, dict.fromkeys("123", D(1)), D("2.5"))
    assert result.reachable and result.index_after.exact >= Fraction("2.5")
    assert len(calls) == 2 and calls[1] > calls[0]


def test_a_target_met_exactly_is_reached():
    instrument = small_instrument([1, 2])
    result = plan(instrument, {"1": D(1), "2": D(1)}, D(3))  # (a + 2b) / 3 = 3 exactly
    assert result.reachable
    assert result.index_after.exact == 3


def test_it_keeps_thirds_exact_with_weights_that_do_not_terminate():
    instrument = small_instrument([Fraction(10, 3), Fraction(10, 3), Fraction(10, 3), 1])
    levels = dict.fromkeys("1234", D(1))
    result = plan(instrument, levels, D("2.01"))
    assert result.index_after.exact >= Fraction("2.01")
    assert result.reachable
    assert plan_to_dict(result)["index_after_exact"] == exact_str(result.index_after.exact)


# --- constraints ---------------------------------------------------------------------------


def test_locked_items_take_no_step_and_forced_items_reach_their_level():
    instrument = small_instrument([1, 1, 1])
    levels = dict.fromkeys("123", D(1))
    result = plan(instrument, levels, D(2), locked={"1"}, forced={"3": 4})
    assert "1" not in {s.number for s in result.steps}
    assert [s.to_level for s in result.steps if s.number == "3"] == [2, 3, 4]
    assert result.index_after.exact >= 2


def test_forced_steps_are_taken_even_when_the_target_is_already_met():
    instrument = small_instrument([1, 1])
    levels = {"1": D(3), "2": D(3)}
    assert plan(instrument, levels, D(2)).steps == ()
    result = plan(instrument, levels, D(2), forced={"2": 4})
    assert [(s.number, s.to_level) for s in result.steps] == [("2", 4)]
    assert result.reachable


def test_max_levels_cap_items_below_the_scale_maximum():
    instrument = small_instrument([1, 1])
    result = plan(instrument, {"1": D(1), "2": D(1)}, D(5), max_levels={"1": 3})
    assert not result.reachable
    assert result.best_reachable.exact == Fraction(3 + 5, 2)
    assert max(s.to_level for s in result.steps if s.number == "1") == 3


def test_an_unreachable_target_under_capacities_gives_the_best_index_and_its_cheapest_plan():
    instrument = small_instrument([3, 1, 1], ["layanan", "kebijakan", "kebijakan"])
    levels = dict.fromkeys("123", D(1))
    owners = {"1": ["dinas"], "2": ["dinas"], "3": ["bagian"]}
    result = plan(instrument, levels, D(5), owners=owners, capacity={"dinas": 2, "bagian": 1})
    assert not result.reachable
    # dinas spends its two steps on item 1 (weight 3), bagian its one on item 3.
    assert result.best_reachable.exact == Fraction(3 * 3 + 1 + 2, 5)
    assert result.index_after == result.best_reachable
    assert [(s.number, s.to_level) for s in result.steps] == [("1", 2), ("1", 3), ("3", 2)]
    assert result.total_effort == 3 + 4 + 1


def test_an_item_owned_by_two_units_counts_against_both():
    instrument = small_instrument([1, 1])
    levels = {"1": D(1), "2": D(1)}
    owners = {"1": ["a", "b"], "2": ["b"]}
    result = plan(instrument, levels, D(5), owners=owners, capacity={"a": 5, "b": 2})
    assert len(result.steps) == 2  # b's two steps are all there is


def test_a_unit_without_capacity_is_unbounded():
    instrument = small_instrument([1, 1])
    result = plan(
        instrument, {"1": D(1), "2": D(1)}, D(5), owners={"1": ["a"]}, capacity={"other": 0}
    )
    assert result.reachable


def test_fractional_pemdi_values_step_to_the_next_whole_level(pemdi):
    levels = {item.number: D("1.17") for item in pemdi.scored_items}
    result = plan(pemdi, levels, D("1.5"))
    assert result.reachable
    first = [s for s in result.steps if s.from_level == D("1.17")]
    assert first and all(s.to_level == 2 for s in first)
    weights = pemdi.items_by_number
    for step in first:
        assert step.gain == Fraction("0.83") * weights[step.number].weight / pemdi.total_weight
    assert result.index_after.exact >= Fraction("1.5")
    assert result.total_effort == cheapest_by_dynamic_program(pemdi, levels, D("1.5"))


def test_spbe_2018_steps_from_level_0_cost_like_level_2(spbe2018):
    levels = {item.number: D(0) for item in spbe2018.scored_items}
    result = plan(spbe2018, levels, D("0.01"))
    assert result.reachable
    assert all(s.to_level == 1 and s.from_level == 0 for s in result.steps)
    step = result.steps[0]
    kind = spbe2018.indicators_by_number[spbe2018.items_by_number[step.number].indicator].kind
    assert step.effort == default_effort(kind, 2)


def test_missing_items_count_at_the_scale_minimum(spbe2020):
    result = plan(spbe2020, {"1": D(5)}, D("1.5"))
    assert result.index_before.exact == 1 + Fraction(4 * 13, 1000)
    assert result.reachable


def test_no_steps_possible_is_unreachable_at_the_current_index():
    instrument = small_instrument([1, 1])
    result = plan(instrument, {"1": D(2), "2": D(2)}, D(3), locked={"1", "2"})
    assert not result.reachable
    assert result.steps == ()
    assert result.best_reachable == result.index_before


# --- effort defaults -----------------------------------------------------------------------


def test_the_default_efforts_are_the_documented_table():
    assert [default_effort("kebijakan", level) for level in (1, 2, 3, 4, 5)] == [1, 1, 2, 2, 3]
    assert [default_effort("layanan", level) for level in (2, 3, 4, 5)] == [3, 4, 6, 8]
    assert [default_effort("audit", level) for level in (2, 3, 4, 5)] == [3, 3, 4, 5]
    assert default_effort("", 5) == default_effort("unknown-kind", 5) == 5
    with pytest.raises(ValueError):
        default_effort("kebijakan", 6)


# --- input errors --------------------------------------------------------------------------


def test_it_lists_every_input_problem_at_once():
    instrument = small_instrument([1, 1, 1])
    with pytest.raises(PlannerInputError) as caught:
        plan(
            instrument,
            {"1": D(2), "9": D(1), "2": D("2.5")},
            D(6),
            efforts={("1", 3): D(-1), ("8", 2): D(1), ("2", 7): D(1)},
            locked={"3", "7"},
            forced={"3": 2, "1": 5},
            max_levels={"1": 4},
            owners={"6": ["a"]},
            capacity={"a": -1},
        )
    messages = [f"{p.key}: {p.message}" for p in caught.value.problems]
    expected = [
        "9: unknown indicator 9",
        "2: value 2.5 is not a whole level",
        "target: target 6 is outside the scale 1-5",
        "1: effort -1 for the step to level 3 must be 0 or more",
        "8: unknown indicator 8 (in efforts)",
        "2: effort for a step to level 7: levels are 2-5",
        "7: unknown indicator 7 (locked)",
        "3: both locked and forced",
        "1: forced to level 5, above its maximum level 4",
        "6: unknown indicator 6 (in owners)",
        "a: capacity -1 must be a whole number, 0 or more",
    ]
    for text in expected:
        assert any(message.startswith(text) for message in messages), (text, messages)
    assert isinstance(caught.value, ValueError)


def test_forced_steps_beyond_a_capacity_are_refused():
    instrument = small_instrument([1, 1])
    with pytest.raises(PlannerInputError, match="a: the forced steps of its items \\(3\\)"):
        plan(
            instrument,
            {"1": D(1), "2": D(1)},
            D(2),
            forced={"1": 4},
            owners={"1": ["a"]},
            capacity={"a": 2},
        )


def test_a_target_below_the_scale_is_refused(spbe2018):
    with pytest.raises(PlannerInputError, match="outside the scale 0-5"):
        plan(spbe2018, {}, D("-0.5"))


# --- the effort file and the JSON shape --------------------------------------------------------


def test_it_reads_an_effort_file(spbe2018):
    data = b"\xef\xbb\xbfindicator,to_level,effort\r\n29,2,1.5\r\n\r\n35.1,5,0\r\n"
    assert read_efforts(spbe2018, data) == {("29", 2): D("1.5"), ("35.1", 5): D(0)}


def test_it_reports_every_bad_effort_row_with_its_line(spbe2018):
    data = b"indicator,to_level,effort\n29,2,1\n35,2,1\n99,6,-1\n29,2,2\n3,x,2,1\n4,3,1,5\n"
    with pytest.raises(CsvInputError) as caught:
        read_efforts(spbe2018, data)
    rendered = [p.render("e.csv") for p in caught.value.problems]
    assert rendered[0].startswith("e.csv:3: indicator 35: unknown indicator 35; indicator 35 is")
    assert "e.csv:4: indicator 99: unknown indicator 99" in rendered
    assert "e.csv:4: indicator 99: to_level 6 must be a whole level 1-5" in rendered
    assert "e.csv:4: indicator 99: effort -1 must be a number, 0 or more" in rendered
    assert "e.csv:5: indicator 29 to_level 2 appears again (first on line 2)" in rendered
    assert "e.csv:6: expected 3 columns, found 4: 3,x,2,1" in rendered
    assert "e.csv:7: expected 3 columns, found 4: 4,3,1,5" in rendered


def test_it_refuses_an_effort_file_with_the_wrong_header(spbe2020):
    with pytest.raises(CsvInputError, match="the header must be indicator,to_level,effort"):
        read_efforts(spbe2020, b"indicator,level\n1,3\n")
    with pytest.raises(CsvInputError, match="the file is empty"):
        read_efforts(spbe2020, b"\n\n")


def test_the_plan_as_data_has_the_documented_shape(spbe2020):
    levels = {item.number: D(3) for item in spbe2020.scored_items}
    data = plan_to_dict(plan(spbe2020, levels, D("3.05")))
    assert list(data) == [
        "target",
        "reachable",
        "index_before",
        "index_after",
        "index_after_exact",
        "total_effort",
        "steps",
    ]
    assert data["target"] == "3.05" and data["reachable"] is True
    assert list(data["steps"][0]) == ["indicator", "from", "to", "effort", "gain"]
    assert all(isinstance(v, str) for step in data["steps"] for v in step.values())
    far = plan_to_dict(plan(spbe2020, levels, D(5), locked={"1"}))
    assert far["reachable"] is False
    assert far["best_reachable"] == "4.97"
    assert far["best_reachable_exact"] == "4.974"


def test_a_target_that_is_not_a_decimal_is_refused():
    instrument = small_instrument([1, 1])
    with pytest.raises(PlannerInputError, match="target '4' is not a decimal number"):
        plan(instrument, {}, "4")  # type: ignore[arg-type]


def test_a_level_that_is_not_a_decimal_is_refused():
    instrument = small_instrument([1, 1])
    with pytest.raises(PlannerInputError, match=r"1: level 2\.5 is not a decimal number"):
        plan(instrument, {"1": 2.5, "2": 3}, D(4))  # type: ignore[dict-item]

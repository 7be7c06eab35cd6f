"""The optimal plan: the cheapest set of level increases that lifts the exact index to a target.
The model, how HiGHS is kept exact, and what happens when the target is out of reach:
docs/planning.md ("The model", "Exactness")."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from monev.core.csvinput import CsvInputError, CsvProblem, csv_rows, decode, echo
from monev.core.engine import (
    InputProblem,
    Score,
    ScoringInputError,
    score_items,
    split_indicator_hint,
)
from monev.core.model import Instrument
from monev.core.numbers import NotExact, exact_str, is_ascii_digits, parse_decimal

# --- effort --------------------------------------------------------------------------------

# The effort of the step that reaches a level, by the indicator's kind (the `kind` field of the
# instrument file), in abstract units. A JUDGEMENT, not a regulation: writing a policy
# (kebijakan) is cheaper than changing how IT is governed or managed, and integrating a service
# (layanan) is the dearest, most of all at level 5 (integration across agencies). Levels 4-5
# cost more than 2-3 because they ask for evaluation and continuous improvement. A coordinator
# overrides any of them per indicator and level. Indicators without a kind (pemdi-2026) use
# the generic row. The step to level 1 (spbe-2018's scale starts at 0) costs like level 2.
EFFORT_TABLE: dict[str, dict[int, Decimal]] = {
    "kebijakan": {2: Decimal(1), 3: Decimal(2), 4: Decimal(2), 5: Decimal(3)},
    "tata_kelola": {2: Decimal(2), 3: Decimal(3), 4: Decimal(3), 5: Decimal(4)},
    "manajemen": {2: Decimal(2), 3: Decimal(3), 4: Decimal(4), 5: Decimal(5)},
    "audit": {2: Decimal(3), 3: Decimal(3), 4: Decimal(4), 5: Decimal(5)},
    "layanan": {2: Decimal(3), 3: Decimal(4), 4: Decimal(6), 5: Decimal(8)},
    "": {2: Decimal(2), 3: Decimal(3), 4: Decimal(4), 5: Decimal(5)},
}


def default_effort(indicator_kind: str, to_level: int) -> Decimal:
    """The default effort of the step reaching `to_level` for an indicator of this kind."""
    table = EFFORT_TABLE.get(indicator_kind, EFFORT_TABLE[""])
    key = 2 if to_level == 1 else to_level
    if key not in table:
        raise ValueError(f"no default effort for a step to level {to_level}")
    return table[key]


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanStep:
    number: str  # scored item number ("29", "35.1")
    from_level: Decimal  # the level before this step (may be fractional for pemdi-2026: 1.17)
    to_level: int  # whole level reached by this step
    effort: Decimal
    gain: Fraction  # exact index gain of this step


@dataclass(frozen=True)
class Plan:
    target: Decimal
    reachable: bool  # the exact index after the plan >= target
    index_before: Score
    index_after: Score
    total_effort: Decimal
    steps: tuple[PlanStep, ...]  # ordered by item (instrument order), then to_level
    best_reachable: Score | None  # when not reachable: the highest index reachable

    def levels_after(self, levels: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """`levels` with every step of the plan applied."""
        after = dict(levels)
        for step in self.steps:
            after[step.number] = max(after.get(step.number, Decimal(0)), Decimal(step.to_level))
        return after


class PlannerInputError(ValueError):
    """Every problem with the planner's input, at once."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.key}: {p.message}" for p in problems))


@dataclass
class _Step:
    item: int  # position of the item in the instrument
    number: str
    from_level: Decimal
    to_level: int
    effort: Decimal
    gain: int  # in units of 1 / (100 x the sum of integer weights)
    forced: bool


# --- checking input ------------------------------------------------------------------------


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_decimal(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if _is_whole(value):
        return Decimal(value)  # type: ignore[arg-type]
    return None


def _check(
    instrument: Instrument,
    target: Decimal,
    efforts: Mapping[tuple[str, int], Decimal],
    locked: Collection[str],
    forced: Mapping[str, int],
    max_levels: Mapping[str, int],
    owners: Mapping[str, Collection[str]],
    capacity: Mapping[str, int],
) -> list[InputProblem]:
    items = instrument.items_by_number
    low, high = instrument.scale.min, instrument.scale.max
    problems: list[InputProblem] = []

    def unknown(key: str, what: str) -> bool:
        if key in items:
            return False
        problems.append(InputProblem(key, f"unknown indicator {key} ({what})"))
        return True

    if instrument.rounding.intermediate:
        message = (
            f"{instrument.id} rounds aspect and domain scores before aggregating them; "
            "the planner needs an index linear in the levels"
        )
        problems.append(InputProblem("instrument", message))
    target_value = _as_decimal(target)
    if target_value is None:
        problems.append(InputProblem("target", f"target {target!r} is not a decimal number"))
    elif not low <= target_value <= high:
        problems.append(
            InputProblem("target", f"target {target} is outside the scale {low}-{high}")
        )
    for (number, to_level), effort in efforts.items():
        if unknown(number, "in efforts"):
            continue
        if not _is_whole(to_level) or not low < to_level <= high:
            message = f"effort for a step to level {to_level}: levels are {low + 1}-{high}"
            problems.append(InputProblem(number, message))
        value = _as_decimal(effort)
        if value is None or value < 0:
            message = f"effort {effort} for the step to level {to_level} must be 0 or more"
            problems.append(InputProblem(number, message))
    for number in locked:
        unknown(number, "locked")
    for number, level in max_levels.items():
        if not unknown(number, "in max_levels") and (
            not _is_whole(level) or not low <= level <= high
        ):
            message = f"maximum level {level} is outside the scale {low}-{high}"
            problems.append(InputProblem(number, message))
    for number, level in forced.items():
        if unknown(number, "forced"):
            continue
        if not _is_whole(level) or not low <= level <= high:
            message = f"forced level {level} is outside the scale {low}-{high}"
            problems.append(InputProblem(number, message))
            continue
        ceiling = max_levels.get(number, high)
        if _is_whole(ceiling) and level > ceiling:
            message = f"forced to level {level}, above its maximum level {ceiling}"
            problems.append(InputProblem(number, message))
        if number in locked:
            problems.append(InputProblem(number, "both locked and forced"))
    for number in owners:
        unknown(number, "in owners")
    for unit, steps in capacity.items():
        if not _is_whole(steps) or steps < 0:
            problems.append(
                InputProblem(unit, f"capacity {steps} must be a whole number, 0 or more")
            )
    return problems


# --- the program ---------------------------------------------------------------------------


def _candidate_steps(
    instrument: Instrument,
    current: Mapping[str, Decimal],
    efforts: Mapping[tuple[str, int], Decimal],
    locked: Collection[str],
    forced: Mapping[str, int],
    max_levels: Mapping[str, int],
) -> list[_Step]:
    _, integer_weights = instrument.integer_weights
    kinds = {indicator.number: indicator.kind for indicator in instrument.indicators}
    locked_set = set(locked)
    steps: list[_Step] = []
    for position, item in enumerate(instrument.scored_items):
        if item.number in locked_set:
            continue
        value = current[item.number]
        hundredths = int(value * 100)
        ceiling = min(instrument.scale.max, max_levels.get(item.number, instrument.scale.max))
        floor = math.floor(value)
        for to_level in range(floor + 1, ceiling + 1):
            before = max(hundredths, (to_level - 1) * 100)
            effort = efforts.get((item.number, to_level))
            if effort is None:
                effort = default_effort(kinds[item.indicator], to_level)
            steps.append(
                _Step(
                    item=position,
                    number=item.number,
                    from_level=value if to_level == floor + 1 else Decimal(to_level - 1),
                    to_level=to_level,
                    effort=Decimal(effort),
                    gain=integer_weights[item.number] * (to_level * 100 - before),
                    forced=to_level <= forced.get(item.number, instrument.scale.min),
                )
            )
    return steps


def _capacity_rows(
    steps: list[_Step], owners: Mapping[str, Collection[str]], capacity: Mapping[str, int]
) -> list[tuple[list[int], int]]:
    """(columns, limit) for every unit with a capacity and at least one step to bound."""
    columns: dict[str, list[int]] = {unit: [] for unit in capacity}
    for column, step in enumerate(steps):
        for unit in set(owners.get(step.number, ())):
            if unit in columns:
                columns[unit].append(column)
    return [(cols, capacity[unit]) for unit, cols in columns.items() if len(cols) > capacity[unit]]


def _forced_over_capacity(
    steps: list[_Step], owners: Mapping[str, Collection[str]], capacity: Mapping[str, int]
) -> list[InputProblem]:
    counts: dict[str, int] = dict.fromkeys(capacity, 0)
    for step in steps:
        if step.forced:
            for unit in set(owners.get(step.number, ())):
                if unit in counts:
                    counts[unit] += 1
    return [
        InputProblem(unit, f"the forced steps of its items ({count}) exceed its capacity {limit}")
        for unit, count in counts.items()
        if count > (limit := capacity[unit])
    ]


TIME_LIMIT = 30.0  # seconds per program; an instrument's worth of items takes milliseconds


class _Program:
    """The integer program over the candidate steps, solved with HiGHS."""

    def __init__(self, steps: list[_Step], capacity_rows: list[tuple[list[int], int]]):
        import highspy  # imported here: scoring never pays for loading the solver

        self.highspy = highspy
        self.steps = steps
        self.capacity_rows = capacity_rows
        # Gains divided by their greatest common divisor and efforts scaled to integers keep
        # the numbers small and whole; the program is the same.
        self.gain_unit = math.gcd(*(step.gain for step in steps)) or 1
        places = max((max(0, -step.effort.as_tuple().exponent) for step in steps), default=0)
        self.effort_scale = 10**places
        self.gains = [step.gain // self.gain_unit for step in steps]
        self.costs = [float(int(step.effort * self.effort_scale)) for step in steps]

    def _solve(self, *, need: int | None) -> list[bool] | None:
        """Minimise effort subject to gain >= need (in gain units), or maximise the gain when
        need is None; the chosen steps, or None when no plan satisfies the constraints."""
        highspy = self.highspy
        steps, count = self.steps, len(self.steps)
        infinity = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_ = count
        if need is None:
            lp.sense_ = highspy.ObjSense.kMaximize
            lp.col_cost_ = [float(gain) for gain in self.gains]
        else:
            lp.col_cost_ = self.costs
        lp.col_lower_ = [1.0 if step.forced else 0.0 for step in steps]
        lp.col_upper_ = [1.0] * count
        lp.integrality_ = [highspy.HighsVarType.kInteger] * count
        starts, indices, values, lower, upper = [0], [], [], [], []
        if need is not None:
            indices += range(count)
            values += [float(gain) for gain in self.gains]
            starts.append(len(indices))
            lower.append(float(need))
            upper.append(infinity)
        for column in range(1, count):  # x[i, L + 1] - x[i, L] <= 0
            if steps[column].item == steps[column - 1].item:
                indices += (column, column - 1)
                values += (1.0, -1.0)
                starts.append(len(indices))
                lower.append(-infinity)
                upper.append(0.0)
        for columns, limit in self.capacity_rows:
            indices += columns
            values += [1.0] * len(columns)
            starts.append(len(indices))
            lower.append(-infinity)
            upper.append(float(limit))
        lp.num_row_ = len(lower)
        lp.row_lower_, lp.row_upper_ = lower, upper
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.num_col_, matrix.num_row_ = count, len(lower)
        matrix.start_, matrix.index_, matrix.value_ = starts, indices, values

        # The pybind11 class, not the `Highs` wrapper: the wrapper registers a Python callback
        # in its constructor, which prints HiGHS's banner on file descriptor 1 before any option
        # can be set (and would corrupt `monev plan --format json`).
        solver = highspy._Highs()
        solver.setOptionValue("output_flag", False)
        solver.setOptionValue("threads", 1)
        # Objectives are whole numbers: stop only when the incumbent is within less than one
        # unit of the proven bound, which makes it optimal (the default stops at a 0.01 % gap).
        solver.setOptionValue("mip_rel_gap", 0.0)
        solver.setOptionValue("mip_abs_gap", 0.5)
        solver.setOptionValue("time_limit", TIME_LIMIT)
        solver.passModel(lp)
        solver.run()
        status = solver.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"HiGHS could not solve the plan: {solver.modelStatusToString(status)}"
            )
        chosen = [value > 0.5 for value in solver.getSolution().col_value]
        for column in range(1, count):  # rounding kept the steps cumulative
            if chosen[column] and steps[column].item == steps[column - 1].item:
                assert chosen[column - 1], "HiGHS returned a non-cumulative plan"
        return chosen

    def gain_of(self, chosen: list[bool]) -> int:
        """The exact gain of the chosen steps, in the program's gain units."""
        return sum(gain for gain, taken in zip(self.gains, chosen, strict=True) if taken)

    def cheapest(self, need: int, verify) -> list[bool] | None:
        """The least-effort steps with gain >= need, checked exactly by `verify`; a solution
        that falls short by a rounding hair is refused and the constraint tightened."""
        bound = need
        for _ in range(5):
            chosen = self._solve(need=bound)
            if chosen is None:
                return None
            gain = self.gain_of(chosen)
            if gain >= need and verify(chosen):
                return chosen
            bound += max(1, need - gain)
        raise RuntimeError("HiGHS kept returning plans that miss the target by rounding")

    def most_gain(self) -> int:
        if not self.capacity_rows:  # every step fits: take them all
            return sum(self.gains)
        chosen = self._solve(need=None)
        if chosen is None:  # the forced steps are checked against capacities beforehand
            raise RuntimeError("HiGHS found no plan within the capacities")
        return self.gain_of(chosen)


# --- planning ------------------------------------------------------------------------------


def plan(
    instrument: Instrument,
    levels: Mapping[str, Decimal],
    target: Decimal,
    *,
    efforts: Mapping[tuple[str, int], Decimal] | None = None,
    locked: Collection[str] = (),
    forced: Mapping[str, int] | None = None,
    max_levels: Mapping[str, int] | None = None,
    owners: Mapping[str, Collection[str]] | None = None,
    capacity: Mapping[str, int] | None = None,
) -> Plan:
    """The least-effort set of level steps that lifts the exact index to at least `target`.

    `levels` gives every scored item's current value (a missing item counts at the scale
    minimum). `efforts` overrides the default effort of the step reaching a level:
    {(number, to_level): effort}. `locked` items take no step; `forced` items reach at least the
    given level; `max_levels` caps items below the scale maximum. `capacity` bounds the number
    of steps each unit takes over the items it owns (`owners`: item -> unit keys; an item owned
    by several units counts against each of them). Raises PlannerInputError listing every
    problem with the input.
    """
    efforts = dict(efforts or {})
    forced = dict(forced or {})
    max_levels = dict(max_levels or {})
    owners = dict(owners or {})
    capacity = dict(capacity or {})
    problems = _check(instrument, target, efforts, locked, forced, max_levels, owners, capacity)
    given = {key: _as_decimal(value) for key, value in levels.items()}
    problems += [
        InputProblem(key, f"level {levels[key]!r} is not a decimal number")
        for key, value in given.items()
        if value is None
    ]
    levels = {key: value for key, value in given.items() if value is not None}
    try:
        before = score_items(instrument, levels, missing="min")
    except ScoringInputError as error:
        problems = [*error.problems, *problems]
        raise PlannerInputError(problems) from None
    if problems:
        raise PlannerInputError(problems)
    target = Decimal(target)

    current = {item.number: item.value for item in before.items}
    steps = _candidate_steps(instrument, current, efforts, locked, forced, max_levels)
    if problems := _forced_over_capacity(steps, owners, capacity):
        raise PlannerInputError(problems)

    total_integer = sum(instrument.integer_weights[1].values())
    unit = 100 * total_integer  # index gain = gain / unit

    def outcome(chosen: list[bool]) -> tuple[tuple[PlanStep, ...], Score]:
        taken = tuple(
            PlanStep(s.number, s.from_level, s.to_level, s.effort, Fraction(s.gain, unit))
            for s, keep in zip(steps, chosen, strict=True)
            if keep
        )
        after = dict(current)
        for step in taken:
            after[step.number] = Decimal(step.to_level)
        return taken, score_items(instrument, after).index

    def finish(chosen: list[bool], best: Score | None = None) -> Plan:
        taken, index_after = outcome(chosen)
        return Plan(
            target=target,
            reachable=index_after.exact >= target,
            index_before=before.index,
            index_after=index_after,
            total_effort=sum((step.effort for step in taken), Decimal(0)),
            steps=taken,
            best_reachable=best,
        )

    shortfall = Fraction(target) - before.index.exact
    forced_only = [step.forced for step in steps]
    if shortfall <= 0:  # already met: only what the coordinator forces
        return finish(forced_only)
    if not steps:
        return finish(forced_only, before.index)

    program = _Program(steps, _capacity_rows(steps, owners, capacity))
    # In the program's units: the smallest whole gain g with g x gain_unit / unit >= shortfall.
    scaled = shortfall * unit / program.gain_unit
    need = math.ceil(scaled)

    def reaches(chosen: list[bool]) -> bool:
        return outcome(chosen)[1].exact >= target

    if program.gain_of([True] * len(steps)) >= need:
        chosen = program.cheapest(need, reaches)
        if chosen is not None:
            return finish(chosen)
    best_gain = program.most_gain()
    chosen = program.cheapest(best_gain, lambda chosen: True)
    assert chosen is not None, "the most gain found is reachable"
    _, best = outcome(chosen)
    return finish(chosen, best)


# --- efforts from a file, and the plan as data -------------------------------------------------

EFFORT_HEADER = ("indicator", "to_level", "effort")


def read_efforts(instrument: Instrument, data: bytes) -> dict[tuple[str, int], Decimal]:
    """An effort file (`indicator,to_level,effort`: the effort of the step that reaches
    `to_level` from the level below) as {(number, to_level): effort}; every problem comes back
    at once as CsvInputError, with its line number."""
    text = decode(data)
    expected = ",".join(EFFORT_HEADER)
    problems: list[CsvProblem] = []
    efforts: dict[tuple[str, int], Decimal] = {}
    lines: dict[tuple[str, int], int] = {}
    low, high = instrument.scale.min, instrument.scale.max
    header_seen = False
    for line, cells in csv_rows(text):
        if not header_seen:
            if tuple(cell.lower() for cell in cells) != EFFORT_HEADER:
                message = f"the header must be {expected}; found {echo(','.join(cells))}"
                raise CsvInputError([CsvProblem(line, message)])
            header_seen = True
            continue
        if len(cells) != 3:
            message = f"expected 3 columns, found {len(cells)}: {echo(','.join(cells))}"
            problems.append(CsvProblem(line, message))
            continue
        number, raw_level, raw_effort = cells
        row_problems = []
        if number not in instrument.items_by_number:
            hint = split_indicator_hint(instrument, number)
            row_problems.append(f"unknown indicator {echo(number) or '(empty)'}{hint}")
        level = int(raw_level) if is_ascii_digits(raw_level) else None
        if level is None or not low < level <= high:
            shown = echo(raw_level) or "(empty)"
            row_problems.append(f"to_level {shown} must be a whole level {low + 1}-{high}")
        try:
            effort = parse_decimal(raw_effort)
        except NotExact:
            effort = None
        if effort is None or effort < 0:
            shown = echo(raw_effort) or "(empty)"
            row_problems.append(f"effort {shown} must be a number, 0 or more")
        if row_problems:
            problems += [CsvProblem(line, f"indicator {echo(number)}: {p}") for p in row_problems]
            continue
        assert level is not None and effort is not None
        key = (number, level)
        if key in lines:
            message = (
                f"indicator {number} to_level {level} appears again (first on line {lines[key]})"
            )
            problems.append(CsvProblem(line, message))
            continue
        efforts[key], lines[key] = effort, line
    if not header_seen:
        raise CsvInputError([CsvProblem(None, f"the file is empty; expected a header {expected}")])
    if problems:
        raise CsvInputError(problems)
    return efforts


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def plan_to_dict(result: Plan) -> dict[str, Any]:
    """The plan as JSON-ready data (`monev plan --format json`); every number a string."""
    data: dict[str, Any] = {
        "target": str(result.target),
        "reachable": result.reachable,
        "index_before": str(result.index_before.reported),
        "index_after": str(result.index_after.reported),
        "index_after_exact": exact_str(result.index_after.exact),
        "total_effort": _plain(result.total_effort),
        "steps": [
            {
                "indicator": step.number,
                "from": str(step.from_level),
                "to": str(step.to_level),
                "effort": _plain(step.effort),
                "gain": exact_str(step.gain),
            }
            for step in result.steps
        ],
    }
    if result.best_reachable is not None:
        data["best_reachable"] = str(result.best_reachable.reported)
        data["best_reachable_exact"] = exact_str(result.best_reachable.exact)
    return data

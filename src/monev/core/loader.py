"""Read and validate instrument files.

Every problem is reported as `FILE:LINE: PLACE: what is wrong`, all of them at once, and
never as a traceback: the people who bring their own instrument file are evaluators, not
Python programmers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from monev.core.model import EdgeReading, Instrument
from monev.core.numbers import exact_str, is_terminating

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    line: int | None = None

    def place(self) -> str:
        text = ""
        for part in self.location:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
        return text or "(top level)"


class InstrumentError(Exception):
    """An instrument file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        lines = []
        for problem in self.problems:
            where = f"{self.source}:{problem.line}" if problem.line else self.source
            lines.append(f"{where}: {problem.place()}: {problem.message}")
        return "\n".join(lines)


@dataclass(frozen=True)
class LoadedInstrument:
    instrument: Instrument
    source: str
    sha256: str


# libyaml's C loader where PyYAML was built with it (the wheels are): about ten times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that reads YAML floats as exact Decimals (1.3 stays 1.3)."""


def _construct_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return Decimal("NaN")  # .inf / .nan: rejected later as not a finite number


_Loader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def _to_python(loader: _Loader, node: yaml.Node, path: Location, lines: dict[Location, int]):
    # A value's place is its key's line (set by the caller) where it has a key.
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if isinstance(key, list | dict):
                raise _BadNode(Problem(path, "a key must be plain text", line))
            if key in result:
                raise _BadNode(Problem((*path, key), "this key appears twice", line))
            lines[(*path, key)] = line
            result[key] = _to_python(loader, value_node, (*path, key), lines)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_python(loader, child, (*path, index), lines)
            for index, child in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


class _BadNode(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def parse_yaml(text: str, source: str) -> tuple[Any, dict[Location, int]]:
    """YAML text to Python data plus the line of every place in it."""
    loader = _Loader(text)
    lines: dict[Location, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise InstrumentError(source, [Problem((), "the file is empty")])
        return _to_python(loader, node, (), lines), lines
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        message = f"not valid YAML: {error.problem or error.context}"
        raise InstrumentError(source, [Problem((), message, line)]) from None
    except yaml.YAMLError as error:
        raise InstrumentError(source, [Problem((), f"not valid YAML: {error}")]) from None
    except _BadNode as error:
        raise InstrumentError(source, [error.problem]) from None
    finally:
        loader.dispose()


def _line_for(location: Location, lines: dict[Location, int]) -> int | None:
    while location:
        if location in lines:
            return lines[location]
        location = location[:-1]
    return lines.get(())


def _schema_problems(error: ValidationError, lines: dict[Location, int]) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        location = tuple(detail["loc"])
        message = detail["msg"].removeprefix("Value error, ")
        if detail["type"] == "extra_forbidden":
            message = "unknown field (check its spelling and docs/instrument-format.md)"
        elif detail["type"] == "missing":
            message = "required field is missing"
        problems.append(Problem(location, message, _line_for(location, lines)))
    return problems


def validate(data: Any, source: str, lines: dict[Location, int] | None = None) -> Instrument:
    """Check data read from an instrument file; raise InstrumentError naming every problem."""
    lines = lines or {}
    if not isinstance(data, dict):
        message = "the file must be a mapping of fields"
        raise InstrumentError(source, [Problem((), message, lines.get(()))])
    try:
        instrument = Instrument.model_validate(data)
    except ValidationError as error:
        raise InstrumentError(source, _schema_problems(error, lines)) from None
    problems = [
        Problem(p.location, p.message, _line_for(p.location, lines))
        for p in consistency_problems(instrument)
    ]
    if problems:
        raise InstrumentError(source, problems)
    return instrument


def load_text(text: str, source: str) -> LoadedInstrument:
    data, lines = parse_yaml(text, source)
    instrument = validate(data, source, lines)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedInstrument(instrument=instrument, source=source, sha256=digest)


def load_file(path: Path | str) -> LoadedInstrument:
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        message = f"cannot read the file: {error.strerror}"
        raise InstrumentError(source, [Problem((), message)]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8"
        raise InstrumentError(source, [Problem((), message, line)]) from None
    return load_text(text, source)


# --- checks that span the file -------------------------------------------------------------


def _duplicates(values: list[str]) -> set[str]:
    return {value for value, count in Counter(values).items() if count > 1}


def _fmt(value: Fraction | Decimal) -> str:
    """A weight for a message: as a decimal if it terminates, else as a fraction (29/3)."""
    value = Fraction(value)
    if is_terminating(value):
        return exact_str(value)
    return f"{value.numerator}/{value.denominator}"


def consistency_problems(instrument: Instrument) -> list[Problem]:
    problems: list[Problem] = []
    problems += _unique_code_problems(instrument)
    problems += _reference_problems(instrument)
    problems += _weight_problems(instrument)
    problems += _scale_problems(instrument)
    problems += _criteria_problems(instrument)
    problems += _predicate_problems(instrument)
    problems += _level_band_problems(instrument)
    problems += _item_rule_problems(instrument)
    problems += _item_weight_problems(instrument)
    problems += _external_problems(instrument)
    problems += _legal_basis_problems(instrument)
    problems += _schedule_problems(instrument)
    return problems


def _unique_code_problems(instrument: Instrument) -> list[Problem]:
    problems = []
    for field, codes in (
        ("domains", [d.code for d in instrument.domains]),
        ("aspects", [a.code for a in instrument.aspects]),
        ("level_scales", [s.code for s in instrument.level_scales]),
    ):
        for index, code in enumerate(codes):
            if code in _duplicates(codes):
                problems.append(Problem((field, index, "code"), f"code {code} is used twice"))
    numbers: list[tuple[Location, str]] = []
    for index, indicator in enumerate(instrument.indicators):
        numbers.append((("indicators", index, "number"), indicator.number))
        for sub_index, sub_item in enumerate(indicator.sub_items):
            location = ("indicators", index, "sub_items", sub_index, "number")
            numbers.append((location, sub_item.number))
    repeated = _duplicates([number for _, number in numbers])
    for location, number in numbers:
        if number in repeated:
            problems.append(Problem(location, f"indicator number {number} is used twice"))
    return problems


def _reference_problems(instrument: Instrument) -> list[Problem]:
    problems = []
    domain_codes = set(instrument.domains_by_code)
    for index, aspect in enumerate(instrument.aspects):
        if domain_codes and aspect.domain not in domain_codes:
            known = ", ".join(sorted(domain_codes))
            message = f"domain {aspect.domain or '(empty)'} is not one of {known}"
            problems.append(Problem(("aspects", index, "domain"), message))
        if not domain_codes and aspect.domain:
            message = f"domain {aspect.domain} is given but the instrument has no domains"
            problems.append(Problem(("aspects", index, "domain"), message))
    aspect_codes = set(instrument.aspects_by_code)
    scale_codes = set(instrument.level_scales_by_code)
    for index, indicator in enumerate(instrument.indicators):
        if indicator.aspect not in aspect_codes:
            known = ", ".join(sorted(aspect_codes))
            message = f"aspect {indicator.aspect} is not one of {known}"
            problems.append(Problem(("indicators", index, "aspect"), message))
        if indicator.level_scale and indicator.level_scale not in scale_codes:
            known = ", ".join(sorted(scale_codes)) or "(none defined)"
            message = f"level scale {indicator.level_scale} is not one of {known}"
            problems.append(Problem(("indicators", index, "level_scale"), message))
    for index, aspect in enumerate(instrument.aspects):
        if not instrument.indicators_of(aspect.code):
            problems.append(Problem(("aspects", index), f"aspect {aspect.code} has no indicators"))
    for index, domain in enumerate(instrument.domains):
        if not instrument.aspects_of(domain.code):
            problems.append(Problem(("domains", index), f"domain {domain.code} has no aspects"))
    return problems


def _weight_problems(instrument: Instrument) -> list[Problem]:
    problems = []
    for index, indicator in enumerate(instrument.indicators):
        if indicator.weight <= 0:
            problems.append(Problem(("indicators", index, "weight"), "weight must be above 0"))
        if indicator.sub_items:
            parts = sum((s.weight for s in indicator.sub_items), Fraction(0))
            if parts != indicator.weight:
                message = (
                    f"sub-item weights sum to {_fmt(parts)}, "
                    f"not to the indicator's weight {_fmt(indicator.weight)}"
                )
                problems.append(Problem(("indicators", index, "sub_items"), message))
    for index, aspect in enumerate(instrument.aspects):
        parts = sum((i.weight for i in instrument.indicators_of(aspect.code)), Fraction(0))
        if parts != aspect.weight:
            message = (
                f"indicator weights of aspect {aspect.code} sum to {_fmt(parts)}, "
                f"not to the aspect's weight {_fmt(aspect.weight)}"
            )
            problems.append(Problem(("aspects", index, "weight"), message))
    for index, domain in enumerate(instrument.domains):
        parts = sum((a.weight for a in instrument.aspects_of(domain.code)), Fraction(0))
        if parts != domain.weight:
            message = (
                f"aspect weights of domain {domain.code} sum to {_fmt(parts)}, "
                f"not to the domain's weight {_fmt(domain.weight)}"
            )
            problems.append(Problem(("domains", index, "weight"), message))
    top = instrument.domains or instrument.aspects
    field = "domains" if instrument.domains else "aspects"
    total = sum((node.weight for node in top), Fraction(0))
    if total != 100:
        message = f"{field} weights sum to {_fmt(total)}; weights are percentages summing to 100"
        problems.append(Problem((field,), message))
    return problems


def _scale_problems(instrument: Instrument) -> list[Problem]:
    scale = instrument.scale
    problems = []
    if scale.min >= scale.max:
        problems.append(Problem(("scale",), f"min {scale.min} must be below max {scale.max}"))
        return problems
    levels = set(range(scale.min, scale.max + 1))
    for index, level_scale in enumerate(instrument.level_scales):
        given = [entry.level for entry in level_scale.levels]
        for entry_index, level in enumerate(given):
            if level not in levels:
                location = ("level_scales", index, "levels", entry_index, "level")
                message = f"level {level} is outside the scale {scale.min}-{scale.max}"
                problems.append(Problem(location, message))
        if level_scale.levels and _duplicates([str(level) for level in given]):
            message = f"scale {level_scale.code} names a level twice"
            problems.append(Problem(("level_scales", index, "levels"), message))
    return problems


def _criteria_problems(instrument: Instrument) -> list[Problem]:
    """Criteria and evidence per level: every level where the instrument has criteria."""
    scale = instrument.scale
    # Level 0 of spbe-2018 means "nothing in place": it has no criteria of its own.
    expected = set(range(max(scale.min, 1), scale.max + 1))
    problems = []
    for index, indicator in enumerate(instrument.indicators):
        for field in ("criteria", "evidence", "evidence_items"):
            given = set(getattr(indicator, field))
            outside = sorted(given - set(range(scale.min, scale.max + 1)))
            if outside:
                levels = ", ".join(map(str, outside))
                message = f"level {levels} is outside the scale {scale.min}-{scale.max}"
                problems.append(Problem(("indicators", index, field), message))
        imported = indicator.external is not None and indicator.external.mode == "import"
        if instrument.criteria_available and not imported:
            missing = sorted(expected - set(indicator.criteria))
            if missing:
                levels = ", ".join(map(str, missing))
                message = f"indicator {indicator.number} has no criteria for level {levels}"
                problems.append(Problem(("indicators", index, "criteria"), message))
    return problems


def _predicate_problems(instrument: Instrument) -> list[Problem]:
    """Bands must cover the scale exactly: no gap, no overlap, in any order in the file."""
    problems = []
    reading = instrument.band_edges.predicates
    bands = sorted(enumerate(instrument.predicates), key=lambda pair: pair[1].min)
    low, high = Decimal(instrument.scale.min), Decimal(instrument.scale.max)
    for index, band in bands:
        if band.min > band.max or (
            band.min == band.max and not (band.min_inclusive and band.max_inclusive)
        ):
            message = f"band {band.name} is empty ({band.min} to {band.max})"
            problems.append(Problem(("predicates", index), message))
    if problems:
        return problems
    first_index, first = bands[0]
    if first.min != low or not first.min_inclusive:
        message = f"the lowest band {first.name} must start at the scale minimum {low}, inclusive"
        problems.append(Problem(("predicates", first_index, "min"), message))
    last_index, last = bands[-1]
    if last.max != high or not last.max_inclusive:
        message = f"the highest band {last.name} must end at the scale maximum {high}, inclusive"
        problems.append(Problem(("predicates", last_index, "max"), message))
    for (_, lower), (upper_index, upper) in pairwise(bands):
        if lower.max < upper.min:
            message = (
                f"gap between {lower.name} (to {lower.max}) and {upper.name} (from {upper.min})"
            )
            problems.append(Problem(("predicates", upper_index, "min"), message))
        elif lower.max > upper.min:
            message = f"{lower.name} (to {lower.max}) overlaps {upper.name} (from {upper.min})"
            problems.append(Problem(("predicates", upper_index, "min"), message))
        elif lower.max_inclusive == upper.min_inclusive:
            state = "both include" if lower.max_inclusive else "neither includes"
            message = (
                f"at {upper.min}, {state} the boundary: "
                f"exactly one of {lower.name} and {upper.name} must"
            )
            problems.append(Problem(("predicates", upper_index, "min_inclusive"), message))
        elif lower.max_inclusive != (reading is EdgeReading.UPPER_INCLUSIVE):
            owner, other = (lower, upper) if lower.max_inclusive else (upper, lower)
            message = (
                f"at {upper.min}, {owner.name} includes the boundary, but band_edges.predicates "
                f"is {reading.value}: it belongs to {other.name}"
            )
            problems.append(Problem(("predicates", upper_index, "min_inclusive"), message))
    return problems


def _level_band_problems(instrument: Instrument) -> list[Problem]:
    """Value bands of a level scale: on every level or on none, meeting end to end from the
    scale's minimum to its maximum."""
    problems = []
    low, high = Decimal(instrument.scale.min), Decimal(instrument.scale.max)
    for index, scale in enumerate(instrument.level_scales):
        place = ("level_scales", index, "levels")
        given = [e for e in scale.levels if e.min is not None or e.max is not None]
        if not given:
            continue
        if not scale.has_value_bands:
            message = f"scale {scale.code}: give min and max on every level, or on none"
            problems.append(Problem(place, message))
            continue
        bands = sorted(scale.levels, key=lambda entry: entry.level)
        if bands[0].min != low or bands[-1].max != high:
            message = f"scale {scale.code}: the value bands must run from {low} to {high}"
            problems.append(Problem(place, message))
        for lower, upper in pairwise(bands):
            if lower.max != upper.min:
                message = (
                    f"scale {scale.code}: the bands of levels {lower.level} and {upper.level} "
                    "must meet"
                )
                problems.append(Problem(place, message))
        for entry in bands:
            if entry.min is not None and entry.max is not None and entry.min >= entry.max:
                message = f"scale {scale.code}: level {entry.level}'s band is empty"
                problems.append(Problem(place, message))
    return problems


def _item_rule_problems(instrument: Instrument) -> list[Problem]:
    """Bands one per level of the scale, contiguous, from the scale's minimum to its maximum."""
    rule = instrument.item_rule
    if rule is None:
        return []
    problems = []
    bands = sorted(rule.bands, key=lambda band: band.level)
    levels = [band.level for band in bands]
    expected = list(range(max(instrument.scale.min, 1), instrument.scale.max + 1))
    if levels != expected:
        message = f"the item rule needs one band per level {expected[0]}-{expected[-1]}"
        problems.append(Problem(("item_rule", "bands"), message))
        return problems
    if bands[0].min != instrument.scale.min or bands[-1].max != instrument.scale.max:
        message = "the item rule's bands must run from the scale's minimum to its maximum"
        problems.append(Problem(("item_rule", "bands"), message))
    for lower, upper in pairwise(bands):
        if lower.max != upper.min or lower.min >= lower.max:
            message = f"the bands of levels {lower.level} and {upper.level} must meet"
            problems.append(Problem(("item_rule", "bands"), message))
    return problems


def _item_weight_problems(instrument: Instrument) -> list[Problem]:
    """Item weights: only with an item rule, for a level it has, once per level, one positive
    weight per item of the level (they are normalised, so they need not sum to 1)."""
    problems = []
    rule = instrument.item_rule
    levels = {band.level for band in rule.bands} if rule else set()
    for index, indicator in enumerate(instrument.indicators):
        seen: set[int] = set()
        for entry_index, entry in enumerate(indicator.item_weights):
            place = ("indicators", index, "item_weights", entry_index)
            if rule is None:
                message = "item weights need the instrument's item_rule"
                problems.append(Problem(place, message))
                continue
            if indicator.imported:
                message = (
                    f"indicator {indicator.number} takes its value from another agency's index; "
                    "its items are not judged, so they have no weights"
                )
                problems.append(Problem(place, message))
                continue
            if entry.level not in levels:
                message = f"level {entry.level} has no band in the item rule"
                problems.append(Problem((*place, "level"), message))
                continue
            if entry.level in seen:
                message = f"level {entry.level} is given twice"
                problems.append(Problem((*place, "level"), message))
                continue
            seen.add(entry.level)
            if entry.weights == "unknown":
                continue
            items = len(indicator.evidence_items_at(entry.level))
            if len(entry.weights) != items:
                message = (
                    f"level {entry.level} has {items} items but {len(entry.weights)} weights; "
                    "give one weight per item, in the items' order"
                )
                problems.append(Problem((*place, "weights"), message))
            if any(weight <= 0 for weight in entry.weights):
                problems.append(Problem((*place, "weights"), "every weight must be above 0"))
    return problems


def _external_problems(instrument: Instrument) -> list[Problem]:
    """A conversion that can be computed: points rising in both values, inside the scale."""
    problems = []
    low, high = Decimal(instrument.scale.min), Decimal(instrument.scale.max)
    for index, indicator in enumerate(instrument.indicators):
        external = indicator.external
        if external is None:
            continue
        place = ("indicators", index, "external")
        if external.mode == "import" and external.method is None:
            problems.append(Problem(place, "an imported value needs a conversion method"))
        if external.method == "linear_bands":
            points = external.points
            if len(points) < 2:
                problems.append(Problem(place, "linear_bands needs at least two points"))
            rising = all(a.source < b.source and a.value <= b.value for a, b in pairwise(points))
            if not rising:
                message = "the points must rise: source values strictly, indicator values not fall"
                problems.append(Problem((*place, "points"), message))
            if any(not low <= point.value <= high for point in points):
                message = f"every point's value must lie on the scale {low}-{high}"
                problems.append(Problem((*place, "points"), message))
        elif external.points:
            problems.append(Problem((*place, "points"), "points belong to linear_bands only"))
    return problems


def _legal_basis_problems(instrument: Instrument) -> list[Problem]:
    basis = instrument.legal_basis
    if basis.enacted and basis.promulgated and basis.promulgated < basis.enacted:
        message = (
            f"promulgated on {basis.promulgated.isoformat()}, "
            f"before it was set on {basis.enacted.isoformat()}"
        )
        return [Problem(("legal_basis", "promulgated"), message)]
    return []


# The order the stages of a cycle run in; kinds of one rank (the self-assessment's close and
# the evidence deadline) may fall in any order between themselves.
_STAGE_RANK = {
    "self_assessment_open": 0,
    "self_assessment_close": 1,
    "evidence_deadline": 1,
    "document_review": 2,
    "interview": 3,
    "visitation": 4,
    "announcement": 5,
}
_STAGES = "self-assessment and evidence, document review, interview, site visit, announcement"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _day(entry) -> str:
    text = f"{entry.day} {_MONTHS[entry.month - 1]}"
    return f"{text} of the following year" if entry.year_offset else text


def _schedule_problems(instrument: Instrument) -> list[Problem]:
    """A schedule that can be placed in every year, names each milestone once, and runs the
    stages in order: the self-assessment opens before anything else and closes, with the
    evidence deadline, before the assessors' document review, interview, visit and result."""
    schedule = instrument.schedule
    if schedule is None:
        return []
    place = ("schedule", "milestones")
    problems = []
    seen: set[str] = set()
    staged = []
    for index, entry in enumerate(schedule.milestones):
        if not entry.exists_every_year:
            message = f"{_day(entry)} does not exist in every year"
            problems.append(Problem((*place, index), message))
        elif entry.kind in seen:
            message = f"{entry.kind} is given twice; a schedule names each milestone once"
            problems.append(Problem((*place, index, "kind"), message))
        else:
            seen.add(entry.kind)
            if entry.kind in _STAGE_RANK:
                staged.append((index, entry))

    def key(entry) -> tuple:
        return (entry.year_offset, entry.month, entry.day, entry.at != "start")

    opening = next((e for _, e in staged if e.kind == "self_assessment_open"), None)
    for index, entry in staged:
        earlier = [e for _, e in staged if _STAGE_RANK[e.kind] < _STAGE_RANK[entry.kind]]
        if opening is not None and entry is not opening and key(entry) <= key(opening):
            message = (
                f"{entry.kind} ({_day(entry)}) must come after "
                f"self_assessment_open ({_day(opening)})"
            )
            problems.append(Problem((*place, index), message))
        elif earlier and key(entry) < key(latest := max(earlier, key=key)):
            message = (
                f"{entry.kind} ({_day(entry)}) comes before {latest.kind} ({_day(latest)}); "
                f"the stages run in order: {_STAGES}"
            )
            problems.append(Problem((*place, index), message))
    return problems

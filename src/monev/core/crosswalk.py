"""Crosswalks between instruments: which indicators of an older instrument roughly cover the
ground of a newer one's. A crosswalk is a judgement written in a file, never an official
mapping: it lets a page put an aspect of the new instrument next to its rough counterparts in
the old one, labelled as such, and nothing more (scores are never carried across).

Pure: no Django. The file names both instruments; every code in it is checked against them,
and an unknown code, key or instrument is refused with every problem named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import yaml

from monev.core.model import Instrument

CROSSWALK_DIR = Path(__file__).with_name("crosswalks")
JUDGEMENT = "judgement"
TOP_KEYS = {"id", "from", "to", "status", "statement", "source", "entries", "without_successor"}
ENTRY_KEYS = {"to", "from", "partly", "note"}


class CrosswalkError(ValueError):
    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class Entry:
    target: str  # the newer instrument's indicator
    counterparts: tuple[str, ...]  # the older instrument's indicators covering roughly the same
    partly: tuple[str, ...]  # indicators that cover part of it
    note: str


@dataclass(frozen=True)
class Crosswalk:
    id: str
    source_instrument: str  # "from": the older instrument
    target_instrument: str  # "to": the newer instrument
    statement: str  # says, in the file's words, that this is a judgement
    source: str
    entries: tuple[Entry, ...]
    without_successor: tuple[str, ...]

    @property
    def is_judgement(self) -> bool:
        return True  # the loader refuses any other status

    def entry(self, target: str) -> Entry | None:
        return next((e for e in self.entries if e.target == target), None)


@dataclass(frozen=True)
class AspectComparison:
    """A newer instrument's aspect next to the mean level of its rough counterparts."""

    code: str
    name: str
    score: Decimal | None  # the aspect's score under the newer instrument
    counterparts: tuple[str, ...]  # older indicators (main counterparts only)
    counterpart_mean: Decimal | None  # their mean level in the older period; None if none


def _codes(value, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{where}: expected a list of indicator numbers")
        return ()
    return tuple(str(item) for item in value)


def parse_crosswalk(text: str, source: str, instrument: Callable[[str], Instrument]) -> Crosswalk:
    """A crosswalk from YAML text; `instrument(id)` returns an instrument or raises."""
    problems: list[str] = []
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CrosswalkError(source, [f"not valid YAML: {error}"]) from None
    if not isinstance(raw, dict):
        raise CrosswalkError(source, ["expected a mapping at the top"])
    problems += [f"unknown key {key!r}" for key in raw if key not in TOP_KEYS]
    for key in ("id", "from", "to", "status", "statement", "entries"):
        if key not in raw:
            problems.append(f"missing key {key!r}")
    if raw.get("status") != JUDGEMENT:
        problems.append(
            f"status must be {JUDGEMENT!r}: a crosswalk is a judgement, not an official mapping"
        )
    instruments: dict[str, Instrument] = {}
    for key in ("from", "to"):
        reference = str(raw.get(key, ""))
        try:
            instruments[key] = instrument(reference)
        except Exception:
            problems.append(f"{key}: unknown instrument {reference!r}")
    if problems:
        raise CrosswalkError(source, problems)
    old = instruments["from"].indicators_by_number
    new = instruments["to"].indicators_by_number
    entries: list[Entry] = []
    seen: set[str] = set()
    raw_entries = raw["entries"] if isinstance(raw["entries"], list) else []
    if not isinstance(raw["entries"], list):
        problems.append("entries: expected a list")
    for position, item in enumerate(raw_entries, start=1):
        where = f"entries[{position}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        problems += [f"{where}: unknown key {key!r}" for key in item if key not in ENTRY_KEYS]
        target = str(item.get("to", ""))
        if target not in new:
            problems.append(f"{where}: unknown {raw['to']} indicator {target!r}")
        if target in seen:
            problems.append(f"{where}: {raw['to']} indicator {target} is listed twice")
        seen.add(target)
        main = _codes(item.get("from"), f"{where}.from", problems)
        partly = _codes(item.get("partly"), f"{where}.partly", problems)
        for code in (*main, *partly):
            if code not in old:
                problems.append(f"{where}: unknown {raw['from']} indicator {code!r}")
        entries.append(Entry(target, main, partly, str(item.get("note", ""))))
    missing = [number for number in new if number not in seen]
    if missing:
        problems.append(f"no entry for {raw['to']} indicators {', '.join(missing)}")
    orphans = _codes(raw.get("without_successor"), "without_successor", problems)
    mapped = {code for entry in entries for code in entry.counterparts}
    # An indicator without a successor cannot also cover part of one: the transition would
    # then suggest its evidence for an indicator the file says it has nothing to do with.
    partial = {code: entry.target for entry in entries for code in entry.partly}
    for code in orphans:
        if code not in old:
            problems.append(f"without_successor: unknown {raw['from']} indicator {code!r}")
        elif code in mapped:
            problems.append(f"without_successor: {code} is also a main counterpart")
        elif code in partial:
            problems.append(
                f"without_successor: {code} is also a partial counterpart of "
                f"{raw['to']} indicator {partial[code]}"
            )
    if problems:
        raise CrosswalkError(source, problems)
    return Crosswalk(
        id=str(raw["id"]),
        source_instrument=instruments["from"].id,
        target_instrument=instruments["to"].id,
        statement=str(raw["statement"]),
        source=str(raw.get("source", "")),
        entries=tuple(entries),
        without_successor=orphans,
    )


def _default_instrument(reference: str) -> Instrument:
    from monev.core.registry import catalog

    return catalog().get(reference)


def load_crosswalk(path: Path, instrument: Callable[[str], Instrument] | None = None) -> Crosswalk:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CrosswalkError(str(path), [f"cannot read: {error.strerror}"]) from None
    return parse_crosswalk(text, str(path), instrument or _default_instrument)


def find_crosswalk(
    old: str, new: str, instrument: Callable[[str], Instrument] | None = None
) -> Crosswalk | None:
    """The shipped crosswalk from instrument `old` to `new`, or None if there is none."""
    path = CROSSWALK_DIR / f"{old}_{new}.yaml"
    return load_crosswalk(path, instrument) if path.is_file() else None


def compare_aspects(
    crosswalk: Crosswalk,
    new_instrument: Instrument,
    new_aspect_scores: Mapping[str, Decimal | None],
    old_levels: Mapping[str, Decimal | None],
) -> list[AspectComparison]:
    """Each aspect of the newer instrument with the plain mean level of its indicators' main
    counterparts in the older instrument (a rough figure: weights are not comparable)."""
    comparisons = []
    for aspect in new_instrument.aspects:
        codes: list[str] = []
        for indicator in new_instrument.indicators_of(aspect.code):
            entry = crosswalk.entry(indicator.number)
            for code in entry.counterparts if entry else ():
                if code not in codes:
                    codes.append(code)
        values = [old_levels[c] for c in codes if old_levels.get(c) is not None]
        mean = None
        if values:
            mean = Decimal(str(round(float(sum(map(Fraction, values)) / len(values)), 2)))
        comparisons.append(
            AspectComparison(
                aspect.code, aspect.name, new_aspect_scores.get(aspect.code), tuple(codes), mean
            )
        )
    return comparisons

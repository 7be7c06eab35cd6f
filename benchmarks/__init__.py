"""Benchmarks for Monev SPBE: `python -m benchmarks [NAME ...]` (`make bench` runs them all).

A benchmark is a function in a module of this package, registered with
`@benchmark("name", "what it measures")`. It returns the rows of its results table
(measure, value, note) and may report progress on stderr. Modules of this package are found
automatically: adding `benchmarks/overview.py` with a registered function is enough.
"""

from __future__ import annotations

import importlib
import pkgutil
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Row = tuple[str, str, str]  # measure, value, note


@dataclass(frozen=True)
class Benchmark:
    name: str
    description: str
    run: Callable[[], list[Row]]


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, description: str) -> Callable[[Callable[[], list[Row]]], Callable]:
    """Register a benchmark under `name` (run by `python -m benchmarks name`)."""

    def register(function: Callable[[], list[Row]]) -> Callable[[], list[Row]]:
        if name in REGISTRY and REGISTRY[name].run is not function:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = Benchmark(name, description, function)
        return function

    return register


def discover() -> dict[str, Benchmark]:
    """Import every module of this package, so that their benchmarks register themselves."""
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return REGISTRY


# --- helpers for benchmarks ----------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def seconds(value: float) -> str:
    """A duration for reading: s, ms or µs with three significant figures."""
    if value >= 1:
        return f"{value:.3g} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} µs"


def render_table(rows: Sequence[Row], header: Row = ("Measure", "Value", "Note")) -> str:
    """An aligned text table; the value column is right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]

    def line(cells: Row) -> str:
        measure, value, note = cells
        return f"{measure:<{widths[0]}}  {value:>{widths[1]}}  {note}".rstrip()

    rule = ("-" * widths[0], "-" * widths[1], "-" * widths[2])
    return "\n".join([line(header), line(rule), *(line(row) for row in rows)])


class Progress:
    """A single progress line on stderr (rewritten in place on a terminal)."""

    def __init__(self, label: str, total: int, stream=None):
        self.label, self.total = label, total
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.step = max(1, total // 20)

    def update(self, done: int) -> None:
        if self.live and (done % self.step == 0 or done == self.total):
            self.stream.write(f"\r{self.label}: {done}/{self.total}")
            self.stream.flush()

    def finish(self, note: str = "") -> None:
        text = f"{self.label}: {self.total}/{self.total}" + (f" {note}" if note else "")
        self.stream.write(("\r" if self.live else "") + text + "\n")
        self.stream.flush()

"""`monev instrument list|show|check|schema`: the instruments Monev SPBE knows, and checking
an evaluator's own instrument file before it is used."""

from __future__ import annotations

import argparse
import sys

from monev.cli.common import (
    add_format_argument,
    fail,
    find_instrument,
    instrument_catalog,
    instrument_failure,
    use_color,
    write_json,
)
from monev.core.loader import InstrumentError, load_file
from monev.core.model import Instrument, instrument_json_schema
from monev.core.numbers import exact_str
from monev.core.registry import BUILTIN_DIR
from monev.lib.paths import user_instrument_dir

VALUE_TYPES = {
    "whole": "whole levels",
    "decimal2": "up to two decimals (partial credit within a level)",
    "fractional": "exact partial credit: up to ten decimals, or a fraction such as 7/6",
}

YELLOW, BOLD, RESET = "\033[33m", "\033[1m", "\033[0m"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="monev instrument",
        description="The instruments Monev SPBE knows: the built-in ones and those in "
        f"{user_instrument_dir()} (MONEV_DATA_DIR/instruments).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="list the known instruments")
    add_format_argument(listing)
    show = commands.add_parser("show", help="show an instrument's structure, weights and bands")
    show.add_argument("instrument", metavar="ID", help="id, id@version, or a file path")
    add_format_argument(show)
    show.add_argument("--criteria", action="store_true", help="also print the criteria per level")
    check = commands.add_parser("check", help="validate instrument files")
    check.add_argument("files", metavar="FILE", nargs="+")
    commands.add_parser("schema", help="print the JSON Schema of instrument files")
    return parser


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"list": list_instruments, "show": show, "check": check, "schema": schema}
    return handlers[args.command](args)


def _provisional_warning(instrument: Instrument) -> str:
    return (
        f"PROVISIONAL: {instrument.id} is not yet confirmed against the regulation's text; "
        "its weights, bands and criteria may change."
    )


def list_instruments(args: argparse.Namespace) -> int:
    known = instrument_catalog()
    entries = sorted(known.instruments, key=lambda e: (e.instrument.years.first, e.instrument.id))
    if args.format == "json":
        data = [
            {
                "id": e.instrument.id,
                "version": e.instrument.version,
                "name": e.instrument.name,
                "years": [e.instrument.years.first, e.instrument.years.last],
                "status": e.instrument.status.value,
                "provisional": e.instrument.provisional,
                "indicators": len(e.instrument.indicators),
                "builtin": _is_builtin(e.source),
                "source": e.source,
                "sha256": e.sha256,
            }
            for e in entries
        ]
        write_json(data, always_indented=True)
    else:
        color = use_color()
        for entry in entries:
            ins = entry.instrument
            last = ins.years.last or "..."
            status = ins.status.value.upper() if ins.provisional else ins.status.value
            where = "built-in" if _is_builtin(entry.source) else entry.source
            line = (
                f"{ins.id + '@' + str(ins.version):<16} {ins.years.first}-{last:<5} "
                f"{len(ins.indicators):>3} indicators  {status:<11} {ins.name}  [{where}]"
            )
            print(f"{YELLOW}{line}{RESET}" if color and ins.provisional else line)
    for error in known.broken:
        print(f"skipped, not valid:\n{error.render()}", file=sys.stderr)
    return 0


def _is_builtin(source: str) -> bool:
    return source.startswith(str(BUILTIN_DIR))


def show(args: argparse.Namespace) -> int:
    try:
        instrument = find_instrument(args.instrument)
    except InstrumentError as error:
        return instrument_failure(error)
    if args.format == "json":
        write_json(instrument.model_dump(mode="json"), always_indented=True)
        return 0
    sys.stdout.write(describe(instrument, criteria=args.criteria, color=use_color()))
    return 0


def describe(instrument: Instrument, *, criteria: bool = False, color: bool = False) -> str:
    def bold(text: str) -> str:
        return f"{BOLD}{text}{RESET}" if color else text

    out = [bold(f"{instrument.name} ({instrument.id} version {instrument.version})")]
    if instrument.provisional:
        warning = _provisional_warning(instrument)
        out.append(f"{YELLOW}{warning}{RESET}" if color else warning)
    years = f"{instrument.years.first}-{instrument.years.last or ''}"
    basis = instrument.legal_basis
    dated = ", ".join(
        part
        for part in (
            f"set {basis.enacted.isoformat()}" if basis.enacted else "",
            f"promulgated {basis.promulgated.isoformat()}" if basis.promulgated else "",
            basis.gazette,
        )
        if part
    )
    out += [
        f"Legal basis: {basis.regulation}" + (f" ({dated})" if dated else ""),
        f"Years: {years}   Status: {instrument.status.value}   "
        f"Confidence: {instrument.confidence.value}",
        f"Scale: {instrument.scale.min}-{instrument.scale.max}   Values: "
        + VALUE_TYPES[instrument.value_type.value],
        f"Rounding: {instrument.rounding.places} places, {instrument.rounding.mode}, "
        + (
            "intermediate scores rounded"
            if instrument.rounding.intermediate
            else "exact until reported"
        ),
        "",
        bold("Predicates"),
    ]
    for band in instrument.predicates:
        low = "[" if band.min_inclusive else "("
        high = "]" if band.max_inclusive else ")"
        out.append(f"  {band.name:<12} {low}{band.min}, {band.max}{high}")
    edges = instrument.band_edges
    if edges.contested:
        confidence = f" [{edges.confidence.value}]" if edges.confidence else ""
        out.append(
            f"  Band edges: {edges.predicates.value.replace('_', '-')}, contested{confidence}: "
            f"a value on an edge also names the {edges.predicates.other.value.replace('_', '-')} "
            "reading"
        )
    for scale in instrument.level_scales:
        out += [
            "",
            bold(f"Levels: {scale.name}" + (f" ({scale.applies_to})" if scale.applies_to else "")),
        ]
        out += [
            f"  {level.level} {level.name}"
            + (f"  (values {level.min}-{level.max})" if level.min is not None else "")
            for level in scale.levels
        ]
    if instrument.confidence_notes:
        out += ["", bold("Confidence notes")]
        for note in instrument.confidence_notes:
            out.append(f"  [{note.confidence.value}] {note.subject}: {note.note}")
    if instrument.schedule:
        out += ["", bold("Default schedule of a new period (in its year, local time)")]
        for entry in instrument.schedule.milestones:
            at = "00:00" if entry.at == "start" else "23:59"
            later = " of the following year" if entry.year_offset else ""
            out.append(
                f"  {entry.kind:<22} {entry.month:02}-{entry.day:02} {at}{later}  {entry.title}"
            )
    out += ["", bold("Structure (weights in % of the index)")]
    groups = [(d.code, d.name, d.weight) for d in instrument.domains] or [("", "", None)]
    for code, name, weight in groups:
        if code:
            out.append(f"{code} {name}  {exact_str(weight)}")
        aspects = instrument.aspects_of(code) if code else instrument.aspects
        for aspect in aspects:
            out.append(f"  {aspect.code} {aspect.name}  {exact_str(aspect.weight)}")
            for indicator in instrument.indicators_of(aspect.code):
                out.append(
                    f"    {indicator.number:>4}  {indicator.name}  {_weight(indicator.weight)}"
                )
                for sub in indicator.sub_items:
                    out.append(f"    {sub.number:>6}  {sub.name}  {_weight(sub.weight)}")
                if criteria:
                    for level, text in sorted(indicator.criteria.items()):
                        out.append(f"          {level}: {text}")
    return "\n".join(out) + "\n"


def _weight(weight) -> str:
    text = exact_str(weight)
    return text if len(text) < 10 else f"{weight.numerator}/{weight.denominator}"


def check(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            loaded = load_file(path)
        except InstrumentError as error:
            instrument_failure(error)
            failed = True
            continue
        ins = loaded.instrument
        print(
            f"{path}: OK: {ins.id} version {ins.version}, {len(ins.aspects)} aspects, "
            f"{len(ins.indicators)} indicators ({len(ins.scored_items)} scored items)"
        )
        if ins.provisional:
            print(f"{path}: note: {_provisional_warning(ins)}")
    return 2 if failed else 0


def schema(args: argparse.Namespace) -> int:
    write_json(instrument_json_schema(), always_indented=True)
    return 0


__all__ = ["describe", "fail", "main"]

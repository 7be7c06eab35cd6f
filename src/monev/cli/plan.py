"""`monev plan`: the least-effort level increases that lift the exact index to a target."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from fractions import Fraction

from monev.cli.common import (
    Given,
    add_format_argument,
    add_missing_argument,
    fail,
    input_parser,
    input_problems,
    read_input,
    run_on_input,
    unreadable,
    write_json,
)
from monev.core.csvinput import CsvInputError, parse, score_file
from monev.core.model import Instrument
from monev.core.numbers import exact_str
from monev.core.planner import Plan, PlannerInputError, plan, plan_to_dict, read_efforts

EXIT_UNREACHABLE = 1

DESCRIPTION = """\
Plan the cheapest way to a target index. FILE is CSV (UTF-8) with the header indicator,level,
one row per indicator (sub-items as 35.1), as for `monev score`; use - for standard input.
EFFORT is CSV with the header indicator,to_level,effort: the effort of the step that reaches
to_level from the level below (steps not listed keep the default, see docs/planning.md).
The target is reached when the EXACT index is at least the target, not when it rounds to it.
Exit codes: 0 a plan reaches the target, 1 the target is out of reach (the plan printed reaches
the best index possible), 2 bad input (one line per problem on stderr, nothing on stdout)."""


def build_parser() -> argparse.ArgumentParser:
    parser = input_parser(
        "monev plan", DESCRIPTION, file_help="the CSV of levels, or - for standard input"
    )
    parser.add_argument("--target", required=True, help="the target index, e.g. 4.62")
    parser.add_argument("--effort", metavar="EFFORT", help="a CSV of effort overrides")
    parser.add_argument(
        "--lock",
        metavar="NUMBERS",
        default="",
        help="indicators that must not move, comma-separated (e.g. 29,30)",
    )
    add_format_argument(parser)
    add_missing_argument(
        parser, "indicators without a row: refuse (default), or take them at the scale minimum"
    )
    return parser


def main(argv: list[str]) -> int:
    return run_on_input(build_parser(), argv, _plan)


def _plan(args: argparse.Namespace, given: Given) -> int:
    instrument, source = given.instrument, given.source
    problems: list[str] = []
    levels = None
    try:
        scores = parse(given.data)
        if scores.kind != "indicator":
            problems.append(
                f"{source}: a plan needs indicator levels (header indicator,level); "
                f"{scores.kind} scores say nothing about which indicator to raise"
            )
        else:
            result = score_file(instrument, scores, missing=args.missing)
            levels = {item.number: item.value for item in result.items}
    except CsvInputError as error:
        problems += input_problems(error, source)

    efforts = {}
    if args.effort is not None:
        try:
            efforts = read_efforts(instrument, read_input(args.effort))
        except OSError as error:
            problems.append(unreadable(args.effort, error))
        except CsvInputError as error:
            problems += [problem.render(args.effort) for problem in error.problems]
    if problems or levels is None:
        return fail(problems)

    try:
        locked = [number.strip() for number in args.lock.split(",") if number.strip()]
        result_plan = plan(instrument, levels, given.target, efforts=efforts, locked=locked)
    except PlannerInputError as error:
        where = {"target": "--target", "instrument": args.instrument}
        return fail(
            f"{where[p.key]}: {p.message}" if p.key in where else f"--lock: {p.key}: {p.message}"
            for p in error.problems
        )

    if args.format == "json":
        write_json(plan_to_dict(result_plan))
    else:
        sys.stdout.write(render_plan(result_plan, instrument))
    return 0 if result_plan.reachable else EXIT_UNREACHABLE


def render_plan(result: Plan, instrument: Instrument) -> str:
    """The plan for people: the verdict, then one row per step."""
    before, after = result.index_before, result.index_after
    out = [f"{instrument.name} ({instrument.id} version {instrument.version})", ""]
    out.append(
        f"Index now {before.reported} (exact {exact_str(before.exact)}), target {result.target}"
    )
    if result.reachable and not result.steps:
        out.append("The target is already reached: nothing to do.")
    elif result.reachable:
        out.append(
            f"Reachable: {len(result.steps)} steps, total effort {_num(result.total_effort)}, "
            f"index after {after.reported} (exact {exact_str(after.exact)})."
        )
    else:
        best = result.best_reachable or after
        out.append(
            f"NOT reachable: the best index possible is {best.reported} "
            f"(exact {exact_str(best.exact)}); the plan below reaches it with "
            f"{len(result.steps)} steps, total effort {_num(result.total_effort)}."
        )
    if result.steps:
        names = {item.number: item.name for item in instrument.scored_items}
        for indicator in instrument.indicators:
            if not indicator.sub_items:
                names[indicator.number] = indicator.short_name or indicator.name
        rows = [
            [
                step.number,
                _clip(names[step.number]),
                str(step.from_level),
                str(step.to_level),
                _num(step.effort),
                _gain(step.gain),
            ]
            for step in result.steps
        ]
        header = ["No", "Indicator", "From", "To", "Effort", "Index gain"]
        out += ["", *_rows(header, rows, right={2, 3, 4, 5})]
        out.append("")
        out.append("Effort is in the planner's units (docs/planning.md); a step is one level up.")
    return "\n".join(out) + "\n"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _gain(value: Fraction) -> str:
    text = exact_str(value)
    return text if len(text.partition(".")[2]) <= 4 else f"{float(value):.4f}~"


def _clip(name: str, width: int = 48) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _rows(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]

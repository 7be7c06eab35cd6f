"""`python -m benchmarks [NAME ...]`: run every benchmark, or the named ones."""

from __future__ import annotations

import argparse
import sys

from benchmarks import discover, render_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run the Monev SPBE benchmarks (all of them, or the named ones).",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)

    registry = discover()
    if args.list:
        width = max(len(name) for name in registry)
        for name, bench in registry.items():
            print(f"{name:<{width}}  {bench.description}")
        return 0
    unknown = [name for name in args.names if name not in registry]
    if unknown:
        known = ", ".join(registry)
        print(f"unknown benchmark: {', '.join(unknown)}; known: {known}", file=sys.stderr)
        return 2

    for index, name in enumerate(args.names or list(registry)):
        bench = registry[name]
        if index:
            print()
        print(f"== {bench.name}: {bench.description}", flush=True)
        rows = bench.run()
        print(render_table(rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

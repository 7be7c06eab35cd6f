"""Scoring a national evaluation round: 615 institutions x 47 spbe-2020 indicators.

Each institution's levels are written to a CSV file, then every file is scored through the same
path as `monev score FILE --instrument spbe-2020 --format json` (the CLI's own `main`, with its
output going to memory). The whole round is repeated and the median reported; one real `monev
score` process is timed separately, to show what process start-up costs.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks import Progress, Row, benchmark, median, seconds
from monev.cli import score as score_cli
from monev.core.csvinput import parse, score_file
from monev.core.model import Instrument
from monev.core.registry import catalog
from monev.core.report import result_to_dict

INSTITUTIONS = 615  # evaluated in 2024: 92 central agencies, 523 regional governments
REPEATS = 5
SEED = 20241231
TARGET_SECONDS = 1.0  # the whole round, in process: well under 1 s

# The national index was 3.12 in 2024: SPBE management (D3) lowest at 1.86, services (D4)
# highest at 3.78. Each institution gets a base maturity around the national average, and
# each indicator a level around the base shifted by its domain (audit lower still).
BASE_MEAN, BASE_SPREAD = 2.9, 0.55
INDICATOR_SPREAD = 0.6
OFFSETS = {"D1": 0.1, "D2": -0.1, "D3": -1.0, "D4": 0.7}
AUDIT_ASPECT, AUDIT_OFFSET = "A6", -1.6

STAGES = ("parse CSV + score", "result_to_dict", "json.dumps (compact, as into a pipe)")


def generate(directory: Path) -> list[Path]:
    """One CSV of indicator levels per institution, seeded so every run sees the same data."""
    instrument = catalog().get("spbe-2020")
    domain_of = {aspect.code: aspect.domain for aspect in instrument.aspects}
    rng = random.Random(SEED)  # noqa: S311 - test data, not security
    progress = Progress("generating institutions", INSTITUTIONS)
    paths = []
    for number in range(1, INSTITUTIONS + 1):
        base = min(4.7, max(1.2, rng.gauss(BASE_MEAN, BASE_SPREAD)))
        rows = ["indicator,level"]
        for indicator in instrument.indicators:
            offset = OFFSETS[domain_of[indicator.aspect]]
            if indicator.aspect == AUDIT_ASPECT:
                offset = AUDIT_OFFSET
            level = round(rng.gauss(base + offset, INDICATOR_SPREAD))
            rows.append(f"{indicator.number},{min(5, max(1, level))}")
        path = directory / f"institution-{number:03d}.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        paths.append(path)
        progress.update(number)
    progress.finish()
    return paths


def score_all(paths: list[Path], label: str) -> tuple[float, list[str]]:
    """Score every file as `monev score --format json` does; (seconds, the JSON outputs)."""
    outputs = []
    progress = Progress(label, len(paths))
    started = time.perf_counter()
    for done, path in enumerate(paths, start=1):
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink):
            status = score_cli.main([str(path), "--instrument", "spbe-2020", "--format", "json"])
        if status != 0:
            raise RuntimeError(f"monev score failed on {path} (exit {status})")
        outputs.append(sink.getvalue())
        progress.update(done)
    elapsed = time.perf_counter() - started
    progress.finish(f"in {seconds(elapsed)}")
    return elapsed, outputs


def stage_times(instrument: Instrument, datas: list[bytes]) -> dict[str, float]:
    """The core path without the CLI around it, timed per stage over every file."""
    totals = dict.fromkeys(STAGES, 0.0)
    clock = time.perf_counter
    for data in datas:
        started = clock()
        result = score_file(instrument, parse(data))
        scored = clock()
        shaped = result_to_dict(result)
        converted = clock()
        json.dumps(shaped, ensure_ascii=False)
        done = clock()
        totals[STAGES[0]] += scored - started
        totals[STAGES[1]] += converted - scored
        totals[STAGES[2]] += done - converted
    return totals


def monev_command() -> list[str]:
    script = Path(sys.executable).with_name("monev")
    return [str(script)] if script.exists() else [sys.executable, "-m", "monev"]


def time_process(path: Path, environment: dict[str, str]) -> float:
    command = [
        *monev_command(),
        "score",
        str(path),
        "--instrument",
        "spbe-2020",
        "--format",
        "json",
    ]
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own console script
        command, check=True, stdout=subprocess.DEVNULL, env=environment, timeout=60
    )
    return time.perf_counter() - started


@benchmark("scoring", "score 615 institutions x 47 spbe-2020 indicators (monev score path)")
def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="monev-bench-") as temporary:
        directory = Path(temporary)
        # No evaluator's own instrument files: the built-ins only, as on a fresh install.
        previous = os.environ.get("MONEV_DATA_DIR")
        os.environ["MONEV_DATA_DIR"] = str(directory / "data")
        try:
            paths = generate(directory)
            totals, outputs = [], []
            for repeat in range(1, REPEATS + 1):
                elapsed, outputs = score_all(paths, f"scoring, run {repeat}/{REPEATS}")
                totals.append(elapsed)
            instrument = catalog().get("spbe-2020")
            datas = [path.read_bytes() for path in paths]
            stages: dict[str, list[float]] = {stage: [] for stage in STAGES}
            progress = Progress("core path by stage", REPEATS)
            for repeat in range(1, REPEATS + 1):
                for stage, elapsed in stage_times(instrument, datas).items():
                    stages[stage].append(elapsed)
                progress.update(repeat)
            progress.finish()
            processes = []
            progress = Progress("one `monev score` process", REPEATS)
            for repeat in range(1, REPEATS + 1):
                processes.append(time_process(paths[0], dict(os.environ)))
                progress.update(repeat)
            progress.finish()
        finally:
            if previous is None:
                os.environ.pop("MONEV_DATA_DIR", None)
            else:
                os.environ["MONEV_DATA_DIR"] = previous

    results = [json.loads(output) for output in outputs]
    mean_index = sum(float(r["index"]) for r in results) / len(results)
    lowest_domain = Counter(min(r["domains"], key=lambda d: d["score"])["code"] for r in results)
    predicates = Counter(r["predicate"] for r in results)
    total = median(totals)
    verdict = "met" if total < TARGET_SECONDS else "MISSED"
    return [
        ("institutions x indicators", f"{INSTITUTIONS} x 47", f"seed {SEED}, CSV files"),
        ("runs", str(REPEATS), "each run scores every file"),
        ("median total (in process)", seconds(total), f"fastest {seconds(min(totals))}"),
        ("median per institution", seconds(total / INSTITUTIONS), "read, parse, score, JSON"),
        ("target", f"< {seconds(TARGET_SECONDS)}", f"well under 1 s in total: {verdict}"),
        ("core path, no CLI", seconds(sum(map(median, stages.values()))), "by stage:"),
        *(
            (f"  {stage}", seconds(median(times)), "all files, median of 5")
            for stage, times in stages.items()
        ),
        ("one `monev score` process", seconds(median(processes)), "median of 5, start-up included"),
        ("mean index generated", f"{mean_index:.2f}", "national 2024: 3.12"),
        (
            "lowest domain",
            lowest_domain.most_common(1)[0][0],
            "D3 Manajemen, as nationally",
        ),
        (
            "predicates",
            str(len(predicates)),
            ", ".join(f"{name} {count}" for name, count in predicates.most_common()),
        ),
    ]

"""`monev plan`: the least-effort plan from a CSV of levels, as a table or JSON; exit 0 when the
target is reached, 1 when it is out of reach, 2 on bad input (nothing on stdout)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

MONEV = Path(sys.executable).with_name("monev")


def threes() -> dict[str, object]:
    return {str(n): 3 for n in range(1, 48)}


def test_it_prints_the_documented_json_shape(monev, write_csv):
    path = write_csv(threes())
    run = monev(
        "plan", str(path), "--instrument", "spbe-2020", "--target", "4.62", "--format", "json"
    )
    assert (run.code, run.err) == (0, "")
    data = json.loads(run.out)
    assert list(data) == [
        "target",
        "reachable",
        "index_before",
        "index_after",
        "index_after_exact",
        "total_effort",
        "steps",
    ]
    assert data["target"] == "4.62" and data["reachable"] is True
    assert data["index_before"] == "3.00"
    assert Fraction(data["index_after_exact"]) >= Fraction("4.62")
    step = data["steps"][0]
    assert list(step) == ["indicator", "from", "to", "effort", "gain"]
    assert all(isinstance(value, str) for value in step.values())
    efforts = sum(Decimal(s["effort"]) for s in data["steps"])
    assert Decimal(data["total_effort"]) == efforts
    gains = sum(Fraction(s["gain"]) for s in data["steps"])
    assert 3 + gains == Fraction(data["index_after_exact"])


def test_it_prints_a_table_for_people(monev, write_csv):
    run = monev("plan", str(write_csv(threes())), "--instrument", "spbe-2020", "--target", "3.1")
    assert (run.code, run.err) == (0, "")
    assert "Index now 3.00 (exact 3), target 3.1" in run.out
    assert "Reachable:" in run.out
    header = next(line for line in run.out.splitlines() if line.startswith("No "))
    assert header.split() == ["No", "Indicator", "From", "To", "Effort", "Index", "gain"]


def test_it_says_when_the_target_is_already_reached(monev, write_csv):
    run = monev("plan", str(write_csv(threes())), "--instrument", "spbe-2020", "--target", "3")
    assert run.code == 0
    assert "already reached: nothing to do" in run.out


def test_an_unreachable_target_exits_1_with_the_best_index(monev, write_csv):
    path = str(write_csv(threes()))
    args = ["plan", path, "--instrument", "spbe-2020", "--target", "5", "--lock", "1, 2"]
    run = monev(*args, "--format", "json")
    assert (run.code, run.err) == (1, "")
    data = json.loads(run.out)
    assert data["reachable"] is False
    assert (data["best_reachable"], data["best_reachable_exact"]) == ("4.95", "4.948")
    assert {step["indicator"] for step in data["steps"]}.isdisjoint({"1", "2"})
    table = monev(*args)
    assert table.code == 1
    assert "NOT reachable: the best index possible is 4.95 (exact 4.948)" in table.out


def test_an_unknown_locked_indicator_is_refused(monev, write_csv):
    path = str(write_csv(threes()))
    run = monev("plan", path, "--instrument", "spbe-2020", "--target", "4", "--lock", "48")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == ["--lock: 48: unknown indicator 48 (locked)"]


def test_the_effort_file_changes_the_plan(monev, write_csv, tmp_path):
    levels = write_csv(threes())
    base = monev(
        "plan", str(levels), "--instrument", "spbe-2020", "--target", "3.01", "--format", "json"
    )
    effort = tmp_path / "effort.csv"
    effort.write_text("indicator,to_level,effort\n47,4,0\n", encoding="utf-8")
    cheap = monev(
        "plan",
        str(levels),
        "--instrument",
        "spbe-2020",
        "--target",
        "3.01",
        "--effort",
        str(effort),
        "--format",
        "json",
    )
    assert (cheap.code, cheap.err) == (0, "")
    assert json.loads(cheap.out)["steps"] == [
        {"indicator": "47", "from": "3", "to": "4", "effort": "0", "gain": "0.03"}
    ]
    assert json.loads(base.out)["total_effort"] != "0"


def test_missing_rows_are_refused_unless_missing_min(monev, write_csv):
    path = write_csv({"1": 3})
    run = monev("plan", str(path), "--instrument", "spbe-2020", "--target", "2")
    assert run.code == 2 and run.out == ""
    assert "indicator 2 has no value (add a row for it, or use --missing min)" in run.err
    run = monev("plan", str(path), "--instrument", "spbe-2020", "--target", "2", "--missing", "min")
    assert run.code == 0


def test_aspect_and_domain_files_are_refused(monev, write_csv):
    path = write_csv({"A1": "3.2"}, header="aspect,score")
    run = monev("plan", str(path), "--instrument", "spbe-2020", "--target", "4")
    assert (run.code, run.out) == (2, "")
    assert "a plan needs indicator levels (header indicator,level)" in run.err


def test_bad_levels_and_bad_efforts_are_all_reported_with_lines(monev, write_csv, tmp_path):
    levels = write_csv({**threes(), "2": 7, "99": 1})
    effort = tmp_path / "effort.csv"
    effort.write_text("indicator,to_level,effort\n1,9,1\n2,3,-2\n", encoding="utf-8")
    run = monev(
        "plan",
        str(levels),
        "--instrument",
        "spbe-2020",
        "--target",
        "4",
        "--effort",
        str(effort),
        "--format",
        "json",
    )
    assert (run.code, run.out) == (2, "")
    assert f"{levels}:3: indicator 2: value 7 is outside the scale 1-5" in run.err_lines
    assert any(line.startswith(f"{levels}:49: unknown indicator 99") for line in run.err_lines)
    assert f"{effort}:2: indicator 1: to_level 9 must be a whole level 2-5" in run.err_lines
    assert f"{effort}:3: indicator 2: effort -2 must be a number, 0 or more" in run.err_lines


def test_a_bad_target_is_refused(monev, write_csv):
    path = str(write_csv(threes()))
    run = monev("plan", path, "--instrument", "spbe-2020", "--target", "4,62")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == ["--target: '4,62' is not a number such as 4.62"]
    run = monev("plan", path, "--instrument", "spbe-2020", "--target", "5.5")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == ["--target: target 5.5 is outside the scale 1-5"]


def test_unreadable_files_are_reported(monev, write_csv, tmp_path):
    path = str(write_csv(threes()))
    missing = str(tmp_path / "nope.csv")
    run = monev("plan", path, "--instrument", "spbe-2020", "--target", "4", "--effort", missing)
    assert (run.code, run.out) == (2, "")
    assert run.err_lines[0].startswith(f"{missing}: cannot read the file")
    run = monev("plan", missing, "--instrument", "spbe-2020", "--target", "4")
    assert run.code == 2


def test_it_is_listed_in_the_usage(monev):
    run = monev("--help")
    assert "plan" in run.out and "least-effort" in run.out


def test_a_real_process_prints_clean_json_on_stdout(write_csv, data_dir):
    # HiGHS prints a banner on file descriptor 1 unless it is silenced before anything else:
    # only a real process shows whether JSON on stdout stays clean.
    path = write_csv(threes())
    command = [str(MONEV), "plan", "-", "--instrument", "spbe-2020", "--target", "4.62"]
    completed = subprocess.run(  # noqa: S603 - our own console script
        [*command, "--format", "json"],
        input=path.read_bytes(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == b""
    assert json.loads(completed.stdout)["reachable"] is True

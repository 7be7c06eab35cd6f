"""`monev score`: the index from a CSV file, as a table or JSON; bad input exits 2 with one
line per problem on stderr and nothing on stdout."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

MONEV = Path(sys.executable).with_name("monev")
TWO_DECIMALS = re.compile(r"^\d\.\d\d$")


def levels(count: int = 47, level: object = 3, **overrides: object) -> dict[str, object]:
    rows: dict[str, object] = {str(n): level for n in range(1, count + 1)}
    rows.update({key.lstrip("_"): value for key, value in overrides.items()})
    return rows


# --- scoring -----------------------------------------------------------------------------


def test_it_prints_the_table_with_the_predicate_and_the_weakest_aspects(
    monev, write_csv, mixed_rows
):
    run = monev("score", str(write_csv(mixed_rows)), "--instrument", "spbe-2020")
    assert (run.code, run.err) == (0, "")
    assert "Index 3.34 (exact 3.3425)   Predikat: Baik" in run.out
    weakest = [line.split()[0] for line in run.out.splitlines() if line.endswith("<< weakest")]
    assert weakest == ["A3", "A5", "A6"]
    assert "PROVISIONAL" not in run.out
    assert "\033[" not in run.out  # not a terminal: no colour


def test_it_prints_the_documented_json_shape(monev, write_csv, mixed_rows):
    path = write_csv(mixed_rows)
    run = monev("score", str(path), "--instrument", "spbe-2020", "--format", "json")
    assert (run.code, run.err) == (0, "")
    data = json.loads(run.out)
    assert list(data) == [
        "instrument",
        "instrument_version",
        "provisional",
        "basis",
        "index",
        "index_exact",
        "predicate",
        "index_low",
        "index_high",
        "predicates_possible",
        "predicate_other_reading",
        "domains",
        "aspects",
        "indicators",
        "filled_with_minimum",
    ]
    assert data["instrument"] == "spbe-2020"
    assert data["instrument_version"] == 1
    assert data["provisional"] is False
    assert data["basis"] == "indicators"
    assert (data["index"], data["index_exact"], data["predicate"]) == ("3.34", "3.3425", "Baik")
    assert [list(d) for d in data["domains"]] == [
        ["code", "name", "weight", "score", "score_exact"]
    ] * 4
    assert [list(a) for a in data["aspects"]] == [
        ["code", "name", "domain", "weight", "score", "score_exact"]
    ] * 8
    assert [list(i) for i in data["indicators"]] == [
        ["number", "name", "aspect", "level", "level_exact", "weight", "contribution", "headroom"]
    ] * 47
    scores = {node["code"]: node["score"] for node in data["domains"] + data["aspects"]}
    assert scores == {
        "D1": "3.50",
        "D2": "3.30",
        "D3": "2.18",
        "D4": "3.74",
        "A1": "3.50",
        "A2": "3.50",
        "A3": "3.00",
        "A4": "3.50",
        "A5": "2.50",
        "A6": "1.33",
        "A7": "3.90",
        "A8": "3.50",
    }
    assert all(TWO_DECIMALS.match(score) for score in scores.values())
    assert data["filled_with_minimum"] == []


ACCEPTED = {
    "UTF-8 byte-order mark": lambda text: b"\xef\xbb\xbf" + text.encode(),
    "Windows line endings": lambda text: text.replace("\n", "\r\n").encode(),
    "blank lines": lambda text: text.replace("\n", "\n\n").encode(),
    "Indonesian header": lambda text: text.replace("indicator,level", "indikator,tingkat").encode(),
    "spaces around cells": lambda text: text.replace(",", " , ").encode(),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_it_accepts_what_spreadsheets_write(monev, write_csv, mixed_rows, case):
    text = "indicator,level\n" + "".join(f"{k},{v}\n" for k, v in mixed_rows.items())
    path = write_csv(ACCEPTED[case](text))
    run = monev("score", str(path), "--instrument", "spbe-2020", "--format", "json")
    assert (run.code, run.err) == (0, "")
    assert json.loads(run.out)["index_exact"] == "3.3425"


def test_it_reads_standard_input(monev, write_csv, mixed_rows, monkeypatch):
    import io

    data = write_csv(mixed_rows).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    run = monev("score", "-", "--instrument", "spbe-2020", "--format", "json")
    assert run.code == 0
    assert json.loads(run.out)["index"] == "3.34"


def test_it_scores_published_domain_scores(monev, write_csv):
    path = write_csv(
        {"D1": "3.10", "D2": "2.30", "D3": "2.18", "D4": "3.51"}, header="domain,score"
    )
    run = monev("score", str(path), "--instrument", "spbe-2020", "--format", "json")
    data = json.loads(run.out)
    assert (data["basis"], data["index"], data["index_exact"]) == ("domains", "2.93", "2.93475")
    assert data["predicate"] == "Baik"


def test_it_scores_spbe_2018_aspect_scores(monev, write_csv):
    rows = {"A1": 3, "A2": 3, "A3": 3.5, "A4": 3, "A5": 2.67, "A6": 3.57, "A7": 3.67}
    path = write_csv(rows, header="aspek,nilai")
    run = monev("score", str(path), "--instrument", "spbe-2018")
    assert run.code == 0
    assert "Index 3.33 (exact 3.3339)   Predikat: Baik" in run.out


def test_pemdi_output_says_provisional(monev, write_csv):
    path = write_csv(levels(20, "1.17", _19="2.50"))
    table = monev("score", str(path), "--instrument", "pemdi-2026")
    assert table.code == 0
    assert "PROVISIONAL instrument" in table.out
    data = json.loads(
        monev("score", str(path), "--instrument", "pemdi-2026", "--format", "json").out
    )
    assert data["provisional"] is True
    assert data["index_exact"] == "1.303"
    assert data["index"] == "1.30"


def test_the_target_reports_the_gap(monev, write_csv, mixed_rows):
    path = str(write_csv(mixed_rows))
    run = monev("score", path, "--instrument", "spbe-2020", "--target", "4.62")
    assert run.code == 0
    assert "Target 4.62: 1.2775 to go (exact index must reach the target)." in run.out
    data = json.loads(
        monev(
            "score", path, "--instrument", "spbe-2020", "--target", "4.62", "--format", "json"
        ).out
    )
    assert data["target"] == {"target": "4.62", "reached": False, "shortfall_exact": "1.2775"}


def test_a_reached_target_says_so(monev, write_csv, mixed_rows):
    run = monev("score", str(write_csv(mixed_rows)), "--instrument", "spbe-2020", "--target", "3.3")
    assert "Target 3.3: reached." in run.out


def test_missing_indicators_can_be_scored_at_the_minimum_and_are_listed(monev, write_csv):
    rows = levels()
    del rows["9"], rows["31"]
    path = str(write_csv(rows))
    run = monev("score", path, "--instrument", "spbe-2020", "--missing", "min")
    assert (run.code, run.err) == (0, "")
    assert "Scored at the scale minimum because they were missing: 9, 31" in run.out
    data = json.loads(
        monev(
            "score", path, "--instrument", "spbe-2020", "--missing", "min", "--format", "json"
        ).out
    )
    assert data["filled_with_minimum"] == ["9", "31"]
    assert data["index_exact"] == "2.944"


def test_it_takes_an_instrument_file_by_path(monev, write_csv, tmp_path):
    from monev.core.registry import BUILTIN_DIR

    own = tmp_path / "mine.yaml"
    own.write_text(
        (BUILTIN_DIR / "spbe-2018.yaml").read_text().replace("id: spbe-2018\n", "id: mine\n"),
        encoding="utf-8",
    )
    rows = {str(n): 5 for n in range(1, 35)} | {"35.1": 5, "35.2": 5, "35.3": 5}
    run = monev("score", str(write_csv(rows)), "--instrument", str(own), "--format", "json")
    data = json.loads(run.out)
    assert (data["instrument"], data["index"], data["predicate"]) == ("mine", "5.00", "Memuaskan")


def test_it_takes_an_instrument_from_the_data_directory(monev, write_csv, data_dir):
    from monev.core.registry import BUILTIN_DIR

    text = (BUILTIN_DIR / "spbe-2020.yaml").read_text().replace("version: 1\n", "version: 2\n")
    (data_dir / "instruments" / "spbe-2020-v2.yaml").write_text(text, encoding="utf-8")
    run = monev("score", str(write_csv(levels())), "--instrument", "spbe-2020", "--format", "json")
    assert json.loads(run.out)["instrument_version"] == 2
    run = monev(
        "score", str(write_csv(levels())), "--instrument", "spbe-2020@1", "--format", "json"
    )
    assert json.loads(run.out)["instrument_version"] == 1


# --- bad input: exit 2, nothing on stdout, one line per problem ----------------------------

HINT = " (add a row for it, or use --missing min)"

BAD_INPUTS = {
    "unknown indicator": (
        levels(_48=3),
        ["{path}:49: unknown indicator 48"],
    ),
    "duplicate row": (
        b"indicator,level\n" + b"".join(f"{n},3\n".encode() for n in range(1, 48)) + b"12,4\n",
        ["{path}:49: indicator 12 appears again (first on line 13)"],
    ),
    "value above the scale": (
        levels(_10=6),
        ["{path}:11: indicator 10: value 6 is outside the scale 1-5"],
    ),
    "value below the scale": (
        levels(_10=0),
        ["{path}:11: indicator 10: value 0 is outside the scale 1-5"],
    ),
    "value not allowed by the value type": (
        levels(_10="3.5"),
        [
            "{path}:11: indicator 10: value 3.5 is not a whole level; "
            "spbe-2020 takes whole levels 1-5"
        ],
    ),
    "missing indicators": (
        {n: v for n, v in levels().items() if n not in ("9", "31")},
        ["{path}: indicator 9 has no value" + HINT, "{path}: indicator 31 has no value" + HINT],
    ),
    "empty file": (
        b"",
        [
            "{path}: the file is empty; expected a header "
            "indicator,level or aspect,score or domain,score"
        ],
    ),
    "blank lines only": (
        b"\r\n\r\n  \r\n",
        [
            "{path}: the file is empty; expected a header "
            "indicator,level or aspect,score or domain,score"
        ],
    ),
    "header with no rows": (
        b"indicator,level\n",
        [
            "{path}: the file has a header but no rows "
            "(use --missing min to score all at the minimum)"
        ],
    ),
    "wrong header": (
        b"no,nilai\n1,3\n",
        [
            "{path}:1: the header must be indicator,level or aspect,score or domain,score; "
            "found no,nilai"
        ],
    ),
    "non-UTF-8 bytes": (
        "indicator,level\n1,3\n2,3 caf\u00e9\n".encode("latin-1"),
        ["{path}:3: the file is not UTF-8 text; save it as CSV UTF-8"],
    ),
    "wrong column count": (
        b"indicator,level\n" + b"".join(f"{n},3\n".encode() for n in range(1, 48)) + b"5,3,x\n",
        ["{path}:49: expected 2 columns, found 3: 5,3,x"],
    ),
    "comma decimal": (
        levels(_10='"3,5"'),
        ["{path}:11: indicator 10: 3,5 is not a number; use a dot as the decimal separator"],
    ),
    "several problems": (
        b'indicator,level\n1,3\n2,6\n1,4\n48,2\n4,"3,5"\n'
        + b"".join(f"{n},3\n".encode() for n in range(5, 48)),
        [
            "{path}:3: indicator 2: value 6 is outside the scale 1-5",
            "{path}:4: indicator 1 appears again (first on line 2)",
            "{path}:5: unknown indicator 48",
            "{path}:6: indicator 4: 3,5 is not a number; use a dot as the decimal separator",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line_per_problem_and_nothing_on_stdout(monev, write_csv, case):
    rows, expected = BAD_INPUTS[case]
    path = write_csv(rows)
    run = monev("score", str(path), "--instrument", "spbe-2020")
    assert run.code == 2
    assert run.out == ""
    assert run.err_lines == [line.format(path=path) for line in expected]


def test_bad_input_gives_no_json_either(monev, write_csv):
    path = write_csv(levels(_10=6))
    run = monev("score", str(path), "--instrument", "spbe-2020", "--format", "json")
    assert (run.code, run.out) == (2, "")


def test_a_pemdi_value_with_more_than_ten_decimals_is_refused(monev, write_csv):
    path = write_csv(levels(20, "1.00", _7="1.16666666667"))
    run = monev("score", str(path), "--instrument", "pemdi-2026")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"{path}:8: indicator 7: value 1.16666666667 has more than ten decimals; "
        "give it as a fraction such as 7/6"
    ]


@pytest.mark.parametrize(
    ("value", "exact"),
    [("7/6", "1.00833333333333333333"), ("1.1666666667", "1.008333333335")],
)
def test_pemdi_takes_an_item_value_as_a_fraction_or_with_ten_decimals_unrounded(
    monev, write_csv, value, exact
):
    path = write_csv(levels(20, "1", _13=value))
    run = monev("score", str(path), "--instrument", "pemdi-2026", "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    # Indicator 13 weighs 5 of 100: 1 + (value - 1) x 5/100, from the unrounded value.
    assert data["index_exact"] == exact
    row = next(row for row in data["indicators"] if row["number"] == "13")
    assert row["level"] == "1.17"
    assert row["level_exact"].startswith("1.166666666")


def test_spbe_2020_refuses_a_fraction_as_not_a_whole_level(monev, write_csv):
    path = write_csv(levels(47, "1", _13="7/6"))
    run = monev("score", str(path), "--instrument", "spbe-2020")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"{path}:14: indicator 13: value 7/6 is not a whole level; spbe-2020 takes whole levels 1-5"
    ]


def test_domain_scores_for_pemdi_are_refused(monev, write_csv):
    path = write_csv({"D1": 3}, header="domain,score")
    run = monev("score", str(path), "--instrument", "pemdi-2026")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [f"{path}: pemdi-2026 has no domains; give indicator or aspect scores"]


def test_spbe_2018_indicator_35_is_refused_naming_its_sub_items(monev, write_csv):
    path = write_csv({str(n): 3 for n in range(1, 36)})
    run = monev("score", str(path), "--instrument", "spbe-2018")
    assert (run.code, run.out) == (2, "")
    assert (
        f"{path}:36: unknown indicator 35; indicator 35 is scored through its sub-items "
        "35.1, 35.2, 35.3"
    ) in run.err_lines


def test_an_unknown_instrument_is_refused_naming_the_known_ones(monev, write_csv):
    run = monev("score", str(write_csv(levels())), "--instrument", "spbe-2030")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        "spbe-2030: (top level): unknown instrument 'spbe-2030'; "
        "known instruments: pemdi-2026, spbe-2018, spbe-2020"
    ]


def test_a_file_that_cannot_be_read_is_refused(monev, tmp_path):
    path = tmp_path / "nothing.csv"
    run = monev("score", str(path), "--instrument", "spbe-2020")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [f"{path}: cannot read the file: No such file or directory"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("abc", "--target: 'abc' is not a number such as 4.62"),
        ("4,62", "--target: '4,62' is not a number such as 4.62"),
    ],
)
def test_a_target_that_is_not_a_number_is_refused(monev, write_csv, target, message):
    run = monev("score", str(write_csv(levels())), "--instrument", "spbe-2020", "--target", target)
    assert (run.code, run.out, run.err_lines) == (2, "", [message])


def test_a_target_outside_the_scale_is_refused(monev, write_csv):
    path = write_csv(levels())
    run = monev("score", str(path), "--instrument", "spbe-2020", "--target", "6")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [f"{path}: target 6 is outside the scale 1-5"]


def test_a_missing_instrument_option_is_a_usage_error(monev, write_csv):
    with pytest.raises(SystemExit) as caught:
        monev("score", str(write_csv(levels())))
    assert caught.value.code == 2


# --- the installed console script ---------------------------------------------------------


def run_monev(*args: str, data_dir: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    env = {**os.environ, "MONEV_DATA_DIR": str(data_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(  # noqa: S603
        [str(MONEV), *args], input=stdin, capture_output=True, env=env, timeout=60, check=False
    )


def test_the_console_script_scores_a_file(write_csv, mixed_rows, data_dir):
    path = write_csv(mixed_rows)
    done = run_monev(
        "score", str(path), "--instrument", "spbe-2020", "--format", "json", data_dir=data_dir
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    data = json.loads(done.stdout)
    assert (data["index"], data["index_exact"], data["predicate"]) == ("3.34", "3.3425", "Baik")


def test_the_console_script_refuses_bad_input_with_exit_2(data_dir):
    done = run_monev(
        "score",
        "-",
        "--instrument",
        "spbe-2020",
        data_dir=data_dir,
        stdin=b"indicator,level\n1,3.5\n",
    )
    assert done.returncode == 2
    assert done.stdout == b""
    lines = done.stderr.decode().splitlines()
    assert (
        "<stdin>:2: indicator 1: value 3.5 is not a whole level; spbe-2020 takes whole levels 1-5"
    ) in lines
    assert len(lines) == 1 + 46  # and indicators 2-47 have no value
    assert "Traceback" not in done.stderr.decode()


def test_scoring_does_not_load_django(write_csv, mixed_rows, data_dir):
    path = write_csv(mixed_rows)
    code = (
        "import sys\n"
        "from monev.cli.main import main\n"
        f"status = main(['score', {str(path)!r}, '--instrument', 'spbe-2020'])\n"
        "assert status == 0, status\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "MONEV_DATA_DIR": str(data_dir)}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, env=env, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()


def test_monev_help_lists_its_own_commands(monev):
    run = monev("--help")
    assert run.code == 0
    assert "score" in run.out and "instrument" in run.out

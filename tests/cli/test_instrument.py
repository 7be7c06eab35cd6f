"""`monev instrument list|show|check|schema`."""

from __future__ import annotations

import json

import pytest

from monev.core.registry import BUILTIN_DIR


def builtin_text(instrument_id: str) -> str:
    return (BUILTIN_DIR / f"{instrument_id}.yaml").read_text(encoding="utf-8")


# --- list ---------------------------------------------------------------------------------


def test_list_shows_the_builtin_instruments_by_first_year(monev):
    run = monev("instrument", "list")
    assert (run.code, run.err) == (0, "")
    lines = run.out.splitlines()
    assert [line.split()[0] for line in lines] == [
        "spbe-2018@1",
        "spbe-2020@1",
        "pemdi-2026@1",  # kept for the periods pinned to it
        "pemdi-2026@2",
    ]
    assert "35 indicators" in lines[0] and "[built-in]" in lines[0]
    assert "2021-2025" in lines[1] and "superseded" in lines[1]
    assert "PROVISIONAL" in lines[2] and "20 indicators" in lines[2]


def test_list_as_json(monev):
    run = monev("instrument", "list", "--format", "json")
    data = json.loads(run.out)
    assert [(e["id"], e["version"], e["indicators"]) for e in data] == [
        ("spbe-2018", 1, 35),
        ("spbe-2020", 1, 47),
        ("pemdi-2026", 1, 20),
        ("pemdi-2026", 2, 20),
    ]
    assert [e["provisional"] for e in data] == [False, False, True, True]
    assert all(e["builtin"] for e in data)
    assert data[1]["years"] == [2021, 2025]
    assert data[2]["years"] == [2026, None]
    assert all(len(e["sha256"]) == 64 for e in data)


def test_list_includes_an_evaluators_own_file(monev, data_dir):
    path = data_dir / "instruments" / "kota.yaml"
    path.write_text(builtin_text("spbe-2018").replace("id: spbe-2018\n", "id: kota\n"), "utf-8")
    run = monev("instrument", "list")
    assert run.code == 0
    own = next(line for line in run.out.splitlines() if line.startswith("kota@1"))
    assert own.endswith(f"[{path}]")


def test_list_reports_a_broken_own_file_and_still_lists_the_builtins(monev, data_dir):
    path = data_dir / "instruments" / "broken.yaml"
    path.write_text("format: monev-instrument/1\nid: broken\n", encoding="utf-8")
    run = monev("instrument", "list")
    assert run.code == 0
    assert len(run.out.splitlines()) == 4
    assert run.err_lines[0] == "skipped, not valid:"
    assert all(line.startswith(f"{path}:") for line in run.err_lines[1:])
    assert any("version: required field is missing" in line for line in run.err_lines)


# --- show ---------------------------------------------------------------------------------


def test_show_prints_the_structure_weights_and_bands(monev):
    run = monev("instrument", "show", "spbe-2020")
    assert (run.code, run.err) == (0, "")
    out = run.out
    assert out.startswith(
        "Indeks SPBE menurut PermenPANRB Nomor 59 Tahun 2020 (spbe-2020 version 1)"
    )
    assert "Scale: 1-5   Values: whole levels" in out
    assert "  Baik         [2.6, 3.5)" in out
    assert "  Memuaskan    [4.2, 5.0]" in out
    assert "D3 Manajemen SPBE  16.5" in out
    assert "  A6 Audit Teknologi Informasi dan Komunikasi  4.5" in out
    assert "PROVISIONAL" not in out


def test_show_pemdi_says_provisional(monev):
    run = monev("instrument", "show", "pemdi-2026")
    assert run.code == 0
    assert run.out.splitlines()[1] == (
        "PROVISIONAL: pemdi-2026 is not yet confirmed against the regulation's text; "
        "its weights, bands and criteria may change."
    )
    assert "Values: exact partial credit: up to ten decimals, or a fraction such as 7/6" in run.out


def test_show_spbe_2018_lists_the_sub_items_of_indicator_35(monev):
    out = monev("instrument", "show", "spbe-2018").out
    assert "  Kurang       [0, 1.8)" in out
    for number in ("35.1", "35.2", "35.3"):
        line = next(line for line in out.splitlines() if line.strip().startswith(number + " "))
        assert line.endswith("  10/3")


def test_show_with_criteria_prints_the_criteria_per_level(monev):
    without = monev("instrument", "show", "spbe-2020").out
    with_criteria = monev("instrument", "show", "spbe-2020", "--criteria").out
    text = "1: Kebijakan internal tentang Arsitektur SPBE belum ada"
    assert text not in without
    assert text in with_criteria


def test_show_as_json_keeps_weights_exact(monev):
    data = json.loads(monev("instrument", "show", "spbe-2018@1", "--format", "json").out)
    assert data["id"] == "spbe-2018"
    assert data["indicators"][31]["weight"] == "3.33333333333333333333"
    assert data["indicators"][34]["sub_items"][0]["number"] == "35.1"
    assert [d["weight"] for d in data["domains"]] == ["17", "28", "55"]


def test_show_an_instrument_file_by_path(monev, tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(builtin_text("pemdi-2026").replace("id: pemdi-2026\n", "id: mine\n"), "utf-8")
    run = monev("instrument", "show", str(path))
    assert run.code == 0
    assert "(mine version 2)" in run.out.splitlines()[0]


def test_show_an_unknown_instrument_exits_2_naming_the_known_ones(monev):
    run = monev("instrument", "show", "spbe-1999")
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        "spbe-1999: (top level): unknown instrument 'spbe-1999'; "
        "known instruments: pemdi-2026, spbe-2018, spbe-2020"
    ]


# --- check --------------------------------------------------------------------------------


def test_check_accepts_the_builtin_files(monev):
    files = [str(BUILTIN_DIR / f"{name}.yaml") for name in ("spbe-2018", "spbe-2020", "pemdi-2026")]
    run = monev("instrument", "check", *files)
    assert (run.code, run.err) == (0, "")
    assert run.out.splitlines() == [
        f"{files[0]}: OK: spbe-2018 version 1, 7 aspects, 35 indicators (37 scored items)",
        f"{files[1]}: OK: spbe-2020 version 1, 8 aspects, 47 indicators (47 scored items)",
        f"{files[2]}: OK: pemdi-2026 version 2, 7 aspects, 20 indicators (20 scored items)",
        f"{files[2]}: note: PROVISIONAL: pemdi-2026 is not yet confirmed against the "
        "regulation's text; its weights, bands and criteria may change.",
    ]


def test_check_on_a_bad_file_exits_2_with_every_problem(monev, tmp_path):
    text = builtin_text("spbe-2020")
    text = text.replace("- name: Baik\n  min: 2.6\n", "- name: Baik\n  min: 2.7\n")
    text = text.replace("short_name: SPBE 2020\n", "short_name: SPBE 2020\nshortname: x\n")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    run = monev("instrument", "check", str(path))
    assert (run.code, run.out) == (2, "")
    assert run.err_lines == [
        f"{path}:9: shortname: unknown field (check its spelling and docs/instrument-format.md)"
    ]
    # Once the file's schema is right, the checks across the file run.
    path.write_text(text.replace("shortname: x\n", ""), encoding="utf-8")
    run = monev("instrument", "check", str(path))
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith(f"{path}:")
    assert run.err_lines[0].endswith(
        "predicates[2].min: gap between Cukup (to 2.6) and Baik (from 2.7)"
    )


def test_check_reports_each_file_and_fails_if_any_is_bad(monev, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"id: caf\xe9\n")
    good = str(BUILTIN_DIR / "spbe-2020.yaml")
    run = monev("instrument", "check", str(bad), good)
    assert run.code == 2
    assert run.out.startswith(f"{good}: OK: spbe-2020")
    assert run.err_lines == [
        f"{bad}:1: (top level): not UTF-8 text (byte 7 cannot be read); save it as UTF-8"
    ]


def test_check_needs_a_file(monev):
    with pytest.raises(SystemExit) as caught:
        monev("instrument", "check")
    assert caught.value.code == 2


# --- schema -------------------------------------------------------------------------------


def test_schema_prints_the_json_schema_of_instrument_files(monev):
    run = monev("instrument", "schema")
    assert run.code == 0
    schema = json.loads(run.out)
    assert schema["$id"] == "https://monev-spbe.example/schema/instrument-1.json"
    assert "indicators" in schema["required"]

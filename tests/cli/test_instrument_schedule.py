"""`monev instrument show` names the regulation's dates and the default schedule (issue 15)."""

from __future__ import annotations


def test_show_pemdi_names_the_regulations_dates_and_its_default_schedule(monev):
    run = monev("instrument", "show", "pemdi-2026")
    assert run.code == 0
    lines = run.out.splitlines()
    assert next(line for line in lines if line.startswith("Legal basis:")).endswith(
        "(set 2026-06-01, promulgated 2026-06-05, "
        "Berita Negara Republik Indonesia Tahun 2026 Nomor 364)"
    )
    start = lines.index("Default schedule of a new period (in its year, local time)")
    assert lines[start + 1].split()[:3] == ["self_assessment_open", "08-01", "00:00"]
    assert lines[start + 5].split()[:3] == ["interview", "09-30", "23:59"]


def test_show_spbe_2020_has_no_default_schedule(monev):
    out = monev("instrument", "show", "spbe-2020").out
    assert "Default schedule" not in out
    assert "Legal basis: Peraturan Menteri" in out and "(set " not in out

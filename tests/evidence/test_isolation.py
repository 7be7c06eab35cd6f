"""Extraction runs in a child process: a slow or crashing reader costs one failed file."""

from __future__ import annotations

from pathlib import Path

from monev.evidence.isolation import extract_isolated

FIXTURES = Path(__file__).parent / "fixtures"


def test_it_returns_the_childs_extraction():
    result = extract_isolated(FIXTURES / "good.pdf", "pdf")
    assert result.status == "done" and "Peraturan Wali Kota Bandung" in result.text


def test_it_gives_up_on_a_reader_that_takes_too_long():
    result = extract_isolated(FIXTURES / "good.pdf", "pdf", timeout_seconds=0.001)
    assert result.status == "failed" and "longer than" in result.error


def test_it_contains_a_reader_that_runs_out_of_memory():
    # With 32 MB the reader runs out of memory: one failed extraction, the caller unharmed.
    result = extract_isolated(FIXTURES / "good.pdf", "pdf", memory_bytes=32 << 20)
    assert result.status == "failed"

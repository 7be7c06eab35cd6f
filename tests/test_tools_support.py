"""The summary that ends a run on a machine without the tools some tests drive."""

from __future__ import annotations

import pytest

from tools_support import MISSING, missing_tool, missing_tools_summary, require_tool


def test_a_missing_tool_is_skipped_with_a_reason_that_names_it(monkeypatch):
    monkeypatch.delenv("MONEV_REQUIRE_TOOLS", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_tool("no-such-tool-monev")
    assert missing_tool(str(skipped.value)) == "no-such-tool-monev"


def test_a_missing_tool_fails_when_tools_are_required(monkeypatch):
    monkeypatch.setenv("MONEV_REQUIRE_TOOLS", "1")
    with pytest.raises(pytest.fail.Exception, match="no-such-tool-monev is not installed"):
        require_tool("no-such-tool-monev")


def test_the_summary_counts_skips_per_tool_and_gives_one_install_command():
    reasons = [
        f"Skipped: {MISSING}chromium is not installed",
        f"Skipped: {MISSING}chromium is not installed",
        f"Skipped: {MISSING}soffice is not installed",
        f"Skipped: {MISSING}xgettext is not installed",
        f"Skipped: {MISSING}msguniq is not installed",
        "Skipped: needs postgresql; this run uses sqlite",
    ]
    lines = missing_tools_summary(reasons)
    assert lines[0] == (
        "Skipped 5 tests because these tools are not installed: chromium (2 tests), "
        "msguniq (1 test), soffice (1 test), xgettext (1 test)."
    )
    assert lines[2].split() == [
        *("sudo", "apt-get", "install", "-y", "--no-install-recommends"),
        *("chromium", "gettext", "libreoffice-calc", "libreoffice-writer"),
    ]


def test_there_is_no_summary_when_no_tool_was_missing():
    assert missing_tools_summary(["Skipped: needs postgresql; this run uses sqlite"]) == []

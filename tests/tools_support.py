"""External tools the tests drive (soffice, pdftoppm, chromium): skipped with a clear reason
when missing, except when MONEV_REQUIRE_TOOLS=1 (CI): then a missing tool fails the test."""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(name: str) -> str:
    """The tool's path; skip (or, with MONEV_REQUIRE_TOOLS=1, fail) when it is not installed."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed"
    if os.environ.get("MONEV_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message} (MONEV_REQUIRE_TOOLS=1)")
    pytest.skip(message)

"""External tools the tests drive (soffice, pdftoppm, chromium, xgettext): a test that needs a
missing one is skipped with a reason that names it, and the run ends with one summary of what
was skipped and the command that installs the missing tools (tests/conftest.py). With
MONEV_REQUIRE_TOOLS=1 (CI) a missing tool fails the test instead."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable

import pytest

# The Debian packages that bring each tool (what .ci/run installs when one is missing).
DEBIAN_PACKAGES = {
    "chromium": ("chromium",),
    "soffice": ("libreoffice-calc", "libreoffice-writer"),
    "pdftoppm": ("poppler-utils",),
    "tesseract": ("tesseract-ocr", "tesseract-ocr-ind"),
    "xgettext": ("gettext",),
    "msguniq": ("gettext",),
}

# Every skip for a missing tool starts with this, so that the summary can find them.
MISSING = "missing tool: "


def require_tool(name: str) -> str:
    """The tool's path; skip (or, with MONEV_REQUIRE_TOOLS=1, fail) when it is not installed."""
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed"
    if os.environ.get("MONEV_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{message} (MONEV_REQUIRE_TOOLS=1)")
    pytest.skip(f"{MISSING}{message}")


def libreoffice_convert(paths: Iterable, to: str, out, profile) -> None:
    """Convert files with the installed LibreOffice (`soffice --convert-to TO`) into `out`,
    with its own user profile so that parallel or earlier runs never share one."""
    soffice = require_tool("soffice")
    completed = subprocess.run(  # noqa: S603 - the installed soffice
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr


def missing_tool(reason: str) -> str | None:
    """The tool a skip reason names, if the test was skipped for a missing tool."""
    _, found, rest = reason.partition(MISSING)
    return rest.split()[0] if found and rest else None


def missing_tools_summary(reasons: Iterable[str]) -> list[str]:
    """Lines that end the run: how many tests each missing tool skipped, and the command that
    installs them all. Empty when nothing was skipped for a missing tool."""
    skipped = Counter(tool for reason in reasons if (tool := missing_tool(reason)))
    if not skipped:
        return []
    packages = sorted({p for tool in skipped for p in DEBIAN_PACKAGES.get(tool, (tool,))})
    counts = ", ".join(
        f"{tool} ({n} test{'' if n == 1 else 's'})" for tool, n in sorted(skipped.items())
    )
    return [
        f"Skipped {sum(skipped.values())} tests because these tools are not installed: {counts}.",
        "Install them (Debian, Ubuntu) and run `make test` again:",
        "    sudo apt-get install -y --no-install-recommends " + " ".join(packages),
        "CI installs them and fails instead of skipping (MONEV_REQUIRE_TOOLS=1).",
    ]

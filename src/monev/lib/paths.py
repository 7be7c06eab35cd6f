"""Where Monev SPBE keeps its data. Read by the settings and by the pure CLIs alike."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """MONEV_DATA_DIR, default ./var: the SQLite database, evidence files, own instruments."""
    return Path(os.environ.get("MONEV_DATA_DIR") or "var").resolve()


def user_instrument_dir() -> Path:
    """Instrument files an evaluator adds; listed beside the built-in ones."""
    return data_dir() / "instruments"

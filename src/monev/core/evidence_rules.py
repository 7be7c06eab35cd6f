"""Rules on an answer's claimed level and the levels its evidence is linked at, shared by the
readiness checks and the period overview (docs/evidence.md, "Readiness checks")."""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal


def claimed_level(level: Decimal | int | None) -> int | None:
    """The whole level a claim stands for: 2.50 -> 2 (a decimal gives partial credit within it)."""
    return None if level is None else math.floor(level)


def lacks_evidence(level: Decimal | int | None, linked_levels: Iterable[int]) -> bool:
    """A level of 1 or more is claimed and nothing is linked at it or below."""
    claimed = claimed_level(level)
    return claimed is not None and claimed >= 1 and not any(lv <= claimed for lv in linked_levels)

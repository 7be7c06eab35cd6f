"""Summary statistics of a set of indices: minimum, quartiles, median, maximum, mean."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Summary:
    """Summary statistics of a set of indices. Quartiles: Python's statistics.quantiles with
    the inclusive method (linear between the closest ranks; the median is the middle value,
    or the mean of the two middle values)."""

    count: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal
    mean: Decimal


def summarise(values) -> Summary | None:
    values = sorted(Decimal(v) for v in values if v is not None)
    if not values:
        return None
    if len(values) == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    mean = sum(values, Decimal(0)) / len(values)
    return Summary(
        len(values),
        values[0],
        q1.normalize(),
        median.normalize(),
        q3.normalize(),
        values[-1],
        mean.quantize(Decimal("0.001")),
    )

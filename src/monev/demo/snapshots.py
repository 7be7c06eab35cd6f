"""The demo's quarterly snapshots: Triwulan I and Triwulan II of 2025.

Triwulan II (30 June 2025) is the city as the demo shows it (self-assessed 3.00). Triwulan I
(31 March 2025) is reconstructed: one level lower on every indicator that was not yet verified
(never below the scale minimum), so the history shows progress and the forecast has a pace.
"""

from __future__ import annotations

from decimal import Decimal

from monev.demo import data
from monev.evaluations.models import Milestone, Period
from monev.monitoring import services
from monev.monitoring.selectors.scores import period_state

TRIWULAN_1_AT = data.at(2025, 3, 31, 23, 59)
TRIWULAN_2_AT = data.at(2025, 6, 30, 23, 59)


def earlier_levels(levels: dict, minimum: int = 1) -> dict:
    """Triwulan I: one level lower on every answer not (yet) verified by 31 March."""
    earlier = {}
    for number, stages in levels.items():
        level = stages.get("self")
        if level is not None and data.ANSWERS[number].state != data.VERIFIED:
            level = str(max(Decimal(level) - 1, Decimal(minimum)).quantize(Decimal("0.01")))
        earlier[number] = {**{stage: None for stage in stages}, "self": level}
    return earlier


def load_snapshots(period: Period) -> None:
    levels, _scores = period_state(period)
    services.snapshot_checkpoint(
        period_id=period.pk,
        checkpoint=Milestone.Kind.TRIWULAN_1,
        now=TRIWULAN_1_AT,
        levels=earlier_levels(levels),
    )
    # The standing the demo shows, self-assessed only (verification came in July).
    as_of_june = {
        n: {**{s: None for s in stages}, "self": stages["self"]} for n, stages in levels.items()
    }
    services.snapshot_checkpoint(
        period_id=period.pk,
        checkpoint=Milestone.Kind.TRIWULAN_2,
        now=TRIWULAN_2_AT,
        levels=as_of_june,
    )

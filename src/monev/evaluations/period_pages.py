"""The period overview and the unit x indicator matrix as the pages lay them out: the score
card per stage, the rows a filter keeps, the units in them and the matrix's cells."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from monev.core.engine import gap_to_target
from monev.evaluations import legacy, selectors
from monev.evaluations.models import Answer
from monev.lib.params import id_param


@dataclass
class StageCard:
    score: selectors.StageScore
    gap: Any = None  # engine Gap when the period has a target and the stage has a score


def stage_cards(overview: selectors.PeriodOverview) -> list[StageCard]:
    cards = []
    for stage in selectors.ScoreStage.ORDER:
        score = overview.scores[stage]
        target = overview.period.target
        gap = gap_to_target(score.result, target) if score.result and target is not None else None
        cards.append(StageCard(score, gap))
    return cards


def filter_rows(rows: list[selectors.AnswerRow], query) -> tuple[list, dict[str, str]]:
    """The overview's rows narrowed by ?status= and ?unit= (both optional; a status by its
    old value too, from a link kept from before the values were English)."""
    status, unit = query.get("status", ""), query.get("unit", "")
    status = legacy.current(status, legacy.ANSWER_STATUSES)
    if status in Answer.Status.values:
        rows = [row for row in rows if row.answer.status == status]
    else:
        status = ""
    if (unit_id := id_param(unit)) is not None:
        rows = [row for row in rows if any(u.pk == unit_id for u in row.units)]
    else:
        unit = ""
    return rows, {"status": status, "unit": unit}


def units_in(rows: list[selectors.AnswerRow]) -> list:
    seen = {}
    for row in rows:
        for unit in row.units:
            seen.setdefault(unit.pk, unit)
    return sorted(seen.values(), key=lambda u: u.code)


def matrix_grid(rows, units, chosen: set, saved: set) -> list:
    """(row, [(unit, checked, differs from what is saved)]) for the unit x indicator matrix."""

    def cell(row, unit):
        key = (row.answer.pk, unit.pk)
        return unit, key in chosen, (key in chosen) != (key in saved)

    return [(row, [cell(row, unit) for unit in units]) for row in rows]

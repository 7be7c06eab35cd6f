"""A period's levels and scores at each stage, as a snapshot keeps them; its snapshots."""

from __future__ import annotations

from decimal import Decimal

from monev.core.engine import Result
from monev.core.model import Instrument
from monev.core.numbers import ExactDecimal, decimal_places, exact_str, parse_value, value_text
from monev.evaluations.models import Answer, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.stages import ScoreStage, answer_values, stage_scores
from monev.monitoring.models import Snapshot


def period_scores(period: Period, answers: list[Answer]) -> tuple[Instrument, dict]:
    instrument = instrument_of(period)
    values = [answer_values(a, {p.stage: p for p in a.passes.all()}) for a in answers]
    return instrument, stage_scores(instrument, values, [a.indicator for a in answers])


def levels_at(answers: list[Answer], stage: str) -> dict[str, Decimal | None]:
    return {
        a.indicator: answer_values(a, {p.stage: p for p in a.passes.all()})[stage] for a in answers
    }


def _level(value) -> str | None:
    # Two places where that is exact ("3.00", "1.25"), else the exact text ("7/6", "1.125"):
    # a snapshot is scored again from these, so nothing may be rounded here.
    if value is None:
        return None
    if not isinstance(value, ExactDecimal) and decimal_places(value) <= 2:
        return f"{value:.2f}"
    return value_text(value)


def result_summary(result: Result | None, given: int, total: int) -> dict | None:
    """What a snapshot keeps of one stage's result (JSON, strings for exact numbers)."""
    if result is None:
        return None
    return {
        "index": str(result.index.reported),
        "exact": exact_str(result.index.exact),
        "predicate": result.predicate.name,
        "given": given,
        "total": total,
        "aspects": {node.code: str(node.score.reported) for node in result.aspects},
        "domains": {node.code: str(node.score.reported) for node in result.domains},
    }


def scores_of_levels(instrument: Instrument, levels: dict[str, dict]) -> dict:
    """The engine's scores at each stage from snapshot-style levels
    ({number: {stage: "3.00" | "7/6" | None}}), as a snapshot keeps them."""
    numbers = list(levels)
    values = [
        {
            stage: None if levels[n].get(stage) is None else parse_value(levels[n][stage])
            for stage in ScoreStage.ORDER
        }
        for n in numbers
    ]
    return {
        stage: result_summary(score.result, score.given, score.total)
        for stage, score in stage_scores(instrument, values, numbers).items()
    }


def period_state(period: Period) -> tuple[dict, dict]:
    """(levels, scores) of the period now: every answer's value at each stage and the
    engine's scores at each stage (two queries)."""
    answers = list(
        Answer.objects.filter(period=period).prefetch_related("passes").order_by("position")
    )
    levels = {
        a.indicator: {
            stage: _level(value)
            for stage, value in answer_values(a, {p.stage: p for p in a.passes.all()}).items()
        }
        for a in answers
    }
    return levels, scores_of_levels(instrument_of(period), levels)


def snapshots_of(period: Period) -> list[Snapshot]:
    return list(
        Snapshot.objects.filter(period=period).select_related("taken_by").order_by("taken_at", "pk")
    )

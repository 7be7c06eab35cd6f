"""The data each chart is drawn from, as JSON-ready dicts (embedded in the page with
json_script and drawn by static/monev/js/charts.js). Every chart's data is also in a table on
the page: the chart is a view of the table, never the only place a number is."""

from __future__ import annotations

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from monev.evaluations.stages import SELF, VERIFIED, stage_label
from monev.monitoring.selectors import Dashboard, Forecast, History


def _num(value) -> float | None:
    return None if value is None else float(value)


def comparison_chart(board: Dashboard, level: str = "aspect") -> dict:
    rows = board.aspects if level == "aspect" else board.domains
    datasets = [{"label": _("Now"), "data": [_num(r.score) for r in rows]}]
    if board.last_year is not None and any(r.last_year is not None for r in rows):
        datasets.append(
            {
                "label": _("Last year (%(year)s)") % {"year": board.last_year.year},
                "data": [_num(r.last_year) for r in rows],
            }
        )
    scale = board.instrument.scale
    return {
        "type": "bar",
        "labels": [f"{r.code} {r.name}" for r in rows],
        "datasets": datasets,
        "target": _num(board.period.target),
        "targetLabel": _("Target index"),
        "y": {"min": 0, "max": scale.max},
    }


def history_chart(history: History) -> dict:
    datasets = []
    for series in history.series:
        datasets.append(
            {
                "label": series.label
                + ("" if series.line else " " + _("(points only, not joined)")),
                "data": [
                    {"x": p.year, "y": float(p.value), "doubtful": p.doubtful}
                    for p in series.points
                ],
                "showLine": series.line,
                "source": series.source,
                "instrument": series.instrument_id,
                "doubtful": any(p.doubtful for p in series.points),
            }
        )
    return {
        "type": "line",
        "x": "year",
        "datasets": datasets,
        "markers": [{"x": c.x, "label": c.label} for c in history.changes],
        "y": {"min": 0, "max": 5},
    }


def snapshot_chart(history: History) -> dict:
    labels = [
        f"{s.label} ({formats.date_format(timezone.localtime(s.taken_at), 'SHORT_DATE_FORMAT')})"
        for s in history.snapshots
    ]
    datasets = []
    for stage in (SELF, VERIFIED):
        values = [s.index_of(stage) for s in history.snapshots]
        if any(v is not None for v in values):
            datasets.append({"label": stage_label(stage), "data": [_num(v) for v in values]})
    target = history.period.target if history.period else None
    return {
        "type": "line",
        "labels": labels,
        "datasets": datasets,
        "target": _num(target),
        "targetLabel": _("Target index"),
        "y": {"min": 0, "max": 5},
    }


def _ms(moment) -> int:
    return int(moment.timestamp() * 1000)


def forecast_chart(result: Forecast) -> dict:
    actual = [{"x": _ms(p.at), "y": float(p.reported)} for p in result.points]
    datasets = [{"label": _("Self-assessed index"), "data": actual}]
    if result.projected is not None and result.deadline is not None and result.latest:
        datasets.append(
            {
                "label": _("At the current pace"),
                "data": [
                    {"x": _ms(result.latest.at), "y": float(result.latest.reported)},
                    {"x": _ms(result.deadline.due_at), "y": float(result.projected_reported)},
                ],
                "dashed": True,
            }
        )
    markers = []
    if result.deadline is not None:
        markers.append({"x": _ms(result.deadline.due_at), "label": str(result.deadline)})
    return {
        "type": "line",
        "x": "time",
        "datasets": datasets,
        "markers": markers,
        "target": _num(result.target),
        "targetLabel": _("Target index"),
        "y": {"min": 0, "max": result.instrument.scale.max},
    }

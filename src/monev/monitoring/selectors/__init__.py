"""Reads of the monitoring pages and API: the period dashboard, the history across quarters and
years, and the forecast (docs/monitoring.md). Each runs a fixed number of queries however many
answers, units, evidence links, snapshots or audit events there are."""

from monev.monitoring.selectors.forecasting import Forecast, forecast
from monev.monitoring.selectors.history import History, institution_history, period_history
from monev.monitoring.selectors.period_dashboard import Dashboard, dashboard, dashboard_tab
from monev.monitoring.selectors.scores import snapshots_of

__all__ = [
    "Dashboard",
    "Forecast",
    "History",
    "dashboard",
    "dashboard_tab",
    "forecast",
    "institution_history",
    "period_history",
    "snapshots_of",
]

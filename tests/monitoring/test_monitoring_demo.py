"""The demo's monitoring story: Triwulan I and II snapshots of 2025, a history with the
2018 -> 2020 instrument change and a doubtful 2020 value, and a forecast that says the
target 4.62 was out of reach at the pace of the first half of 2025."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from monev.accounts.models import User
from monev.evaluations.models import Period
from monev.institutions.access import access_for
from monev.monitoring import selectors
from monev.monitoring.models import Snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    period = Period.objects.get(institution__code="demo-kota-bandung")
    koordinator = User.objects.get(username="koordinator")
    return period, access_for(koordinator, period.institution_id)


def test_it_has_triwulan_i_lower_than_triwulan_ii_at_exactly_3(demo):
    period, _access = demo
    first, second = Snapshot.objects.filter(period=period).order_by("taken_at")
    assert (first.label, second.label) == ("Triwulan I", "Triwulan II")
    assert second.scores["self"]["index"] == "3.00"
    assert first.scores["self"]["index"] < "3.00"


def test_its_history_marks_the_instrument_change_and_the_doubtful_year(demo):
    period, access = demo
    history = selectors.period_history(period, access)
    assert [(c.before, c.after) for c in history.changes] == [("spbe-2018", "spbe-2020")]
    assert [p.year for p in history.points if p.doubtful] == [2020]


def test_its_forecast_is_made_on_the_storys_day_26_days_before_the_deadline(demo):
    period, access = demo
    forecast = selectors.forecast(period, access)  # the demo's clock: 23 July 2025
    assert not forecast.frozen and forecast.days_left == 26
    assert [p.label for p in forecast.points][:2] == ["Triwulan I", "Triwulan II"]
    assert forecast.projected is not None and forecast.likely is False


def test_once_the_deadline_has_passed_the_forecast_stands_at_the_last_snapshot_before_it(demo):
    period, access = demo
    after = datetime(2025, 9, 1, tzinfo=UTC)
    forecast = selectors.forecast(period, access, now=after)
    assert forecast.frozen and forecast.days_left is None  # no "days left" beside "passed"
    assert [p.label for p in forecast.points] == ["Triwulan I", "Triwulan II"]


def test_its_dashboard_puts_audit_first(demo, client):
    period, access = demo
    board = selectors.dashboard(period, access)
    assert board.weakest[0].code == "A6"
    assert board.last_year is not None and board.last_year.year == 2024

"""Honest history across the instrument change: the 2026 pemdi-2026 period is never
subtracted from, joined by a line to, or given a change against its 2025 spbe-2020
predecessor - on the dashboard (page, API, PDF), in the history (period and institution,
page and API) and in the forecast. Where a crosswalk exists its aspect comparison is offered,
labelled as a judgement."""

from __future__ import annotations

import contextlib
import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from transition_support import transition_fixture  # noqa: F401  (the `transition` fixture)

from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Answer
from monev.institutions.access import access_for
from monev.lib.errors import DomainError
from monev.monitoring import selectors as monitoring
from monev.monitoring.services import snapshot_take
from monev.reports.pdf import render as pdf_render
from monev.reports.pdf.content import period_report

NOTE = "Instrumen berbeda (SPBE 2020 → Pemdi 2026): tidak dibandingkan langsung"
STATEMENT = "Penilaian penulis, bukan pemetaan resmi"


def fill(t, old_level="3", new_level="2"):
    """Levels in both periods, so both have an index and aspect scores."""
    koordinator = t.world.koordinator
    for period, level in ((t.old, old_level), (t.new, new_level)):
        for answer in Answer.objects.filter(period=period, level__isnull=True):
            # An externally scored indicator keeps its imported or default value.
            with contextlib.suppress(DomainError):
                evaluation_services.answer_save(
                    actor=koordinator,
                    answer_id=answer.pk,
                    expected_version=answer.version,
                    level=Decimal(level),
                    explanation="Isi.",
                )


@pytest.fixture
def filled(transition):
    fill(transition)
    return transition


def access(t):
    return access_for(t.world.koordinator, t.world.institution.pk)


def test_the_dashboard_names_the_change_and_compares_no_aspect(filled):
    board = monitoring.dashboard(filled.new, access(filled))
    last = board.last_year
    assert (last.year, last.source, last.same_instrument) == (2025, "period", False)
    assert last.instrument_note == NOTE
    assert last.crosswalk is True
    assert board.aspects and all(c.last_year is None and c.change is None for c in board.aspects)
    assert all(c.last_year is None for c in board.domains)
    # The spbe-2020 period compared with itself is unchanged: no note.
    same = monitoring.dashboard(filled.old, access(filled)).last_year
    assert same is None or same.instrument_note == ""


def test_the_dashboard_page_says_so_and_offers_the_judgement(client, filled):
    client.force_login(filled.world.koordinator)
    response = client.get(reverse("monitoring:dashboard", args=[filled.new.pk]))
    html = response.content.decode()
    assert NOTE in html
    assert reverse("monitoring:history", args=[filled.new.pk]) + "#crosswalk-heading" in html
    assert "penilaian, bukan pemetaan resmi" in html
    chart = json.loads(
        html.split('id="aspect-chart-data" type="application/json">')[1].split("</script>")[0]
    )
    assert all("2025" not in str(dataset.get("label", "")) for dataset in chart["datasets"])


def test_the_dashboard_api_says_so(filled):
    from api_support import Api

    body = Api.session(filled.world.koordinator).get(f"/periods/{filled.new.pk}/dashboard").json()
    assert body["last_year"]["same_instrument"] is False
    assert body["last_year"]["instrument_note"] == NOTE
    assert body["last_year"]["crosswalk"] is True
    assert all(a["last_year"] is None for a in body["aspects"])


def test_the_pdf_report_says_so_and_draws_no_last_year_mark(filled):
    with translation.override("id"):
        report = period_report(filled.new, access(filled))
        context = pdf_render._context(report, "")
        html = render_to_string(pdf_render.REPORT_TEMPLATE, context)
    # Said as the leader's view says it (reports.leader: the headline's differences).
    assert "Tahun lalu diukur dengan" in html and "tidak dibandingkan langsung" in html
    assert context["aspect_chart"]
    assert "tahun lalu" not in str(context["aspect_chart"]).lower()
    assert all(c.last_year is None for c in report.board.aspects)


def test_no_history_series_crosses_the_change(filled):
    history = monitoring.period_history(filled.new, access(filled))
    instruments = {p.instrument_id for p in history.points}
    assert instruments == {"spbe-2020", "pemdi-2026"}
    for series in history.series:
        assert len({p.instrument_id for p in series.points}) == 1
    (change,) = history.changes
    assert (change.before_year, change.after_year) == (2025, 2026)
    assert history.crosswalk is not None
    assert history.crosswalk.crosswalk.statement.startswith(STATEMENT)


def test_the_history_pages_and_api_keep_the_instruments_apart(client, filled):
    client.force_login(filled.world.koordinator)
    for url in (
        reverse("monitoring:history", args=[filled.new.pk]),
        reverse("monitoring:institution", args=[filled.world.institution.pk]),
    ):
        html = client.get(url).content.decode()
        chart = json.loads(
            html.split('id="history-chart-data" type="application/json">')[1].split("</script>")[0]
        )
        for dataset in chart["datasets"]:
            years = {point["x"] for point in dataset["data"]}
            assert not ({2025, 2026} <= years), dataset  # no dataset spans both instruments
        assert "2025 → 2026" in html
    history = client.get(reverse("monitoring:history", args=[filled.new.pk])).content.decode()
    assert STATEMENT in history
    from api_support import Api

    body = Api.session(filled.world.koordinator).get(f"/periods/{filled.new.pk}/history").json()
    for series in body["series"]:
        assert len({p["instrument"] for p in series["points"]}) <= 1
    assert body["crosswalk"]["judgement"].startswith(STATEMENT)


def test_the_forecast_reads_only_its_own_period(filled):
    snapshot_take(actor=filled.world.koordinator, period_id=filled.old.pk, label="2025 akhir")
    forecast = monitoring.forecast(filled.new, access(filled))
    assert all(point.label != "2025 akhir" for point in forecast.points)
    assert forecast.instrument.id == "pemdi-2026"

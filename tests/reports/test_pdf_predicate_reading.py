"""The PDF, the dashboard and its API name the other reading of a pemdi-2026 index exactly on a band
edge (issue 15): 2.50 is Cukup (upper-inclusive), Baik if lower bounds are inclusive."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pdf_support import AFTER_CLOSE, pdf_text

from api_support import Api
from monev.evaluations import services
from monev.evaluations.models import Answer
from monev.institutions.access import access_for
from monev.reports.pdf import period_summary_pdf

pytestmark = pytest.mark.django_db


def pemdi_period_at(world, level: str):
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    # Every answer, the imported ones too, at one level: the index is that level exactly.
    Answer.objects.filter(period=period).update(level=Decimal(level))
    return period


def test_the_summary_pdf_names_the_other_reading_of_an_index_on_a_band_edge(world):
    period = pemdi_period_at(world, "2.50")
    access = access_for(world.pimpinan, world.institution.pk)
    (text,) = pdf_text(period_summary_pdf(period, access, now=AFTER_CLOSE))
    assert "Cukup (bila batas bawah inklusif: Baik)" in " ".join(text.split())


def test_the_dashboard_names_the_other_reading_of_an_index_on_a_band_edge(client, world):
    period = pemdi_period_at(world, "2.50")
    client.force_login(world.koordinator)
    content = client.get(reverse("monitoring:dashboard", args=[period.pk])).content.decode()
    assert "Cukup (bila batas bawah inklusif: Baik)" in content
    stages = Api.session(world.koordinator).get(f"/periods/{period.pk}/dashboard").json()["stages"]
    self_assessed = next(stage for stage in stages if stage["stage"] == "self")
    assert (self_assessed["index"], self_assessed["predicate"]) == ("2.50", "Cukup")
    assert self_assessed["predicate_other_reading"] == "Baik"


def test_off_an_edge_the_dashboard_shows_the_predicate_alone(client, world):
    period = pemdi_period_at(world, "2.51")
    client.force_login(world.koordinator)
    content = client.get(reverse("monitoring:dashboard", args=[period.pk])).content.decode()
    assert "Baik" in content and "batas bawah inklusif" not in content

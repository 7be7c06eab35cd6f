"""The demo's second institution, Kabupaten Lombok Timur in its first Indeks Pemdi cycle: item-level
review, an external SDI value converting to indicator 5, the index and predicate under the Pemdi
bands, the provisional flag, the transition from SPBE 2020, and the benchmark of published
indices for the evaluator's view. Loaded once for the module (the demo takes a few seconds)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from monev.accounts.models import User
from monev.audit.services import audit_verify
from monev.demo import pemdi_data
from monev.evaluations import selectors
from monev.evaluations.models import AssessorPass, ItemJudgement, Period, PublishedResult
from monev.evidence.readiness import period_readiness
from monev.institutions.access import access_for, institutions_in_scope
from monev.institutions.models import Institution
from monev.transition.models import CrosswalkSuggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", stdout=StringIO())
    return Period.objects.get(
        institution__code=pemdi_data.INSTITUTION["code"], year=pemdi_data.YEAR
    )


def _signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_its_2026_period_is_pemdi_following_an_spbe_2020_year(demo):
    assert demo.instrument_id == "pemdi-2026"
    assert demo.previous.instrument_id == "spbe-2020" and demo.previous.year == 2025
    assert demo.answers.count() == 20


def test_sdi_68_75_from_bappenas_converts_to_3_75_for_indicator_5(demo):
    answer = demo.answers.get(indicator="5")
    assert answer.level == answer.verified_level == Decimal("3.75")
    for waiting in ("6", "7", "18"):
        assert demo.answers.get(indicator=waiting).level == Decimal("1")


def test_the_document_review_was_item_by_item_with_revisions_and_automatic_rejections(demo):
    judged = ItemJudgement.objects.filter(answer__period=demo)
    assert judged.filter(status="revision").exists() and judged.filter(status="accepted").exists()
    passes = {
        p.answer.indicator: p
        for p in AssessorPass.objects.filter(answer__period=demo, stage="document_review")
    }
    assert len(passes) == 20
    assert passes["2"].computed_level == Decimal("1.25")  # 1 of 2 level-1 items accepted
    assert passes["20"].computed_level == Decimal("1.125")  # 1 of 4, exactly (shown 1,13)
    entered = passes["3"]  # the assessor's value beside the rule's, both kept
    assert entered.level_entered and entered.level == Decimal("1.26")
    assert entered.computed_level == Decimal("1.375") and entered.differs  # 3 of 4


def test_its_index_and_predicate_follow_the_pemdi_bands(demo):
    koordinator = User.objects.get(username="koordinator.lotim")
    overview = selectors.period_overview(demo, access_for(koordinator, demo.institution_id))
    result = overview.scores[selectors.ScoreStage.PROVISIONAL].result
    assert result.index.reported == Decimal("1.69")
    assert result.predicate.name == "Cukup"  # 1.50-<2.50 under Pemdi; SPBE would say Kurang


def test_every_page_of_the_pemdi_period_says_the_instrument_is_provisional(demo):
    client = _signed_in("koordinator.lotim")
    for url in (
        reverse("evaluations:overview", args=[demo.pk]),
        reverse("monitoring:dashboard", args=[demo.pk]),
        reverse("planning:plan", args=[demo.pk]),
        reverse("reports:period", args=[demo.pk]),
        reverse("transition:suggestions", args=[demo.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "instrumen sementara" in response.content.decode().lower(), url


def test_the_ikasandi_result_older_than_12_months_is_flagged(demo):
    checks = period_readiness(demo.pk)
    by_indicator = {a.indicator: {c.code for c in checks[a.pk]} for a in demo.answers.all()}
    assert "ikasandi_too_old" in by_indicator["10"]  # dated June 2025, deadline September 2026
    assert not {"ikasandi_too_old", "ikasandi_missing"} & by_indicator["11"]


def test_last_years_evidence_was_offered_through_the_crosswalk(demo):
    states = set(CrosswalkSuggestion.objects.filter(period=demo).values_list("state", flat=True))
    assert states == {"pending", "accepted", "rejected"}
    assert "[Dari SPBE 2020 (2025), indikator 25]" in demo.answers.get(indicator="3").explanation


def test_the_evaluators_see_the_nation_or_their_province(demo):
    national = User.objects.get(username="evaluator")
    ntb = User.objects.get(username="evaluator.ntb")
    assert institutions_in_scope(national).count() == Institution.objects.count()
    provinces = set(institutions_in_scope(ntb).values_list("province", flat=True))
    assert provinces == {"Nusa Tenggara Barat"}
    assert demo.institution in institutions_in_scope(ntb)


def test_published_indices_of_past_years_load_as_benchmark_data(demo):
    benchmark = PublishedResult.objects.exclude(institution__code="demo-kota-bandung")
    assert benchmark.values("institution").distinct().count() >= 60
    assert set(benchmark.values_list("year", flat=True)) >= {2018, 2021, 2022, 2023, 2024, 2025}
    lombok = PublishedResult.objects.filter(institution=demo.institution)
    assert dict(lombok.values_list("year", "index")) == {
        2022: Decimal("1.91"),
        2023: Decimal("2.46"),
    }


def test_the_audit_trail_of_both_institutions_verifies(demo):
    assert audit_verify()[1] == []

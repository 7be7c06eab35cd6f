"""Rankings and distributions: shared ranks for equal indices, one instrument per ranking,
the provisional flag on pemdi-2026 figures, published results of past years as the
benchmark, filters by kind and province."""

from __future__ import annotations

from decimal import Decimal

import pytest
from benchmarking_support import evaluator, institutions, published, round_for
from django.test import Client

from monev.benchmarking import selectors
from monev.benchmarking.selectors.summaries import summarise
from monev.lib.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db


def test_equal_indices_share_a_rank_and_unscored_come_last():
    members = institutions(5)
    levels = [Decimal(3), Decimal(4), Decimal(3), Decimal(2), None]
    round_for(members, levels=levels)
    ranking = selectors.ranking(evaluator("n"), year=2025, instrument_id="spbe-2020")
    assert [(r.institution.pk, r.rank) for r in ranking.rows] == [
        (members[1].pk, 1),
        (members[0].pk, 2),
        (members[2].pk, 2),
        (members[3].pk, 4),
        (members[4].pk, None),
    ]
    assert ranking.ranked == 4 and ranking.count == 5
    assert [str(r.index) for r in ranking.rows[:4]] == ["4.00", "3.00", "3.00", "2.00"]
    assert ranking.rows[0].predicate == "Sangat Baik" and ranking.rows[0].stage == "self"


def test_instruments_are_never_mixed_and_pemdi_figures_are_provisional():
    members = institutions(4)
    round_for(members[:2], instrument_id="spbe-2020", levels=[Decimal(2), Decimal(3)])
    round_for(
        members[2:],
        instrument_id="pemdi-2026",
        kind="pemantauan",
        levels=[Decimal("1.17"), Decimal("2.50")],
    )
    national = evaluator("n")
    spbe = selectors.ranking(national, year=2025, instrument_id="spbe-2020")
    pemdi = selectors.ranking(national, year=2025, instrument_id="pemdi-2026")
    assert {r.institution.pk for r in spbe.rows} == {members[0].pk, members[1].pk}
    assert {r.institution.pk for r in pemdi.rows} == {members[2].pk, members[3].pk}
    assert not spbe.choice.provisional and not any(r.provisional for r in spbe.rows)
    assert pemdi.choice.provisional and all(r.provisional for r in pemdi.rows)
    client = Client()
    client.force_login(national)
    page = client.get("/evaluasi-nasional/peringkat/?year=2025&instrument=pemdi-2026")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Provisional instrument." in html or "Instrumen sementara." in html
    assert 'class="badge badge-warn"' in html
    spbe_page = client.get("/evaluasi-nasional/peringkat/?year=2025&instrument=spbe-2020")
    assert 'class="badge badge-warn"' not in spbe_page.content.decode()
    dist = client.get("/evaluasi-nasional/sebaran/?year=2025&instrument=pemdi-2026")
    assert 'class="badge badge-warn"' in dist.content.decode()


def test_filters_by_kind_and_province_rank_within_the_filter():
    members = institutions(12)  # kinds cycle kabupaten, kota, provinsi, pusat
    round_for(members, seed=3)
    national = evaluator("n")
    full = selectors.ranking(national, year=2025)
    kabupaten = selectors.ranking(national, year=2025, kind="kabupaten")
    assert {r.institution.kind for r in kabupaten.rows} == {"kabupaten"}
    assert len(kabupaten.rows) == 3
    assert sorted(r.rank for r in kabupaten.rows) in ([1, 2, 3], [1, 1, 3], [1, 2, 2], [1, 1, 1])
    scope_ranks = {r.institution.pk: r.rank for r in full.rows}
    assert all(r.scope_rank == scope_ranks[r.institution.pk] for r in kabupaten.rows)
    bali = selectors.ranking(national, year=2025, province="Bali")
    assert {r.institution.province for r in bali.rows} == {"Bali"}
    with pytest.raises(InvalidInput):
        selectors.ranking(national, kind="desa")
    with pytest.raises(NotFound):
        selectors.ranking(national, year=1999)


def test_distribution_counts_bands_and_summarises_by_kind_and_province():
    members = institutions(8)
    levels = [Decimal(n) for n in (1, 2, 3, 4, 5, 2, 3, 4)]
    round_for(members, levels=levels)
    dist = selectors.distribution(evaluator("n"), year=2025)
    assert dist.overall.summary.count == 8
    assert dist.overall.summary.median == Decimal("3")
    assert dist.overall.summary.minimum == Decimal("1.00")
    assert dist.overall.summary.maximum == Decimal("5.00")
    assert sum(dist.overall.bands.values()) == 8
    assert list(dist.overall.bands) == dist.bands  # every band, lowest first
    kinds = {g.key: g.summary.count for g in dist.by_kind}
    assert kinds == {"pusat": 2, "provinsi": 2, "kabupaten": 2, "kota": 2}
    provinces = {g.key: g.summary.count for g in dist.by_province}
    assert provinces[""] == 2 and sum(provinces.values()) == 8


def test_summary_statistics():
    s = summarise([Decimal("1"), Decimal("2"), Decimal("3"), Decimal("4")])
    assert (s.minimum, s.q1, s.median, s.q3, s.maximum) == (1, Decimal("1.75"), 2.5, 3.25, 4)
    assert summarise([]) is None
    one = summarise([Decimal("3.10")])
    assert one.q1 == one.median == one.q3 == Decimal("3.1")


def test_published_results_are_the_benchmark_of_past_years():
    members = institutions(3)
    round_for(members, levels=[Decimal(3)] * 3)
    published(members[0], 2023, "3.41", predicate="Baik")
    published(members[1], 2023, "3.41", doubtful=True, note="dibaca dari berita")
    published(members[2], 2023, "2.10")
    published(members[2], 2023, "2.90", instrument_id="")
    national = evaluator("n")
    ranking = selectors.ranking(national, year=2023, source="published", instrument_id="spbe-2020")
    assert ranking.choice.source == "published"
    assert [(r.institution.pk, r.rank) for r in ranking.rows] == [
        (members[0].pk, 1),
        (members[1].pk, 1),
        (members[2].pk, 3),
    ]
    assert ranking.rows[0].predicate == "Baik" and not ranking.rows[0].predicate_computed
    assert ranking.rows[1].doubtful and ranking.rows[1].predicate_computed
    assert ranking.rows[1].source.startswith("https://")
    unknown = selectors.ranking(national, year=2023, source="published", instrument_id="-")
    assert [r.institution.pk for r in unknown.rows] == [members[2].pk]  # never mixed
    options = {(o.year, o.instrument_id, o.source) for o in ranking.choice.options}
    assert (2025, "spbe-2020", "computed") in options and (2023, "", "published") in options
    client = Client()
    client.force_login(national)
    page = client.get(
        "/evaluasi-nasional/peringkat/?year=2023&source=published&instrument=spbe-2020"
    )
    html = page.content.decode()
    assert page.status_code == 200 and "https://example.go.id/hasil" in html
    assert "badge-warn" in html  # the doubtful one


def test_filters_that_cannot_combine_give_way_instead_of_showing_nothing():
    members = institutions(4)
    round_for(members)
    national = evaluator("gabung")
    chosen = selectors.ranking(national, year=2025, instrument_id="pemdi-2026")
    assert chosen.choice.year == 2025
    assert chosen.choice.instrument_id != "pemdi-2026" and chosen.choice.dropped == ("instrument",)
    assert chosen.rows  # the round that exists for the year, not an error
    with pytest.raises(NotFound):
        selectors.ranking(national, year=1999)  # a year without any round still has nothing

"""Who sees what: evaluators see the institutions of their scope by name; an institution's
own people see its figures against peer aggregates, never another institution's computed
figures by name; published results are public."""

from __future__ import annotations

from decimal import Decimal

import pytest
from benchmarking_support import evaluator, institutions, member, published, round_for
from django.test import Client

from monev.benchmarking import selectors
from monev.institutions.models import Institution, Role
from monev.lib.errors import Forbidden, NotFound

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_province_evaluator_sees_only_their_province():
    members = institutions(12)
    round_for(members, seed=5)
    jabar = evaluator("jabar", "provinsi", "Jawa Barat")
    expected = {
        i.pk for i in members if i.province == "Jawa Barat" and i.kind != Institution.Kind.PUSAT
    }
    ranking = selectors.ranking(jabar, year=2025)
    assert {r.institution.pk for r in ranking.rows} == expected
    progress = selectors.progress(jabar, year=2025, instrument_id="spbe-2020")
    assert {r.institution.pk for r in progress.rows} == expected
    assert progress.total == len(expected)
    dist = selectors.distribution(jabar, year=2025)
    assert dist.overall.summary.count == len(expected)
    assert [g.key for g in dist.by_province] == ["Jawa Barat"]
    outside = next(i for i in members if i.province == "Bali")
    page = _client(jabar).get("/evaluasi-nasional/peringkat/?year=2025")
    assert outside.name not in page.content.decode()
    assert (
        _client(jabar).get(f"/evaluasi-nasional/instansi/{outside.pk}/banding/").status_code == 404
    )


@pytest.mark.parametrize("url", ["kemajuan/", "peringkat/", "sebaran/"])
def test_the_pages_of_many_institutions_are_for_evaluators_only(url):
    members = institutions(2)
    round_for(members)
    koordinator = member("koor", members[0])
    assert _client(koordinator).get(f"/evaluasi-nasional/{url}").status_code == 403
    with pytest.raises(Forbidden):
        selectors.ranking(koordinator)
    anonymous = Client().get(f"/evaluasi-nasional/{url}")
    assert anonymous.status_code == 302  # to the sign-in page


@pytest.mark.parametrize("role", [Role.KOORDINATOR, Role.PIMPINAN])
def test_members_see_peer_aggregates_but_no_peer_by_name(role):
    members = institutions(24)  # 6 of each kind, 2 kota per province
    round_for(members, seed=9)
    own = next(i for i in members if i.kind == "kota")
    person = member("orang", own, role)
    result = selectors.peers(person, own.pk, year=2025)
    national = result.groups[0]
    assert national.key == "national" and national.shown and national.count == 6
    assert national.index.count == 6 and national.rank is not None
    assert national.percentile is not None and national.names == []
    assert set(national.aspects) == set(result.own.aspects)
    province = result.groups[1]
    assert province.key == "province" and not province.shown  # 1 other kota: too few
    assert province.index is None and province.aspects == {}
    html = _client(person).get(f"/evaluasi-nasional/instansi/{own.pk}/banding/").content.decode()
    others = [i for i in members if i.pk != own.pk]
    assert not any(i.name in html for i in others)
    assert "<svg" in html
    # Published results are public: shown by name where they are the institution's own.
    published(own, 2024, "3.50", predicate="Sangat Baik")
    api = _client(person).get(f"/api/v1/evaluation/institutions/{own.pk}/peers")
    body = api.json()
    assert api.status_code == 200 and body["history"][0]["index"] == "3.50"
    assert all(g["peers"] == [] for g in body["groups"])
    assert not any(i.name in api.content.decode() for i in others)


def test_an_outsider_gets_no_peer_page():
    members = institutions(3)
    round_for(members)
    outsider = member("luar", members[1])
    with pytest.raises(NotFound):
        selectors.peers(outsider, members[0].pk)
    assert (
        _client(outsider).get(f"/evaluasi-nasional/instansi/{members[0].pk}/banding/").status_code
        == 404
    )


def test_evaluators_see_the_peers_of_their_scope_by_name():
    members = institutions(8)
    round_for(members, levels=[Decimal(n % 5 + 1) for n in range(8)])
    own = members[0]  # a kabupaten in Jawa Barat
    result = selectors.peers(evaluator("n"), own.pk, year=2025)
    names = {r.institution.pk for r in result.groups[0].names}
    assert names == {i.pk for i in members if i.kind == own.kind}
    provincial = evaluator("p", "provinsi", "Bali")
    with pytest.raises(NotFound):
        selectors.peers(provincial, own.pk)


def test_the_peer_names_carry_their_national_rank():
    """The province group ranks the same rows again: the national list keeps its own ranks."""
    members = institutions(12)
    round_for(members, levels=[Decimal(n % 5 + 1) for n in range(12)])
    own = members[0]  # a kabupaten in Jawa Barat, level 1: last nationally, first in Jawa Barat
    national, province = selectors.peers(evaluator("n"), own.pk, year=2025).groups
    assert [r.rank for r in national.names] == [1, 2, 3]
    assert national.names[-1].institution.pk == own.pk and national.rank == 3
    assert [r.rank for r in province.names] == [1] and province.rank == 1


def test_the_dashboard_links_the_institutions_people_to_their_peer_page(world):
    client = _client(world.koordinator)
    dashboard = client.get(f"/pemantauan/periode/{world.period.pk}/").content.decode()
    url = f"/evaluasi-nasional/instansi/{world.institution.pk}/banding/?year=2025"
    assert url in dashboard
    page = client.get(url)
    assert page.status_code == 200
    assert world.other_institution.name not in page.content.decode()

"""The API of the evaluator's view, and a constant number of SQL queries per page and
endpoint however many institutions (5, then 30)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from benchmarking_support import (
    document_review,
    evaluator,
    institutions,
    member,
    published,
    round_for,
)
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api_support import Api

pytestmark = pytest.mark.django_db

URLS = [
    "/evaluasi-nasional/kemajuan/?year=2025&instrument=spbe-2020",
    "/evaluasi-nasional/kemajuan/?year=2025&instrument=spbe-2020&sort=due&kind=kota",
    "/evaluasi-nasional/peringkat/?year=2025&instrument=spbe-2020",
    "/evaluasi-nasional/peringkat/?year=2025&instrument=spbe-2020&kind=kota&province=Bali",
    "/evaluasi-nasional/peringkat/?year=2024&source=published&instrument=spbe-2020",
    "/evaluasi-nasional/sebaran/?year=2025&instrument=spbe-2020",
    "/evaluasi-nasional/instansi/{own}/banding/",
    "/api/v1/evaluation/progress?year=2025&instrument=spbe-2020",
    "/api/v1/evaluation/rankings?year=2025&instrument=spbe-2020",
    "/api/v1/evaluation/distributions?year=2025&instrument=spbe-2020",
    "/api/v1/evaluation/institutions/{own}/peers",
]


def _grow(start: int, count: int) -> None:
    members = institutions(count, start=start)
    periods = round_for(members, seed=start)
    for period in periods[::3]:
        document_review(period)
    for institution in members:
        published(institution, 2024, f"{2 + (institution.pk % 30) / 10:.2f}")


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(queries)


@pytest.mark.parametrize("who", ["evaluator", "koordinator"])
def test_the_query_count_does_not_grow_with_the_institutions(who, django_assert_num_queries):
    _grow(0, 5)
    national = evaluator("n")
    own = institutions(1, prefix="own")[0]
    round_for([own])
    user = national if who == "evaluator" else member("koor", own)
    client = Client()
    client.force_login(user)
    urls = [u.format(own=own.pk) for u in URLS]
    if who != "evaluator":
        urls = [u for u in urls if "banding" in u or "peers" in u]
    small = {}
    for url in urls:
        client.get(url)  # stores the scores
        small[url] = _count(client, url)
    _grow(5, 25)
    for url in urls:
        client.get(url)  # stores the new institutions' scores
        with django_assert_num_queries(small[url]):
            assert client.get(url).status_code == 200


def test_the_api_answers_as_the_pages(world):
    members = institutions(6)
    round_for(members, levels=[Decimal(n % 5 + 1) for n in range(6)])
    round_for(
        members[:2], instrument_id="pemdi-2026", kind="pemantauan", levels=[Decimal("1.17")] * 2
    )
    published(members[0], 2024, "3.10", doubtful=True)
    api = Api.session(evaluator("n"))
    progress = api.get("/evaluation/progress?year=2025&instrument=spbe-2020")
    assert progress.status_code == 200, progress.content
    body = progress.json()
    assert body["round"] == {
        "year": 2025,
        "instrument": "spbe-2020",
        "source": "computed",
        "provisional": False,
        "kind": "",
        "province": "",
    }
    assert body["stages"][0] == "not_started" and body["total"] == 8  # with the world's two
    assert sum(body["counts"].values()) == 8
    rankings = api.get("/evaluation/rankings?year=2025&instrument=spbe-2020").json()
    assert [r["rank"] for r in rankings["rows"]][:3] == [1, 2, 3]
    assert rankings["rows"][0]["index"] == "5.00" and rankings["rows"][0]["stage"] == "self"
    pemdi = api.get("/evaluation/rankings?year=2025&instrument=pemdi-2026").json()
    assert pemdi["round"]["provisional"] is True
    assert all(r["provisional"] for r in pemdi["rows"]) and len(pemdi["rows"]) == 2
    old = api.get("/evaluation/rankings?year=2024&source=published").json()
    assert old["rows"][0]["doubtful"] is True and old["round"]["source"] == "published"
    dist = api.get("/evaluation/distributions?year=2025&instrument=spbe-2020").json()
    assert dist["overall"]["summary"]["count"] == 6 and "bands" in dist
    peers = api.get(f"/evaluation/institutions/{members[0].pk}/peers?year=2025").json()
    assert peers["own"]["index"] is not None and peers["groups"][0]["key"] == "national"


def test_the_api_refuses_what_the_pages_refuse(world):
    round_for(institutions(2))
    api = Api.session(world.koordinator)
    refused = api.get("/evaluation/rankings")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert api.get("/evaluation/progress").status_code == 403
    assert Api.anonymous().get("/evaluation/distributions").status_code == 401
    national = Api.token(evaluator("n"))
    bad = national.get("/evaluation/rankings?kind=desa")
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["location"] == "kind"
    assert national.get("/evaluation/rankings?year=2010").status_code == 404  # no such round
    assert national.get("/evaluation/rankings?year=1990").status_code == 422  # not a year
    assert national.get("/evaluation/progress?year=abc").status_code == 422
    stranger = Api.session(world.outsider)
    assert stranger.get(f"/evaluation/institutions/{world.institution.pk}/peers").status_code == 404


def test_bad_filters_on_the_pages_answer_in_place():
    round_for(institutions(2))
    client = Client()
    client.force_login(evaluator("n"))
    response = client.get("/evaluasi-nasional/peringkat/?kind=desa")
    assert response.status_code == 422
    assert client.get("/evaluasi-nasional/kemajuan/?page=x").status_code == 422

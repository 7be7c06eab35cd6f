"""Instruments and scoring through /api/v1/: same reads as the pages, one error shape."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

MIXED_CASE = (
    "1:4,2:4,3:3,4:4,5:4,6:3,7:3,8:4,9:3,10:3,11:4,12:4,13:3,14:3,15:4,16:3,17:3,18:2,19:4,"
    "20:3,21:3,22:2,23:3,24:2,25:3,26:2,27:2,28:3,29:1,30:2,31:1,32:4,33:4,34:5,35:4,36:4,"
    "37:3,38:4,39:4,40:4,41:3,42:4,43:4,44:3,45:3,46:4,47:3"
)


def mixed_levels() -> dict[str, str]:
    return dict(pair.split(":") for pair in MIXED_CASE.split(","))


def test_it_lists_instruments(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/api/v1/instruments")
    assert response.status_code == 200
    by_id = {entry["id"]: entry for entry in response.json()}
    assert set(by_id) == {"spbe-2018", "spbe-2020", "pemdi-2026"}
    assert by_id["pemdi-2026"]["provisional"] is True
    assert by_id["spbe-2020"]["indicators"] == 47


def test_it_returns_a_whole_instrument_with_exact_weights(client):
    data = client.get("/api/v1/instruments/spbe-2018@1").json()
    assert data["id"] == "spbe-2018"
    indicator_35 = next(i for i in data["indicators"] if i["number"] == "35")
    assert [s["number"] for s in indicator_35["sub_items"]] == ["35.1", "35.2", "35.3"]
    assert data["aspects"][0]["weight"] == "7"


def test_it_scores_levels_like_the_cli(client):
    response = client.post(
        "/api/v1/instruments/spbe-2020/score",
        {"indicators": mixed_levels(), "target": "4.62"},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200
    assert (data["index"], data["index_exact"], data["predicate"]) == ("3.34", "3.3425", "Baik")
    assert data["target"] == {"target": "4.62", "reached": False, "shortfall_exact": "1.2775"}
    a6 = next(a for a in data["aspects"] if a["code"] == "A6")
    assert a6["score"] == "1.33"


def test_it_scores_published_domain_scores(client):
    payload = {"domains": {"D1": "3.10", "D2": "2.30", "D3": "2.18", "D4": "3.51"}}
    response = client.post(
        "/api/v1/instruments/spbe-2020/score", payload, content_type="application/json"
    )
    assert response.json()["index_exact"] == "2.93475"
    assert response.json()["index"] == "2.93"


def test_it_refuses_bad_scores_with_every_problem_named(client):
    levels = mixed_levels() | {"1": "3.5", "99": "2"}
    del levels["2"]
    response = client.post(
        "/api/v1/instruments/spbe-2020/score",
        {"indicators": levels},
        content_type="application/json",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_scores"
    problems = {d["location"]: d["message"] for d in error["details"]}
    assert "not a whole level" in problems["1"]
    assert problems["99"] == "unknown indicator 99"
    assert problems["2"] == "indicator 2 has no value"


def test_it_requires_exactly_one_kind_of_scores(client):
    payload = {"indicators": {"1": "3"}, "aspects": {"A1": "3"}}
    response = client.post(
        "/api/v1/instruments/spbe-2020/score", payload, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_it_answers_unknown_instruments_with_the_uniform_404(client):
    response = client.get("/api/v1/instruments/spbe-1999")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_documents_the_api_in_openapi(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/instruments/{reference}/score" in spec["paths"]
    assert spec["info"]["title"] == "Monev SPBE API"


def test_scoring_rounded_domain_scores_returns_the_interval_and_every_possible_predicate(client):
    # Published domains scoring to 2.595: reported 2.60 Baik, but the exact index lies in
    # [2.59, 2.60), so it may be 2.59 Cukup (issue 15).
    payload = {"domains": {"D1": "2.50", "D2": "2.31", "D3": "2.95", "D4": "2.65"}}
    response = client.post(
        "/api/v1/instruments/spbe-2020/score", payload, content_type="application/json"
    )
    data = response.json()
    assert response.status_code == 200
    assert (data["index"], data["predicate"]) == ("2.60", "Baik")
    assert (data["index_low"], data["index_high"]) == ("2.59", "2.6")
    assert data["predicates_possible"] == ["Cukup", "Baik"]
    assert data["predicate_other_reading"] is None


def test_scoring_levels_returns_one_possible_predicate_and_an_empty_interval(client):
    response = client.post(
        "/api/v1/instruments/spbe-2020/score",
        {"indicators": mixed_levels()},
        content_type="application/json",
    )
    data = response.json()
    assert data["index_low"] == data["index_high"] == data["index_exact"]
    assert data["predicates_possible"] == ["Baik"]


@pytest.mark.parametrize(
    ("value", "index_exact"),
    [("7/6", "1.00833333333333333333"), ("1.1666666667", "1.008333333335")],
)
def test_pemdi_scores_an_indicator_value_given_as_a_fraction_or_ten_decimals_unrounded(
    client, value, index_exact
):
    levels = {str(n): "1" for n in range(1, 21)} | {"13": value}
    response = client.post(
        "/api/v1/instruments/pemdi-2026/score",
        {"indicators": levels},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["index_exact"] == index_exact
    row = next(row for row in data["indicators"] if row["number"] == "13")
    assert row["level"] == "1.17" and row["level_exact"].startswith("1.16666666")


def test_a_whole_level_instrument_refuses_a_fraction_through_the_api(client):
    response = client.post(
        "/api/v1/instruments/spbe-2020/score",
        {"indicators": mixed_levels() | {"13": "7/6"}},
        content_type="application/json",
    )
    assert response.status_code == 422
    problems = {d["location"]: d["message"] for d in response.json()["error"]["details"]}
    assert problems["13"] == "value 7/6 is not a whole level; spbe-2020 takes whole levels 1-5"

"""Item-level assessment on the answer page (HTMX and plain form posts), in the review
queue, the Excel workbook and the API; permissions and a constant number of queries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from items_support import A, R, build_pemdi, decide, judge
from openpyxl import load_workbook

from api_support import Api
from monev.evaluations import services
from monev.evaluations.models import ItemJudgement
from monev.institutions.access import access_for
from monev.institutions.models import Role
from monev.reports import self_assessment
from people_support import grant, make_user


@pytest.fixture
def pemdi(world):
    return build_pemdi(world)


def page(client, user, answer, **params):
    client.force_login(user)
    return client.get(reverse("answers:detail", args=[answer.pk]), params)


def post_items(client, user, answer, data, *, htmx=False):
    client.force_login(user)
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("answers:action", args=[answer.pk, "items"])
    return client.post(url, data, headers=headers)


def form_data(version=0, stage="document_review", **items):
    """items: status-1-0="accepted", reason_kind-1-1="not_appropriate", ..."""
    return {"stage": stage, "version": str(version), **items}


def enter_directly(pemdi, indicator="2", level="1.30", version=1):
    return services.assessor_pass_save(
        actor=pemdi.world.asesor_eksternal,
        answer_id=pemdi.answer(indicator).pk,
        stage="document_review",
        level=Decimal(level),
        notes="Dinilai langsung.",
        expected_version=version,
    )


# --- the page ------------------------------------------------------------------------------


def test_the_assessor_sees_a_labelled_checklist_per_level(client, pemdi):
    response = page(client, pemdi.world.asesor_eksternal, pemdi.answer("2"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="items"' in html
    assert 'name="status-1-0" value="accepted"' in html
    assert 'name="status-1-1" value="revision"' in html
    assert '<label for="reason_kind-1-0">' in html and '<label for="reason-1-0">' in html
    assert 'aria-describedby="item-1-0-text"' in html
    assert reverse("answers:action", args=[pemdi.answer("2").pk, "items"]) in html


def test_a_plain_form_post_saves_and_redirects_to_the_items(client, pemdi):
    answer = pemdi.answer("2")
    data = form_data(**{"status-1-0": A, "status-1-1": R, "reason_kind-1-1": "not_uploaded"})
    response = post_items(client, pemdi.world.asesor_eksternal, answer, data)
    assert response.status_code == 302
    assert response["Location"].endswith("?stage=document_review#items")
    assert answer.passes.get().computed_level == Decimal("1.25")
    html = client.get(response["Location"]).content.decode()
    assert 'class="computed-value">1,25<' in html


def test_an_htmx_post_answers_the_panel_with_the_computed_value(client, pemdi):
    answer = pemdi.answer("2")
    data = form_data(**{"status-1-0": A, "status-1-1": "pending"})
    response = post_items(client, pemdi.world.asesor_eksternal, answer, data, htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="answer-panel"') or 'id="answer-panel"' in html[:200]
    assert 'class="computed-value">1,25<' in html
    assert "<html" not in html


def test_a_refused_post_shows_the_input_again_with_the_problem(client, pemdi):
    answer = pemdi.answer("2")
    data = form_data(**{"status-1-0": A, "status-1-1": R, "reason-1-1": "dokumen lama"})
    response = post_items(client, pemdi.world.asesor_eksternal, answer, data, htmx=True)
    html = response.content.decode()
    assert response.status_code == 422
    assert 'name="status-1-1" value="revision" checked' in html
    assert 'value="dokumen lama"' in html
    assert 'class="field-errors" role="alert"' in html
    assert not ItemJudgement.objects.exists()


def test_a_stale_post_is_a_conflict_and_carries_the_current_version(client, pemdi):
    answer = pemdi.answer("2")
    judge(pemdi, "2", [decide(1, 0, A)])
    data = form_data(version=0, **{"status-1-1": A})
    response = post_items(client, pemdi.world.asesor_eksternal, answer, data, htmx=True)
    html = response.content.decode()
    assert response.status_code == 409
    assert '<input type="hidden" name="version" value="1">' in html
    assert ItemJudgement.objects.count() == 1


def test_the_institution_reads_each_result_and_reason(client, pemdi):
    answer = pemdi.answer("2")
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R, "other", "Belum ditandatangani")])
    for persona in ("koordinator", "operator"):  # the operator of unit A, the answer's unit
        html = page(client, pemdi.world.personas()[persona], answer).content.decode()
        assert 'id="items"' in html, persona
        assert 'name="status-1-0"' not in html
        assert "Belum ditandatangani" in html
        assert "item-auto_rejected" in html  # level 2 and above


def test_another_units_operator_and_outsiders_do_not_see_it(client, pemdi):
    answer = pemdi.answer("2")
    judge(pemdi, "2", [decide(1, 0, A)])
    for persona in ("operator_b", "outsider"):
        assert page(client, pemdi.world.personas()[persona], answer).status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("koordinator", 403), ("outsider", 404)])
def test_only_the_assessor_may_post(client, pemdi, persona, status):
    data = form_data(**{"status-1-0": A})
    response = post_items(client, pemdi.world.personas()[persona], pemdi.answer("2"), data)
    assert response.status_code == status
    assert not ItemJudgement.objects.exists()


def test_an_entered_level_that_differs_is_shown_beside_the_computed_one(client, pemdi):
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    enter_directly(pemdi)
    html = page(client, pemdi.world.koordinator, pemdi.answer("2")).content.decode()
    assert "pass-differs" in html
    assert "1,25" in html and "1,30" in html
    assert "rule-confidence" in html
    queue = client.get(reverse("evaluations:queue", args=[pemdi.period.pk]))
    assert queue.status_code == 403  # the koordinator has no queue
    client.force_login(pemdi.world.asesor_eksternal)
    html = client.get(reverse("evaluations:queue", args=[pemdi.period.pk])).content.decode()
    assert "pass-differs" in html and "1,25" in html and "1,30" in html


def test_spbe_answers_have_no_checklist(client, world):
    html = page(client, world.koordinator, world.answer("1")).content.decode()
    assert 'id="items"' not in html


def test_the_page_runs_the_same_queries_however_many_items_are_judged(
    client, pemdi, django_assert_num_queries
):
    answer = pemdi.answer("3")
    judge(pemdi, "3", [decide(1, 0, A)])
    user = pemdi.world.asesor_eksternal
    client.force_login(user)
    url = reverse("answers:detail", args=[answer.pk])
    client.get(url)  # warm caches (instrument catalogue, session)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    every = [
        decide(level, position, A)
        for level, count in ((1, 4), (2, 2), (3, 1), (4, 1), (5, 2))
        for position in range(count)
    ]
    judge(pemdi, "3", every)
    judge(pemdi, "3", every, stage="interview")
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    with django_assert_num_queries(len(before)):
        assert client.get(url).status_code == 200


# --- the workbook --------------------------------------------------------------------------


def test_the_workbook_shows_both_values_where_they_differ(pemdi):
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    enter_directly(pemdi)
    judge(pemdi, "1", [decide(1, 0, A)])
    access = access_for(pemdi.world.koordinator, pemdi.world.institution.pk)
    book = load_workbook(io.BytesIO(self_assessment.build(pemdi.period, access)))
    sheet = book["Penilaian Mandiri"]
    names = [cell.value for cell in sheet[1]]
    rows = [dict(zip(names, r, strict=False)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    notes = {row["No. Indikator"]: row["Catatan Asesor"] or "" for row in rows}
    assert "Nilai dihitung dari butir: 1,25 — nilai asesor: 1,30; BERBEDA" in notes["2"]
    assert "keyakinan low" in notes["2"]
    assert notes["1"].startswith("Penilaian dokumen: Nilai dihitung dari butir: 1,50")


# --- the API -------------------------------------------------------------------------------


def test_the_api_reads_and_judges_items(pemdi):
    answer = pemdi.answer("2")
    path = f"/answers/{answer.pk}/items"
    assessor = Api.session(pemdi.world.asesor_eksternal)
    empty = assessor.ok("get", path)
    assert (empty["stage"], empty["version"], empty["computed_level"]) == (
        "document_review",
        0,
        "1.00",
    )
    assert empty["provisional"] is True and empty["rule"]["confidence"] == "low"
    assert len(empty["levels"][0]["items"]) == 2
    body = {
        "version": 0,
        "items": [
            {"level": 1, "position": 0, "status": "accepted"},
            {"level": 1, "position": 1, "status": "revision", "reason_kind": "not_appropriate"},
            {"level": 2, "position": 0, "status": "accepted"},
        ],
    }
    saved = assessor.ok("put", f"{path}?stage=document_review", body)
    assert (saved["computed_level"], saved["level"], saved["version"]) == ("1.25", "1.25", 1)
    assert saved["differs"] is False and saved["entered_level"] is None
    level2 = saved["levels"][1]["items"][0]
    assert (level2["status"], level2["judged"]) == ("auto_rejected", "accepted")
    # the institution reads it
    read = Api.session(pemdi.world.koordinator).ok("get", path + "?stage=document_review")
    assert read["levels"][0]["items"][1]["reason_kind"] == "not_appropriate"
    assert read["levels"][0]["items"][1]["reason_text"]


def test_the_api_shows_an_entered_level_beside_the_computed_one(pemdi):
    answer = pemdi.answer("2")
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    enter_directly(pemdi)
    api = Api.session(pemdi.world.koordinator)
    sheet = api.ok("get", f"/answers/{answer.pk}/items")
    assert (sheet["computed_level"], sheet["entered_level"], sheet["differs"]) == (
        "1.25",
        "1.30",
        True,
    )
    detail = api.ok("get", f"/answers/{answer.pk}")
    (document,) = detail["passes"]
    assert (document["level"], document["computed_level"], document["differs"]) == (
        "1.30",
        "1.25",
        True,
    )
    assert document["level_entered"] is True
    queue = Api.session(pemdi.world.asesor_eksternal).ok(
        "get", f"/periods/{pemdi.period.pk}/review-queue"
    )
    row = next(r for r in queue["answers"] if r["number"] == "2")
    assert (row["computed_level"], row["differs"]) == ("1.25", True)


def test_the_api_answers_409_on_a_stale_version(pemdi):
    answer = pemdi.answer("2")
    judge(pemdi, "2", [decide(1, 0, A)])
    response = Api.session(pemdi.world.asesor_eksternal).put(
        f"/answers/{answer.pk}/items?stage=document_review",
        {"version": 0, "items": [{"level": 1, "position": 1, "status": "accepted"}]},
    )
    assert response.status_code == 409
    assert response.json()["error"]["current"]["version"] == 1


def test_the_api_locates_each_problem(pemdi):
    answer = pemdi.answer("2")
    response = Api.session(pemdi.world.asesor_eksternal).put(
        f"/answers/{answer.pk}/items?stage=document_review",
        {"version": 0, "items": [{"level": 1, "position": 7, "status": "accepted"}]},
    )
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["location"] == "items[0].position"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("koordinator", 403), ("operator", 403), ("outsider", 404), ("operator_b", 404)],
)
def test_the_api_refuses_everyone_but_the_assessor(pemdi, persona, status):
    answer = pemdi.answer("2")
    response = Api.session(pemdi.world.personas()[persona]).put(
        f"/answers/{answer.pk}/items?stage=document_review",
        {"version": 0, "items": [{"level": 1, "position": 0, "status": "accepted"}]},
    )
    assert response.status_code == status
    assert not ItemJudgement.objects.exists()


def test_the_api_hides_the_items_from_another_institutions_assessor(pemdi):
    stranger = make_user("asesor_lain")
    grant(stranger, pemdi.world.other_institution, Role.ASESOR_EKSTERNAL)
    api = Api.session(stranger)
    path = f"/answers/{pemdi.answer('2').pk}/items"
    assert api.get(path).status_code == 404
    body = {"version": 0, "items": [{"level": 1, "position": 0, "status": "accepted"}]}
    assert api.put(f"{path}?stage=document_review", body).status_code == 404


def test_the_api_refuses_spbe_and_imported_indicators(pemdi):
    world = pemdi.world
    api = Api.session(world.asesor_eksternal)
    spbe = api.get(f"/answers/{world.answer('1').pk}/items")
    assert spbe.status_code == 422
    assert spbe.json()["error"]["code"] == "invalid_input"
    imported = api.put(
        f"/answers/{pemdi.answer('5').pk}/items?stage=document_review",
        {"version": 0, "items": [{"level": 1, "position": 0, "status": "accepted"}]},
    )
    assert imported.status_code == 422


def test_the_api_read_runs_the_same_queries_as_items_grow(pemdi, django_assert_num_queries):
    answer = pemdi.answer("3")
    api = Api.session(pemdi.world.koordinator)
    path = f"/answers/{answer.pk}/items"
    judge(pemdi, "3", [decide(1, 0, A)])
    api.get(path)
    with CaptureQueriesContext(connection) as before:
        api.ok("get", path)
    every = [
        decide(level, position, R if level == 3 else A)
        for level, count in ((1, 4), (2, 2), (3, 1), (4, 1), (5, 2))
        for position in range(count)
    ]
    judge(pemdi, "3", every)
    judge(pemdi, "3", every, stage="interview")
    with django_assert_num_queries(len(before)):
        api.ok("get", path)

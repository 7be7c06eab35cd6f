"""Every persona (and an anonymous visitor) against every evidence page and API endpoint.

Pages: 200 for a page, 302 after an action; anonymous is sent to /masuk/. API: 200/201/204;
anonymous 401. A role that sees the object but may not act: 403. An object the user may not
see (another institution; an operator and another unit's evidence or answer): 404, so its
existence does not leak."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from views_support import ROLES, file, login, make_evidence, png

from api_support import Api

pytestmark = pytest.mark.django_db

MEMBERS = set(ROLES) - {"outsider", "anonymous"}
MANAGERS = {"koordinator", "operator", "operator_b"}
EDITORS_OF_A = {"koordinator", "operator"}  # answer 1 and unit A's evidence


@dataclass
class Case:
    method: str
    url: Callable  # (world, evidence) -> str
    allowed: set[str]
    hidden: set[str]  # members who get 404
    data: Callable | None = None  # (world, evidence, role) -> dict
    ok: int = 200


def expected(case: Case, role: str, api: bool):
    if role == "anonymous":
        return 401 if api else "login"
    if role in case.allowed:
        return case.ok
    if role == "outsider" or role in case.hidden:
        return 404
    return 403


def unit_for(world, role):
    return world.unit_b if role == "operator_b" else world.unit_a


def upload_data(world, evidence, role):
    return {
        "file": file("x.png", png(7)),
        "kind": "tangkapan_layar",
        "unit": unit_for(world, role).pk,
    }


def link_data(world, evidence, role):
    return {
        "title": "e-Office",
        "url": "https://eoffice.example.id",
        "unit": unit_for(world, role).pk,
    }


def edit_data(world, evidence, role):
    return {
        "version": evidence.version,
        "title": "Perwal SPBE",
        "kind": "peraturan",
        "unit": world.unit_a.pk,
        "url": "",
        "access_notes": "",
    }


def version_data(world, evidence, role):
    return {
        "version": evidence.version,
        "change_note": "ditandatangani",
        "file": file("v2.png", png(9)),
    }


def answer_url(name, *extra):
    return lambda world, evidence: reverse(
        f"evidence:{name}", args=[world.answer("1").pk, *[e(evidence) for e in extra]]
    )


def evidence_url(name):
    return lambda world, evidence: reverse(f"evidence:{name}", args=[evidence.pk])


def institution_url(name):
    return lambda world, evidence: reverse(f"evidence:{name}", args=[world.institution.pk])


PAGES = {
    "library": Case("get", institution_url("library"), MEMBERS, set()),
    "upload_page": Case("get", institution_url("upload"), MANAGERS, set()),
    "upload": Case("post", institution_url("upload"), MANAGERS, set(), upload_data, 302),
    "link_create": Case("post", institution_url("link_create"), MANAGERS, set(), link_data, 302),
    "detail": Case("get", evidence_url("detail"), MEMBERS - {"operator_b"}, {"operator_b"}),
    "update": Case("post", evidence_url("update"), EDITORS_OF_A, {"operator_b"}, edit_data, 302),
    "add_version": Case(
        "post", evidence_url("add_version"), EDITORS_OF_A, {"operator_b"}, version_data, 302
    ),
    "download": Case(
        "get",
        lambda world, evidence: reverse("evidence:download", args=[evidence.versions.get().pk]),
        MEMBERS - {"operator_b"},
        {"operator_b"},
    ),
    "answer_link": Case(
        "post",
        answer_url("answer_link"),
        EDITORS_OF_A,
        {"operator_b"},
        lambda world, evidence, role: {"evidence": evidence.pk, "levels": [1]},
        302,
    ),
    "answer_unlink": Case(
        "post",
        answer_url("answer_unlink", lambda e: e.pk),
        EDITORS_OF_A,
        {"operator_b"},
        lambda world, evidence, role: {},
        302,
    ),
    "answer_upload": Case(
        "post",
        answer_url("answer_upload"),
        EDITORS_OF_A,
        {"operator_b"},
        lambda world, evidence, role: {**upload_data(world, evidence, role), "levels": [1]},
        302,
    ),
}


def _prepare(world, name):
    evidence = make_evidence(world, name="good.pdf")
    if name == "answer_unlink":
        from monev.evidence import services

        services.evidence_link(
            actor=world.koordinator,
            answer_id=world.answer("1").pk,
            evidence_id=evidence.pk,
            levels=[1],
        )
    return evidence


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_it_allows_each_page_to_the_right_roles(client, world, name, role):
    case = PAGES[name]
    evidence = _prepare(world, name)
    login(client, world, role)
    url = case.url(world, evidence)
    if case.method == "get":
        response = client.get(url)
    else:
        response = client.post(url, case.data(world, evidence, role))
    outcome = expected(case, role, api=False)
    if outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/?next=")
    else:
        assert response.status_code == outcome, (response.status_code, response.content[:1500])


# --- the API ---------------------------------------------------------------------------------


def _api(world, role) -> Api:
    return Api.anonymous() if role == "anonymous" else Api.session(world.personas()[role])


def api_upload(api, world, evidence, role):
    data = {
        "file": file("x.png", png(11)),
        "kind": "tangkapan_layar",
        "unit_id": unit_for(world, role).pk,
    }
    return api.client.post(f"/api/v1/institutions/{world.institution.pk}/evidence", data)


def api_link(api, world, evidence, role):
    body = {
        "title": "e-Office",
        "url": "https://eoffice.example.id",
        "unit_id": unit_for(world, role).pk,
    }
    return api.call("post", f"/institutions/{world.institution.pk}/evidence", body)


def api_version(api, world, evidence, role):
    data = {"file": file("v2.png", png(12)), "version": evidence.version, "change_note": "baru"}
    return api.client.post(f"/api/v1/evidence/{evidence.pk}/versions", data)


API = {
    "list": (
        lambda api, w, e, r: api.get(f"/institutions/{w.institution.pk}/evidence"),
        Case("get", None, MEMBERS, set()),
    ),
    "search": (
        lambda api, w, e, r: api.get(f"/institutions/{w.institution.pk}/evidence", q="SPBE"),
        Case("get", None, MEMBERS, set()),
    ),
    "upload": (api_upload, Case("post", None, MANAGERS, set(), ok=201)),
    "link": (api_link, Case("post", None, MANAGERS, set(), ok=201)),
    "detail": (
        lambda api, w, e, r: api.get(f"/evidence/{e.pk}"),
        Case("get", None, MEMBERS - {"operator_b"}, {"operator_b"}),
    ),
    "patch": (
        lambda api, w, e, r: api.patch(f"/evidence/{e.pk}", {"version": e.version, "title": "B"}),
        Case("patch", None, EDITORS_OF_A, {"operator_b"}),
    ),
    "version": (api_version, Case("post", None, EDITORS_OF_A, {"operator_b"}, ok=201)),
    "download": (
        lambda api, w, e, r: api.get(f"/evidence/versions/{e.versions.get().pk}/download"),
        Case("get", None, MEMBERS - {"operator_b"}, {"operator_b"}),
    ),
    "link_levels": (
        lambda api, w, e, r: api.put(
            f"/answers/{w.answer('1').pk}/evidence/{e.pk}", {"levels": [1, 2]}
        ),
        Case("put", None, EDITORS_OF_A, {"operator_b"}),
    ),
    "unlink": (
        lambda api, w, e, r: api.delete(f"/answers/{w.answer('1').pk}/evidence/{e.pk}"),
        Case("delete", None, EDITORS_OF_A, {"operator_b"}, ok=204),
    ),
    "readiness": (
        lambda api, w, e, r: api.get(f"/answers/{w.answer('1').pk}/readiness"),
        Case("get", None, MEMBERS - {"operator_b"}, {"operator_b"}),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", API)
def test_it_allows_each_endpoint_to_the_right_roles(world, name, role):
    call, case = API[name]
    evidence = _prepare(world, "answer_unlink" if name == "unlink" else name)
    response = call(_api(world, role), world, evidence, role)
    status = expected(case, role, api=True)
    assert response.status_code == status, (response.status_code, response.content[:1500])
    if status >= 400:
        assert set(response.json()["error"]) >= {"code", "message"}

"""Every role of the world against every page (GET) and every action (POST).

Allowed: 200 for a page, 302 after an action. A role that sees the object but may not act:
403. An object the user may not see (another institution; an operator on another unit's
answer): 404, so its existence does not leak. Anonymous: sent to /masuk/."""

from __future__ import annotations

import pytest
from django.urls import reverse
from page_support import TEXT, closed, document_reviewed, login, saved, submitted

from monev.evaluations import urls, views
from monev.evaluations.models import Milestone
from monev.evaluations.services.answers import assignment_fingerprint

pytestmark = pytest.mark.django_db

ROLES = [
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
    "outsider",
    "anonymous",
]
MEMBERS = {
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
}
EVERYONE = MEMBERS | {"outsider"}
ANSWER_HIDDEN = {"operator_b"}  # answer 1 belongs to unit A


def expected(role: str, allowed: set[str], hidden: set[str] = frozenset()):
    if role == "anonymous":
        return "login"
    if role in allowed:
        return "ok"
    if role == "outsider" or role in hidden:
        return 404
    return 403


def check(response, outcome, ok_status: int) -> None:
    if outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/masuk/?next=")
    elif outcome == "ok":
        assert response.status_code == ok_status, response.content.decode()[:2000]
    else:
        assert response.status_code == outcome


def period_url(name):
    return lambda world: reverse(f"evaluations:{name}", args=[world.period.pk])


PAGES = {
    "periods": (lambda world: reverse("evaluations:periods"), EVERYONE, set()),
    "create": (
        lambda world: reverse("evaluations:create"),
        {"koordinator", "admin", "outsider"},
        set(),
    ),
    "overview": (period_url("overview"), MEMBERS, set()),
    "todo": (period_url("todo"), {"koordinator", "operator", "operator_b"}, set()),
    "queue": (period_url("queue"), {"asesor_internal", "asesor_eksternal"}, set()),
    "matrix": (period_url("matrix"), {"koordinator"}, set()),
    "audit": (period_url("audit"), {"koordinator", "asesor_internal", "admin"}, set()),
    "audit_csv": (period_url("audit_csv"), {"koordinator", "asesor_internal", "admin"}, set()),
    "settings": (period_url("settings"), {"koordinator", "admin"}, set()),
    "bulk": (period_url("bulk"), {"koordinator", "admin"}, set()),  # posts: test_bulk_views
    "answer": (
        lambda world: reverse("answers:detail", args=[world.answer("1").pk]),
        MEMBERS - ANSWER_HIDDEN,
        ANSWER_HIDDEN,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_it_guards_every_page(client, world, page, role):
    url, allowed, hidden = PAGES[page]
    response = login(client, world, role).get(url(world))
    check(response, expected(role, allowed, hidden), 200)


# --- actions: each prepares the state in which the action is valid --------------------------


def answer_post(name, prepare, data):
    def build(world):
        answer = prepare(world)
        return reverse("answers:action", args=[answer.pk, name]), data(world, answer)

    return build


def draft(world):
    return world.answer("1")


def version(world, answer):
    return {"version": answer.version}


def settings_post(name, data, item=None):
    def build(world):
        if item:
            args = [world.period.pk, name, item(world)]
            return reverse("evaluations:settings_item_action", args=args), data(world)
        return reverse("evaluations:settings_action", args=[world.period.pk, name]), data(world)

    return build


def matrix_post(world):
    answers = list(world.period.answers.values_list("pk", flat=True))
    pairs = [(a.pk, u.pk) for a in world.period.answers.all() for u in a.units.all()]
    data = {
        "fingerprint": assignment_fingerprint(pairs),
        "answers": ",".join(map(str, answers)),
        "cell": [f"{a}:{u}" for a, u in pairs],
    }
    return reverse("evaluations:matrix", args=[world.period.pk]), data


def create_post(world):
    data = {
        "institution": world.institution.pk,
        "year": 2026,
        "kind": "evaluasi",
        "instrument": "spbe-2020@1",
    }
    return reverse("evaluations:create"), data


KOORDINATOR = {"koordinator"}
EDITORS = {"koordinator", "operator"}
ACTIONS = {
    "save": (
        answer_post(
            "save", draft, lambda w, a: {"level": "3", "explanation": TEXT, "version": a.version}
        ),
        EDITORS,
        ANSWER_HIDDEN,
    ),
    # The answer has readiness errors (a level without evidence): the page's box is ticked.
    "submit": (
        answer_post(
            "submit",
            saved,
            lambda w, a: {"version": a.version, "confirm_readiness_errors": "on"},
        ),
        EDITORS,
        ANSWER_HIDDEN,
    ),
    "verify": (answer_post("verify", submitted, version), {"asesor_internal"}, ANSWER_HIDDEN),
    "return": (
        answer_post("return", submitted, lambda w, a: {"version": a.version, "note": "Kurang."}),
        {"asesor_internal"},
        ANSWER_HIDDEN,
    ),
    "reopen": (
        answer_post("reopen", closed, lambda w, a: {"version": a.version, "reason": "SK baru."}),
        KOORDINATOR,
        ANSWER_HIDDEN,
    ),
    "assess": (
        answer_post(
            "assess",
            closed,
            lambda w, a: {
                "stage": "document_review",
                "level": "2",
                "notes": "",
                "version_document_review": 0,
            },
        ),
        {"asesor_eksternal"},
        ANSWER_HIDDEN,
    ),
    "respond": (
        answer_post(
            "respond", document_reviewed, lambda w, a: {"response": "Keberatan.", "version": 1}
        ),
        KOORDINATOR,
        ANSWER_HIDDEN,
    ),
    "comment": (
        answer_post("comment", draft, lambda w, a: {"body": "Mohon dilengkapi."}),
        {"koordinator", "operator", "asesor_internal", "asesor_eksternal"},
        ANSWER_HIDDEN,
    ),
    "units": (
        answer_post("units", draft, lambda w, a: {"units": [w.unit_a.pk, w.unit_b.pk]}),
        KOORDINATOR,
        ANSWER_HIDDEN,
    ),
    "matrix": (matrix_post, KOORDINATOR, set()),
    "target": (
        settings_post("target", lambda w: {"target": "4.62"}),
        {"koordinator", "admin"},
        set(),
    ),
    "milestone": (
        settings_post(
            "milestone",
            lambda w: {"kind": "mentoring", "date": "2025-08-06", "time": "09:00", "title": ""},
        ),
        {"koordinator", "admin"},
        set(),
    ),
    "milestone-delete": (
        settings_post(
            "milestone-delete",
            lambda w: {},
            item=lambda w: Milestone.objects.get(period=w.period, kind="self_assessment_open").pk,
        ),
        {"koordinator", "admin"},
        set(),
    ),
    "close": (
        settings_post("close", lambda w: {"confirm": "on"}),
        {"koordinator", "admin"},
        set(),
    ),
    "create": (create_post, {"koordinator", "admin"}, set()),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(ACTIONS))
def test_it_guards_every_action(client, world, name, role):
    build, allowed, hidden = ACTIONS[name]
    url, data = build(world)
    response = login(client, world, role).post(url, data)
    check(response, expected(role, allowed, hidden), 302)


def test_it_covers_every_route_of_the_pages():
    names = {p.name for p in urls.urlpatterns} | {p.name for p in urls.answer_patterns}
    covered = {
        "periods",
        "create",
        "overview",
        "todo",
        "queue",
        "matrix",
        "audit",
        "audit_csv",
        "settings",
        "bulk",
        "settings_action",
        "settings_item_action",
        "detail",
        "action",
    }
    assert names == covered
    posted = set(ACTIONS) - {"matrix", "create"}
    assert posted == set(views.ANSWER_ACTIONS) | set(views.SETTINGS_ACTIONS)

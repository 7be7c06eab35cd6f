"""The read replica: only the dashboards read from it, never a request whose own save the
replica has not replayed yet, never a replica that does not answer; nothing at all without one."""

from __future__ import annotations

import pytest
from django.core.signing import get_cookie_signer
from django.http import HttpResponse
from django.urls import resolve

from monev.lib import db_router
from monev.lib.db_router import ReplicaMiddleware, ReplicaRouter

router = ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """A configured replica whose replay position the test sets (`caught_up`)."""
    state = {"caught_up": True, "asked": []}

    def caught_up(position):
        state["asked"].append(position)
        return state["caught_up"]

    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    monkeypatch.setattr(db_router, "_replica_has_caught_up", caught_up)
    return state


def run(rf, path: str, method: str = "get", cookies: dict | None = None):
    """(the database the view's reads used, the response) through the middleware."""
    request = getattr(rf, method)(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path)
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(None)
        return HttpResponse("ok")

    middleware = ReplicaMiddleware(view)

    def get_response(request):
        result = middleware.process_view(request, view, (), {})
        return result or view(request)

    middleware.get_response = get_response
    response = middleware(request)
    return seen["read"], response


def test_dashboards_read_from_the_replica(rf, replica):
    for path in (
        "/pemantauan/periode/1/",
        "/pemantauan/periode/1/riwayat/",
        "/pemantauan/periode/1/prakiraan/",
        "/pemantauan/instansi/1/riwayat/",
    ):
        assert run(rf, path)[0] == "replica", path
    assert router.db_for_read(None) is None  # and only while the page is being made


@pytest.mark.django_db
def test_other_pages_and_every_write_use_the_primary(rf, replica):
    assert run(rf, "/periode/")[0] is None
    assert run(rf, "/pemantauan/periode/1/potret/", method="post")[0] is None
    assert router.db_for_write(None) is None


def signed_position(position: str) -> dict:
    name = db_router.WRITE_POSITION_COOKIE
    signer = get_cookie_signer(salt=name + db_router.WRITE_POSITION_SALT)
    return {name: signer.sign(position)}


def test_a_replica_behind_the_browsers_last_save_is_not_used(rf, replica):
    cookies = signed_position("0/16B3748")
    replica["caught_up"] = False
    assert run(rf, "/pemantauan/periode/1/", cookies=cookies)[0] is None
    assert replica["asked"][-1] == "0/16B3748"
    replica["caught_up"] = True
    assert run(rf, "/pemantauan/periode/1/", cookies=cookies)[0] == "replica"


def test_a_forged_position_cookie_is_ignored(rf, replica):
    forged = {db_router.WRITE_POSITION_COOKIE: "0/FFFFFFFF:forged"}
    run(rf, "/pemantauan/periode/1/", cookies=forged)
    assert replica["asked"][-1] is None


def test_without_a_replica_nothing_is_routed_and_nothing_is_asked(rf, monkeypatch):
    def never(position):
        raise AssertionError("asked a replica that is not configured")

    monkeypatch.setattr(db_router, "_replica_has_caught_up", never)
    read, response = run(rf, "/pemantauan/periode/1/")
    assert read is None
    assert db_router.WRITE_POSITION_COOKIE not in response.cookies


def test_the_replica_is_never_migrated():
    assert router.allow_migrate("replica", "evidence") is False
    assert router.allow_migrate("default", "evidence") is True


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_save_leaves_the_primarys_position_in_a_signed_cookie(rf, monkeypatch, settings):
    # The WAL position exists on PostgreSQL only.
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    request = rf.post("/jawaban/1/")
    response = HttpResponse(status=302)
    db_router.remember_write_position(request, response)
    morsel = response.cookies[db_router.WRITE_POSITION_COOKIE]
    assert morsel["httponly"]
    request.COOKIES[db_router.WRITE_POSITION_COOKIE] = morsel.value
    position = request.get_signed_cookie(
        db_router.WRITE_POSITION_COOKIE, salt=db_router.WRITE_POSITION_SALT
    )
    assert "/" in position  # a PostgreSQL LSN such as 0/16B3748


def test_a_refused_write_leaves_no_position(rf, replica):
    request = rf.post("/jawaban/1/")
    response = HttpResponse(status=400)
    db_router.remember_write_position(request, response)
    assert db_router.WRITE_POSITION_COOKIE not in response.cookies

"""/healthz and /readyz: cheap, unauthenticated, answering probes by IP over plain HTTP, and
saying what is wrong without saying anything an outsider could use."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from monev.evidence import tasks
from monev.lib.environment import envnetworks
from monev.web import health

pytestmark = pytest.mark.django_db


def body(response) -> dict:
    return json.loads(response.content)


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert body(response) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_checks_database_migrations_storage_and_queue(client, django_assert_num_queries):
    client.get("/readyz")  # reads the migration files once per process
    with django_assert_num_queries(3):  # SELECT 1, applied migrations, waiting jobs
        response = client.get("/readyz")
    assert response.status_code == 200
    result = body(response)
    assert result["status"] == "ready"
    assert result["failing"] == []
    assert set(result["checks"]) == {"database", "migrations", "storage", "queue"}
    assert result["checks"]["migrations"]["unapplied"] == 0
    assert result["checks"]["queue"] == {
        "ok": True,
        "waiting": 0,
        "oldest_seconds": 0,
        "ms": result["checks"]["queue"]["ms"],
    }


def test_readiness_leaves_no_probe_file_behind(client):
    client.get("/readyz")
    if default_storage.exists("health"):
        assert default_storage.listdir("health")[1] == []


def test_readiness_reports_the_age_of_the_oldest_waiting_job(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tasks.extract_file_text.enqueue(file_id=1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=10))
    queue = body(client.get("/readyz"))["checks"]["queue"]
    assert queue["waiting"] == 1
    assert 590 <= queue["oldest_seconds"] <= 700


def test_unapplied_migrations_make_the_server_not_ready(client, monkeypatch):
    known = health.known_migrations() | {("evidence", "9999_not_yet_applied")}
    monkeypatch.setattr(health, "known_migrations", lambda: known)
    response = client.get("/readyz")
    assert response.status_code == 503
    result = body(response)
    assert result["failing"] == ["migrations"]
    assert result["checks"]["migrations"]["unapplied"] == 1


def test_a_storage_that_cannot_be_written_makes_the_server_not_ready(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("[Errno 13] Permission denied: '/srv/secret/path'")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert body(response)["failing"] == ["storage"]
    assert "/srv/secret" not in response.content.decode()  # details go to the log only


def test_an_unreachable_database_makes_the_server_not_ready(client, monkeypatch):
    def unreachable(alias="default"):
        from django.db import OperationalError

        raise OperationalError("could not connect to server at 10.1.2.3")

    monkeypatch.setattr(health, "check_database", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    result = body(response)
    assert result["failing"] == ["database"]
    assert "10.1.2.3" not in response.content.decode()


def test_probes_answer_by_ip_address_over_plain_http_without_signing_in(client, settings):
    settings.ALLOWED_HOSTS = ["monev.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/readyz"):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers


def test_a_head_probe_gets_the_status_without_a_body(client):
    response = client.head("/readyz")
    assert response.status_code == 200
    assert response.content == b""


def test_probes_refuse_other_methods(client):
    assert client.post("/readyz").status_code == 405


def test_the_probe_urls_can_be_reversed():
    assert reverse("healthz") == "/healthz"
    assert reverse("readyz") == "/readyz"


def test_readiness_shows_only_its_status_to_an_address_not_allowed(client):
    response = client.get("/readyz", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    assert body(response) == {"status": "ready"}


def test_readiness_tells_an_address_not_allowed_only_that_it_is_not_ready(client, monkeypatch):
    known = health.known_migrations() | {("evidence", "9999_not_yet_applied")}
    monkeypatch.setattr(health, "known_migrations", lambda: known)
    response = client.get("/readyz", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 503
    assert body(response) == {"status": "not ready"}


def test_behind_a_proxy_the_forwarded_address_decides_on_the_details(client, settings):
    settings.MONEV_PROXY_COUNT = 1
    # nginx on the same machine: REMOTE_ADDR is loopback, the client is in X-Forwarded-For,
    # and a client's own forged entry (left of it) does not count.
    outside = client.get(
        "/readyz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.7"
    )
    assert body(outside) == {"status": "ready"}
    local = client.get("/readyz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert "checks" in body(local)


def test_the_allowed_networks_are_a_setting(client, settings):
    settings.MONEV_READYZ_ALLOWED = envnetworks("X", [], {"X": "10.0.0.0/8, 192.0.2.5"})
    assert "checks" in body(client.get("/readyz", REMOTE_ADDR="10.1.2.3"))
    assert "checks" in body(client.get("/readyz", REMOTE_ADDR="192.0.2.5"))
    assert body(client.get("/readyz", REMOTE_ADDR="127.0.0.1")) == {"status": "ready"}


def test_by_default_only_loopback_addresses_see_the_details(client, settings):
    allowed = settings.MONEV_READYZ_ALLOWED
    assert {str(network) for network in allowed} == {"127.0.0.0/8", "::1/128"}
    assert "checks" in body(client.get("/readyz", REMOTE_ADDR="::1"))


def test_a_bad_allowed_network_stops_start_up_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match="MONEV_READYZ_ALLOWED"):
        envnetworks("MONEV_READYZ_ALLOWED", [], {"MONEV_READYZ_ALLOWED": "10.0.0.0/8, intranet"})

"""Liveness (/healthz) and readiness (/readyz) for a load balancer, systemd or an orchestrator.

/healthz: the process answers (no database). /readyz: this server can do useful work — the
database answers, every migration the code knows is applied, the evidence storage takes a write
and gives it back; it also reports the age of the oldest job waiting for a worker (a stuck or
missing worker shows there without taking the web servers out of rotation).

Both are answered by a middleware placed first, before host validation, HTTPS redirects,
sessions and sign-in: a probe comes by IP address over plain HTTP from inside the network, and
must neither be redirected nor cost a session lookup. They say nothing an outsider could use:
no paths, versions or error texts (those go to the log). /readyz's details (which check fails,
queue depth, unapplied migrations) go only to MONEV_READYZ_ALLOWED (loopback by default);
anyone else gets the status code and `{"status": ...}`, all a load balancer needs.
"""

from __future__ import annotations

import ipaddress
import logging
import time
import uuid
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, Min
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from monev.accounts.throttle import client_ip
from monev.lib.db_router import REPLICA, replica_configured

logger = logging.getLogger(__name__)

PROBE = b"monev readiness probe\n"


@csrf_exempt
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@cache
def known_migrations() -> frozenset[tuple[str, str]]:
    """Every migration in the code, read from disk once per process (the code does not change
    while it runs)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def check_database(alias: str = "default") -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True}


def check_migrations() -> dict:
    applied = set(MigrationRecorder.Migration.objects.using("default").values_list("app", "name"))
    missing = len(known_migrations() - applied)
    return {"ok": missing == 0, "unapplied": missing}


def check_storage() -> dict:
    """Write a small object, read it back, delete it: the evidence storage works both ways."""
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}", ContentFile(PROBE))
    try:
        with default_storage.open(name, "rb") as handle:
            read_back = handle.read()
    finally:
        default_storage.delete(name)
    return {"ok": read_back == PROBE}


def check_queue() -> dict:
    """The jobs waiting for a worker: how many, and how long the oldest has waited (seconds)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready().aggregate(count=Count("id"), oldest=Min("enqueued_at"))
    oldest = waiting["oldest"]
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {"ok": True, "waiting": waiting["count"], "oldest_seconds": age}


def _run(name: str, check) -> dict:
    started = time.perf_counter()
    try:
        result = check()
    except Exception:  # any failure means "not ready"; its details go to the log only
        logger.warning("readiness check %s failed", name, exc_info=True)
        result = {"ok": False}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@csrf_exempt
@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _run("database", check_database)}
    if checks["database"]["ok"]:
        checks["migrations"] = _run("migrations", check_migrations)
        checks["queue"] = _run("queue", check_queue)
    if replica_configured():
        checks["replica"] = _run("replica", lambda: check_database(REPLICA))
    checks["storage"] = _run("storage", check_storage)
    # The replica is not required: without it, dashboards read from the primary.
    required = [name for name in checks if name != "replica"]
    ready = checks["database"]["ok"] and all(checks[name]["ok"] for name in required)
    status = 200 if ready else 503
    if not may_see_details(request):
        return JsonResponse({"status": "ready" if ready else "not ready"}, status=status)
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "ready" if ready else "not ready", "failing": failing, "checks": checks}
    return JsonResponse(body, status=status)


def may_see_details(request: HttpRequest) -> bool:
    """The client (behind MONEV_PROXY_COUNT proxies, as for sign-in throttling) is in
    MONEV_READYZ_ALLOWED: queue depth and migration state tell an outsider when a deployment
    is under way or a worker is down."""
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    return any(address in network for network in settings.MONEV_READYZ_ALLOWED)


ENDPOINTS = {"/healthz": healthz, "/healthz/": healthz, "/readyz": readyz, "/readyz/": readyz}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the probes before anything else looks at the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info)
        if endpoint is None:
            return self.get_response(request)
        try:
            response = endpoint(request)
        except DatabaseError:  # the connection broke mid-check: not ready, never a 500 page
            logger.warning("readiness check failed", exc_info=True)
            body = {"status": "not ready"}
            if may_see_details(request):
                body["failing"] = ["database"]
            response = JsonResponse(body, status=503)
        if request.method == "HEAD":
            response.content = b""  # a probe by HEAD: the status says it all
        return response

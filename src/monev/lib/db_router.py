"""Reads of the monitoring dashboards from the read replica (MONEV_DATABASE_REPLICA_URL).

Only code that asks for it reads from the replica (`with replica_reads(request):` around a
dashboard's queries); everything else, and every write, uses the primary. Read-your-writes: a
browser that has just saved something carries the primary's WAL position of that save (a signed
cookie set by `remember_write_position`), and its dashboard reads go to the replica only once
the replica has replayed past that position; until then they go to the primary. So replication
lag can make a dashboard show a colleague's save a moment late, never hide one's own.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
WRITE_POSITION_COOKIE = "monev_wal"
WRITE_POSITION_SALT = "monev.lib.db_router.write-position"
# How long after a save the browser's position is remembered: far longer than any sane lag.
WRITE_POSITION_SECONDS = 15 * 60

_use_replica: ContextVar[bool] = ContextVar("monev_use_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """The replica for reads inside `replica_reads` when it is configured; else the primary."""

    def db_for_read(self, model, **hints):
        if _use_replica.get() and replica_configured():
            return REPLICA
        return None  # the default database

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both: objects read from either relate freely

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica follows the primary; never migrate it directly


def _replica_has_caught_up(position: str | None) -> bool:
    """One query on the replica: it answers, and has replayed past `position` (if any). A
    replica that is down or behind is not used: the primary answers instead."""
    sql = "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn" if position else "SELECT TRUE"
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(sql, [position] if position else [])
            row = cursor.fetchone()
    except (DatabaseError, ValueError):
        return False
    return bool(row and row[0])


def replica_usable(request) -> bool:
    """Whether this request's dashboard reads may go to the replica (read-your-writes)."""
    if not replica_configured():
        return False
    position = request.get_signed_cookie(
        WRITE_POSITION_COOKIE,
        default=None,
        salt=WRITE_POSITION_SALT,
        max_age=WRITE_POSITION_SECONDS,
    )
    return _replica_has_caught_up(position)


@contextmanager
def replica_reads(request):
    """Route the reads in this block to the replica when that is safe for this request."""
    token = _use_replica.set(replica_usable(request))
    try:
        yield
    finally:
        _use_replica.reset(token)


def remember_write_position(request, response) -> None:
    """After a successful write by a browser, remember the primary's WAL position in a signed
    cookie, so that its next dashboard reads wait for the replica to have it."""
    if not replica_configured():
        return
    if request.method in ("GET", "HEAD", "OPTIONS") or response.status_code >= 400:
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
    except DatabaseError:
        return
    response.set_signed_cookie(
        WRITE_POSITION_COOKIE,
        position,
        salt=WRITE_POSITION_SALT,
        max_age=WRITE_POSITION_SECONDS,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


# The pages whose reads may come from the replica: the monitoring dashboards (GET only).
REPLICA_VIEWS = {
    "monitoring:dashboard",
    "monitoring:history",
    "monitoring:forecast",
    "monitoring:institution",
}


class ReplicaMiddleware:
    """Runs the dashboard views with replica reads, and remembers the write position after a
    browser's saves. Does nothing (no query) when no replica is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_monev_replica_token", None)
            if token is not None:
                _use_replica.reset(token)
        remember_write_position(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replica_configured() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in REPLICA_VIEWS:
            # Reset in __call__ once the response is made (templates read lazily too).
            request._monev_replica_token = _use_replica.set(replica_usable(request))
        return None

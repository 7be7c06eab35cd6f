"""Logs: human-readable lines by default, one JSON object per line with MONEV_LOG_FORMAT=json
(for a log collector), and one line per request with an id that follows the request.

The request id is the caller's X-Request-ID when it sends a sane one (a load balancer or nginx
that sets it), else a new one; it is echoed in the response and carried by every log line
written while the request is handled, so that a user's report ("the error said 3f2a...") leads
to the lines that matter.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_request_id: ContextVar[str | None] = ContextVar("monev_request_id", default=None)

request_logger = logging.getLogger("monev.request")

# Attributes a record may carry (from `extra=`) that the JSON line includes.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "user_id", "query_count")


def current_request_id() -> str | None:
    return _request_id.get()


class RequestContextFilter(logging.Filter):
    """Adds the current request's id to every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id, and
    for request lines method, path, status, duration_ms, user_id; exception text if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting for MONEV_LOG_FORMAT (text or json) and MONEV_LOG_LEVEL."""
    log_format = (log_format or "text").strip().lower()
    if log_format not in ("text", "json"):
        raise ImproperlyConfigured(f"MONEV_LOG_FORMAT must be text or json, not {log_format!r}")
    formatter = (
        {"()": "monev.lib.logs.JsonFormatter"} if log_format == "json" else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "monev.lib.logs.RequestContextFilter"}},
        "formatters": {"monev": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "monev",
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level or "INFO"},
        "loggers": {
            # django-axes logs every successful sign-in at INFO; failures and lockouts warn.
            "axes": {"level": "WARNING"},
            # The development server's own line per request repeats monev.request's.
            "django.server": {"level": "WARNING"},
        },
    }


def _request_id_from(request) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _SANE_ID.match(offered) else uuid.uuid4().hex


def _user_id(request) -> int | None:
    """The signed-in user's id if the request already looked the user up (never a query)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    return getattr(wrapped, "pk", None)


class RequestLogMiddleware:
    """Gives each request an id (X-Request-ID, echoed) and logs one line when it is answered:
    method, path (no query string: it may hold search terms), status, duration, user id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _request_id_from(request)
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            self._log(request, response.status_code, duration_ms)
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def _log(request, status: int, duration_ms: float) -> None:
        request_logger.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s %.1fms",
            request.method,
            request.path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
            },
        )

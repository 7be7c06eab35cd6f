"""Structured logs: one JSON object per line on request, and a request id that follows each
request through its log lines and back to the caller."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from monev.lib.logs import JsonFormatter, RequestContextFilter, _request_id, logging_config


def record(message="saved %s", *args, **extra) -> logging.LogRecord:
    made = logging.LogRecord("monev.x", logging.INFO, __file__, 1, message, args or ("it",), None)
    for key, value in extra.items():
        setattr(made, key, value)
    return made


def test_json_lines_carry_time_level_logger_message_and_request_fields():
    line = JsonFormatter().format(
        record(request_id="abc", method="POST", path="/x/", status=201, duration_ms=3.5)
    )
    entry = json.loads(line)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "monev.x"
    assert entry["message"] == "saved it"
    assert entry["request_id"] == "abc"
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == (
        "POST",
        "/x/",
        201,
        3.5,
    )
    assert entry["time"].endswith("+00:00")
    assert "\n" not in line


def test_json_lines_keep_exceptions_on_one_line():
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        made = record()
        made.exc_info = sys.exc_info()
    line = JsonFormatter().format(made)
    assert "\n" not in line
    assert "ValueError: broken" in json.loads(line)["exception"]


def test_every_line_written_during_a_request_carries_its_id():
    made = record()
    token = _request_id.set("req-7")
    try:
        RequestContextFilter().filter(made)
    finally:
        _request_id.reset(token)
    assert made.request_id == "req-7"
    outside = record()
    RequestContextFilter().filter(outside)
    assert outside.request_id is None


def test_the_log_format_is_text_by_default_and_json_on_request():
    assert "format" in logging_config("text", "INFO")["formatters"]["monev"]
    assert logging_config("json", "INFO")["formatters"]["monev"]["()"].endswith("JsonFormatter")
    with pytest.raises(ImproperlyConfigured, match="MONEV_LOG_FORMAT"):
        logging_config("xml", "INFO")


@pytest.mark.django_db
def test_a_request_gets_an_id_echoed_in_the_response(client):
    response = client.get("/masuk/")
    generated = response["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/masuk/")["X-Request-ID"] != generated


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_passed_through_and_a_strange_one_replaced(client):
    assert client.get("/masuk/", HTTP_X_REQUEST_ID="lb-1234.5")["X-Request-ID"] == "lb-1234.5"
    replaced = client.get("/masuk/", HTTP_X_REQUEST_ID="<script>\n")["X-Request-ID"]
    assert replaced != "<script>\n" and len(replaced) == 32


@pytest.mark.django_db
def test_each_request_is_logged_once_with_status_duration_and_user(client, world, caplog):
    client.force_login(world.koordinator)
    with caplog.at_level(logging.INFO, logger="monev.request"):
        response = client.get("/?q=secret-search", HTTP_X_REQUEST_ID="r-1")
    lines = [line for line in caplog.records if line.name == "monev.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line.request_id == "r-1"
    assert line.status == response.status_code
    assert line.user_id == world.koordinator.pk
    assert line.path == "/"  # never the query string: it may hold what people searched for
    assert "secret-search" not in line.getMessage()
    assert line.duration_ms >= 0


def test_logging_a_request_never_looks_the_user_up(rf):
    """The user id is logged only if the view already loaded the user: never a session query."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import SimpleLazyObject

    from monev.lib.logs import _user_id

    def fail():
        raise AssertionError("the user was looked up for the log line")

    request = rf.get("/")
    request.user = SimpleLazyObject(fail)
    assert _user_id(request) is None
    request.user = AnonymousUser()
    assert _user_id(request) is None

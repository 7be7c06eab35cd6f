"""`monev serve`: the production server, started for real in a child process against its own
SQLite database and data directory, stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from monev.web.management.commands import serve

MONEV = [sys.executable, "-m", "monev"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(data_dir: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MONEV_", "DATABASE_URL", "PYTEST_"))
    }
    env.update(
        MONEV_DATA_DIR=str(data_dir),
        MONEV_DEBUG="false",
        MONEV_ALLOWED_HOSTS="127.0.0.1,localhost",
        MONEV_BASE_URL="http://127.0.0.1:8000",
        MONEV_LOG_FORMAT="json",
    )
    return env


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"monev serve exited early: {process.stderr.read()}")
        try:
            if get(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("monev serve did not answer in time")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """A migrated database and collected static files in a fresh data directory."""
    data_dir = tmp_path_factory.mktemp("deployment")
    env = production_env(data_dir)
    # Side by side: neither needs the other, and together they are most of this file's time.
    preparing = [
        subprocess.Popen(  # noqa: S603 - our own command
            [*MONEV, *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"])
    ]
    for process in preparing:
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, stderr
    return data_dir, env


def test_serve_answers_probes_pages_and_static_files_then_stops_cleanly(deployment):
    data_dir, env = deployment
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603 - our own command
        [*MONEV, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(f"{base}/healthz", process)

        status, _, content = get(f"{base}/readyz")
        assert status == 200, content
        assert json.loads(content)["status"] == "ready"

        status, headers, page = get(f"{base}/masuk/", **{"X-Request-ID": "probe-42"})
        assert status == 200
        assert headers["X-Request-ID"] == "probe-42"
        # Static files under content-hashed names, cached for good, compressed on request.
        css = page.decode().split('href="/static/monev/css/monev.')[1].split('"')[0]
        assert css.endswith(".css") and len(css.split(".")[0]) == 12  # monev.<hash>.css
        status, headers, _ = get(
            f"{base}/static/monev/css/monev.{css}", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        assert "max-age=315360000" in headers["Cache-Control"]
        assert headers.get("Content-Encoding") == "gzip"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, stderr

    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "monev.request"]
    login = next(line for line in requests if line["path"] == "/masuk/")
    assert login["request_id"] == "probe-42"
    assert login["status"] == 200 and login["method"] == "GET"
    assert login["duration_ms"] >= 0
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # one format for all
    assert not (data_dir / "static" / "health").exists()


def test_serve_refuses_to_run_in_debug(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="MONEV_DEBUG is true"):
        call_command("serve")


def test_serve_refuses_to_run_without_allowed_hosts(monkeypatch):
    monkeypatch.delenv("MONEV_ALLOWED_HOSTS", raising=False)
    with pytest.raises(CommandError, match="Set MONEV_ALLOWED_HOSTS"):
        call_command("serve")


def test_serve_refuses_to_run_without_the_public_address(monkeypatch, settings):
    monkeypatch.setenv("MONEV_ALLOWED_HOSTS", "monev.example.go.id")
    monkeypatch.setenv("MONEV_STATIC_MANIFEST", "false")
    settings.MONEV_BASE_URL = ""
    with pytest.raises(CommandError, match="Set MONEV_BASE_URL"):
        call_command("serve")


def test_serve_refuses_to_run_before_collectstatic(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("MONEV_ALLOWED_HOSTS", "127.0.0.1")
    monkeypatch.setenv("MONEV_STATIC_MANIFEST", "true")
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="monev collectstatic"):
        call_command("serve")


def test_workers_default_to_twice_the_cores_plus_one_capped(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert serve.default_workers() == 5
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert serve.default_workers() == serve.MAX_DEFAULT_WORKERS


def options(**overrides) -> dict:
    values = {
        "bind": "127.0.0.1:8000",
        "workers": 3,
        "threads": 4,
        "timeout": None,
        "graceful_timeout": 30,
        "access_log": False,
    }
    return {**values, **overrides}


def test_threaded_workers_keep_a_short_heartbeat_timeout(monkeypatch):
    monkeypatch.delenv("MONEV_TIMEOUT", raising=False)
    config = serve.gunicorn_config(options())
    assert config["worker_class"] == "gthread"
    assert config["timeout"] == 120


def test_sync_workers_get_a_timeout_long_enough_for_a_slow_100_mb_upload(monkeypatch):
    monkeypatch.delenv("MONEV_TIMEOUT", raising=False)
    config = serve.gunicorn_config(options(threads=1))
    assert config["worker_class"] == "sync"
    # 100 MB at 1 Mbit/s takes about 14 minutes.
    assert config["timeout"] >= 100 * 8 / 1 / 60 * 60


def test_gunicorn_logs_in_the_same_format_and_access_lines_only_on_request():
    quiet = serve.gunicorn_config(options())["logconfig_dict"]["loggers"]
    assert quiet["gunicorn.access"]["level"] == "WARNING"
    assert quiet["gunicorn.error"]["handlers"] == ["console"]
    loud = serve.gunicorn_config(options(access_log=True))["logconfig_dict"]["loggers"]
    assert loud["gunicorn.access"]["level"] == "INFO"

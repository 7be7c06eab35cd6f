"""Uploading a 200 MB evidence file: the server's memory growth and its throughput.

A real server process - the WSGI application under wsgiref, in a subprocess, on a free loopback
port - runs against a throwaway SQLite database and data directory (a temporary directory,
removed afterwards; the real database and files are never touched). The client logs in as a
unit operator through the login page, then streams a 200 MB file of random bytes wrapped as a
PDF (%PDF- header ... %%EOF) as a multipart POST to the upload page, with http.client and a
generator body, so neither side holds the file in memory.

Measured per run (median of three, a fresh server process each time, warmed up by a small
upload first):
- the server's peak resident memory growth: VmHWM in /proc/<pid>/status after the upload
  minus before it (the issue's target: under 64 MB);
- the upload's throughput against copying the same file on the same disk with
  shutil.copyfile followed by fsync, since the server syncs an upload to disk before it
  answers (the target: at least half the copy's speed).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

from benchmarks import Row, benchmark, median, seconds

SIZE_MB = 200
RUNS = 3
CHUNK = 1024 * 1024
MEMORY_TARGET_MB = 64
SPEED_TARGET = 0.5
USERNAME, PASSWORD = "operator-bench", "bench-password-not-secret"
ROOT = Path(__file__).resolve().parent.parent


# --- the server process ----------------------------------------------------------------------


def serve() -> None:  # runs in the subprocess
    """Migrate the throwaway database, create an operator, then serve on a free port and
    report {"port", "pid", "institution"} on stdout."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    import django

    django.setup()
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    from monev.accounts.models import User
    from monev.institutions.models import Institution, Membership, Role, Unit

    call_command("migrate", verbosity=0)
    institution, _ = Institution.objects.get_or_create(
        code="bench", defaults={"name": "Pemerintah Kota Bench", "kind": "kota"}
    )
    unit, _ = Unit.objects.get_or_create(
        institution=institution, code="A", defaults={"name": "Dinas A", "short_name": "A"}
    )
    if not User.objects.filter(username=USERNAME).exists():
        user = User.objects.create_user(username=USERNAME, password=PASSWORD, full_name="Bench")
        Membership.objects.create(user=user, institution=institution, role=Role.OPERATOR, unit=unit)

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, WSGIHandler(), WSGIServer, QuietHandler)
    info = {"port": server.server_port, "pid": os.getpid(), "institution": institution.pk}
    info["unit"] = unit.pk
    print(json.dumps(info), flush=True)
    server.serve_forever()


class Server:
    def __init__(self, scratch: Path) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "monev.settings",
            "MONEV_DATA_DIR": str(scratch / "data"),
            "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
            "MONEV_SECRET_KEY": "benchmark-only-" + uuid.uuid4().hex,
            "MONEV_UPLOAD_MAX_MB": str(SIZE_MB + 50),
            "MONEV_DEBUG": "false",
        }
        code = "from benchmarks.upload import serve; serve()"
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark server did not start")
        self.info = json.loads(line)
        self.port = self.info["port"]

    def status(self, key: str) -> int:
        """A memory figure of the server process from /proc, in kB."""
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(rf"^{key}:\s+(\d+) kB", text, re.M).group(1))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- the client ----------------------------------------------------------------------------


class Browser:
    """Just enough of a browser: cookies, the CSRF token, a login."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def _remember(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "X-CSRFToken": self.cookies.get("csrftoken", "")}

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, bytes]:
        connection = self._connection()
        connection.request(method, path, body=body, headers={**self.headers(), **(headers or {})})
        response = connection.getresponse()
        content = response.read()
        self._remember(response)
        connection.close()
        return response.status, content

    def login(self) -> None:
        self.request("GET", "/masuk/")
        form = urlencode(
            {
                "username": USERNAME,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin()}
        status, _ = self.request("POST", "/masuk/", form, headers)
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed ({status})")

    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def upload(self, institution: int, unit: int, path: Path) -> tuple[int, bytes]:
        """A multipart POST of `path`, streamed from disk in 1 MB chunks."""
        boundary = "----monev-bench-" + uuid.uuid4().hex
        fields = {"kind": "laporan", "unit": str(unit), "title": path.name}
        preamble = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
            for name, value in fields.items()
        )
        preamble += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{path.name}"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        epilogue = f"\r\n--{boundary}--\r\n".encode()
        length = len(preamble) + path.stat().st_size + len(epilogue)

        def body():
            yield preamble
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
            yield epilogue

        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(length),
            "Accept": "application/json",
            "Referer": self.origin(),
        }
        return self.request("POST", f"/data-dukung/instansi/{institution}/unggah/", body(), headers)


def free_port_available() -> bool:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1] > 0


def write_pdf(path: Path, size_mb: int, tag: str) -> None:
    """Random bytes wrapped as a PDF; `tag` makes each run's file (and hash) different."""
    with path.open("wb") as handle:
        handle.write(f"%PDF-1.4\n% {tag}\n".encode())
        for _ in range(size_mb):
            handle.write(os.urandom(CHUNK))
        handle.write(b"\n%%EOF\n")
        handle.flush()
        os.fsync(handle.fileno())


def timed_copy(source: Path, target: Path) -> float:
    """Copy and sync, as the upload does: an acknowledged upload is on disk (the server fsyncs
    the file and its directory before it answers), so the copy must be too."""
    start = time.perf_counter()
    shutil.copyfile(source, target)
    with target.open("rb+") as handle:
        os.fsync(handle.fileno())
    elapsed = time.perf_counter() - start
    target.unlink()
    return elapsed


def one_run(scratch: Path, number: int) -> dict[str, float]:
    big = scratch / f"bench-{number}.pdf"
    write_pdf(big, SIZE_MB, f"run {number} {uuid.uuid4().hex}")
    small = scratch / f"warm-{number}.pdf"
    write_pdf(small, 1, f"warm-up {number} {uuid.uuid4().hex}")
    server = Server(scratch)
    try:
        browser = Browser(server.port)
        browser.login()
        info = server.info
        status, content = browser.upload(info["institution"], info["unit"], small)
        if status != 201:
            raise RuntimeError(f"warm-up upload failed ({status}): {content[:300]!r}")
        before = server.status("VmHWM")
        start = time.perf_counter()
        status, content = browser.upload(info["institution"], info["unit"], big)
        elapsed = time.perf_counter() - start
        if status != 201:
            raise RuntimeError(f"upload failed ({status}): {content[:300]!r}")
        after = server.status("VmHWM")
    finally:
        server.stop()
    copy = timed_copy(big, scratch / "copy.pdf")
    size = big.stat().st_size
    big.unlink()
    small.unlink()
    return {
        "growth_mb": (after - before) / 1024,
        "peak_mb": after / 1024,
        "upload_s": elapsed,
        "copy_s": copy,
        "upload_mbs": size / elapsed / 2**20,
        "copy_mbs": size / copy / 2**20,
    }


@benchmark(
    "upload",
    f"a {SIZE_MB} MB upload to a real server: memory growth and speed vs. a file copy",
)
def run() -> list[Row]:
    base = os.environ.get("MONEV_BENCH_DIR") or None
    scratch = Path(tempfile.mkdtemp(prefix="monev-bench-upload-", dir=base))
    try:
        results = []
        for number in range(1, RUNS + 1):
            results.append(one_run(scratch, number))
            last = results[-1]
            print(
                f"run {number}: +{last['growth_mb']:.1f} MB, upload {last['upload_mbs']:.0f} MB/s,"
                f" copy {last['copy_mbs']:.0f} MB/s",
                file=sys.stderr,
                flush=True,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    growth = median([r["growth_mb"] for r in results])
    upload_mbs = median([r["upload_mbs"] for r in results])
    copy_mbs = median([r["copy_mbs"] for r in results])
    ratio = upload_mbs / copy_mbs
    memory_ok = "meets" if growth < MEMORY_TARGET_MB else "MISSES"
    speed_ok = "meets" if ratio >= SPEED_TARGET else "MISSES"
    return [
        ("file", f"{SIZE_MB} MB", "random bytes wrapped as a PDF, streamed multipart"),
        (
            "server memory growth (VmHWM)",
            f"{growth:.1f} MB",
            f"median of {RUNS}; target < {MEMORY_TARGET_MB} MB: {memory_ok}",
        ),
        ("server peak RSS", f"{median([r['peak_mb'] for r in results]):.0f} MB", "VmHWM after"),
        (
            "upload time",
            seconds(median([r["upload_s"] for r in results])),
            f"{upload_mbs:.0f} MB/s",
        ),
        ("copy time", seconds(median([r["copy_s"] for r in results])), f"{copy_mbs:.0f} MB/s"),
        (
            "upload / copy speed",
            f"{ratio:.0%}",
            f"target >= {SPEED_TARGET:.0%}: {speed_ok}",
        ),
    ]

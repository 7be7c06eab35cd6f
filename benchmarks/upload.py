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
from urllib.parse import quote, urlencode

from benchmarks import Row, benchmark, median

SIZE_MB = 200
RUNS = 3
CHUNK = 1024 * 1024
MEMORY_TARGET_MB = 64
SPEED_TARGET = 0.5
SETTLE_S = 3.0
USERNAME, PASSWORD = "operator-bench", "bench-password-not-secret"
ROOT = Path(__file__).resolve().parent.parent


# --- the server process ----------------------------------------------------------------------


def serve() -> None:  # runs in the subprocess
    """Migrate the throwaway database, create an operator, then serve on a free port and
    report {"port", "pid", "institution", "unit"} on stdout (pid: the process serving)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    import django

    django.setup()
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

    info = {"institution": institution.pk, "unit": unit.pk}
    if os.environ.get("MONEV_BENCH_SERVER") == "wsgiref":
        serve_wsgiref(WSGIHandler(), info)
    else:
        serve_gunicorn(WSGIHandler(), info)


def serve_wsgiref(application, info: dict) -> None:
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = make_server("127.0.0.1", 0, application, WSGIServer, QuietHandler)
    print(json.dumps({**info, "port": server.server_port, "pid": os.getpid()}), flush=True)
    server.serve_forever()


def serve_gunicorn(application, info: dict) -> None:
    """Production's server: gunicorn, one sync worker. The worker (whose memory is measured)
    reports the port and its pid once it is ready."""
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    connections.close_all()  # not shared with the forked worker

    def when_ready(arbiter) -> None:
        info["port"] = arbiter.LISTENERS[0].sock.getsockname()[1]

    def post_worker_init(worker) -> None:
        print(json.dumps({**info, "pid": os.getpid()}), flush=True)

    class Gunicorn(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": "127.0.0.1:0",
                "workers": 1,
                "worker_class": "sync",
                "timeout": 600,
                "loglevel": "warning",
                "when_ready": when_ready,
                "post_worker_init": post_worker_init,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    Gunicorn().run()


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
            "MONEV_STATIC_MANIFEST": "false",  # pages without running collectstatic first
            "MONEV_LOG_LEVEL": "ERROR",  # no line per request in the benchmark's output
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
        """A memory figure of the serving process from /proc, in kB."""
        text = Path(f"/proc/{self.info['pid']}/status").read_text()
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

    def send_file(self, path: str, headers: dict, parts: list) -> tuple[int, bytes]:
        """A POST whose body is `parts` (bytes, or a Path sent with sendfile: the client stays
        out of the server's way on a shared machine, as a browser in another machine would)."""
        length = sum(p.stat().st_size if isinstance(p, Path) else len(p) for p in parts)
        connection = self._connection()
        connection.putrequest("POST", path)
        all_headers = {**self.headers(), **headers, "Content-Length": str(length)}
        all_headers["Accept"] = "application/json"
        all_headers["Referer"] = self.origin()
        for name, value in all_headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for part in parts:
            if isinstance(part, Path):
                with part.open("rb") as handle:
                    connection.sock.sendfile(handle)
            else:
                connection.sock.sendall(part)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return response.status, content

    def upload_multipart(self, institution: int, unit: int, path: Path) -> tuple[int, bytes]:
        """The no-script form's way: a multipart POST of `path`."""
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
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        url = f"/data-dukung/instansi/{institution}/unggah/"
        return self.send_file(url, headers, [preamble, path, epilogue])

    def upload_raw(self, institution: int, unit: int, path: Path) -> tuple[int, bytes]:
        """The upload script's way: the file is the body, its description in the query."""
        query = urlencode({"kind": "laporan", "unit": str(unit), "title": path.name})
        headers = {
            "Content-Type": "application/pdf",
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}",
        }
        url = f"/data-dukung/instansi/{institution}/unggah/?{query}"
        return self.send_file(url, headers, [path])


def free_port_available() -> bool:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1] > 0


def write_pdf(path: Path, size_mb: int, tag: str) -> None:
    """Random bytes as a PDF's stream object (the upload checks a PDF's structure: header,
    first object, end marker); `tag` makes each run's file (and hash) different."""
    with path.open("wb") as handle:
        handle.write(
            f"%PDF-1.4\n% {tag}\n1 0 obj\n<< /Length {size_mb * CHUNK} >>\nstream\n".encode()
        )
        for _ in range(size_mb):
            handle.write(os.urandom(CHUNK))
        handle.write(b"\nendstream\nendobj\n%%EOF\n")
        handle.flush()
        os.fsync(handle.fileno())


def settle() -> None:
    """Let the disk finish what came before (writing the file, the last upload, deleting), so
    that the copy and the upload each start from a quiet disk: on a VM's virtual disk a copy
    right behind 200 MB of writes runs at a fraction of its speed, whatever is measured."""
    os.sync()
    time.sleep(SETTLE_S)


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


PATHS = {"multipart": Browser.upload_multipart, "raw": Browser.upload_raw}


def one_run(scratch: Path, number: int) -> dict[str, float]:
    """One fresh server: warm both paths up, then per path a synced copy of a fresh 200 MB
    file right before uploading it (the disk's state drifts; neighbours measure alike)."""
    result: dict[str, float] = {}
    server = Server(scratch)
    try:
        browser = Browser(server.port)
        browser.login()
        info = server.info
        for path_name, send in PATHS.items():
            small = scratch / f"warm-{number}-{path_name}.pdf"
            write_pdf(small, 1, f"warm-up {number} {path_name} {uuid.uuid4().hex}")
            status, content = send(browser, info["institution"], info["unit"], small)
            small.unlink()
            if status != 201:
                raise RuntimeError(f"{path_name} warm-up failed ({status}): {content[:300]!r}")
        # Alternate which path goes first: the disk slows down as a run writes more.
        order = list(PATHS.items())[:: 1 if number % 2 else -1]
        for path_name, send in order:
            big = scratch / f"bench-{number}-{path_name}.pdf"
            write_pdf(big, SIZE_MB, f"run {number} {path_name} {uuid.uuid4().hex}")
            size = big.stat().st_size
            settle()
            copy = timed_copy(big, scratch / "copy.pdf")
            settle()
            before = server.status("VmHWM")
            start = time.perf_counter()
            status, content = send(browser, info["institution"], info["unit"], big)
            elapsed = time.perf_counter() - start
            if status != 201:
                raise RuntimeError(f"{path_name} upload failed ({status}): {content[:300]!r}")
            after = server.status("VmHWM")
            big.unlink()
            result[f"{path_name}_growth_mb"] = (after - before) / 1024
            result[f"{path_name}_mbs"] = size / elapsed / 2**20
            result[f"{path_name}_copy_mbs"] = size / copy / 2**20
            result["peak_mb"] = after / 1024
    finally:
        server.stop()
    return result


def server_name() -> str:
    return "wsgiref" if os.environ.get("MONEV_BENCH_SERVER") == "wsgiref" else "gunicorn"


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
                f"run {number}: "
                + ", ".join(
                    f"{name} +{last[f'{name}_growth_mb']:.1f} MB {last[f'{name}_mbs']:.0f} MB/s"
                    f" (copy {last[f'{name}_copy_mbs']:.0f} MB/s)"
                    for name in PATHS
                ),
                file=sys.stderr,
                flush=True,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    copies = [r[f"{name}_copy_mbs"] for r in results for name in PATHS]
    rows: list[Row] = [
        ("file", f"{SIZE_MB} MB", f"random bytes wrapped as a PDF; server: {server_name()}"),
        ("synced copy", f"{median(copies):.0f} MB/s", f"copyfile + fsync, median of {len(copies)}"),
    ]
    for name in PATHS:
        growth = median([r[f"{name}_growth_mb"] for r in results])
        speed = median([r[f"{name}_mbs"] for r in results])
        # Each upload against the copy made just before it, on the same disk in the same state.
        ratio = median([r[f"{name}_mbs"] / r[f"{name}_copy_mbs"] for r in results])
        memory_ok = "meets" if growth < MEMORY_TARGET_MB else "MISSES"
        speed_ok = "meets" if ratio >= SPEED_TARGET else "MISSES"
        rows += [
            (
                f"{name}: memory growth",
                f"{growth:.1f} MB",
                f"VmHWM, median of {RUNS}; target < {MEMORY_TARGET_MB} MB: {memory_ok}",
            ),
            (f"{name}: upload speed", f"{speed:.0f} MB/s", f"median of {RUNS}"),
            (
                f"{name}: upload / copy",
                f"{ratio:.0%}",
                f"each vs. the copy just before it, median; target >= {SPEED_TARGET:.0%}:"
                f" {speed_ok}",
            ),
        ]
    rows.append(("server peak RSS", f"{median([r['peak_mb'] for r in results]):.0f} MB", "VmHWM"))
    return rows

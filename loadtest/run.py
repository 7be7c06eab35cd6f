"""Orchestration: the dataset, a production server and worker, the simulated users, the fault,
the checks, the report. `python -m loadtest --help`."""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from loadtest import DEFAULT_DATA_DIR, DEFAULT_DATABASE, ROOT, configure_environment

BIN = Path(sys.executable).parent


def say(message: str) -> None:
    print(f"[loadtest {datetime.now(UTC):%H:%M:%S}Z] {message}", flush=True)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m loadtest",
        description="Load and fault test against a production-mode server on loopback.",
    )
    parser.add_argument("--users", type=int, default=200, help="simulated users (default 200)")
    parser.add_argument("--duration", type=int, default=300, help="seconds of steady load (300)")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second")
    parser.add_argument(
        "--fault-duration",
        type=int,
        default=120,
        help="seconds of the fault phase (0 skips it; default 120)",
    )
    parser.add_argument("--down", type=float, default=5, help="seconds the server stays killed")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default=os.environ.get("LOADTEST_DATABASE", DEFAULT_DATABASE))
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the generated database and files of an earlier run (and finish them)",
    )
    parser.add_argument(
        "--fresh", action="store_true", help="regenerate the dataset even with --reuse"
    )
    parser.add_argument(
        "--drop", action="store_true", help="drop the database and files afterwards"
    )
    parser.add_argument("--workers", type=int, default=None, help="server worker processes")
    return parser.parse_args(argv)


class Processes:
    """The server (`monev serve`) and the background worker (`monev worker`), each started in
    its own session so that SIGKILL reaches the process and its children (gunicorn's workers)
    and nothing else."""

    def __init__(self, args, env: dict, logs: Path):
        self.args, self.env, self.logs = args, env, logs
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def start(self) -> None:
        serve = [str(BIN / "monev"), "serve", "--bind", f"127.0.0.1:{self.args.port}"]
        if self.args.workers:
            serve += ["--workers", str(self.args.workers)]
        self.server = self._spawn(serve, "server.log")
        self.worker = self._spawn([str(BIN / "monev"), "worker"], "worker.log")
        self.wait_ready()

    def _spawn(self, command: list[str], log: str) -> subprocess.Popen:
        handle = (self.logs / log).open("a")
        return subprocess.Popen(  # noqa: S603 - our own commands
            command, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, limit: float = 120) -> float:
        started = time.monotonic()
        url = f"http://127.0.0.1:{self.args.port}/readyz"
        while time.monotonic() - started < limit:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                pass
            if self.server.poll() is not None:
                raise RuntimeError(f"the server exited ({self.server.returncode}): see server.log")
            time.sleep(0.2)
        raise RuntimeError("the server did not become ready")

    def cpu_seconds(self) -> dict:
        """CPU time used so far by the server's and the worker's processes (each started as its
        own session: the session's members, their reaped children included)."""
        ticks = os.sysconf("SC_CLK_TCK")
        totals = {}
        for label, process in (("server", self.server), ("worker", self.worker)):
            total = 0
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # gone meanwhile
                if int(fields[3]) == process.pid:  # the session id
                    total += sum(int(value) for value in fields[11:15])
            totals[label] = round(total / ticks, 1)
        return totals

    def kill(self) -> None:
        """SIGKILL the server (master and workers) and the worker, mid-request."""
        for process in (self.server, self.worker):
            os.killpg(process.pid, signal.SIGKILL)
        for process in (self.server, self.worker):
            process.wait()

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.server, self.worker):
            if process is not None:
                try:
                    process.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


class LoadSampler(threading.Thread):
    """The machine's 1-minute load average every 5 s while a phase runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(5):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict:
        values = self.samples or [os.getloadavg()[0]]
        return {"mean": round(sum(values) / len(values), 2), "max": round(max(values), 2)}


def run_phase(name: str, args, env: dict, out: Path, duration: int, fault: bool) -> dict:
    from loadtest import report, verify

    directory = out / name
    directory.mkdir(parents=True, exist_ok=True)
    journal = directory / "journal.jsonl"
    processes = Processes(args, env, directory)
    say(f"{name}: starting the server and the worker")
    processes.start()
    sampler = LoadSampler()
    sampler.start()
    events: dict = {}
    if fault:
        kill_after = max(10, duration // 3)

        def inject() -> None:
            time.sleep(kill_after)
            events["killed_at"] = time.time()
            say(f"{name}: kill -9 the server and the worker")
            processes.kill()
            time.sleep(args.down)
            say(f"{name}: restarting them")
            events["restarted_at"] = time.time()
            processes.start()
            events["ready_at"] = time.time()
            say(f"{name}: ready again after {events['ready_at'] - events['killed_at']:.1f} s")

        threading.Thread(target=inject, daemon=True).start()
    say(f"{name}: {args.users} users for {duration} s")
    started = time.time()
    locust = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "loadtest" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{duration}s",
        "--host",
        f"http://127.0.0.1:{args.port}",
        "--csv",
        str(directory / "locust"),
        "--only-summary",
        "--stop-timeout",
        "30",
        "--loglevel",
        "WARNING",
    ]
    locust_env = {
        **env,
        "PYTHONPATH": str(ROOT),
        "LOADTEST_USERS": str(args.data_dir / "users.json"),
        "LOADTEST_JOURNAL": str(journal),
    }
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with (directory / "locust.log").open("w") as log:
            subprocess.run(locust, env=locust_env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        finished = time.time()
        cpu = processes.cpu_seconds()  # after a restart: since the restart only
        cpu["load generator"] = round(
            after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 1
        )
    finally:  # whatever happened, no server or worker is left running
        sampler.stopped.set()
        say(f"{name}: load done; stopping the server and the worker")
        processes.stop()
    say(f"{name}: verifying every acknowledged write, storage and the audit chain")
    entries = verify.read_journal(journal)
    result = {
        "phase": name,
        "users": args.users,
        "duration_s": round(finished - started, 1),
        "load_average": sampler.summary(),
        "cpu_seconds": cpu,
        "requests": report.locust_stats(directory / "locust_stats.csv"),
        "journal": report.journal_summary(entries, events),
        "writes": verify.acknowledged_writes(entries),
        "storage": verify.storage(),
        "audit": verify.audit_chain(env),
        "jobs": verify.background_jobs(env, since=started),
        "fault": {k: round(v - started, 1) for k, v in events.items()} if fault else None,
    }
    (directory / "result.json").write_text(json.dumps(result, indent=2, default=str))
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    args.data_dir = args.data_dir.resolve()
    env = {**os.environ, **configure_environment(args.database, args.data_dir)}
    from loadtest import dataset, report

    say(f"load test: {args.users} users, {args.duration} s (+{args.fault_duration} s fault phase)")
    args.reuse = args.reuse and not args.fresh
    facts = dataset.ensure(args.database, args.data_dir, reuse=args.reuse)
    if not (args.reuse and (args.data_dir / "static" / "staticfiles.json").exists()):
        say("collecting static files (the production server serves them from the manifest)")
        collect = [str(BIN / "monev"), "collectstatic", "--no-input", "-v0"]
        subprocess.run(collect, env=env, check=True)  # noqa: S603 - our own command
    out = args.data_dir / "results" / datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out.mkdir(parents=True)
    phases = [run_phase("steady", args, env, out, args.duration, fault=False)]
    if args.fault_duration > 0:
        phases.append(run_phase("fault", args, env, out, args.fault_duration, fault=True))
    command = "python -m loadtest " + " ".join(argv if argv is not None else sys.argv[1:])
    text, passed = report.render(phases, facts, command=command.strip())
    (out / "report.md").write_text(text)
    raw = {"phases": phases, "dataset": facts}
    (out / "report.json").write_text(json.dumps(raw, indent=2, default=str))
    print(text)
    say(f"report: {out / 'report.md'}")
    if args.drop:
        dataset.drop_database(args.database)
        import shutil

        shutil.rmtree(args.data_dir / "files", ignore_errors=True)
        (args.data_dir / "dataset.json").unlink(missing_ok=True)
    return 0 if passed else 1

"""The simulated users of the deadline week (locust), every role, against the API with personal
tokens. Run by loadtest.run; the environment names the users file (LOADTEST_USERS) and the
journal of acknowledged writes (LOADTEST_JOURNAL).

Think times (seconds between one action and the next, uniform), for a deadline week: people
work steadily, a page read takes a few seconds, typing a penjelasan longer:
- operator unit:      5-15 between actions; 2-6 typing between reading an answer and saving;
- koordinator:        10-30 (reads dashboards and the overview, downloads workbooks);
- asesor internal:    8-20, 2-5 reading an answer before verifying it;
- asesor eksternal:   10-25;
- pimpinan:           20-60 (checks the dashboard now and then);
- admin:              15-45.

Connections are kept alive between requests but dropped after IDLE_CLOSE_S idle, as a browser
or load balancer does below the server's keep-alive. Writes behave as people do: a save answered
409 (someone saved first) is read again and saved again over the new version (at most
MAX_RETRIES times); a write that got no answer at all (server down, connection refused,
502/503) is tried again a few seconds later. Every acknowledged write is journaled with what
the server said (answer id, version, level, penjelasan; evidence id and SHA-256), so
loadtest.verify can check each one.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import random
import threading
import time
import uuid
from urllib.parse import quote

import gevent
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

from loadtest.pdf import tiny_pdf

MAX_RETRIES = 5
# A client drops a pooled connection idle longer than this, before the server (gunicorn's
# keep-alive: 5 s) closes it: otherwise a request sent just as the server closes the idle
# connection meets "connection closed" without reaching the application. Browsers retry such
# requests by themselves; load balancers are configured so (idle timeout below the backend's).
# A wide margin: on a starved CPU a greenlet can stall for seconds between check and send.
IDLE_CLOSE_S = 2.0
UNREACHABLE_RETRIES = 30  # ~1-2 s apart: rides out a server restart
WORDS = ("arsitektur", "layanan", "aplikasi", "keamanan", "data", "inovasi", "audit", "risiko")
EXPORTS = ("self-assessment", "units", "recap")

_people = json.loads(open(os.environ["LOADTEST_USERS"]).read())  # noqa: SIM115
_pools = {
    role: itertools.cycle([p for p in _people if p["role"] == role])
    for role in {p["role"] for p in _people}
}
_journal_lock = threading.Lock()
_journal = open(os.environ["LOADTEST_JOURNAL"], "a", buffering=1)  # noqa: SIM115


def journal(kind: str, **facts) -> None:
    with _journal_lock:
        _journal.write(json.dumps({"kind": kind, "at": time.time(), **facts}) + "\n")


def unreachable(response) -> bool:
    return response.status_code in (0, 502, 503, 504)


class Person(FastHttpUser):
    abstract = True
    role = ""
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self) -> None:
        self.me = next(_pools[self.role])
        self.headers = {"Authorization": f"Bearer {self.me['token']}"}
        self.period = self.me["period_id"]
        self.institution = self.me["institution_id"]

    def fresh_if_idle(self) -> None:
        """Drop the pooled connection if it has been idle since the last answer too long."""
        if time.monotonic() - getattr(self, "answered_at", 0.0) > IDLE_CLOSE_S:
            self.client.client.clientpool.close()

    def get(self, path: str, name: str):
        self.fresh_if_idle()
        with self.client.get(path, headers=self.headers, name=name, catch_response=True) as r:
            self.answered_at = time.monotonic()
            if r.status_code != 200:
                journal("failure", name=name, status=r.status_code, error=str(r.error or "")[:200])
                r.failure(f"{r.status_code}: {r.text[:200] if r.text else r.error}")
            return r

    def write(self, method: str, path: str, name: str, ok: int = 200, **kwargs):
        """(status, body): 409 is an expected answer (the caller decides what to do); no answer
        at all is retried after a pause, counting as a failed request each time."""
        headers = {**self.headers, **kwargs.pop("headers", {})}
        for _attempt in range(UNREACHABLE_RETRIES):
            self.fresh_if_idle()
            with self.client.request(
                method, path, headers=headers, name=name, catch_response=True, **kwargs
            ) as r:
                self.answered_at = time.monotonic()
                if r.status_code in (ok, 409):
                    r.success()
                    return r.status_code, r.json()
                journal("failure", name=name, status=r.status_code, error=str(r.error or "")[:200])
                r.failure(f"{r.status_code}: {r.text[:300] if r.text else r.error}")
                if not unreachable(r):
                    return r.status_code, None
            gevent.sleep(random.uniform(1, 2))  # noqa: S311
        return 0, None

    def search(self) -> None:
        word = random.choice(WORDS)  # noqa: S311
        self.get(
            f"/api/v1/institutions/{self.institution}/evidence?q={word}&limit=20",
            "GET evidence search",
        )

    def overview(self) -> None:
        self.get(f"/api/v1/periods/{self.period}", "GET period overview")

    def dashboard(self) -> None:
        self.get(f"/api/v1/periods/{self.period}/dashboard", "GET dashboard")


class Operator(Person):
    role = "operator"
    weight = 24
    wait_time = between(5, 15)

    @task(6)
    def save_answer(self) -> None:
        answer = random.choice(self.me["answers"])  # noqa: S311
        detail = self.get(f"/api/v1/answers/{answer}", "GET answer detail")
        if detail.status_code != 200:
            return
        gevent.sleep(random.uniform(2, 6))  # noqa: S311 - typing
        version = detail.json()["version"]
        level = str(random.randint(1, 5))  # noqa: S311
        explanation = f"Penjelasan {self.me['username']} {uuid.uuid4().hex[:12]}: Perwal dan SK."
        for _ in range(MAX_RETRIES):
            status, body = self.write(
                "PUT",
                f"/api/v1/answers/{answer}",
                "PUT answer save",
                json={"level": level, "explanation": explanation, "version": version},
            )
            if status == 200:
                journal(
                    "save", answer=answer, version=body["version"], level=body["level"],
                    explanation=body["explanation"], user=self.me["username"],
                )  # fmt: skip
                return
            if status != 409:
                return
            journal("conflict", answer=answer, sent_version=version)
            gevent.sleep(random.uniform(1, 3))  # noqa: S311 - reading the other person's save
            again = self.get(f"/api/v1/answers/{answer}", "GET answer detail")
            if again.status_code != 200:
                return
            version = again.json()["version"]

    @task(1)
    def submit_answer(self) -> None:
        answer = random.choice(self.me["answers"])  # noqa: S311
        detail = self.get(f"/api/v1/answers/{answer}", "GET answer detail")
        if detail.status_code != 200:
            return
        state = detail.json()
        if state["status"] not in ("draft", "returned") or not state["level"]:
            return
        if not state["explanation"]:
            return
        status, body = self.write(
            "POST",
            f"/api/v1/answers/{answer}/submit",
            "POST answer submit",
            json={"version": state["version"]},
        )
        if status == 200:
            journal("submit", answer=answer, version=body["version"], user=self.me["username"])
        elif status == 409:
            journal("conflict", answer=answer, sent_version=state["version"])

    @task(2)
    def upload_evidence(self) -> None:
        nonce = uuid.uuid4().hex
        content = tiny_pdf(
            [f"Laporan {random.choice(WORDS)} {nonce}", f"Unit {self.me['unit_id']}"]  # noqa: S311
        )
        sha256 = hashlib.sha256(content).hexdigest()
        name = f"laporan-{nonce[:8]}.pdf"
        status, body = self.write(
            "POST",
            f"/api/v1/institutions/{self.institution}/evidence"
            f"?kind=laporan&unit_id={self.me['unit_id']}&title=Laporan%20{nonce[:8]}",
            "POST evidence upload (raw PDF)",
            ok=201,
            data=content,
            headers={
                "Content-Type": "application/pdf",
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            },
        )
        if status == 201:
            acknowledged = body["versions"][0]["sha256"] if body.get("versions") else None
            journal(
                "upload", evidence=body["id"], sha256=acknowledged, sent_sha256=sha256,
                size=len(content), user=self.me["username"],
            )  # fmt: skip
        elif status == 409:
            journal("conflict", evidence_upload=sha256)

    @task(2)
    def todo(self) -> None:
        self.get(f"/api/v1/periods/{self.period}/todo", "GET todo list")

    @task(2)
    def search_evidence(self) -> None:
        self.search()

    @task(1)
    def library(self) -> None:
        self.get(f"/api/v1/institutions/{self.institution}/evidence?limit=50", "GET evidence list")


class Koordinator(Person):
    role = "koordinator"
    weight = 4
    wait_time = between(10, 30)

    @task(3)
    def view_overview(self) -> None:
        self.overview()

    @task(3)
    def view_dashboard(self) -> None:
        self.dashboard()

    @task(2)
    def export(self) -> None:
        kind = random.choice(EXPORTS)  # noqa: S311
        self.get(f"/api/v1/periods/{self.period}/exports/{kind}", f"GET export {kind} (xlsx)")

    @task(1)
    def search_evidence(self) -> None:
        self.search()

    @task(1)
    def audit_trail(self) -> None:
        self.get(f"/api/v1/periods/{self.period}/audit?limit=50", "GET audit trail")


class AsesorInternal(Person):
    role = "asesor_internal"
    weight = 4
    wait_time = between(8, 20)

    @task(3)
    def queue(self) -> None:
        self.get(f"/api/v1/periods/{self.period}/review-queue", "GET review queue")

    @task(3)
    def verify(self) -> None:
        queue = self.get(f"/api/v1/periods/{self.period}/review-queue", "GET review queue")
        if queue.status_code != 200 or not queue.json()["answers"]:
            return
        row = random.choice(queue.json()["answers"])  # noqa: S311
        detail = self.get(f"/api/v1/answers/{row['id']}", "GET answer detail")
        if detail.status_code != 200:
            return
        gevent.sleep(random.uniform(2, 5))  # noqa: S311 - reading the answer and its evidence
        version = detail.json()["version"]
        status, body = self.write(
            "POST",
            f"/api/v1/answers/{row['id']}/verify",
            "POST answer verify",
            json={"version": version},
        )
        if status == 200:
            journal("verify", answer=row["id"], version=body["version"], user=self.me["username"])
        elif status == 409:
            journal("conflict", answer=row["id"], sent_version=version)

    @task(1)
    def search_evidence(self) -> None:
        self.search()


class AsesorEksternal(Person):
    role = "asesor_eksternal"
    weight = 3
    wait_time = between(10, 25)

    @task(2)
    def queue(self) -> None:
        self.get(f"/api/v1/periods/{self.period}/review-queue", "GET review queue")

    @task(2)
    def view_overview(self) -> None:
        self.overview()

    @task(1)
    def search_evidence(self) -> None:
        self.search()


class Pimpinan(Person):
    role = "pimpinan"
    weight = 3
    wait_time = between(20, 60)

    @task(3)
    def view_dashboard(self) -> None:
        self.dashboard()

    @task(1)
    def view_overview(self) -> None:
        self.overview()


class Admin(Person):
    role = "admin"
    weight = 2
    wait_time = between(15, 45)

    @task(1)
    def view_overview(self) -> None:
        self.overview()

    @task(1)
    def library(self) -> None:
        self.get(f"/api/v1/institutions/{self.institution}/evidence?limit=50", "GET evidence list")

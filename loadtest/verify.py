"""After a phase: every write the server acknowledged is there, storage holds no half-written
file, the audit chain verifies. Runs in the orchestrating process (Django set up against the
load database); returns findings for the report, a failure being any non-empty `problems`."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path


def read_journal(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def acknowledged_writes(entries: list[dict]) -> dict:
    """Each acknowledged write must be in the database: a save, submit or verify as the audit
    event recorded in the same transaction (action, answer, resulting version - and for a save
    the level and penjelasan the server answered with), an upload as its evidence item with a
    version holding the file whose SHA-256 the server answered with."""
    from monev.audit.models import AuditEvent
    from monev.evaluations.models import Answer
    from monev.evidence.models import EvidenceVersion

    problems: list[str] = []
    checked = {"save": 0, "submit": 0, "verify": 0, "upload": 0}
    writes = [e for e in entries if e["kind"] in ("save", "submit", "verify")]
    answers = {e["answer"] for e in writes}
    events = {}
    for event in AuditEvent.objects.filter(
        answer_id__in=answers, action__in=["answer.save", "answer.submit", "answer.verify"]
    ).values("action", "answer_id", "after"):
        events[(event["action"], event["answer_id"], event["after"].get("version"))] = event
    versions = dict(Answer.objects.filter(pk__in=answers).values_list("pk", "version"))
    for entry in writes:
        checked[entry["kind"]] += 1
        key = (f"answer.{entry['kind']}", entry["answer"], entry["version"])
        event = events.get(key)
        if event is None:
            problems.append(f"lost {entry['kind']}: answer {entry['answer']} v{entry['version']}")
            continue
        if entry["kind"] == "save":
            after = event["after"]
            if after.get("explanation") != entry["explanation"] or not _same_level(
                after.get("level"), entry["level"]
            ):
                problems.append(f"save of answer {entry['answer']} v{entry['version']} differs")
        if versions.get(entry["answer"], 0) < entry["version"]:
            problems.append(f"answer {entry['answer']} is behind acknowledged v{entry['version']}")
    uploads = [e for e in entries if e["kind"] == "upload"]
    stored = {
        (v["evidence_id"], v["file__sha256"])
        for v in EvidenceVersion.objects.filter(
            evidence_id__in=[e["evidence"] for e in uploads]
        ).values("evidence_id", "file__sha256")
    }
    for entry in uploads:
        checked["upload"] += 1
        if entry["sha256"] != entry["sent_sha256"]:
            problems.append(f"upload {entry['evidence']}: server hashed something else")
        if (entry["evidence"], entry["sent_sha256"]) not in stored:
            problems.append(f"lost upload: evidence {entry['evidence']} {entry['sha256'][:12]}")
    return {"checked": checked, "problems": problems}


def _same_level(stored, acknowledged) -> bool:
    from decimal import Decimal

    if stored is None or acknowledged is None:
        return stored == acknowledged
    return Decimal(str(stored)) == Decimal(str(acknowledged))


def storage() -> dict:
    """Every StoredFile row's blob exists, complete, with its SHA-256; every blob in the evidence
    namespace is complete (a blob is named by its SHA-256, so a partial one would not match);
    leftovers in the upload temporary directory are counted (never reachable: no row or name
    points there)."""
    from django.conf import settings
    from django.core.files.storage import default_storage

    from monev.evidence.models import StoredFile
    from monev.evidence.storage import PREFIX

    problems: list[str] = []
    rows = 0
    for name, sha256, size in StoredFile.objects.values_list("storage_name", "sha256", "size"):
        rows += 1
        if not default_storage.exists(name):
            problems.append(f"stored file {sha256[:12]} has no blob")
            continue
        digest = _digest(Path(default_storage.path(name)))
        if digest != sha256 or default_storage.size(name) != size:
            problems.append(f"stored file {sha256[:12]}: blob incomplete or different")
    root = Path(default_storage.path(PREFIX))
    blobs = orphans = 0
    known = set(StoredFile.objects.values_list("sha256", flat=True))
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        blobs += 1
        if _digest(path) != path.name:
            problems.append(f"half-written or foreign file in storage: {path.relative_to(root)}")
        if path.name not in known:
            orphans += 1  # a complete blob whose row was never committed: `monev evidence gc`
    incoming = Path(settings.FILE_UPLOAD_TEMP_DIR)
    leftovers = [p for p in incoming.iterdir() if p.is_file()] if incoming.exists() else []
    return {
        "stored_file_rows": rows,
        "blobs": blobs,
        "blobs_without_row": orphans,
        "temp_dir_leftovers": len(leftovers),
        "temp_dir_leftover_bytes": sum(p.stat().st_size for p in leftovers),
        "problems": problems,
    }


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def audit_chain(env: dict) -> dict:
    """`monev audit verify`, as an operator would run it (its exit status and last line)."""
    monev = str(Path(sys.executable).with_name("monev"))
    done = subprocess.run(  # noqa: S603 - our own command
        [monev, "audit", "verify"], env=env, capture_output=True, text=True, check=False
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    return {
        "command": "monev audit verify",
        "exit_status": done.returncode,
        "output": lines[-1] if lines else "",
        "problems": [] if done.returncode == 0 else [f"audit verify failed: {lines[-3:]}"],
    }


def background_jobs(env: dict, since: float) -> dict:
    """The text-extraction jobs of the phase's uploads (enqueued since `since`, a Unix time):
    what is still queued is run now (`monev worker --batch`), then none may be left behind. A
    job claimed by a worker killed mid-job stays 'RUNNING' until it has run longer than any
    extraction can, when a worker puts it back in the queue (monev.evidence.tasks
    .requeue_abandoned); so first wait until the newest such job is past that point. Jobs left
    by earlier runs are counted apart."""
    import time
    from datetime import UTC, datetime

    from django.conf import settings
    from django.db import connection
    from django.db.models import Max
    from django_tasks_db.models import DBTaskResult

    from monev.evidence.models import StoredFile
    from monev.evidence.tasks import ABANDONED_MARGIN_SECONDS

    newest = DBTaskResult.objects.filter(status="RUNNING").aggregate(Max("started_at"))
    if newest["started_at__max"] is not None:
        limit = settings.MONEV_EXTRACT_TIMEOUT_SECONDS + ABANDONED_MARGIN_SECONDS + 1
        wait = newest["started_at__max"].timestamp() + limit - time.time()
        if wait > 0:
            print(f"waiting {wait:.0f} s for abandoned extraction jobs to be reclaimable")
            time.sleep(wait)

    monev = str(Path(sys.executable).with_name("monev"))
    subprocess.run(  # noqa: S603 - our own command
        [monev, "worker", "--batch"], env=env, capture_output=True, check=False, timeout=900
    )
    start = datetime.fromtimestamp(since, UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT enqueued_at >= %s, status, count(*) FROM django_tasks_database_dbtaskresult "
            "GROUP BY 1, 2",
            [start],
        )
        rows = cursor.fetchall()
    statuses = {status: count for recent, status, count in rows if recent}
    earlier = {status: count for recent, status, count in rows if not recent}
    pending = StoredFile.objects.filter(
        text_status=StoredFile.TextStatus.PENDING, created_at__gte=start
    ).count()
    problems = []
    if statuses.get("RUNNING") or statuses.get("READY"):
        problems.append(f"background jobs left unfinished: {statuses}")
    if pending:
        problems.append(f"{pending} uploaded files still waiting for text extraction")
    return {
        "statuses": statuses,
        "files_pending_text": pending,
        "stuck_from_earlier_runs": earlier.get("RUNNING", 0) + earlier.get("READY", 0),
        "problems": problems,
    }

"""The national-scale database the load test runs against, generated once and kept.

benchmarks.national writes the 615 institutions of an evaluation round (60 units, users, a
monitoring period with 47 answers, evidence, snapshots, a year of audit events each). This
module builds on it, step by step, each step recorded in `dataset.json` in the data directory
so an interrupted or repeated run goes on where it stopped (`--reuse` keeps the database):

1. schema     - migrate the empty database;
2. national   - benchmarks.national.populate (the 615th institution is written the same way);
3. files      - SHARED_FILES small real PDFs in storage, content-addressed, with their text;
4. evidence   - more evidence items up to EVIDENCE_TOTAL (300,000), each with a version whose
                file is one of the shared files (as a national library shares one Perpres);
5. search     - the PostgreSQL search index of every item (monev.evidence.search);
6. audit      - the background audit events chained and hashed like real ones (national.py
                leaves placeholder hashes), with their chain heads, so `monev audit verify`
                checks them and the services append after them;
7. people     - in HOT institutions, operators on OPERATORS_PER_HOT units (each answer shared
                by two of them, so saves can conflict), an asesor internal, an asesor
                eksternal, a pimpinan, an admin, and a personal API token for each user of
                those institutions (written to `users.json` for the load generator).
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from loadtest.pdf import tiny_pdf

HOT = 20  # institutions the simulated users work in (spread through the id range)
OPERATORS_PER_HOT = 6
SHARED_FILES = 1_000
EVIDENCE_TOTAL = 300_000
SEED = 20251128
STEPS = ("schema", "national", "files", "evidence", "search", "audit", "people")
WORDS = (
    "arsitektur", "peta rencana", "tata kelola", "layanan", "aplikasi", "pusat data",
    "keamanan informasi", "audit teknologi", "inovasi", "manajemen risiko", "data",
    "jaringan intra", "sistem penghubung", "kebijakan internal", "domain", "naskah dinas",
)  # fmt: skip


def say(message: str) -> None:
    print(f"[dataset {time.strftime('%H:%M:%S', time.gmtime())}Z] {message}", flush=True)


def admin_connection(database_url: str):
    """A connection to the server's maintenance database, to create and drop ours."""
    import psycopg

    base, _, name = database_url.rpartition("/")
    return psycopg.connect(f"{base}/postgres", autocommit=True), name


def drop_database(database_url: str) -> None:
    from psycopg import sql

    connection, name = admin_connection(database_url)
    with connection:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        connection.execute(drop.format(sql.Identifier(name)))


def database_exists(database_url: str) -> bool:
    connection, name = admin_connection(database_url)
    with connection:
        row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def create_database(database_url: str) -> None:
    from psycopg import sql

    connection, name = admin_connection(database_url)
    with connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


class State:
    """Which steps are done, in `dataset.json` beside the data they describe."""

    def __init__(self, data_dir: Path, database_url: str):
        self.path = data_dir / "dataset.json"
        self.database_url = database_url
        self.data = {"database": database_url, "done": {}}
        if self.path.exists():
            loaded = json.loads(self.path.read_text())
            if loaded.get("database") == database_url:
                self.data = loaded

    def done(self, step: str) -> bool:
        return step in self.data["done"]

    def mark(self, step: str, seconds: float, **facts) -> None:
        self.data["done"][step] = {"seconds": round(seconds, 1), **facts}
        self.path.write_text(json.dumps(self.data, indent=2))

    def reset(self) -> None:
        self.data = {"database": self.database_url, "done": {}}
        self.path.write_text(json.dumps(self.data, indent=2))


def ensure(database_url: str, data_dir: Path, *, reuse: bool) -> dict:
    """Build (or, with `reuse`, finish building) the dataset; its state. The caller has set the
    environment (loadtest.configure_environment) but not yet set Django up."""
    data_dir.mkdir(parents=True, exist_ok=True)
    state = State(data_dir, database_url)
    if not reuse or not database_exists(database_url):
        say(f"creating {database_url.rpartition('/')[2]} from scratch")
        drop_database(database_url)
        create_database(database_url)
        _clear_storage(data_dir)
        state.reset()
    else:
        done = ", ".join(state.data["done"]) or "nothing"
        say(f"reusing {database_url.rpartition('/')[2]}; done: {done}")
    from loadtest import django_setup

    django_setup()
    if state.done("schema"):  # a kept database: bring it up to this checkout's migrations
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    for step in STEPS:
        if state.done(step):
            continue
        say(f"step {step} ...")
        started = time.monotonic()
        facts = globals()[f"_step_{step}"](data_dir) or {}
        state.mark(step, time.monotonic() - started, **facts)
        say(f"step {step} done in {time.monotonic() - started:.0f} s {facts or ''}")
    return state.data


def _clear_storage(data_dir: Path) -> None:
    import shutil

    for name in ("files", "users.json"):
        path = data_dir / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


# --- the steps --------------------------------------------------------------------------------


def _step_schema(data_dir: Path) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _step_national(data_dir: Path) -> dict:
    from benchmarks import national
    from django.db import transaction
    from django.utils import timezone

    from monev.instruments.selectors import instrument_catalog

    loaded = instrument_catalog().find("spbe-2020")

    def the_615th() -> None:
        # populate() leaves a kota's place for the institution a benchmark measures; here it is
        # one more background institution, written the same way.
        context = national._Context(
            rng=random.Random(SEED),  # noqa: S311 - test data
            now=timezone.now(),
            instrument=loaded.instrument,
            sha256=loaded.sha256,
        )
        with transaction.atomic():
            national._write_batch(context, [(national.INSTITUTIONS, "kota")])

    _, counts = national.populate(the_615th)
    return counts


def _step_files(data_dir: Path) -> dict:
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from monev.evidence.models import FileText, StoredFile
    from monev.evidence.storage import blob_name

    rng = random.Random(SEED)  # noqa: S311 - test data
    rows, texts = [], []
    for n in range(SHARED_FILES):
        lines = [f"Dokumen bersama {n}"] + [
            f"{rng.choice(WORDS).title()} SPBE: {rng.choice(WORDS)} dan {rng.choice(WORDS)}."
            for _ in range(6)
        ]
        content = tiny_pdf(lines)
        sha256 = hashlib.sha256(content).hexdigest()
        name = blob_name(sha256)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
        rows.append(
            StoredFile(
                sha256=sha256,
                size=len(content),
                kind="pdf",
                content_type="application/pdf",
                storage_name=name,
                text_status=StoredFile.TextStatus.DONE,
                page_count=1,
            )
        )
        texts.append("\n".join(lines))
    stored = StoredFile.objects.bulk_create(rows, batch_size=1000)
    FileText.objects.bulk_create(
        [FileText(file=row, text=text) for row, text in zip(stored, texts, strict=True)],
        batch_size=1000,
    )
    return {"stored_files": len(stored)}


def _step_evidence(data_dir: Path) -> dict:
    from django.db import connection

    from monev.evidence.models import Evidence

    existing = Evidence.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, code FROM institutions_institution ORDER BY id")
        institutions = cursor.fetchall()
        missing = max(0, EVIDENCE_TOTAL - existing)
        each, extra = divmod(missing, len(institutions))
        words = "ARRAY[" + ",".join(f"'{w}'" for w in WORDS) + "]"
        kinds = "ARRAY['peraturan','sop','laporan','notulen','tangkapan_layar','lainnya']"
        say(f"adding {missing} evidence items to the {existing} there are")
        for k, (institution_id, code) in enumerate(institutions):
            count = each + (1 if k < extra else 0)
            cursor.execute(  # the interpolated arrays are this module's constants
                f"""
                INSERT INTO evidence_evidence (institution_id, title, kind, document_number,
                    unit_id, url, access_notes, created_by_id, created_at, updated_at, version)
                SELECT %s, 'Data dukung ' || ({words})[1 + g %% {len(WORDS)}] || ' ' || g,
                    ({kinds})[1 + g %% 6], g || '/' || %s, u.id, '', '', k.id,
                    now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, 1
                FROM generate_series(1, %s) AS g
                JOIN institutions_unit u ON u.institution_id = %s
                    AND u.code = 'PD' || lpad((1 + g %% 60)::text, 2, '0')
                LEFT JOIN accounts_user k ON k.username = %s
                """,  # noqa: S608
                [institution_id, code, count, institution_id, f"{code}-koordinator"],
            )
            if k % 50 == 0:
                say(f"  evidence: institution {k + 1}/{len(institutions)}")
        say("a version for every item, its file one of the shared files")
        cursor.execute(
            """
            INSERT INTO evidence_evidenceversion (evidence_id, number, file_id, original_name,
                change_note, uploaded_by_id, created_at)
            SELECT e.id, 1, f.id, 'dokumen-' || e.id || '.pdf', '', e.created_by_id, e.created_at
            FROM evidence_evidence e
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM evidence_storedfile) f
                ON f.k = e.id %% (SELECT count(*) FROM evidence_storedfile)
            WHERE NOT EXISTS (SELECT 1 FROM evidence_evidenceversion v WHERE v.evidence_id = e.id)
            """,
            [],
        )
    return {"evidence": Evidence.objects.count()}


def _step_search(data_dir: Path) -> None:
    from django.db import connection

    from monev.evidence import search

    search.rebuild_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _step_audit(data_dir: Path) -> dict:
    """Chain national.py's placeholder events as audit_record would have: seq order, each
    event's hash over its fields and the previous hash, and a chain head per chain."""
    from django.db import connection, transaction

    from monev.audit.chain import GENESIS, event_hash
    from monev.audit.models import AuditEvent, ChainHead
    from monev.audit.services import hashed_fields

    placeholders = AuditEvent.objects.filter(hash="0" * 64).order_by()
    chains = list(placeholders.values_list("chain", flat=True).distinct())
    say(f"chaining the audit events of {len(chains)} chains")
    sealed = 0
    for k, key in enumerate(sorted(chains)):
        with transaction.atomic():
            events = list(AuditEvent.objects.filter(chain=key).order_by("seq"))
            if ChainHead.objects.filter(key=key).exists():
                continue  # a real chain (written through the services): leave it
            prev = GENESIS
            # The events were written in random time order; a chain's order is its seq, so
            # the times are sorted into seq order first, as they would have been recorded.
            times = sorted(event.at for event in events)
            for event, at in zip(events, times, strict=True):
                event.at = at
                event.prev_hash = prev
                event.hash = event_hash(hashed_fields(event), prev)
                prev = event.hash
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE audit_auditevent SET at = %s, prev_hash = %s, hash = %s WHERE id = %s",
                    [(e.at, e.prev_hash, e.hash, e.pk) for e in events],
                )
            ChainHead.objects.create(key=key, last_seq=events[-1].seq, last_hash=prev)
            sealed += len(events)
        if k % 50 == 0:
            say(f"  audit: chain {k + 1}/{len(chains)}")
    return {"events_chained": sealed}


def _step_people(data_dir: Path) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from monev.accounts.models import User
    from monev.accounts.services import token_create
    from monev.evaluations.models import Answer, AnswerUnit, Period
    from monev.institutions.models import Institution, Membership, Role, Unit

    institutions = list(Institution.objects.order_by("pk"))
    step = len(institutions) // HOT
    hot = institutions[step // 2 :: step][:HOT]
    unusable = make_password(None)
    people = []
    with transaction.atomic():
        for institution in hot:
            period = Period.objects.get(institution=institution)
            units = list(Unit.objects.filter(institution=institution).order_by("code"))
            operators = units[:OPERATORS_PER_HOT]
            answers = list(Answer.objects.filter(period=period).order_by("position"))
            AnswerUnit.objects.bulk_create(
                [
                    AnswerUnit(answer=answer, unit=operators[unit_index])
                    for answer in answers
                    for unit_index in _operator_indexes(answer, len(operators))
                ],
                ignore_conflicts=True,
            )
            members = [(f"{institution.code}-koordinator", Role.KOORDINATOR, None)]
            members += [
                (f"{institution.code}-operator{n}", Role.OPERATOR, unit)
                for n, unit in enumerate(operators, start=1)
            ]
            members += [
                (f"{institution.code}-{role.value}", role, None)
                for role in (Role.ASESOR_INTERNAL, Role.ASESOR_EKSTERNAL, Role.PIMPINAN, Role.ADMIN)
            ]
            for username, role, unit in members:
                name = username.replace("-", " ").title()
                user, _created = User.objects.get_or_create(
                    username=username, defaults={"full_name": name, "password": unusable}
                )
                Membership.objects.get_or_create(
                    user=user, institution=institution, role=role, unit=unit
                )
                _token, secret = token_create(actor=user, name="load test")
                unit_answers = (
                    [a.pk for a in answers if unit.pk in _units_of(a, operators)] if unit else []
                )
                people.append(
                    {
                        "username": username,
                        "role": role.value,
                        "token": secret,
                        "institution_id": institution.pk,
                        "period_id": period.pk,
                        "unit_id": unit.pk if unit else None,
                        "answers": unit_answers,
                    }
                )
    (data_dir / "users.json").write_text(json.dumps(people, indent=1))
    return {"hot_institutions": len(hot), "users_with_tokens": len(people)}


def _operator_indexes(answer, operators: int) -> tuple[int, int]:
    """The two operators' units an answer is shared by: neighbours in a ring, so that every
    operator shares answers with two others."""
    return (answer.position % operators, (answer.position + 1) % operators)


def _units_of(answer, operators) -> set[int]:
    return {operators[index].pk for index in _operator_indexes(answer, len(operators))}

"""The database half of a backup: a consistent dump, its table counts and migration state,
and putting a dump back.

SQLite: the online backup API copies the live database page by page into a new file; the copy
is consistent even while the app writes (WAL). PostgreSQL: `pg_dump --format=custom` inside a
REPEATABLE READ snapshot that this process exports, so the row counts, migration state and
audit chain heads in the manifest and the archive's audit anchor describe exactly the rows in
the dump.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database/monev.sqlite3", POSTGRESQL: "database/monev.pgdump"}

# libpq settings Django passes on from DATABASE_URL's query string, as environment variables.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class DatabaseError(Exception):
    """A dump or restore that could not be done; the message says why, for the operator."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise DatabaseError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def table_counts(cursor) -> dict[str, int]:
    """Rows of every table of the connected database (FTS shadow tables included)."""
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor) -> list[list[str]]:
    if "django_migrations" not in connection.introspection.table_names(cursor):
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


AUDIT_HEADS = "audit_chainhead"  # monev.audit.models.ChainHead


def audit_heads(execute, tables) -> list[tuple[str, int, str]]:
    """(key, last_seq, last_hash) of every audit chain, through `execute(sql)` -> rows."""
    if AUDIT_HEADS not in tables:
        return []
    rows = execute(
        f'SELECT "key", last_seq, last_hash FROM {AUDIT_HEADS} ORDER BY "key"'  # noqa: S608
    )
    return [(key, int(seq), hash_) for key, seq, hash_ in rows]


def code_migrations() -> set[tuple[str, str]]:
    """The migrations this code has (applied or not)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces or [])
    return known


def latest_per_app(applied: list[list[str]]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in applied:
        latest[app] = max(latest.get(app, name), name)
    return latest


# --- dump ---------------------------------------------------------------------------------------


def dump(target: Path) -> dict:
    """Write a consistent dump of the database to `target`; its counts and migration state."""
    if engine() == SQLITE:
        return _dump_sqlite(target)
    return _dump_postgresql(target)


def _dump_sqlite(target: Path) -> dict:
    source_path = connection.settings_dict["NAME"]
    with (
        closing(sqlite3.connect(source_path, timeout=30)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy, pages=4096)
    # The counts and migrations of the copy: exactly what the archive holds.
    with closing(sqlite3.connect(target)) as copy:
        # Into rollback-journal mode, so the copy is one self-contained file.
        copy.execute("PRAGMA journal_mode=DELETE")
        counts = _sqlite_counts(copy)
        applied = []
        if "django_migrations" in counts:
            applied = [
                [app, name]
                for app, name in copy.execute(
                    "SELECT app, name FROM django_migrations ORDER BY app, name"
                )
            ]
        heads = audit_heads(lambda sql: copy.execute(sql).fetchall(), counts)
    return {
        "counts": counts,
        "applied_migrations": applied,
        "server_version": sqlite3.sqlite_version,
        "audit_heads": heads,
    }


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        table: database.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table in tables
    }


def _pg_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {**os.environ}
    values = {
        "PGHOST": settings.get("HOST") or "",
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": settings.get("USER") or "",
        "PGPASSWORD": settings.get("PASSWORD") or "",
        "PGDATABASE": settings["NAME"],
    }
    for option, variable in LIBPQ_OPTIONS.items():
        if option in settings.get("OPTIONS", {}):
            values[variable] = str(settings["OPTIONS"][option])
    env.update({key: value for key, value in values.items() if value})
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseError(
            f"{name} is not installed; it comes with the PostgreSQL client "
            "(Debian: apt install postgresql-client)."
        )
    return path


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise DatabaseError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _dump_postgresql(target: Path) -> dict:
    pg_dump = _pg_tool("pg_dump")
    if connection.in_atomic_block:
        raise DatabaseError("A backup cannot run inside another transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        # While this transaction stays open, pg_dump sees exactly what it sees.
        _run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            "pg_dump",
        )
        counts = table_counts(cursor)
        applied = applied_migrations(cursor)

        def rows(sql: str) -> list:
            cursor.execute(sql)
            return cursor.fetchall()

        heads = audit_heads(rows, counts)
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "counts": counts,
        "applied_migrations": applied,
        "server_version": version,
        "audit_heads": heads,
    }


# --- emptiness ----------------------------------------------------------------------------------


def monev_tables_with_rows() -> list[str]:
    """The Monev tables that hold rows: a deployment with any is not empty. Tables that
    `monev migrate` fills by itself (content types, permissions, migrations) do not count."""
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        found = []
        for model in apps.get_models():
            meta = model._meta
            if not meta.app_config.name.startswith("monev.") or meta.proxy or not meta.managed:
                continue
            if meta.db_table not in existing:
                continue
            cursor.execute(f"SELECT 1 FROM {quote(meta.db_table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone() is not None:
                found.append(meta.db_table)
    return sorted(found)


# --- restore ------------------------------------------------------------------------------------


def restore(dump_path: Path, log: Callable[[str], None]) -> None:
    """Put the dump in place of the (empty) database."""
    if engine() == SQLITE:
        _restore_sqlite(dump_path)
    else:
        _restore_postgresql(dump_path, log)
    connection.close()


def _restore_sqlite(dump_path: Path) -> None:
    connection.close()
    target = connection.settings_dict["NAME"]
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    # The backup API writes every page of the target (WAL included), replacing whatever
    # tables an empty `monev migrate` may have made there, in one transaction.
    with (
        closing(sqlite3.connect(dump_path)) as source,
        closing(sqlite3.connect(target, timeout=30)) as destination,
    ):
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=WAL")


def _restore_postgresql(dump_path: Path, log: Callable[[str], None]) -> None:
    pg_restore = _pg_tool("pg_restore")
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            # Only reached when no Monev table has a row: these are the tables of an empty
            # `monev migrate`, which would collide with the dump's own.
            log(f"Removing the {len(tables)} empty tables of the new deployment first.")
            with transaction.atomic():
                for table in tables:
                    cursor.execute(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")
    connection.close()
    _run(
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump_path),
        ],
        "pg_restore",
    )


def current_counts() -> dict[str, int]:
    """Rows per table now, counted as the manifest counted them."""
    if engine() == SQLITE:
        with closing(sqlite3.connect(connection.settings_dict["NAME"], timeout=30)) as database:
            return _sqlite_counts(database)
    with connection.cursor() as cursor:
        return table_counts(cursor)

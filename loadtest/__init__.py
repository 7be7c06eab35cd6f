"""Load and fault tests for Monev SPBE: `python -m loadtest` (`make loadtest`).

Not part of `make test`: a run takes several minutes and a national-scale PostgreSQL database.
A production-mode server (gunicorn, MONEV_DEBUG=false) on loopback serves 200 simulated users
of every role doing the deadline-week mix (locust); afterwards every acknowledged save and upload
is checked in the database and in storage, and the audit chain is verified. The fault phase
kills the server and the background worker with SIGKILL mid-load, restarts them and checks the
same again, plus that storage holds no half-written file.

Modules: dataset (the generated national database, cached between runs), pdf (small PDFs),
locustfile (the simulated users), run (orchestration), verify (the checks), report (figures).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/monev_load"
DEFAULT_DATA_DIR = ROOT / "var" / "loadtest"


def configure_environment(database_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of every process of a run (server, worker, this one): production mode,
    the load database and data directory. Returned as well, for subprocesses."""
    env = {
        "DATABASE_URL": database_url,
        "MONEV_DATA_DIR": str(data_dir),
        "MONEV_DEBUG": "false",
        "MONEV_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MONEV_BASE_URL": "http://127.0.0.1",  # `monev serve` requires it (links in exports)
        "MONEV_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "monev.settings",
    }
    os.environ.update(env)
    return env


def django_setup() -> None:
    import django

    django.setup()

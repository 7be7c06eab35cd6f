"""`monev worker`: run the background jobs (text extraction of uploaded evidence).

The jobs are rows in the database (django-tasks-db); this is its `db_worker` under the project's
name, with the same options. Run one or more next to the web server; `--batch` runs what is
queued and exits (cron, tests).

A worker that is killed leaves its job RUNNING, and django-tasks-db never takes it back; so
each worker, when it starts and then every minute, puts jobs that have run past any possible
extraction time back in the queue (monev.evidence.tasks.requeue_abandoned).
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from monev.evidence.tasks import requeue_abandoned

logger = logging.getLogger("monev.worker")
SWEEP_INTERVAL_SECONDS = 60


def sweep() -> None:
    requeued = requeue_abandoned()
    if requeued:
        logger.warning("Requeued %d extraction job(s) abandoned by a stopped worker.", requeued)


def sweep_forever(stop: threading.Event) -> None:
    while not stop.wait(SWEEP_INTERVAL_SECONDS):
        try:
            close_old_connections()
            sweep()
        except Exception:  # a database blip must not end the sweeping
            logger.exception("Could not requeue abandoned jobs; trying again in a minute.")
        finally:
            connection.close()


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background jobs queued in the database (text extraction of uploaded "
        "evidence) until stopped; --batch runs what is queued, then exits."
    )

    def handle(self, *args, **options):
        sweep()
        stop = threading.Event()
        if not options.get("batch"):
            threading.Thread(target=sweep_forever, args=(stop,), daemon=True).start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()

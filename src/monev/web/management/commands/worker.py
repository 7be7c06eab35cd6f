"""`monev worker`: run the background jobs (text extraction of uploaded evidence).

The jobs are rows in the database (django-tasks-db); this is its `db_worker` under the project's
name, with the same options. Run one or more next to the web server; `--batch` runs what is
queued and exits (cron, tests).
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background jobs queued in the database (text extraction of uploaded "
        "evidence) until stopped; --batch runs what is queued, then exits."
    )

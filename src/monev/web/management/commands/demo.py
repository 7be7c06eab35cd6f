"""`monev demo`: load the demo data, and print the demo logins.

So far the demo is an administrator account; the evaluation-cycle demo (Pemerintah Kota
Bandung) builds on it. Passwords are made at load time and kept in the data directory, so
no credential is in the repository and `make run` can print them at every start.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

LOGINS_FILE = "demo-logins.txt"


class Command(BaseCommand):
    help = "Load the demo data (only into an empty database with --if-empty) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only if the database has no users; print the demo logins either way",
        )

    def handle(self, *args, if_empty: bool, **options):
        users = get_user_model().objects
        if if_empty and users.exists():
            self.stdout.write("Database already has data; the demo was not loaded again.")
        else:
            self._load()
        self._print_logins()

    @transaction.atomic
    def _load(self) -> None:
        password = secrets.token_urlsafe(12)
        user_model = get_user_model()
        admin, _ = user_model.objects.get_or_create(
            username="admin", defaults={"email": "admin@demo.monev.invalid"}
        )
        admin.is_staff = admin.is_superuser = True
        admin.set_password(password)
        admin.save()
        (settings.DATA_DIR / LOGINS_FILE).write_text(f"admin\t{password}\tAdmin (DEMO)\n")
        self.stdout.write(self.style.SUCCESS("Demo data loaded (DEMO - not real data)."))

    def _print_logins(self) -> None:
        path = settings.DATA_DIR / LOGINS_FILE
        if not path.exists():
            return
        self.stdout.write("Demo logins (DEMO - not real data):")
        for line in path.read_text().splitlines():
            username, password, role = line.split("\t")
            self.stdout.write(f"  {role:<16} {username:<12} {password}")

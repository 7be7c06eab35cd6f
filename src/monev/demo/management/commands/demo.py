"""`monev demo`: load the demo (Pemerintah Kota Bandung (DEMO), Triwulan II 2025) and print
its logins.

`make run` calls `monev demo --if-empty` at every start: the demo goes only into an empty
database, and the logins are printed each time. Passwords are made at load time and kept in
MONEV_DATA_DIR/demo-logins.txt (mode 0600), so no credential is in the repository.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monev.demo import loader


class Command(BaseCommand):
    help = (
        "Load the demo data (Pemerintah Kota Bandung (DEMO)) and print the demo logins. "
        "Loading twice does nothing; --reset removes the demo first."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty database (no users, no institutions); "
            "print the demo logins either way",
        )
        group.add_argument(
            "--reset",
            action="store_true",
            help="remove the demo and load it again (refuses if that would touch other data)",
        )

    def handle(self, *args, if_empty: bool, reset: bool, **options):
        data_dir = settings.DATA_DIR
        try:
            if reset:
                removed = loader.reset()
                if removed:
                    self.stdout.write("The demo was removed.")
                self._load(data_dir)
            elif loader.demo_institution() is not None:
                self.stdout.write("The demo is already loaded.")
                if not loader.read_logins(data_dir):
                    loader.renew_passwords(data_dir)
                    self.stdout.write("The logins file was missing: new demo passwords were made.")
            elif if_empty and not loader.database_is_empty():
                self.stdout.write("Database already has data; the demo was not loaded again.")
            else:
                self._load(data_dir)
        except loader.DemoError as error:
            raise CommandError(str(error)) from None
        self._print_logins(data_dir)

    def _load(self, data_dir) -> None:
        self.stdout.write("Loading the demo (Pemerintah Kota Bandung, Triwulan II 2025) ...")
        loader.load(data_dir)
        self.stdout.write(self.style.SUCCESS("Demo data loaded (DEMO - not real data)."))

    def _print_logins(self, data_dir) -> None:
        logins = loader.read_logins(data_dir)
        if not logins:
            return
        path = loader.logins_path(data_dir)
        self.stdout.write(f"Demo logins (DEMO - not real data; kept in {path}):")
        for login in logins:
            self.stdout.write(f"  {login.label:<17} {login.username:<17} {login.password}")

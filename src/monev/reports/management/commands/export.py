"""`monev export`: a period's workbook or PDF, or the recap over institutions, written to a
file - for scheduled jobs (cron) as much as by hand.

    monev export --period ID --kind self-assessment|units|recap|pdf|summary-pdf --out FILE
    monev export --kind institutions --year 2025 --instrument spbe-2020 --out FILE

The command runs as the system, not as a user: it reads with Access.system_viewer(), which may
view every institution and every unit's answers (and nothing else). Anyone who can run it can
read the database anyway; pages and the API always check the signed-in user's access.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monev.evaluations.models import Period
from monev.institutions.permissions import Access
from monev.lib.errors import DomainError
from monev.reports import exports

KINDS = (*exports.EXPORTS, exports.INSTITUTIONS_KIND)


def write_atomically(path: Path, content: bytes) -> None:
    """Write next to the target and rename: a reader never sees half a file."""
    directory = path.parent
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Command(BaseCommand):
    help = (
        "Export a period's workbook or PDF (--period ID --kind KIND), or the recap over "
        "institutions (--kind institutions --year Y --instrument ID), to --out FILE. "
        "`monev periods` lists the period ids."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            required=True,
            choices=KINDS,
            help="what to export: " + ", ".join(KINDS),
        )
        parser.add_argument("--period", type=int, help="the period id (see `monev periods`)")
        parser.add_argument("--year", help="--kind institutions: the year")
        parser.add_argument("--instrument", help="--kind institutions: the instrument id")
        parser.add_argument("--out", required=True, help="the file to write (replaced)")

    def handle(self, *args, kind, period=None, year=None, instrument=None, out, **options):
        path = Path(out)
        if path.is_dir():
            raise CommandError(f"--out {out} is a directory; give a file name.")
        if not path.parent.is_dir():
            raise CommandError(f"--out {out}: the directory {path.parent} does not exist.")
        access = Access.system_viewer()
        try:
            if kind == exports.INSTITUTIONS_KIND:
                if period is not None:
                    raise CommandError(
                        "--kind institutions takes --year and --instrument, not --period."
                    )
                if not year or not instrument:
                    raise CommandError("--kind institutions needs --year and --instrument.")
                exported = exports.export_institutions(access, year, instrument)
            else:
                if period is None:
                    raise CommandError(f"--kind {kind} needs --period ID (see `monev periods`).")
                if year or instrument:
                    raise CommandError(f"--kind {kind} takes --period, not --year or --instrument.")
                found = Period.objects.select_related("institution").filter(pk=period).first()
                if found is None:
                    raise CommandError(f"No period {period}; `monev periods` lists them.")
                exported = exports.export_period(found, access, kind)
        except DomainError as error:
            details = "; ".join(d.get("message", "") for d in error.details)
            raise CommandError(f"{error.message}{' ' + details if details else ''}") from None
        try:
            write_atomically(path, exported.content)
        except OSError as error:
            raise CommandError(f"Cannot write {out}: {error.strerror or error}") from None
        size = len(exported.content)
        self.stdout.write(f"Wrote {out} ({size:,} bytes; {exported.filename}).")

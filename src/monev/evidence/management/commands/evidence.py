"""`monev evidence reindex` rebuilds the search index; `monev evidence gc` removes stored blobs
that no database row points to (what an interrupted upload can leave behind)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from monev.evidence import search
from monev.evidence.models import StoredFile
from monev.evidence.storage import stored_names


class Command(BaseCommand):
    help = "Evidence maintenance: reindex (search index), gc (unreferenced stored files)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("reindex", help="rebuild the evidence search index")
        gc = actions.add_parser("gc", help="delete stored blobs no row points to")
        gc.add_argument("--dry-run", action="store_true", help="only list what would go")
        gc.add_argument(
            "--min-age-hours",
            type=int,
            default=24,
            help="leave blobs younger than this alone (an upload may be finishing): 24",
        )

    def handle(self, *args, action: str, **options):
        if action == "reindex":
            search.rebuild_all()
            self.stdout.write("The evidence search index was rebuilt.")
        else:
            self.gc(options["dry_run"], options["min_age_hours"])

    def gc(self, dry_run: bool, min_age_hours: int) -> None:
        known = set(StoredFile.objects.values_list("storage_name", flat=True))
        cutoff = timezone.now() - timedelta(hours=min_age_hours)
        removed = 0
        for name in stored_names():
            if name in known:
                continue
            try:
                modified = default_storage.get_modified_time(name)
            except (NotImplementedError, OSError):
                modified = None
            if modified is not None and modified > cutoff:
                continue
            removed += 1
            self.stdout.write(f"{'would remove' if dry_run else 'removing'} {name}")
            if not dry_run:
                default_storage.delete(name)
        self.stdout.write(f"{removed} unreferenced file(s) {'found' if dry_run else 'removed'}.")

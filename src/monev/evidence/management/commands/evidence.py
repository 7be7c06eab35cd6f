"""`monev evidence reindex` rebuilds the search index (with --ocr, it first queues the scans
stored while the OCR engine was missing, for `monev worker` to read); `monev evidence gc` removes
stored blobs that no database row points to (what an interrupted upload can leave behind)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monev.evidence import search
from monev.evidence.models import StoredFile
from monev.evidence.ocr import INSTALL_COMMAND
from monev.evidence.storage import stored_names
from monev.evidence.text_indexing import ocr_unavailable, queue_unread_scans, reread_documents


class Command(BaseCommand):
    help = "Evidence maintenance: reindex (search index), gc (unreferenced stored files)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        reindex = actions.add_parser("reindex", help="rebuild the evidence search index")
        reindex.add_argument(
            "--ocr",
            action="store_true",
            help="first queue the scans not read yet for OCR (`monev worker` reads them)",
        )
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
            if options["ocr"]:
                self.queue_scans()
            read = reread_documents(self.progress)
            self.stdout.write(f"\nTopics and document facts read again from {read} file(s).")
            search.rebuild_all()
            self.stdout.write("The evidence search index was rebuilt.")
        else:
            self.gc(options["dry_run"], options["min_age_hours"])

    def progress(self, done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            self.stdout.write(f"\rreading texts: {done}/{total}", ending="")
            self.stdout.flush()

    def queue_scans(self) -> None:
        if (problem := ocr_unavailable()) is not None:
            raise CommandError(
                f"Scans cannot be read: {problem}. Install the engine with `{INSTALL_COMMAND}`, "
                "then run this command again."
            )
        queued = queue_unread_scans()
        self.stdout.write(
            f"{queued} scan(s) queued for OCR: `monev worker` reads them; each file's page "
            "shows its progress. They are searchable once read."
        )

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

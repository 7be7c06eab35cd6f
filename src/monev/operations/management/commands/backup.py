"""`monev backup [--out FILE]`: the database, every evidence file and a manifest of SHA-256
checksums, in one archive (docs/backup.md). The archive holds personal data and password
hashes: it is written with mode 0600; keep it encrypted at rest.

It also renews the audit anchor (MONEV_AUDIT_ANCHOR) with the chain heads of the dump, unless
the audit trail no longer reaches the anchor there: then the old anchor stays, with a warning.
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from monev.audit import anchor as audit_anchor
from monev.audit.services import anchor_breaks
from monev.operations import archive, database
from monev.operations.progress import human_bytes


class Command(BaseCommand):
    help = (
        "Write one archive with the database, every evidence file, the audit anchor and a "
        "manifest of checksums, then renew the audit anchor (MONEV_AUDIT_ANCHOR). FILE ending "
        "in .tar.gz or .tgz is gzip-compressed (level 1); '-' writes to stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            metavar="FILE",
            help="the archive to write (default: monev-backup-YYYYMMDD-HHMMSS.tar here); "
            "never overwritten",
        )

    def handle(self, *args, out: str | None, **options):
        out = out or archive.default_name()
        # On stdout the archive is the output: everything else goes to stderr.
        log_stream = self.stderr if out == "-" else self.stdout
        try:
            result = archive.write_backup(out, sys.stderr, log_stream.write)
        except (archive.ArchiveError, database.DatabaseError, OSError) as error:
            raise CommandError(f"No backup was written: {error}") from None
        for name in result.misnamed:
            self.stderr.write(
                f"warning: {name} does not match its checksum (kept as it is); run `monev check`"
            )
        where = "standard output" if out == "-" else result.path
        size = f", {human_bytes(result.archive_bytes)}" if result.archive_bytes else ""
        log_stream.write(
            self.style.SUCCESS(
                f"Backup written to {where}{size} in {result.seconds:.1f} s: "
                f"{result.engine} database ({result.tables} tables, {result.rows} rows), "
                f"{result.files} evidence files ({human_bytes(result.file_bytes)})."
            )
        )
        if out != "-":
            log_stream.write(
                "It contains personal data and password hashes: store it encrypted "
                "(docs/backup.md)."
            )
        self.renew_anchor(result.anchor, log_stream)

    def renew_anchor(self, anchor: audit_anchor.Anchor, log_stream) -> None:
        """The dump's chain heads become the anchor, if the trail still reaches the old one.
        A problem here is a warning: the archive is made, and it is needed most then."""
        path = audit_anchor.configured_path()
        try:
            previous = audit_anchor.read(path)
            breaks = anchor_breaks(previous) if previous is not None else []
            if breaks:
                for item in breaks:
                    self.stderr.write(
                        f"warning: audit chain {item.chain}, event #{item.seq}: {item.problem}"
                    )
                self.stderr.write(
                    f"warning: the audit trail no longer reaches the anchor in {path}: the "
                    "anchor was not renewed. Run `monev audit verify` and find out why."
                )
                return
            audit_anchor.write(path, anchor.to_json())
        except audit_anchor.AnchorError as error:
            self.stderr.write(
                f"warning: the audit anchor {path} cannot be used: {error}; the anchor was not "
                "renewed (`monev audit anchor` says more)."
            )
            return
        log_stream.write(
            f"Audit anchor renewed in {path}: {len(anchor.chains)} chain(s) as in the backup."
        )

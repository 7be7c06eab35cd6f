"""Is everything stored still what was stored? Evidence bytes against their SHA-256, files that
rows point to but storage lacks, files in storage no row points to, and the audit chain.

Used by `monev check` and after `monev restore`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from monev.audit import anchor as audit_anchor
from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.evidence.models import StoredFile
from monev.operations.progress import Progress
from monev.operations.storage_files import evidence_names, sha256_of

# A blob younger than this with no row is probably an upload finishing (the blob is written
# before its row): listed, but not counted as a problem.
UPLOAD_GRACE = timedelta(hours=1)


@dataclass
class Report:
    files_checked: int = 0
    bytes_checked: int = 0
    audit_events: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the audit anchor added: compared with one (its time), or why not.
    anchor_note: str = ""
    # storage name -> SHA-256 of the bytes actually read (for restore's comparison)
    hashes: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_evidence(report: Report, progress_stream) -> None:
    rows = list(
        StoredFile.objects.order_by("pk").values_list("pk", "sha256", "size", "storage_name")
    )
    progress = Progress(
        progress_stream, "Checking evidence files", len(rows), sum(row[2] for row in rows)
    )
    referenced = set()
    for pk, expected, size, name in rows:
        referenced.add(name)
        try:
            actual, actual_size = sha256_of(default_storage, name)
        except FileNotFoundError:
            report.problems.append(f"MISSING  {name} (stored file {pk}): not in storage")
            progress.advance(0)
            continue
        except OSError as error:
            report.problems.append(f"UNREADABLE {name} (stored file {pk}): {error}")
            progress.advance(0)
            continue
        report.hashes[name] = actual
        report.files_checked += 1
        report.bytes_checked += actual_size
        if actual != expected:
            report.problems.append(
                f"MODIFIED {name} (stored file {pk}): its bytes hash to {actual}, "
                f"not {expected} ({actual_size} bytes, {size} expected)"
            )
        elif actual_size != size:
            report.problems.append(
                f"SIZE     {name} (stored file {pk}): {actual_size} bytes, {size} recorded"
            )
        progress.advance(actual_size)
    progress.finish()
    recent = timezone.now() - UPLOAD_GRACE
    for name in evidence_names():
        if name in referenced:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (NotImplementedError, OSError):
            modified = None
        if modified is not None and modified > recent:
            report.notes.append(f"{name}: no row yet (an upload in progress?)")
        else:
            report.problems.append(
                f"ORPHAN   {name}: no stored-file row points to it "
                "(`monev evidence gc` removes such files)"
            )


def check_audit(report: Report) -> None:
    path = audit_anchor.configured_path()
    try:
        anchor = audit_anchor.read(path)
    except audit_anchor.AnchorError as error:
        report.problems.append(f"ANCHOR   {path} cannot be used: {error}")
        anchor = None
    else:
        report.anchor_note = (
            f"compared with the audit anchor of {anchor.at}"
            if anchor is not None
            else f"no audit anchor at {path}: run `monev audit anchor` (docs/backup.md)"
        )
    checked, breaks = audit_verify(anchor)
    report.audit_events = checked
    for item in breaks:
        event = AuditEvent.objects.filter(chain=item.chain, seq=item.seq).first()
        what = f" ({event.action} by {event.actor_label}, id {event.pk})" if event else ""
        report.problems.append(
            f"AUDIT    chain {item.chain}, event #{item.seq}{what}: {item.problem}"
        )


def check_all(progress_stream) -> Report:
    report = Report()
    check_evidence(report, progress_stream)
    check_audit(report)
    return report

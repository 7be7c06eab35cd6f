"""The audit trail as CSV: one writer for the page download and `monev audit export`."""

from __future__ import annotations

import csv
import json

from django.utils import timezone

from monev.audit.models import AuditEvent
from monev.lib.spreadsheets import csv_safe

COLUMNS = [
    "chain",
    "seq",
    "at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "answer_id",
    "indicator",
    "indicator_label",
    "before",
    "after",
    "reason",
    "prev_hash",
    "hash",
]


def spreadsheet_safe(value: str) -> str:
    """Text that a spreadsheet will not run as a formula (CSV injection)."""
    return csv_safe(value)


def write_events_csv(
    handle, events, indicators: dict[int, str], labels: dict[int, str] | None = None
) -> int:
    """Write `events` (a queryset, read in batches) with a header; returns how many rows.
    `indicators` and `labels` give each answer id its indicator's number and its label (number
    and short name, "11. Arsitektur SPBE": two indicators may share a short name). Times are
    local (the deployment's time zone) with their offset; the chain columns let an auditor
    re-check the hashes."""
    labels = labels or {}
    writer = csv.writer(handle)
    writer.writerow(COLUMNS)
    written = 0
    event: AuditEvent
    for event in events.iterator(2000):
        writer.writerow(
            [
                event.chain,
                event.seq,
                timezone.localtime(event.at).isoformat(),
                spreadsheet_safe(event.actor_label),
                event.action,
                event.object_type,
                event.object_id,
                event.answer_id or "",
                indicators.get(event.answer_id, ""),
                spreadsheet_safe(labels.get(event.answer_id, "")),
                json.dumps(event.before, ensure_ascii=False, sort_keys=True),
                json.dumps(event.after, ensure_ascii=False, sort_keys=True),
                spreadsheet_safe(event.reason),
                event.prev_hash,
                event.hash,
            ]
        )
        written += 1
    return written

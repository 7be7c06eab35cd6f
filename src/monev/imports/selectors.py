"""Reads the import pages and the API share."""

from __future__ import annotations

from monev.imports.models import ImportBatch

RECENT = 10


def recent_batches(user, *, period_id: int | None = None, institution_id: int | None = None):
    """The user's own latest imports into this period (or institution-level imports)."""
    batches = ImportBatch.objects.filter(uploaded_by=user).only(
        "pk", "kind", "filename", "status", "created_at", "applied_at"
    )
    if period_id is not None:
        batches = batches.filter(period_id=period_id)
    else:
        batches = batches.filter(institution_id=institution_id, period__isnull=True)
    return list(batches[:RECENT])

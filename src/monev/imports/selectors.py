"""Reads the import pages and the API share."""

from __future__ import annotations

from monev.evaluations.models import Period
from monev.imports.models import ImportBatch
from monev.institutions.permissions import Access, Capability

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


def imports_tab(period: Period, access: Access) -> bool:
    """The period's "Impor" tab, levels and the unit matrix from a workbook
    (evaluations.hooks.period_tabs)."""
    return access.can(Capability.EDIT_ANSWER) or access.can(Capability.ASSIGN_UNITS)


def institution_imports_tab(period: Period, access: Access) -> bool:
    """The link to the institution's imports, units, users and past results, beside the period
    in the period list (evaluations.hooks.period_tabs)."""
    return access.can(Capability.MANAGE_INSTITUTION)

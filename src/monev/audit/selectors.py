"""Reading the audit trail: the events of one period or one answer, newest first."""

from __future__ import annotations

from django.db.models import QuerySet

from monev.audit.models import AuditEvent


def period_events(period_id: int) -> QuerySet[AuditEvent]:
    """Every event of the period (answers included). A queryset, so that callers page it."""
    return AuditEvent.objects.filter(period_id=period_id).order_by("-at", "-seq")


def answer_events(answer_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(answer_id=answer_id).order_by("-at", "-seq")

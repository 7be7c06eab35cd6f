"""Writing the audit trail. Called by every service that changes state, inside its
transaction: the event is committed together with the change, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from monev.audit.chain import GENESIS, canonical, event_hash
from monev.audit.models import AuditEvent, ChainHead

GLOBAL_CHAIN = "global"


def chain_key(institution_id: int | None) -> str:
    return f"institution:{institution_id}" if institution_id else GLOBAL_CHAIN


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "chain": event.chain,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "institution_id": event.institution_id,
        "period_id": event.period_id,
        "answer_id": event.answer_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }


def audit_record(
    *,
    actor,
    action: str,
    obj: Any,
    institution_id: int | None = None,
    period_id: int | None = None,
    answer_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to its institution's chain (must run inside a transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    key = chain_key(institution_id)
    head, _ = ChainHead.objects.get_or_create(key=key, defaults={"last_hash": GENESIS})
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    event = AuditEvent(
        chain=key,
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=_label(actor),
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        institution_id=institution_id,
        period_id=period_id,
        answer_id=answer_id,
        before=canonical(before or {}),
        after=canonical(after or {}),
        reason=reason,
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(hashed_fields(event), event.prev_hash)
    event.save()
    head.last_seq, head.last_hash = event.seq, event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def _label(actor) -> str:
    if actor is None:
        return "system"
    if not actor.is_authenticated:
        return "anonymous"
    return (
        f"{actor.username} ({actor.display_name})" if hasattr(actor, "display_name") else str(actor)
    )


@dataclass(frozen=True)
class ChainBreak:
    chain: str
    seq: int
    problem: str


def audit_verify() -> tuple[int, list[ChainBreak]]:
    """Recompute every chain; (events checked, breaks found)."""
    breaks: list[ChainBreak] = []
    checked = 0
    heads = {head.key: head for head in ChainHead.objects.all()}
    chains = set(heads) | set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for key in sorted(chains):
        expected_seq, prev_hash = 1, GENESIS
        for event in AuditEvent.objects.filter(chain=key).order_by("seq").iterator(2000):
            checked += 1
            if event.seq != expected_seq:
                breaks.append(ChainBreak(key, expected_seq, "event missing (deleted?)"))
            if event.prev_hash != prev_hash:
                breaks.append(ChainBreak(key, event.seq, "does not follow the previous event"))
            if event_hash(hashed_fields(event), event.prev_hash) != event.hash:
                breaks.append(ChainBreak(key, event.seq, "content changed after it was written"))
            expected_seq, prev_hash = event.seq + 1, event.hash
        head = heads.get(key)
        if head is not None and (head.last_seq != expected_seq - 1 or head.last_hash != prev_hash):
            breaks.append(ChainBreak(key, head.last_seq, "latest events missing (deleted?)"))
    return checked, breaks

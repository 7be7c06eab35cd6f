"""Writing the audit trail. Called by every service that changes state, inside its
transaction: the event is committed together with the change, or not at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from monev.audit.anchor import Anchor
from monev.audit.chain import GENESIS, canonical, event_hash
from monev.audit.hooks import event_time
from monev.audit.models import AuditEvent, ChainHead

GLOBAL_CHAIN = "global"


def chain_key(institution_id: int | None) -> str:
    return f"institution:{institution_id}" if institution_id else GLOBAL_CHAIN


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "chain": event.chain,
        "seq": event.seq,
        # In UTC, as the database gives it back: a moment given in another zone (a demo's
        # story time, in WIB) hashes the same once stored.
        "at": event.at.astimezone(UTC).isoformat(),
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
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event to its institution's chain (must run inside a transaction), at `at`:
    the institution's current time (monev.institutions.clock) unless the caller gives it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    key = chain_key(institution_id)
    head, _ = ChainHead.objects.get_or_create(key=key, defaults={"last_hash": GENESIS})
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    event = AuditEvent(
        chain=key,
        seq=head.last_seq + 1,
        at=at or event_time(institution_id),
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


def audit_record_many(
    *, actor, institution_id: int | None, entries: list[dict], at: datetime | None = None
) -> int:
    """Append several events to one institution's chain at once - a bulk action's event per
    answer: one lock of the chain and one insert however many there are (inside the change's
    transaction). Each entry holds audit_record's other arguments: action, obj, period_id,
    answer_id, before, after, reason; they share `at` (as audit_record's). Returns how many
    were written."""
    if not entries:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must run inside the transaction of the change")
    key = chain_key(institution_id)
    head, _ = ChainHead.objects.get_or_create(key=key, defaults={"last_hash": GENESIS})
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    at, label = at or event_time(institution_id), _label(actor)
    events = []
    for entry in entries:
        obj = entry["obj"]
        event = AuditEvent(
            chain=key,
            seq=head.last_seq + 1,
            at=at,
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_label=label,
            action=entry["action"],
            object_type=type(obj).__name__.lower(),
            object_id=str(obj.pk),
            institution_id=institution_id,
            period_id=entry.get("period_id"),
            answer_id=entry.get("answer_id"),
            before=canonical(entry.get("before") or {}),
            after=canonical(entry.get("after") or {}),
            reason=entry.get("reason", ""),
            prev_hash=head.last_hash,
        )
        event.hash = event_hash(hashed_fields(event), event.prev_hash)
        head.last_seq, head.last_hash = event.seq, event.hash
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    head.save(update_fields=["last_seq", "last_hash"])
    return len(events)


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


def audit_verify(anchor: Anchor | None = None) -> tuple[int, list[ChainBreak]]:
    """Recompute every chain, and compare it with `anchor` if given (anchor_breaks);
    (events checked, breaks found)."""
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
    if anchor is not None:
        breaks.extend(anchor_breaks(anchor))
    return checked, breaks


# Chains per query when looking up the anchored events (an OR of this many conditions).
ANCHOR_BATCH = 200


def anchor_breaks(anchor: Anchor) -> list[ChainBreak]:
    """Where the trail no longer reaches `anchor`: an anchored event that is gone (the newest
    events deleted, with the chain head or not) or whose hash changed (the chain rewritten with
    fresh hashes up to there). Neither shows in the chain by itself. Events after the anchored
    ones are not judged: the chain has grown since, as it should."""
    wanted = sorted(anchor.chains.items())
    found: dict[str, str] = {}
    for start in range(0, len(wanted), ANCHOR_BATCH):
        batch = wanted[start : start + ANCHOR_BATCH]
        condition = reduce(or_, (Q(chain=key, seq=seq) for key, (seq, _hash) in batch))
        found.update(AuditEvent.objects.filter(condition).values_list("chain", "hash"))
    missing = [key for key, _head in wanted if key not in found]
    last_seq = dict(
        AuditEvent.objects.filter(chain__in=missing)
        .values("chain")
        .annotate(last=Max("seq"))
        .values_list("chain", "last")
    )
    breaks = []
    when = f"the anchor of {anchor.at}"
    for key, (seq, hash_) in wanted:
        if key in found:
            if found[key] != hash_:
                problem = (
                    f"its hash differs from the anchor's ({when}): the chain was rewritten "
                    "up to this event"
                )
                breaks.append(ChainBreak(key, seq, problem))
            continue
        last = last_seq.get(key)
        if last is None:
            problem = f"the chain has no events, but {when} recorded #{seq}: it was deleted"
        elif last < seq:
            problem = (
                f"the chain ends at event #{last}, but {when} recorded #{seq}: "
                "the newest events were deleted"
            )
        else:
            problem = f"missing, though {when} recorded it: events were deleted"
        breaks.append(ChainBreak(key, seq, problem))
    return breaks

"""The hash of an audit event, over a canonical form of its content and its predecessor."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def _default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in an audit event")


def canonical(value: Any) -> Any:
    """JSON-ready data: Decimals, dates and datetimes as text, so stored JSON hashes the same."""
    return json.loads(json.dumps(value, default=_default))


def event_hash(fields: dict[str, Any], prev_hash: str) -> str:
    payload = json.dumps(
        {**fields, "prev_hash": prev_hash},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=_default,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()

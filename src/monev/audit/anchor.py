"""The audit anchor: every chain's head (sequence number and hash) at one moment, kept outside
the database (MONEV_AUDIT_ANCHOR, default MONEV_DATA_DIR/audit-anchor.json).

The hash chain shows an edited or removed event, but not the newest events deleted together
with the chain head: what is left is a shorter chain that is consistent in itself. Nor does it
show a chain rewritten from some event on with fresh hashes. An anchor written earlier shows
both: the anchored event must still be there, with the anchored hash (services.anchor_breaks).
Whoever can change the database may also reach this file, so copies belong elsewhere too:
`monev audit anchor` prints the anchor as one line for a log or a mail (docs/backup.md).

The file is one line of JSON:
    {"at": "2026-12-07T02:37:12+00:00", "chains": {"global": {"hash": "...", "seq": 12}, ...},
     "format": "monev-audit-anchor", "format_version": 1}
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from monev.audit.models import ChainHead

FORMAT = "monev-audit-anchor"
FORMAT_VERSION = 1
HASH = re.compile(r"^[0-9a-f]{64}$")


class AnchorError(Exception):
    """An anchor file that cannot be used; the message says why, for the operator."""


@dataclass(frozen=True)
class Anchor:
    at: str  # ISO 8601, UTC, to the second
    chains: dict[str, tuple[int, str]]  # chain key -> (sequence number, hash) of its head

    @property
    def events(self) -> int:
        return sum(seq for seq, _hash in self.chains.values())

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "at": self.at,
                "chains": {
                    key: {"seq": seq, "hash": hash_}
                    for key, (seq, hash_) in sorted(self.chains.items())
                },
            },
            sort_keys=True,
            separators=(", ", ": "),
        )

    @classmethod
    def from_json(cls, text: str) -> Anchor:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise AnchorError(f"it is not JSON ({error})") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise AnchorError("it is not a Monev audit anchor")
        if data.get("format_version") != FORMAT_VERSION:
            raise AnchorError(
                f"it is in anchor format {data.get('format_version')!r}; this version of Monev "
                f"reads format {FORMAT_VERSION}"
            )
        at, chains = data.get("at"), data.get("chains")
        if not isinstance(at, str) or not isinstance(chains, dict):
            raise AnchorError("its time or its chains are missing")
        heads = {}
        for key, head in chains.items():
            seq = head.get("seq") if isinstance(head, dict) else None
            hash_ = head.get("hash") if isinstance(head, dict) else None
            valid_seq = isinstance(seq, int) and not isinstance(seq, bool) and seq > 0
            if not valid_seq or not isinstance(hash_, str) or not HASH.match(hash_):
                raise AnchorError(f"its head of chain {key!r} is not a sequence number and hash")
            heads[key] = (seq, hash_)
        return cls(at=at, chains=heads)


def from_heads(rows, at: datetime | None = None) -> Anchor:
    """An anchor of (key, last_seq, last_hash) rows; chains without an event are left out."""
    moment = (at or timezone.now()).astimezone(UTC).isoformat(timespec="seconds")
    return Anchor(
        at=moment, chains={key: (seq, hash_) for key, seq, hash_ in rows if seq and seq > 0}
    )


def current() -> Anchor:
    """Every chain's head now (the ChainHead rows: the audit trail's own idea of its end)."""
    return from_heads(ChainHead.objects.values_list("key", "last_seq", "last_hash"))


def configured_path() -> Path:
    return Path(settings.MONEV_AUDIT_ANCHOR)


def read(path: Path) -> Anchor | None:
    """The anchor in `path`, or None when there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise AnchorError(f"it cannot be read ({error})") from None
    return Anchor.from_json(text)


def write(path: Path, text: str) -> None:
    """Replace `path` with `text` at once: a reader sees the old anchor or the new one, never
    half of one."""
    if not path.parent.is_dir():
        raise AnchorError(f"the folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(text.rstrip("\n") + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise AnchorError(f"it cannot be written ({error})") from None

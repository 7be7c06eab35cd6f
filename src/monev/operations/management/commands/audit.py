"""`monev audit verify`: recompute every hash chain of the audit trail and compare it with the
audit anchor; exit 1 on any break.
`monev audit anchor`: write every chain's head to the anchor file (and print it, for a log).
`monev audit export --period ID --out FILE.csv`: one period's events, for auditors.

`verify` and `anchor` are meant for cron and monitoring: `verify` prints the events checked per
chain and exits 0, or names each break (chain, event, what is wrong) on stderr and exits 1.
`anchor` prints the anchor as one line of JSON on stdout (ship it to a log or a mail elsewhere:
docs/backup.md) and refuses, exit 1, to replace an anchor the trail no longer reaches.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monev.audit import anchor as audit_anchor
from monev.audit.export import write_events_csv
from monev.audit.models import AuditEvent
from monev.audit.services import ChainBreak, anchor_breaks, audit_verify
from monev.evaluations.history import indicator_labels, indicator_numbers
from monev.evaluations.models import Period
from monev.institutions.models import Institution


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chains against the anchor (verify), record their heads "
        "outside the database (anchor), or export a period's events (export)."
    )

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="{verify,anchor,export}")
        commands.required = True
        verify = commands.add_parser(
            "verify",
            help="recompute every chain and compare it with the anchor; exit 1 naming each "
            "edited or deleted event",
        )
        verify.add_argument(
            "--anchor",
            metavar="FILE",
            help="the anchor to compare with, e.g. a copy kept elsewhere (default: "
            "MONEV_AUDIT_ANCHOR, MONEV_DATA_DIR/audit-anchor.json)",
        )
        commands.add_parser(
            "anchor",
            help="write every chain's head (sequence number, hash, time) to MONEV_AUDIT_ANCHOR "
            "and print it as one JSON line for a log kept elsewhere; refused (exit 1) if the "
            "trail no longer reaches the previous anchor",
        )
        export = commands.add_parser("export", help="write one period's events as CSV")
        export.add_argument("--period", type=int, required=True, metavar="ID", help="period id")
        export.add_argument(
            "--out", required=True, metavar="FILE", help="CSV file to write ('-': stdout)"
        )

    def handle(self, *args, action: str, **options):
        if action == "verify":
            return self.verify(options["anchor"])
        if action == "anchor":
            return self.anchor()
        return self.export(options["period"], options["out"])

    # --- verify ---------------------------------------------------------------------------------

    def verify(self, anchor_file: str | None) -> None:
        path = Path(anchor_file) if anchor_file else audit_anchor.configured_path()
        anchor = _read_anchor(path)
        if anchor is None and anchor_file:
            raise CommandError(f"There is no audit anchor at {path}.")
        checked, breaks = audit_verify(anchor)
        counts = Counter(AuditEvent.objects.values_list("chain", flat=True).iterator())
        names = _chain_names(counts)
        broken = Counter(b.chain for b in breaks)
        for chain in sorted(counts):
            state = f"{broken[chain]} break(s)" if broken[chain] else "ok"
            self.stdout.write(f"{chain:<20} {counts[chain]:>8} events  {state}  {names[chain]}")
        if anchor is None:
            self.stdout.write(
                f"No audit anchor at {path}: the newest events deleted together with their "
                "chain head would go unnoticed. Run `monev audit anchor` regularly "
                "(docs/backup.md)."
            )
        if not breaks:
            if anchor is not None:
                self.stdout.write(
                    f"Anchor of {anchor.at} ({path}): every anchored head is still there "
                    f"({len(anchor.chains)} chain(s))."
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit trail intact: {checked} events checked in {len(counts)} chain(s)."
                )
            )
            return
        for item in breaks:
            self.stderr.write(f"BREAK {_describe(item)}")
        raise CommandError(
            f"The audit trail has {len(breaks)} break(s) in {len(broken)} chain(s): "
            "events were edited or deleted after they were written.",
            returncode=1,
        )

    # --- anchor ---------------------------------------------------------------------------------

    def anchor(self) -> None:
        path = audit_anchor.configured_path()
        previous = _read_anchor(path)
        if previous is not None:
            breaks = anchor_breaks(previous)
            if breaks:
                for item in breaks:
                    self.stderr.write(f"BREAK {_describe(item)}")
                # Writing the new heads would bless the deletion: the old anchor stays.
                raise CommandError(
                    f"The audit trail no longer reaches the anchor of {previous.at} in {path} "
                    f"({len(breaks)} break(s), above): the new anchor was not written. Find out "
                    "what happened (`monev audit verify`, the backups) before anything else.",
                    returncode=1,
                )
        anchor = audit_anchor.current()
        try:
            audit_anchor.write(path, anchor.to_json())
        except audit_anchor.AnchorError as error:
            raise CommandError(f"The audit anchor {path} was not written: {error}.") from None
        # The anchor alone on stdout, for a log or a mail kept where the database's users
        # cannot change it; the rest on stderr.
        self.stdout.write(anchor.to_json())
        self.stderr.write(
            f"Audit anchor written to {path}: {len(anchor.chains)} chain(s), "
            f"{anchor.events} events, at {anchor.at}."
        )

    # --- export ---------------------------------------------------------------------------------

    def export(self, period_id: int, out: str) -> None:
        period = Period.objects.select_related("institution").filter(pk=period_id).first()
        if period is None:
            raise CommandError(f"There is no period with id {period_id}.")
        events = AuditEvent.objects.filter(period_id=period.pk).order_by("chain", "seq")
        indicators = indicator_numbers(period)
        labels = indicator_labels(period, indicators)
        if out == "-":
            written = write_events_csv(sys.stdout, events, indicators, labels)
        else:
            path = Path(out)
            if not path.parent.is_dir():
                raise CommandError(f"The folder {path.parent} does not exist.")
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                written = write_events_csv(handle, events, indicators, labels)
        if out != "-":
            self.stdout.write(f"{written} events of {period} written to {out}.")


def _chain_names(counts) -> dict[str, str]:
    ids = [int(c.split(":", 1)[1]) for c in counts if c.startswith("institution:")]
    names = dict(Institution.objects.filter(pk__in=ids).values_list("pk", "name"))
    result = {}
    for chain in counts:
        if chain.startswith("institution:"):
            result[chain] = names.get(int(chain.split(":", 1)[1]), "(institution deleted)")
        else:
            result[chain] = ""
    return result


def _read_anchor(path: Path) -> audit_anchor.Anchor | None:
    try:
        return audit_anchor.read(path)
    except audit_anchor.AnchorError as error:
        raise CommandError(
            f"The audit anchor {path} cannot be used: {error}. Someone may have changed it; "
            "compare it with a copy kept elsewhere (`monev audit verify --anchor FILE`).",
            returncode=1,
        ) from None


def _describe(item: ChainBreak) -> str:
    event = AuditEvent.objects.filter(chain=item.chain, seq=item.seq).first()
    what = f" ({event.action} by {event.actor_label}, id {event.pk})" if event else ""
    return f"chain {item.chain}, event #{item.seq}{what}: {item.problem}"

"""`monev audit verify`: recompute every hash chain of the audit trail; exit 1 on any break.
`monev audit export --period ID --out FILE.csv`: one period's events, for auditors.

`verify` is meant for cron and monitoring: it prints the events checked per chain and exits 0,
or names each break (chain, event, what is wrong) on stderr and exits 1.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from monev.audit.export import write_events_csv
from monev.audit.models import AuditEvent
from monev.audit.services import ChainBreak, audit_verify
from monev.evaluations.models import Answer, Period
from monev.institutions.models import Institution


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains (verify), or export a period's events (export)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", metavar="{verify,export}")
        commands.required = True
        commands.add_parser(
            "verify",
            help="recompute every chain; exit 1 naming each edited or deleted event",
        )
        export = commands.add_parser("export", help="write one period's events as CSV")
        export.add_argument("--period", type=int, required=True, metavar="ID", help="period id")
        export.add_argument(
            "--out", required=True, metavar="FILE", help="CSV file to write ('-': stdout)"
        )

    def handle(self, *args, action: str, **options):
        if action == "verify":
            return self.verify()
        return self.export(options["period"], options["out"])

    # --- verify ---------------------------------------------------------------------------------

    def verify(self) -> None:
        checked, breaks = audit_verify()
        counts = Counter(AuditEvent.objects.values_list("chain", flat=True).iterator())
        names = _chain_names(counts)
        broken = Counter(b.chain for b in breaks)
        for chain in sorted(counts):
            state = f"{broken[chain]} break(s)" if broken[chain] else "ok"
            self.stdout.write(f"{chain:<20} {counts[chain]:>8} events  {state}  {names[chain]}")
        if not breaks:
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

    # --- export ---------------------------------------------------------------------------------

    def export(self, period_id: int, out: str) -> None:
        period = Period.objects.select_related("institution").filter(pk=period_id).first()
        if period is None:
            raise CommandError(f"There is no period with id {period_id}.")
        events = AuditEvent.objects.filter(period_id=period.pk).order_by("chain", "seq")
        indicators = dict(Answer.objects.filter(period=period).values_list("pk", "indicator"))
        if out == "-":
            written = write_events_csv(sys.stdout, events, indicators)
        else:
            path = Path(out)
            if not path.parent.is_dir():
                raise CommandError(f"The folder {path.parent} does not exist.")
            with path.open("w", newline="", encoding="utf-8-sig") as handle:
                written = write_events_csv(handle, events, indicators)
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


def _describe(item: ChainBreak) -> str:
    event = AuditEvent.objects.filter(chain=item.chain, seq=item.seq).first()
    what = f" ({event.action} by {event.actor_label}, id {event.pk})" if event else ""
    return f"chain {item.chain}, event #{item.seq}{what}: {item.problem}"

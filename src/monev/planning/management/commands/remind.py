"""`monev remind`: email units' operators about overdue and soon-due items, and each
koordinator a daily digest. Meant for cron, e.g. every hour or once each morning: an item is
never reminded twice to the same person on the same day, so running it again sends only what
is new (or what failed before). See docs/planning.md, "Reminders".
"""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monev.planning import reminders


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now: not an ISO date and time: {text!r} (e.g. 2025-08-11T07:00+07:00)"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # in the server's time zone
    return moment


class Command(BaseCommand):
    help = (
        "Email reminders of overdue and soon-due action items and answers to units' operators, "
        "and a daily digest to each koordinator. Never the same item twice a day (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say what would be sent; send and record nothing (-v 2 prints the emails)",
        )
        parser.add_argument(
            "--now",
            metavar="ISO_DATETIME",
            help="act as if it were this moment (testing, catching up); default: now",
        )
        parser.add_argument(
            "--lead-days",
            metavar="DAYS",
            help="days before a due date to remind on, e.g. 7,3,1 "
            "(default: MONEV_REMINDER_LEAD_DAYS)",
        )

    def handle(self, *args, dry_run: bool, now: str | None, lead_days: str | None, **options):
        moment = _moment(now) if now else timezone.now()
        days = None
        if lead_days is not None:
            try:
                days = reminders.parse_lead_days(lead_days)
            except ValueError as error:
                raise CommandError(f"--lead-days: {error}") from None
        result = reminders.remind(moment, days, dry_run=dry_run)
        outbox = result.outbox
        verbosity = options.get("verbosity", 1)
        lead = ", ".join(str(d) for d in outbox.lead_days)
        self.stdout.write(f"Reminders for {outbox.day.isoformat()} (lead days: {lead}).")
        if dry_run:
            self._dry_run(outbox, verbosity)
        else:
            self.stdout.write(
                f"Sent {result.sent[reminders.REMINDER]} reminder email(s) to unit operators "
                f"and {result.sent[reminders.DIGEST]} digest(s) to koordinators."
            )
            if result.raced:
                names = ", ".join(e.user.username for e in result.raced)
                self.stdout.write(f"Already sent by another run meanwhile: {names}.")
        self._skipped(outbox)
        if result.failed:
            for email, error in result.failed:
                self.stderr.write(f"Failed: {email.kind} to {email.user.username}: {error}")
            raise CommandError(
                f"{len(result.failed)} email(s) could not be sent; the next run tries them again."
            )

    def _dry_run(self, outbox, verbosity: int) -> None:
        self.stdout.write("Dry run: nothing is sent or recorded.")
        for email in outbox.emails:
            self.stdout.write(
                f"Would send a {email.kind} to {email.user.username} <{email.user.email}>: "
                f"{email.summary}"
            )
            if verbosity >= 2:
                self.stdout.write(f"Subject: {email.subject}\n\n{email.body}")
        self.stdout.write(
            f"Would send {outbox.count(reminders.REMINDER)} reminder email(s) to unit operators "
            f"and {outbox.count(reminders.DIGEST)} digest(s) to koordinators."
        )

    def _skipped(self, outbox) -> None:
        if outbox.no_email:
            names = ", ".join(user.username for user in outbox.no_email)
            self.stdout.write(
                f"Skipped {len(outbox.no_email)} recipient(s) without an email address: {names}."
            )

"""`monev periods`: every period with its id, institution, kind, year and instrument - the ids
`monev export --period ID` takes."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from monev.evaluations.models import Period


class Command(BaseCommand):
    help = "List the periods (id, institution, kind, year, instrument) for `monev export`."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only the periods of this year")
        parser.add_argument("--instrument", help="only the periods under this instrument id")

    def handle(self, *args, year=None, instrument=None, **options):
        periods = Period.objects.select_related("institution").order_by(
            "institution__name", "-year", "kind"
        )
        if year is not None:
            periods = periods.filter(year=year)
        if instrument:
            periods = periods.filter(instrument_id=instrument)
        rows = [
            (
                str(p.pk),
                p.institution.name,
                p.kind,
                str(p.year),
                p.instrument_reference,
            )
            for p in periods
        ]
        if not rows:
            self.stdout.write("No period.")
            return
        header = ("ID", "INSTITUTION", "KIND", "YEAR", "INSTRUMENT")
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )

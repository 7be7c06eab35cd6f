"""`monev COMMAND ...`: `score` and `instrument` run without Django (fast, no database);
every other command is a Django management command (`monev migrate`, `monev runserver`)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence

from monev.cli import instrument, plan, score

PURE_COMMANDS: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "score": (score.main, "score an institution from a CSV of levels or published scores"),
    "instrument": (instrument.main, "list, show and check instrument files"),
    "plan": (plan.main, "the least-effort level increases that reach a target index"),
}

USAGE = """\
usage: monev COMMAND [ARGS]

Monev SPBE commands:
{pure}

Every other command is a Django management command, e.g.:
  migrate            create or update the database
  runserver          serve the web application for development
  serve              the production web server (gunicorn; docs/deploy.md)
  collectstatic      gather the static files for `serve` (once per release)
  demo               load the demo data (Pemerintah Kota Bandung)
  audit verify       check the audit trail's hash chains against the anchor (exit 1 on
                     tampering; --anchor FILE: a copy of the anchor kept elsewhere)
  audit anchor       record every chain's head outside the database (MONEV_AUDIT_ANCHOR)
                     and print it for a log: deleting the newest events is then noticed
  cycle close-due    lock answers whose self-assessment deadline has passed (cron)
  token create USER  make a personal API token (also: token list, token revoke)
  sso_check          check the single sign-on settings and role map
  worker             run background jobs (text extraction of evidence)
  periods            list the periods (ids for export)
  export             a period's workbook or PDF, or the recap over institutions, to a file:
                     --period ID --kind self-assessment|units|recap|pdf|summary-pdf --out FILE
                     --kind institutions --year Y --instrument ID --out FILE
  evidence reindex   rebuild the evidence search index (also: evidence gc)
  import KIND FILE   import levels|assignment (--period ID) or people|published
                     (--institution CODE) from .xlsx/CSV; nothing written if a row is rejected
                     (institutions|periods|assessor-assignments: rows name their institution)
  evaluator USER     --national | --province NAME | --none: who oversees which institutions
  backup             one archive: database, evidence files, audit anchor, SHA-256 manifest
                     (--out FILE); renews the audit anchor
  restore FILE       restore a backup into an empty deployment, verifying every checksum
  check              system checks, then evidence checksums and the audit chain against
                     the anchor (exit 1)
  createsuperuser    create an administrator account

`monev help` lists them all; `monev COMMAND --help` explains one.
"""


def usage() -> str:
    pure = "\n".join(f"  {name:<18} {text}" for name, (_, text) in PURE_COMMANDS.items())
    return USAGE.format(pure=pure)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return 0
    if args[0] in PURE_COMMANDS:
        try:
            return PURE_COMMANDS[args[0]][0](args[1:])
        except BrokenPipeError:
            # Output piped into `head` and the like: stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 0
    if args[0] == "help" and len(args) == 1:
        print(usage())
    return run_django(args)


def run_django(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monev.settings")
    # Imported here so that the pure commands start without loading Django.
    from django.core.management import execute_from_command_line

    execute_from_command_line(["monev", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())

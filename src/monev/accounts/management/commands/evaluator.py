"""`monev evaluator USERNAME (--national | --province NAME | --none)`

Sets who oversees which institutions: a national evaluator (every institution), the evaluator
of one province (the province and its kabupaten and kota), or no evaluator. Runs as the
system; records the audit event user.evaluator_scope.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from monev.accounts.models import User
from monev.accounts.services import evaluator_scope_set
from monev.lib.errors import DomainError


class Command(BaseCommand):
    help = (
        "Make a user a national evaluator (--national), the evaluator of one province "
        "(--province NAME), or no evaluator (--none)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--national", action="store_true", help="every institution")
        scope.add_argument(
            "--province", metavar="NAME", help="one province, its kabupaten and kota"
        )
        scope.add_argument("--none", action="store_true", help="no evaluator scope")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user has the username {username!r}.")
        if options["national"]:
            scope, province = "nasional", ""
        elif options["province"] is not None:
            scope, province = "provinsi", options["province"]
        else:
            scope, province = "", ""
        try:
            user = evaluator_scope_set(None, user_id=user.pk, scope=scope, province=province)
        except DomainError as error:
            raise CommandError(str(error.message)) from None
        if user.evaluator_scope == "nasional":
            self.stdout.write(f"{username}: national evaluator (every institution).")
        elif user.evaluator_scope == "provinsi":
            self.stdout.write(f"{username}: evaluator of {user.evaluator_province}.")
        else:
            self.stdout.write(f"{username}: no evaluator scope.")

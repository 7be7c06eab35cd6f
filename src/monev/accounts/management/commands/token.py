"""`monev token create|list|revoke USERNAME ...`: personal API tokens from the server's shell,
e.g. for a script or an integration. The secret is printed once, when created."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from monev.accounts import selectors, services
from monev.accounts.models import ApiToken, User
from monev.lib.errors import DomainError

DEFAULT_NAME = "monev token"


class Command(BaseCommand):
    help = "Create, list or revoke a user's personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create", help="create a token and print its secret (shown only now)"
        )
        create.add_argument("username")
        create.add_argument("--name", default=DEFAULT_NAME, help="where the token is used")
        listing = actions.add_parser("list", help="list the user's tokens (never the secrets)")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="stop a token working")
        revoke.add_argument("username")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action: str, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        try:
            if action == "create":
                self.create(user, options["name"])
            elif action == "list":
                self.list(user)
            else:
                self.revoke(user, options["token_id"])
        except DomainError as error:
            raise CommandError(str(error.message)) from None

    def create(self, user: User, name: str) -> None:
        token, secret = services.token_create(actor=user, name=name, origin=ApiToken.Origin.COMMAND)
        # The secret alone on stdout (TOKEN=$(monev token create ...)); the rest on stderr.
        self.stderr.write(
            f"Token {token.pk} ({token.name!r}) for {user.username}. Copy it now: it is not "
            "shown again. Use it as `Authorization: Bearer <token>`."
        )
        self.stdout.write(secret)

    def list(self, user: User) -> None:
        tokens = selectors.tokens_of(user)
        if not tokens:
            self.stdout.write(f"{user.username} has no tokens.")
            return
        header = (
            f"{'ID':>5}  {'PREFIX':<13} {'CREATED':<17} {'LAST USED':<17} {'STATE':<7} "
            f"{'ORIGIN':<8} NAME"
        )
        self.stdout.write(header)
        for token in tokens:
            state = "revoked" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.pk:>5}  {token.key_prefix + '…':<13} {_when(token.created_at):<17} "
                f"{_when(token.last_used_at):<17} {state:<7} {token.origin:<8} {token.name}"
            )

    def revoke(self, user: User, token_id: int) -> None:
        token = services.token_revoke(actor=user, token_id=token_id)
        self.stdout.write(f"Token {token.pk} ({token.name!r}) of {user.username} is revoked.")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"

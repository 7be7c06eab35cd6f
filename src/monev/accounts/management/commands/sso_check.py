"""`monev sso_check`: is single sign-on configured, and does the role map name only
institutions and units that exist? For the administrator, before people sign in."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from monev.accounts.sso import RoleMapError, load_role_map
from monev.institutions.models import Institution, Unit


class Command(BaseCommand):
    help = "Check the single sign-on configuration and its role map (exit 1 on a problem)."

    def handle(self, *args, **options):
        if not settings.MONEV_OIDC_ENABLED:
            self.stdout.write("Single sign-on is off (MONEV_OIDC_ISSUER is not set).")
            return
        self.stdout.write(f"Issuer:       {settings.MONEV_OIDC_ISSUER}")
        self.stdout.write(f"Client id:    {settings.OIDC_RP_CLIENT_ID}")
        self.stdout.write(f"Token URL:    {settings.OIDC_OP_TOKEN_ENDPOINT}")
        self.stdout.write(f"Role claim:   {settings.MONEV_OIDC_ROLE_CLAIM}")
        path = settings.MONEV_OIDC_ROLE_MAP
        if path is None:
            self.stdout.write("Role map:     none (people who sign in get no role)")
            return
        try:
            role_map = load_role_map(path)
        except RoleMapError as error:
            raise CommandError(f"Role map: {error}") from None
        grants = [(value, grant) for value, items in role_map.items() for grant in items]
        institutions = dict(
            Institution.objects.filter(code__in={g.institution for _v, g in grants}).values_list(
                "code", "id"
            )
        )
        units = set(
            Unit.objects.filter(institution_id__in=institutions.values()).values_list(
                "institution__code", "code"
            )
        )
        problems = []
        for value, grant in grants:
            if grant.institution not in institutions:
                problems.append(f"{value!r}: no institution with code {grant.institution!r}")
            elif grant.unit and (grant.institution, grant.unit) not in units:
                problems.append(
                    f"{value!r}: institution {grant.institution!r} has no unit {grant.unit!r}"
                )
        self.stdout.write(
            f"Role map:     {path} ({len(role_map)} claim values, {len(grants)} grants)"
        )
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(f"{len(problems)} grant(s) in the role map name unknown codes")
        self.stdout.write("Every grant names an existing institution and unit.")

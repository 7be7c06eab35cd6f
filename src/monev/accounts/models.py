from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person. What they may do is decided per institution by their memberships, and, for
    the people who run the evaluation of many institutions, by their evaluator scope."""

    class EvaluatorScope(models.TextChoices):
        NONE = "", _("none")
        NATIONAL = "nasional", _("national (every institution)")
        PROVINCE = "provinsi", _("one province (the province and its kabupaten/kota)")

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    # Kept on the user row, which every request loads anyway: deciding a page's access costs
    # no extra query for the many people who are not evaluators.
    evaluator_scope = models.CharField(
        _("evaluator scope"), max_length=10, choices=EvaluatorScope.choices, blank=True
    )
    evaluator_province = models.CharField(_("evaluator's province"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_evaluator(self) -> bool:
        return bool(self.evaluator_scope)

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once, when created.

    Only a signed-in person (the tokens page, the API with the browser session) or the server's
    shell (`monev token`) makes tokens, never another token: revoking a leaked token then leaves
    no successor it minted behind. `origin` records which of them made each one."""

    PREFIX = "monev_"

    class Origin(models.TextChoices):
        PAGE = "page", _("on this page")
        API = "api", _("API, signed in")
        COMMAND = "command", _("command monev token")
        # Tokens made before the origin was kept (some may have been made by another token).
        UNKNOWN = "unknown", _("not recorded")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=16)  # the start of the token, to tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(
        _("created with"), max_length=10, choices=Origin.choices, default=Origin.UNKNOWN
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class SsoIdentity(models.Model):
    """The identity server's account behind a user: matched by issuer and subject (`sub`),
    which the server never reuses, rather than by an email address that can change hands."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sso_identities")
    issuer = models.CharField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class SsoGrant(models.Model):
    """Marks a membership as granted from the identity server's claims: sign-in adds and
    removes these to follow the claims. Memberships without one were granted in Monev and
    sign-in leaves them alone."""

    membership = models.OneToOneField(
        "institutions.Membership", on_delete=models.CASCADE, related_name="sso_grant"
    )
    claim_value = models.CharField(_("claim value"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on grant")
        verbose_name_plural = _("single sign-on grants")

    def __str__(self) -> str:
        return f"{self.membership} ← {self.claim_value}"

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """An instansi: a ministry or agency, a province, a kabupaten or a kota."""

    class Kind(models.TextChoices):
        PUSAT = "pusat", _("central government (pusat)")
        PROVINSI = "provinsi", _("province")
        KABUPATEN = "kabupaten", _("regency (kabupaten)")
        KOTA = "kota", _("city (kota)")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    province = models.CharField(_("province"), max_length=80, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # How far the institution's own clock runs from the real one (monev.institutions.clock):
    # zero for a real institution; a demo institution lives on its story's day.
    # The database default too: rows written by older code (or by migrations' historical
    # models) get a real clock.
    clock_offset = models.DurationField(
        _("clock offset"), default=timedelta(0), db_default=timedelta(0)
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A perangkat daerah / unit kerja that supplies evidence and drafts answers."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["institution", "code"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="unit_code_unique"),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Role(models.TextChoices):
    KOORDINATOR = "koordinator", _("Koordinator")
    OPERATOR = "operator", _("Operator unit")
    ASESOR_INTERNAL = "asesor_internal", _("Asesor internal")
    ASESOR_EKSTERNAL = "asesor_eksternal", _("Asesor eksternal")
    PIMPINAN = "pimpinan", _("Pimpinan")
    ADMIN = "admin", _("Admin")


class Membership(models.Model):
    """A user's role in one institution (and, for an operator, in one of its units).
    An external assessor's membership is their assignment to the institution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role", "unit"], name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "institution", "role"],
                condition=models.Q(unit__isnull=True),
                name="membership_unique_without_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="operator") | models.Q(unit__isnull=False),
                name="operator_has_unit",
            ),
        ]

    def __str__(self) -> str:
        where = f" / {self.unit}" if self.unit_id else ""
        return f"{self.user} - {self.get_role_display()} - {self.institution}{where}"

"""Results of other agencies' indices (SDI from Bappenas, SJIG from BIG, the statistics index
from BPS) for the indicators the instrument imports (pemdi-2026 5, 6, 7, 18).

A result is never changed: a correction or a newer year is a new row, so the history stays.
Which result a period uses: see monev.external.selectors.applicable_results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import LEVEL_DIGITS
from monev.institutions.models import Institution


class ExternalResult(models.Model):
    class Method(models.TextChoices):
        LINEAR_BANDS = "linear_bands", _("Converted linearly within bands")
        DIRECT = "direct", _("Used directly (same scale)")
        ENTERED = "entered", _("Entered with its source (no known formula)")

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="external_results"
    )
    instrument_id = models.CharField(_("instrument"), max_length=60)
    indicator = models.CharField(_("indicator"), max_length=20)
    index_name = models.CharField(_("source index"), max_length=300)  # from the instrument
    data_year = models.PositiveSmallIntegerField(_("data year"))
    # The other agency's value (SDI 68.75); None where the value is entered (no formula).
    source_value = models.DecimalField(
        _("source value"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    value = models.DecimalField(_("indicator value"), **LEVEL_DIGITS)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    evidence = models.ForeignKey(
        "evidence.Evidence",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_results",
        verbose_name=_("document"),
    )
    source_note = models.TextField(_("source / note"), blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("external result")
        verbose_name_plural = _("external results")
        ordering = ["institution", "instrument_id", "indicator", "-data_year", "-recorded_at"]
        indexes = [
            models.Index(
                fields=["institution", "instrument_id", "indicator", "data_year"],
                name="external_result_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.instrument_id}/{self.indicator} {self.data_year}"

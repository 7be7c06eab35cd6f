from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import Period
from monev.institutions.models import Institution


class ImportBatch(models.Model):
    """One uploaded file between its preview and its apply: the rows as parsed (never the file,
    never a password as typed) and the validation report the person saw. Applied at most once,
    only by the person who uploaded it; a preview expires after a day."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")
        EXPIRED = "expired", _("Expired")

    kind = models.CharField(_("kind"), max_length=20)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        Period, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(  # None: the system (`monev import`)
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)
    layout = models.JSONField(default=dict)  # where the table was found, which columns
    report = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="import_status_created")]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

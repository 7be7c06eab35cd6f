from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import Period
from monev.evaluations.stages import SELF


class Snapshot(models.Model):
    """Every answer's level at every stage, and the scores the engine computed from them, as
    they stood at one moment: a Triwulan checkpoint (taken by `monev cycle snapshot-due`) or
    on demand. Written once, never edited: the history and the forecast read them."""

    class Kind(models.TextChoices):
        CHECKPOINT = "checkpoint", _("Checkpoint")
        ON_DEMAND = "on_demand", _("On demand")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="snapshots")
    label = models.CharField(_("label"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The Triwulan milestone kind a checkpoint snapshot stands for ("" on demand).
    checkpoint = models.CharField(_("checkpoint"), max_length=30, blank=True)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {item number: {"self": "3.00" | null, "verified": ..., "provisional": ..., "final": ...}}
    levels = models.JSONField(default=dict)
    # {stage: null | {"index", "exact", "predicate", "given", "total", "aspects", "domains"}}
    scores = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["period", "taken_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "checkpoint"],
                condition=~models.Q(checkpoint=""),
                name="snapshot_one_per_checkpoint",
            ),
        ]
        indexes = [models.Index(fields=["period", "taken_at"], name="snapshot_period_taken")]

    def __str__(self) -> str:
        return f"{self.period} {self.label}"

    def index_of(self, stage: str = SELF) -> str | None:
        score = (self.scores or {}).get(stage)
        return score["index"] if score else None

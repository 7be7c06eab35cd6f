"""Suggestions carried over an instrument change: last period's evidence and penjelasan,
proposed for the new instrument's indicators through a crosswalk (a judgement, never an
official mapping). The coordinator accepts or rejects each one; nothing is applied on its own
and a level is never carried across."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from monev.evaluations.models import Answer, Period
from monev.evidence.models import Evidence


class CrosswalkSuggestion(models.Model):
    class Kind(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence to link")
        ANSWER = "answer", _("Penjelasan as a draft")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("suggestion state", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("suggestion state", "Accepted")
        REJECTED = "rejected", pgettext_lazy("suggestion state", "Rejected")

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="crosswalk_suggestions"
    )  # the new period (the crosswalk's `to` instrument)
    indicator = models.CharField(_("indicator"), max_length=20)  # the new instrument's number
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")  # new answer
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    crosswalk_id = models.CharField(max_length=120)
    source_period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    # The old answer (kind answer), or the first old answer the evidence supported (evidence).
    source_answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="+")
    # Old indicators it comes from; partly: only through "partly" counterparts of the entry.
    source_indicators = models.JSONField(default=list)
    partly = models.BooleanField(default=False)
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Context for the coordinator: [{"indicator", "level"}] the evidence supported last time.
    source_levels = models.JSONField(default=list)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # chosen on acceptance
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("crosswalk suggestion")
        verbose_name_plural = _("crosswalk suggestions")
        ordering = ["period", "answer__position", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator", "evidence"],
                condition=Q(kind="evidence"),
                name="crosswalk_suggestion_one_per_evidence",
            ),
            models.UniqueConstraint(
                fields=["period", "indicator", "source_answer"],
                condition=Q(kind="answer"),
                name="crosswalk_suggestion_one_per_old_answer",
            ),
        ]
        indexes = [models.Index(fields=["period", "state"], name="crosswalk_sugg_period_state")]

    def __str__(self) -> str:
        return f"{self.period_id} {self.indicator} {self.kind} {self.state}"

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import Period
from monev.institutions.models import Membership


class AssessorAssignment(models.Model):
    """An external assessor assigned, by an evaluator, to judge one period (the evaluation of
    one institution in one year), for some of its aspects or (`aspects` empty) all of them.

    Access still works through the assessor's Membership(role=asesor_eksternal) in the
    institution; the assignment makes sure it exists (`membership`, when the assignment
    created it, so that removing the last assignment removes only what it added) and
    narrows what the assessor may judge to the assigned aspects."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="assessor_assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assessor_assignments"
    )
    aspects = models.JSONField(_("aspects"), default=list, blank=True)  # codes; [] = all
    membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The membership this assignment created (removed with the last assignment).",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)  # raised on every change: no lost updates
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessor assignment")
        verbose_name_plural = _("assessor assignments")
        ordering = ["period", "assessor"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "assessor"], name="assessor_assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} -> {self.period}"

    def covers(self, aspect: str) -> bool:
        return not self.aspects or aspect in self.aspects

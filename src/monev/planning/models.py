"""The optimal plan of a period: effort overrides, plans (kept when superseded) and the
action items a plan becomes, assigned to units with due dates and tracked to done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import LEVEL_DIGITS, Answer, Period
from monev.institutions.models import Unit

EFFORT_DIGITS = {"max_digits": 10, "decimal_places": 2}
EXACT_LENGTH = 40  # an exact index as text: in full, or to 20 places where it repeats


class EffortOverride(models.Model):
    """The koordinator's effort for the step that reaches `to_level` from the level below
    (the instrument's default per indicator kind applies where there is none)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="effort_overrides")
    indicator = models.CharField(_("indicator"), max_length=20)
    to_level = models.PositiveSmallIntegerField(_("to level"))
    effort = models.DecimalField(_("effort"), **EFFORT_DIGITS)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("effort override")
        verbose_name_plural = _("effort overrides")
        ordering = ["period", "indicator", "to_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator", "to_level"], name="effort_override_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} -> {self.to_level}: {self.effort}"


class Plan(models.Model):
    """One computed plan. A new plan supersedes the period's active one; old plans stay."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUPERSEDED = "superseded", _("Superseded")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="plans")
    target = models.DecimalField(_("target index"), **LEVEL_DIGITS)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.ACTIVE)
    reachable = models.BooleanField(_("reaches the target"))
    index_before = models.DecimalField(_("index before"), **LEVEL_DIGITS)  # reported
    index_before_exact = models.CharField(max_length=EXACT_LENGTH)
    index_after = models.DecimalField(_("index after"), **LEVEL_DIGITS)  # reported
    index_after_exact = models.CharField(max_length=EXACT_LENGTH)
    total_effort = models.DecimalField(_("total effort"), **EFFORT_DIGITS)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # What the plan was built on, to tell when it goes stale (selectors.plan_freshness):
    # {"levels": {number: level as value_text, or None}, "planned": {number: highest level
    # planned}}; "partial": true on plans made before it was recorded (0003 filled it in
    # from their action items only).
    basis = models.JSONField(_("basis"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["period", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"],
                condition=models.Q(status="active"),
                name="plan_one_active_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.index_before} -> {self.index_after} ({self.target})"


class ActionItem(models.Model):
    """One level step of the plan, for one responsible unit, due by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="action_items")
    position = models.PositiveSmallIntegerField()  # the plan's order: lower levels first
    from_level = models.DecimalField(_("from level"), **LEVEL_DIGITS)
    to_level = models.PositiveSmallIntegerField(_("to level"))
    effort = models.DecimalField(_("effort"), **EFFORT_DIGITS)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_items"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="action_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.answer.indicator}: {self.from_level} -> {self.to_level}"


class ReminderSent(models.Model):
    """One reminder decided for one recipient on one day: an action item, an answer, or an
    institution's digest. Never twice for the same subject, recipient and day; a reminder
    whose email could not be sent leaves no row, so the next run tries again."""

    class Kind(models.TextChoices):
        ACTION_ITEM = "action_item", _("Action item")
        ANSWER = "answer", _("Answer")
        DIGEST = "digest", _("Digest")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    # The action item's or answer's id; the institution's id for a digest.
    subject_key = models.CharField(_("subject"), max_length=40)
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-day", "recipient", "kind", "subject_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "recipient", "subject_key", "day"], name="reminder_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["day"], name="reminder_sent_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.subject_key} -> {self.recipient_id}"

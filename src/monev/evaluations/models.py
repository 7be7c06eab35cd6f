from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.fields import ExactValueField, ExactValuesModel, exact_fraction_field
from monev.institutions.models import Institution, Unit
from monev.instruments.milestones import MilestoneKind
from monev.lib.stamps import StampField

LEVEL_DIGITS = {"max_digits": 4, "decimal_places": 2}  # reported values 0.00-5.00 (index, target)


class Period(models.Model):
    """One evaluation (or monitoring) of one institution in one year, under one instrument
    version, pinned by id, version and the file's SHA-256."""

    class Kind(models.TextChoices):
        EVALUASI = "evaluasi", _("Evaluasi")
        PEMANTAUAN = "pemantauan", _("Pemantauan")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="periods")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    instrument_id = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    instrument_sha256 = models.CharField(max_length=64)
    target = models.DecimalField(_("target index"), null=True, blank=True, **LEVEL_DIGITS)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_periods"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["institution", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "kind"], name="period_unique_per_year_and_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.get_kind_display()} {self.year}"

    @property
    def instrument_reference(self) -> str:
        return f"{self.instrument_id}@{self.instrument_version}"


class Milestone(models.Model):
    Kind = MilestoneKind

    # Only one of each of these per period; mentoring sessions may repeat.
    SINGLE = frozenset(Kind.values) - {Kind.MENTORING}

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["period", "due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind"],
                condition=~models.Q(kind="mentoring"),
                name="milestone_single_kind_per_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class Answer(ExactValuesModel):
    """The institution's one answer for one indicator (or sub-item) in one period."""

    # Stored values are English; the labels are the official terms users see. The values
    # these choices had before migration 0005 are in monev.evaluations.legacy.
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        VERIFIED = "verified", _("Diverifikasi")
        FINAL = "final_self", _("Final mandiri")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="answers")
    indicator = models.CharField(_("indicator"), max_length=20)  # the instrument's item number
    position = models.PositiveSmallIntegerField()  # the instrument's order
    # Values are exact (7/6 from an item judgement): see monev.evaluations.fields.
    level = ExactValueField(_("level"), null=True, blank=True, fraction_field="level_fraction")
    level_fraction = exact_fraction_field()
    explanation = models.TextField(_("penjelasan"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.DRAFT)
    verified_level = ExactValueField(
        null=True, blank=True, fraction_field="verified_level_fraction"
    )
    verified_level_fraction = exact_fraction_field()
    reopened = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)  # raised on every save: no lost updates
    units = models.ManyToManyField(Unit, through="AnswerUnit", related_name="answers", blank=True)
    updated_at = StampField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["period", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator"], name="answer_one_per_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} - {self.indicator}"


class AnswerUnit(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="unit_links")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="answer_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "unit"], name="answer_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} -> {self.unit_id}"


class DeadlineExtension(models.Model):
    """A later self-assessment close for one unit than the period's, granted with a reason
    (a bulk action of the koordinator): an answer assigned to the unit closes at the latest of
    the period's close and its units' extensions (evaluations.services.common)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="deadline_extensions")
    until = models.DateTimeField(_("open until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField()

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["period", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="extension_one_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.unit_id}: {self.until}"


class AssessorPass(ExactValuesModel):
    """An external assessor's judgement of one answer at one stage."""

    # The same words as the milestone kinds of these stages (instruments.milestones).
    class Stage(models.TextChoices):
        DOCUMENT = "document_review", _("Penilaian dokumen")
        INTERVIEW = "interview", _("Penilaian interviu")
        VISITATION = "visitation", _("Visitasi")
        FINAL = "final", _("Final")

    ORDER = (Stage.DOCUMENT, Stage.INTERVIEW, Stage.VISITATION, Stage.FINAL)

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="passes")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    level = ExactValueField(_("level"), fraction_field="level_fraction")
    level_fraction = exact_fraction_field()
    notes = models.TextField(_("assessor's notes"), blank=True)
    # On the document-review pass: the institution's clarification or objection to this
    # provisional level, discussed at the interview.
    institution_response = models.TextField(_("institution's response"), blank=True)
    # Item-level assessment (instruments with an item rule): the value the rule gives from
    # the judged items, and whether the assessor entered `level` directly instead (with a
    # note). Without a direct entry `level` follows `computed_level`.
    computed_level = ExactValueField(
        _("value computed from items"),
        null=True,
        blank=True,
        fraction_field="computed_level_fraction",
    )
    computed_level_fraction = exact_fraction_field()
    level_entered = models.BooleanField(_("level entered directly"), default=False)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = StampField(auto_now=True)

    class Meta:
        verbose_name = _("assessor pass")
        verbose_name_plural = _("assessor passes")
        constraints = [
            models.UniqueConstraint(fields=["answer", "stage"], name="pass_one_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.answer} {self.stage}: {self.level}"

    @property
    def differs(self) -> bool:
        """The level was entered directly and is not the value the items give: pages show
        both, never one for the other."""
        return self.computed_level is not None and self.level != self.computed_level


class ItemJudgement(models.Model):
    """An external assessor's judgement of one evidence item of one level of an answer, at one
    stage (item-level assessment, pemdi-2026). Only what the assessor decided is stored:
    an item above a rejected level is automatically rejected when read (core.items.cascade),
    and an item without a row is not judged yet."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REVISION = "revision", _("Needs revision")

    class Reason(models.TextChoices):
        NOT_APPROPRIATE = "not_appropriate", _("Document not appropriate")
        NOT_UPLOADED = "not_uploaded", _("Not uploaded yet")
        OTHER = "other", _("Other reason")

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="item_judgements")
    stage = models.CharField(_("stage"), max_length=20, choices=AssessorPass.Stage.choices)
    level = models.PositiveSmallIntegerField(_("level"))
    # the item's index in `indicator.evidence_items_at(level)`
    position = models.PositiveSmallIntegerField(_("item"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    reason_kind = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)  # the assessor's words
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = StampField(auto_now=True)

    class Meta:
        verbose_name = _("item judgement")
        verbose_name_plural = _("item judgements")
        ordering = ["answer", "stage", "level", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "stage", "level", "position"], name="item_judgement_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} {self.stage} {self.level}.{self.position}: {self.status}"


class Comment(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "created_at"]

    def __str__(self) -> str:
        return self.body[:60]


class PublishedResult(models.Model):
    """An index the ministry published for an institution (history and benchmarks), as it was
    reported, with where it was read and any doubt about it. Not computed: quoted."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="published_results"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    instrument_id = models.CharField(_("instrument"), max_length=60, blank=True)  # "" if unknown
    index = models.DecimalField(_("index"), **LEVEL_DIGITS)
    predicate = models.CharField(_("predicate"), max_length=40, blank=True)  # as published
    source = models.CharField(_("source"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    doubtful = models.BooleanField(_("doubtful"), default=False)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["institution", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "instrument_id"], name="published_result_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}: {self.index}"

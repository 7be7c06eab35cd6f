from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import LEVEL_DIGITS, Period


class PeriodScore(models.Model):
    """A period's index at its headline stage, computed by the core engine and stored so that
    pages over hundreds of institutions need not score every answer on every request.

    Never trusted blindly: `stamp` records the inputs it was computed from (counts, highest
    ids, version sums and level sums of the period's answers and assessor passes, and the
    instrument file's hash), `confirmed` the state of the whole answer and pass tables when
    it was last found to match them. Every read checks both before anything is shown and
    recomputes the periods whose inputs changed (monev.benchmarking.scores)."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="stored_score")
    stage = models.CharField(_("stage"), max_length=20, blank=True)  # "" when nothing is scored
    index = models.DecimalField(_("index"), null=True, blank=True, **LEVEL_DIGITS)
    index_exact = models.CharField(max_length=80, blank=True)  # the exact rational, "a/b"
    predicate = models.CharField(_("predicate"), max_length=40, blank=True)
    aspects = models.JSONField(default=dict)  # {aspect code: reported score "3.12"}
    given = models.PositiveSmallIntegerField(default=0)  # items with a value at the stage
    total = models.PositiveSmallIntegerField(default=0)  # the instrument's scored items
    instrument_id = models.CharField(_("instrument"), max_length=60)
    provisional = models.BooleanField(default=False)  # the instrument is provisional
    # What the progress page needs, from the same inputs: answers, with a level, drafts,
    # final (mandiri), verified, and {"passes": {stage: answers with a pass}}.
    counts = models.JSONField(default=dict)
    stamp = models.CharField(max_length=64)  # of this period's inputs
    # The stamp of the answer and assessor-pass tables as a whole when this score was last
    # confirmed to match its inputs: while those tables are unchanged, no page needs to
    # check the period's inputs again (monev.benchmarking.scores.fresh_scores).
    confirmed = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("stored period score")
        verbose_name_plural = _("stored period scores")

    def __str__(self) -> str:
        return f"{self.period_id} {self.stage}: {self.index}"

"""What the dashboard compares a period with: the previous period's scores, or the index
published for the year before."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monev.core.crosswalk import CROSSWALK_DIR
from monev.core.model import Instrument
from monev.core.registry import catalog
from monev.evaluations.models import Answer, Period, PublishedResult
from monev.evaluations.stages import scores_headline
from monev.instruments.predicates import other_reading_note
from monev.monitoring.selectors.scores import period_scores


@dataclass
class LastYear:
    """What this period is compared with: the previous period's scores, or the index the
    ministry published for the year before (the index only)."""

    year: int
    source: str  # "period" | "published"
    instrument_id: str
    same_instrument: bool
    index: Decimal | None
    predicate: str
    stage: str | None = None  # the previous period's stage the scores are from
    doubtful: bool = False
    aspects: dict[str, Decimal] = field(default_factory=dict)
    domains: dict[str, Decimal] = field(default_factory=dict)
    instrument_name: str = ""  # short name of last year's instrument ("" if unknown)
    current_name: str = ""  # short name of this period's instrument
    crosswalk: bool = False  # a crosswalk (a judgement) leads from last year's instrument
    predicate_note: str = ""  # computed on a contested band edge: the other reading

    @property
    def instrument_note(self) -> str:
        """Why last year is not compared with this year ("" when it is)."""
        if self.same_instrument:
            return ""
        return str(_("Different instrument (%(change)s): not compared directly")) % {
            "change": f"{self.instrument_name or _('unknown instrument')} → {self.current_name}"
        }


def _short_name(instrument_id: str) -> str:
    if not instrument_id:
        return ""
    try:
        return catalog().get(instrument_id).short_name
    except Exception:
        return instrument_id


def _has_crosswalk(old: str, new: str) -> bool:
    return bool(old) and (CROSSWALK_DIR / f"{old}_{new}.yaml").is_file()


def last_year_of(period: Period, instrument: Instrument) -> LastYear | None:
    """The previous period's scores at its furthest complete stage (three queries), or the
    published index of the year before (one query), or None."""
    previous = None
    if period.previous_id:
        previous = Period.objects.filter(
            pk=period.previous_id, institution_id=period.institution_id
        ).first()
    if previous is not None:
        answers = list(
            Answer.objects.filter(period=previous).prefetch_related("passes").order_by("position")
        )
        old_instrument, scores = period_scores(previous, answers)
        stage = scores_headline(scores)
        result = scores[stage].result if stage else None
        same = old_instrument.id == instrument.id
        return LastYear(
            instrument_name=old_instrument.short_name,
            current_name=instrument.short_name,
            crosswalk=not same and _has_crosswalk(old_instrument.id, instrument.id),
            year=previous.year,
            source="period",
            instrument_id=old_instrument.id,
            same_instrument=same,
            index=result.index.reported if result else None,
            predicate=result.predicate.name if result else "",
            predicate_note=other_reading_note(old_instrument, result.index.reported)
            if result
            else "",
            stage=stage,
            aspects={n.code: n.score.reported for n in result.aspects} if result and same else {},
            domains={n.code: n.score.reported for n in result.domains} if result and same else {},
        )
    published = sorted(
        PublishedResult.objects.filter(institution_id=period.institution_id, year=period.year - 1),
        key=lambda p: (p.doubtful, p.instrument_id != instrument.id),
    )
    if not published:
        return None
    best = published[0]
    return LastYear(
        instrument_name=_short_name(best.instrument_id),
        current_name=instrument.short_name,
        crosswalk=best.instrument_id != instrument.id
        and _has_crosswalk(best.instrument_id, instrument.id),
        year=best.year,
        source="published",
        instrument_id=best.instrument_id,
        same_instrument=best.instrument_id == instrument.id,
        index=best.index,
        predicate=best.predicate,
        doubtful=best.doubtful,
    )

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.core.engine import score_problem
from monev.evaluations import hooks
from monev.evaluations.deadlines import answers_due
from monev.evaluations.models import Answer, AnswerUnit, Milestone, Period
from monev.evaluations.period_instrument import instrument_of, resolve_instrument
from monev.institutions.access import institution_for_user, require
from monev.institutions.clock import now_for
from monev.institutions.models import Institution
from monev.institutions.permissions import Capability
from monev.instruments.selectors import schedule_milestones
from monev.lib.errors import Conflict, InvalidInput, NotFound


@transaction.atomic
def period_create(
    *,
    actor,
    institution_id: int,
    year: int,
    kind: str,
    instrument: str,
    target: Decimal | None = None,
    carry_over_from: int | None = None,
    milestones: dict[str, datetime] | None = None,
    use_schedule: bool = True,
    now: datetime | None = None,
) -> Period:
    """A new period with one draft answer per scored item of the instrument. With
    `carry_over_from`, the previous period's levels, penjelasan and units are the baseline
    (when both periods use the same instrument). Its milestones are `milestones` where any
    are given, else (unless `use_schedule` is false) the instrument's default schedule in the
    period's year (pemdi-2026: the national schedule), without the milestones already past
    at `now`. Allowed to whoever manages the institution's periods, to an evaluator whose
    scope covers it (MANAGE_ASSESSORS: bulk creation), and to the system (`actor` None:
    `monev import periods`)."""
    if actor is None:
        institution = Institution.objects.filter(pk=institution_id).first()
        if institution is None:
            raise NotFound(_("Institution not found."))
    else:
        institution, access = institution_for_user(actor, institution_id)
        if not access.can(Capability.MANAGE_ASSESSORS):
            require(access, Capability.MANAGE_PERIOD)
    if kind not in Period.Kind.values:
        raise InvalidInput(_("Unknown period kind: %(kind)s") % {"kind": kind})
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("The year must be between 2000 and 2100."))
    core_instrument, sha256 = resolve_instrument(instrument)
    if target is not None and (problem := score_problem(core_instrument, target)):
        raise InvalidInput(_("Target: %(problem)s") % {"problem": problem})
    previous = None
    if carry_over_from is not None:
        previous = Period.objects.filter(pk=carry_over_from, institution=institution).first()
        if previous is None:
            raise InvalidInput(_("The period to carry over from is not in this institution."))
    try:
        with transaction.atomic():
            period = Period.objects.create(
                institution=institution,
                year=year,
                kind=kind,
                instrument_id=core_instrument.id,
                instrument_version=core_instrument.version,
                instrument_sha256=sha256,
                target=target,
                previous=previous,
            )
    except IntegrityError:
        raise Conflict(
            _("This institution already has a %(kind)s period for %(year)s.")
            % {"kind": kind, "year": year}
        ) from None
    baseline = _baseline(previous, core_instrument.id) if previous else {}
    answers = [
        Answer(
            period=period,
            indicator=item.number,
            position=position,
            level=baseline.get(item.number, (None, ""))[0],
            explanation=baseline.get(item.number, (None, ""))[1],
        )
        for position, item in enumerate(core_instrument.scored_items, start=1)
    ]
    Answer.objects.bulk_create(answers)
    if previous and previous.instrument_id == core_instrument.id:
        _carry_units(previous, period)
    # Imported indicators (pemdi-2026 5, 6, 7, 18) take the other agency's value, or the
    # instrument's default until it arrives (registered by monev.external).
    hooks.period_created(period)
    planned = [(kind, due_at, "") for kind, due_at in (milestones or {}).items()]
    from_schedule = not planned and use_schedule and core_instrument.schedule is not None
    now = now or now_for(institution)  # a demo institution's is its story's
    if from_schedule:
        # A milestone already past would only lock or flag what is over (a self-assessment
        # close in the past locks every answer at the next `monev cycle close-due`).
        planned = [m for m in schedule_milestones(core_instrument, year) if m[1] > now]
    for milestone_kind, due_at, title in planned:
        _milestone_write(period, milestone_kind, due_at, title)
    audit_record(
        actor=actor,
        action="period.create",
        obj=period,
        institution_id=institution.pk,
        period_id=period.pk,
        after={
            "year": year,
            "kind": kind,
            "instrument": period.instrument_reference,
            "target": target,
            "carried_over_from": previous.pk if previous else None,
            "milestones": {name: due_at for name, due_at, _title in planned},
            **({"schedule": period.instrument_reference} if from_schedule and planned else {}),
        },
        at=now,
    )
    return period


def _baseline(previous: Period, instrument_id: str) -> dict[str, tuple]:
    if previous.instrument_id != instrument_id:
        return {}  # another instrument: its levels mean something else
    return {
        a.indicator: (a.level, a.explanation)
        for a in previous.answers.only("indicator", "level", "level_fraction", "explanation")
    }


def _carry_units(previous: Period, period: Period) -> None:
    new_ids = dict(period.answers.values_list("indicator", "pk"))
    links = [
        AnswerUnit(answer_id=new_ids[indicator], unit_id=unit_id)
        for indicator, unit_id in AnswerUnit.objects.filter(answer__period=previous).values_list(
            "answer__indicator", "unit_id"
        )
        if indicator in new_ids
    ]
    AnswerUnit.objects.bulk_create(links, ignore_conflicts=True)


def _milestone_write(period: Period, kind: str, due_at: datetime, title: str) -> Milestone:
    if kind not in Milestone.Kind.values:
        raise InvalidInput(_("Unknown milestone kind: %(kind)s") % {"kind": kind})
    if timezone.is_naive(due_at):
        raise InvalidInput(_("A milestone's date needs a time zone."))
    if kind in Milestone.SINGLE:
        milestone, _created = Milestone.objects.update_or_create(
            period=period, kind=kind, defaults={"due_at": due_at, "title": title}
        )
        return milestone
    return Milestone.objects.create(period=period, kind=kind, due_at=due_at, title=title)


def _period_for_manager(actor, period_id: int, *, lock: bool = False) -> Period:
    period = period_get(period_id, lock=lock)
    _institution, access = institution_for_user(
        actor, period.institution_id, not_found=_("Period not found.")
    )
    require(access, Capability.MANAGE_PERIOD)
    return period


def period_get(period_id: int, *, lock: bool = False) -> Period:
    queryset = Period.objects.select_for_update() if lock else Period.objects
    try:
        return queryset.get(pk=period_id)
    except Period.DoesNotExist:
        raise NotFound(_("Period not found.")) from None


@transaction.atomic
def milestone_set(
    *, actor, period_id: int, kind: str, due_at: datetime, title: str = ""
) -> Milestone:
    period = _period_for_manager(actor, period_id)
    before = (
        {m.kind: m.due_at for m in period.milestones.filter(kind=kind)}
        if kind in Milestone.SINGLE
        else {}
    )
    milestone = _milestone_write(period, kind, due_at, title)
    audit_record(
        actor=actor,
        action="milestone.set",
        obj=milestone,
        institution_id=period.institution_id,
        period_id=period.pk,
        before=before,
        after={kind: due_at, "title": title},
    )
    return milestone


@transaction.atomic
def milestone_delete(*, actor, milestone_id: int) -> None:
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("Milestone not found."))
    period = _period_for_manager(actor, milestone.period_id)
    audit_record(
        actor=actor,
        action="milestone.delete",
        obj=milestone,
        institution_id=period.institution_id,
        period_id=period.pk,
        before={milestone.kind: milestone.due_at, "title": milestone.title},
    )
    milestone.delete()


@transaction.atomic
def period_set_target(*, actor, period_id: int, target: Decimal | None) -> Period:
    period = _period_for_manager(actor, period_id, lock=True)
    if target is not None and (problem := score_problem(instrument_of(period), target)):
        raise InvalidInput(_("Target: %(problem)s") % {"problem": problem})
    before = {"target": period.target}
    period.target = target
    period.save(update_fields=["target"])
    audit_record(
        actor=actor,
        action="period.set_target",
        obj=period,
        institution_id=period.institution_id,
        period_id=period.pk,
        before=before,
        after={"target": target},
    )
    return period


@transaction.atomic
def period_close_self_assessment(*, actor, period_id: int, now: datetime | None = None) -> int:
    """Lock every answer as final mandiri (the coordinator), or at the deadline (`monev cycle
    close-due`, `actor` None) the answers due: not those the coordinator reopened, nor those a
    unit's extension keeps open (deadlines.answers_due). Returns how many answers changed."""
    period = _period_for_manager(actor, period_id, lock=True) if actor else period_get(period_id)
    now = now or now_for(period.institution_id)  # a demo institution's is its story's
    answers = period.answers.select_for_update().exclude(status=Answer.Status.FINAL)
    if actor is None:
        answers = answers.filter(pk__in=answers_due(now).values("pk"))
    answers = list(answers)
    for answer in answers:
        answer.status = Answer.Status.FINAL
        answer.reopened = False
        answer.version += 1
    Answer.objects.bulk_update(answers, ["status", "reopened", "version"])
    audit_record(
        actor=actor,
        action="period.close_self_assessment",
        obj=period,
        institution_id=period.institution_id,
        period_id=period.pk,
        after={"answers_locked": len(answers), "at": now},
        at=now,
    )
    return len(answers)

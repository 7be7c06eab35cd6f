"""Reads about assessor assignments, shared by the assessment services, pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.accounts.models import User
from monev.assignments.models import AssessorAssignment
from monev.core.model import Indicator, Instrument
from monev.evaluations import legacy
from monev.evaluations.models import Answer, AssessorPass, Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.access import institutions_in_scope, scope_filter
from monev.institutions.clock import now_for
from monev.institutions.models import Institution, Membership, Role
from monev.lib.errors import Forbidden, NotFound

Stage = AssessorPass.Stage
STAGE_ORDER = AssessorPass.ORDER


def aspect_of(instrument: Instrument, indicator: str) -> str | None:
    """The aspect code of an answer's indicator (or of a sub-item's indicator)."""
    found = instrument.indicators_by_number.get(indicator)
    if found is not None:
        return found.aspect
    item = instrument.items_by_number.get(indicator)
    return item.aspect if item is not None else None


def may_assess(user, answer, instrument: Instrument) -> bool:
    """Whether the user's assignment lets them judge this answer.

    The rule: an external assessor acts only within an assignment. The ASSESS capability
    (the asesor_eksternal membership) is needed first, as before, and lets them see the
    institution; judging also needs an evaluator's assignment on the answer's period:
    - no assignment on that period (a membership granted by hand, or an assignment on
      another period): nothing;
    - an assignment with no aspects: every indicator;
    - an assignment with aspects: only indicators of those aspects.
    The system (user None, `monev import`) is never restricted. One query."""
    if user is None:
        return True
    assignment = (
        AssessorAssignment.objects.filter(period_id=answer.period_id, assessor=user)
        .only("aspects")
        .first()
    )
    if assignment is None:
        return False
    return assignment.covers(aspect_of(instrument, answer.indicator) or "")


# --- the evaluator's assignment page ---------------------------------------------------------


@dataclass
class InstitutionAssignments:
    institution: Institution
    period: Period | None  # the evaluation of the chosen year (None: not created yet)
    assignments: list[AssessorAssignment]
    aspects: list[tuple[str, str]]  # (code, name) of the period's instrument

    @property
    def fingerprint(self) -> str:
        """The assignments as this row shows them: a change made from it checks they stand."""
        from monev.assignments.services import assignments_fingerprint

        return assignments_fingerprint(self.assignments)


@dataclass
class AssignmentBoard:
    year: int
    years: list[int]
    provinces: list[str]
    rows: list[InstitutionAssignments]
    page: object  # django Paginator page
    candidates: list[str]  # usernames of external assessors known anywhere, assignable


def evaluator_institutions(user) -> QuerySet[Institution]:
    """The institutions whose assessors the user assigns: those their evaluator scope covers
    (a membership never gives MANAGE_ASSESSORS)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Institution.objects.none()
    if not getattr(user, "evaluator_scope", ""):
        return Institution.objects.none()
    return Institution.objects.filter(scope_filter(user))


def require_evaluator(user) -> None:
    if not getattr(user, "evaluator_scope", "") or (
        user.evaluator_scope == "provinsi" and not user.evaluator_province
    ):
        raise Forbidden(_("This page is for evaluators (a national or province scope)."))


def period_to_assign(user, period_id: int | None) -> Period:
    """The period an assignment form names, read only among the institutions the user can
    see: any other is NotFound with the message of a missing id (its existence is not
    revealed). The services then check that the user's evaluator scope covers it."""
    period = None
    if period_id is not None:
        period = (
            Period.objects.filter(pk=period_id, institution__in=institutions_in_scope(user))
            .select_related("institution")
            .first()
        )
    if period is None:
        raise NotFound(_("Period not found."))
    return period


def assignment_for(user, assignment_id: int) -> AssessorAssignment:
    """The assignment with its period and assessor, read only among the institutions the
    user can see (NotFound otherwise, as for a missing id); the services check the scope."""
    assignment = (
        AssessorAssignment.objects.filter(
            pk=assignment_id, period__institution__in=institutions_in_scope(user)
        )
        .select_related("period__institution", "assessor")
        .first()
    )
    if assignment is None:
        raise NotFound(_("Assignment not found."))
    return assignment


def assignment_board(
    user,
    *,
    year: int | None = None,
    kind: str = "",
    province: str = "",
    page: int = 1,
    per_page: int = 50,
) -> AssignmentBoard:
    """Institutions in the user's evaluator scope (filtered by kind and province) with the
    evaluation period of `year` and its assessors. A fixed number of queries, however many
    institutions."""
    require_evaluator(user)
    institutions = evaluator_institutions(user)
    years = sorted(
        set(
            Period.objects.filter(institution__in=institutions.values("pk"))
            .values_list("year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    if year is None:
        year = years[0] if years else timezone.localdate().year
    provinces = sorted(
        set(institutions.exclude(province="").values_list("province", flat=True).distinct())
    )
    if kind:
        institutions = institutions.filter(kind=kind)
    if province:
        institutions = institutions.filter(province=province)
    paginator = Paginator(institutions.order_by("name", "pk"), per_page)
    page_obj = paginator.get_page(page)
    shown = list(page_obj.object_list)
    periods: dict[int, Period] = {}
    for period in Period.objects.filter(institution__in=shown, year=year).order_by("kind"):
        # The evaluation first ("evaluasi" < "pemantauan"), else the monitoring period.
        periods.setdefault(period.institution_id, period)
    by_period: dict[int, list[AssessorAssignment]] = {}
    for assignment in (
        AssessorAssignment.objects.filter(period__in=list(periods.values()))
        .select_related("assessor")
        .order_by("assessor__username")
    ):
        by_period.setdefault(assignment.period_id, []).append(assignment)
    rows = []
    for institution in shown:
        period = periods.get(institution.pk)
        aspects = []
        if period is not None:
            aspects = [(a.code, a.name) for a in instrument_of(period).aspects]
        rows.append(
            InstitutionAssignments(
                institution=institution,
                period=period,
                assignments=by_period.get(period.pk, []) if period else [],
                aspects=aspects,
            )
        )
    insiders = Membership.objects.exclude(role=Role.ASESOR_EKSTERNAL).values("user_id")
    candidates = list(  # those an assignment accepts (services.ineligible_assessors)
        User.objects.filter(
            memberships__role=Role.ASESOR_EKSTERNAL, is_active=True, evaluator_scope=""
        )
        .exclude(pk__in=insiders)
        .order_by("username")
        .values_list("username", flat=True)
        .distinct()[:500]
    )
    return AssignmentBoard(
        year=year,
        years=years,
        provinces=provinces,
        rows=rows,
        page=page_obj,
        candidates=candidates,
    )


def assignments_in_scope(user, *, year: int | None = None, institution_id: int | None = None):
    """The assignments of the institutions in the user's evaluator scope (for the API)."""
    require_evaluator(user)
    queryset = AssessorAssignment.objects.filter(
        period__institution__in=evaluator_institutions(user).values("pk")
    ).select_related("period__institution", "assessor", "assigned_by")
    if year is not None:
        queryset = queryset.filter(period__year=year)
    if institution_id is not None:
        queryset = queryset.filter(period__institution_id=institution_id)
    return list(
        queryset.order_by("period__institution__name", "period__year", "assessor__username")
    )


# --- the assessor's queue across institutions ------------------------------------------------

# The milestone that is the deadline of each external stage.
STAGE_DEADLINES = {
    Stage.DOCUMENT: Milestone.Kind.DOCUMENT_REVIEW,
    Stage.INTERVIEW: Milestone.Kind.INTERVIEW,
    Stage.VISITATION: Milestone.Kind.VISITATION,
    Stage.FINAL: Milestone.Kind.ANNOUNCEMENT,
}


def next_stage(stages) -> str:
    """The stage after the latest one judged (the document review when none is)."""
    done = [index for index, stage in enumerate(STAGE_ORDER) if stage in stages]
    if not done:
        return STAGE_ORDER[0]
    return STAGE_ORDER[min(done[-1] + 1, len(STAGE_ORDER) - 1)]


@dataclass
class QueueRow:
    answer: Answer
    period: Period
    institution: Institution
    indicator: Indicator
    aspect: str
    aspect_name: str
    stage: str
    stage_label: str
    deadline: datetime | None
    provisional: bool  # the period's instrument is provisional (pemdi-2026)
    label: str = ""  # the answer's number and short name: "11. Arsitektur SPBE"

    @property
    def overdue(self) -> bool:
        # By the institution's clock (a demo institution's is its story's).
        return self.deadline is not None and self.deadline < now_for(self.institution)


@dataclass
class AssessorQueue:
    rows: list[QueueRow]
    institutions: list[Institution]  # every institution the assessor is assigned to
    years: list[int]
    stages: list[tuple[str, str]]
    total: int  # before the filters


def _assessor_periods(user) -> dict[int, tuple[Period, list[str]]]:
    """{period id: (period, aspects)} the user judges: their assignments (aspects [] = all)
    where their asesor_eksternal membership still gives access. A membership without an
    assignment gives nothing to judge (may_assess). Two queries."""
    periods: dict[int, tuple[Period, list[str]]] = {}
    for assignment in AssessorAssignment.objects.filter(assessor=user).select_related(
        "period__institution"
    ):
        periods[assignment.period_id] = (assignment.period, list(assignment.aspects))
    member_of = set(
        Membership.objects.filter(user=user, role=Role.ASESOR_EKSTERNAL).values_list(
            "institution_id", flat=True
        )
    )
    return {k: v for k, v in periods.items() if v[0].institution_id in member_of}


def assessor_queue(
    user,
    *,
    institution_id: int | None = None,
    year: int | None = None,
    stage: str = "",
    now: datetime | None = None,
) -> AssessorQueue:
    """Every final answer waiting for this assessor's judgement at its next external stage,
    in every institution they are assigned to, within their aspects: the same rule as a
    period's review queue (final mandiri, no final judgement yet). Soonest deadline first.
    Six queries, however many institutions and answers."""
    now = now or timezone.now()
    periods = _assessor_periods(user)
    institutions = sorted(
        {p.institution_id: p.institution for p, _aspects in periods.values()}.values(),
        key=lambda i: i.name,
    )
    years = sorted({p.year for p, _aspects in periods.values()}, reverse=True)
    answers = (
        Answer.objects.filter(period_id__in=list(periods), status=Answer.Status.FINAL)
        .exclude(passes__stage=Stage.FINAL)
        .prefetch_related(Prefetch("passes", queryset=AssessorPass.objects.only("answer", "stage")))
        .order_by("period_id", "position")
    )
    milestones: dict[tuple[int, str], datetime] = {}
    for period_id, kind, due_at in Milestone.objects.filter(
        period_id__in=list(periods), kind__in=list(STAGE_DEADLINES.values())
    ).values_list("period_id", "kind", "due_at"):
        milestones[(period_id, kind)] = due_at
    labels = dict(Stage.choices)
    rows = []
    instruments: dict[int, Instrument] = {}
    for answer in answers:
        period, aspects = periods[answer.period_id]
        instrument = instruments.get(period.pk)
        if instrument is None:
            instrument = instruments[period.pk] = instrument_of(period)
        aspect = aspect_of(instrument, answer.indicator) or ""
        if aspects and aspect not in aspects:
            continue
        item = instrument.items_by_number[answer.indicator]
        following = next_stage({p.stage for p in answer.passes.all()})
        aspect_obj = instrument.aspects_by_code.get(aspect)
        rows.append(
            QueueRow(
                answer=answer,
                period=period,
                institution=period.institution,
                indicator=instrument.indicators_by_number[item.indicator],
                aspect=aspect,
                aspect_name=str(aspect_obj.name) if aspect_obj else "",
                stage=following,
                stage_label=labels[following],
                deadline=milestones.get((period.pk, STAGE_DEADLINES[following])),
                provisional=instrument.provisional,
                label=item.label,
            )
        )
    total = len(rows)
    if institution_id is not None:
        rows = [r for r in rows if r.institution.pk == institution_id]
    if year is not None:
        rows = [r for r in rows if r.period.year == year]
    if stage:
        stage = legacy.current(stage, legacy.STAGES)  # a link kept from before: dokumen ...
        rows = [r for r in rows if r.stage == stage]
    far = datetime.max.replace(tzinfo=UTC)
    rows.sort(key=lambda r: (r.deadline or far, r.institution.name, r.answer.position))
    return AssessorQueue(
        rows=rows,
        institutions=institutions,
        years=years,
        stages=list(Stage.choices),
        total=total,
    )


def is_assessor(user) -> bool:
    """Whether the nav shows the assessor's queue."""
    if user is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, role=Role.ASESOR_EKSTERNAL).exists()


def aspect_choices(period: Period) -> list[tuple[str, str]]:
    return [(aspect.code, str(aspect.name)) for aspect in instrument_of(period).aspects]


def institution_row(user, period: Period) -> InstitutionAssignments:
    """One institution's row of the assignment page, after a change (HTMX)."""
    require_evaluator(user)
    return InstitutionAssignments(
        institution=period.institution,
        period=period,
        assignments=list(
            period.assessor_assignments.select_related("assessor").order_by("assessor__username")
        ),
        aspects=aspect_choices(period),
    )


def assigned_aspects(user, period: Period) -> list[str] | None:
    """The aspects the user's assignment on the period names ([] = all; None: no assignment,
    nothing to judge): a period's review queue shows an assessor only what they may judge
    (the rule of may_assess). One query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    aspects = (
        AssessorAssignment.objects.filter(period=period, assessor=user)
        .values_list("aspects", flat=True)
        .first()
    )
    return None if aspects is None else list(aspects)

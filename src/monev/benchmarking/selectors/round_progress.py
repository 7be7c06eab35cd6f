"""Kemajuan: how far every institution in an evaluator's scope has got in one round
(docs/evaluator.md, "Kemajuan")."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.benchmarking import scores
from monev.benchmarking.selectors.refs import (
    InstitutionRef,
    PeriodRef,
    chosen_periods,
    round_queryset,
)
from monev.benchmarking.selectors.rounds import (
    KINDS,
    Choice,
    choose_round,
    page_number,
    require_evaluator,
    round_options,
)
from monev.evaluations.models import Milestone, Period
from monev.evaluations.stages import DOCUMENT, FINAL, INTERVIEW, VERIFIED, VISITATION
from monev.institutions.access import institutions_in_scope

PROGRESS_PAGE = 50
NOT_STARTED, SELF_ASSESSMENT, SUBMITTED = "not_started", "self_assessment", "submitted"
# Beyond the self-assessment, named as the stages are (monev.evaluations.stages).
FINALISED = FINAL
PROGRESS_STAGES = (
    NOT_STARTED,
    SELF_ASSESSMENT,
    SUBMITTED,
    VERIFIED,
    DOCUMENT,
    INTERVIEW,
    VISITATION,
    FINALISED,
)
PROGRESS_LABELS = {
    NOT_STARTED: _("Not started"),
    SELF_ASSESSMENT: _("In self-assessment"),
    SUBMITTED: _("Submitted (final mandiri)"),
    VERIFIED: _("Internally verified"),
    DOCUMENT: _("Document review"),
    INTERVIEW: _("Interviewed"),
    VISITATION: _("Visited"),
    FINALISED: _("Finalised"),
}
DUE_KINDS = (
    Milestone.Kind.SELF_ASSESSMENT_CLOSE,
    Milestone.Kind.EVIDENCE_DEADLINE,
    Milestone.Kind.DOCUMENT_REVIEW,
    Milestone.Kind.INTERVIEW,
    Milestone.Kind.VISITATION,
    Milestone.Kind.ANNOUNCEMENT,
)


def _state(counts: dict) -> scores.PeriodState:
    return scores.PeriodState(
        answers=counts.get("answers", 0),
        with_level=counts.get("with_level", 0),
        drafts=counts.get("drafts", 0),
        final_self=counts.get("final", 0),
        verified=counts.get("verified", 0),
        passes=counts.get("passes", {}),
    )


def progress_stage(period: Period | None, state: scores.PeriodState | None) -> str:
    """The furthest stage a period has reached (docs/evaluator.md, "Kemajuan"):
    final - every answer has a final pass; visitation / interview / document_review - at
    least one answer has a pass at that stage; verified - every answer final mandiri and verified;
    submitted - every answer final mandiri; self-assessment - a level entered or an answer
    out of draft; not started - no period, or nothing entered yet."""
    if period is None or state is None or state.answers == 0:
        return NOT_STARTED
    n = state.answers
    if state.passes.get(FINAL, 0) >= n:
        return FINALISED
    for stage in (VISITATION, INTERVIEW, DOCUMENT):
        if state.passes.get(stage, 0):
            return stage
    if state.final_self == n:
        return VERIFIED if state.verified == n else SUBMITTED
    if state.with_level == 0 and state.drafts == n:
        return NOT_STARTED
    return SELF_ASSESSMENT


@dataclass
class ProgressRow:
    institution: InstitutionRef
    period: PeriodRef | None
    stage: str
    state: scores.PeriodState | None
    due: dict[str, datetime] = field(default_factory=dict)

    @property
    def stage_label(self):
        return PROGRESS_LABELS[self.stage]

    next_due: tuple[str, datetime] | None = None  # (milestone kind, due), on the page

    @property
    def self_assessment_close(self) -> datetime | None:
        return self.due.get(Milestone.Kind.SELF_ASSESSMENT_CLOSE)

    @property
    def next_due_label(self) -> str:
        due = self.next_due
        return str(Milestone.Kind(due[0]).label) if due else ""


@dataclass
class Progress:
    choice: Choice
    total: int
    counts: dict[str, int]  # stage -> institutions
    by_kind: dict[str, dict[str, int]]  # kind -> stage -> institutions
    by_province: dict[str, dict[str, int]]  # province ("" unknown) -> stage -> institutions
    rows: list[ProgressRow]  # this page
    page: int
    pages: int
    sort: str
    provinces: list[str]

    @property
    def stages(self):
        return [(s, PROGRESS_LABELS[s]) for s in PROGRESS_STAGES]


PROGRESS_SORTS = {
    "name": lambda r: (r.institution.name.lower(), r.institution.pk),
    "kind": lambda r: (KINDS.index(r.institution.kind), r.institution.name.lower()),
    "province": lambda r: (r.institution.province or "~", r.institution.name.lower()),
    "stage": lambda r: (PROGRESS_STAGES.index(r.stage), r.institution.name.lower()),
    "due": lambda r: (
        r.self_assessment_close is None,
        r.self_assessment_close.timestamp() if r.self_assessment_close else 0,
        r.institution.name.lower(),
    ),
}


def progress(
    user, *, year=None, instrument_id=None, kind=None, province=None, sort=None, page=None
) -> Progress:
    """How far every institution in the evaluator's scope has got in one round."""
    require_evaluator(user)
    institutions = institutions_in_scope(user)
    choice = choose_round(
        [o for o in round_options(institutions, published=False)],
        year,
        instrument_id,
        None,
        kind,
        province,
    )
    everyone = [
        InstitutionRef(*row)
        for row in institutions.filter(kind__in=KINDS)
        .values_list(*InstitutionRef.FIELDS)
        .order_by("name", "pk")
    ]  # one query
    round_qs = round_queryset(institutions, choice.year, choice.instrument_id)
    chosen = chosen_periods(round_qs)  # one query
    periods = [period for period, _institution in chosen.values()]
    stored = scores.fresh_scores(periods, round_qs)  # three queries (more after a change)
    states = {pk: _state(score.counts) for pk, score in stored.items()}
    rows = []
    for institution in everyone:
        period = chosen[institution.pk][0] if institution.pk in chosen else None
        state = states.get(period.pk) if period else None
        rows.append(ProgressRow(institution, period, progress_stage(period, state), state))
    counts = Counter(r.stage for r in rows)
    by_kind: dict[str, dict[str, int]] = {k: dict.fromkeys(PROGRESS_STAGES, 0) for k in KINDS}
    by_province: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PROGRESS_STAGES, 0))
    for r in rows:
        by_kind[r.institution.kind][r.stage] += 1
        by_province[r.institution.province][r.stage] += 1
    shown = [
        r
        for r in rows
        if (not choice.kind or r.institution.kind == choice.kind)
        and (not choice.province or r.institution.province == choice.province)
    ]
    closes = dict(
        Milestone.objects.filter(
            period_id__in=round_qs.values("pk"), kind=Milestone.Kind.SELF_ASSESSMENT_CLOSE
        ).values_list("period_id", "due_at")
    )  # one query
    for r in shown:
        if r.period is not None and r.period.pk in closes:
            r.due[Milestone.Kind.SELF_ASSESSMENT_CLOSE] = closes[r.period.pk]
    sort = sort if sort in PROGRESS_SORTS else "stage"
    shown.sort(key=PROGRESS_SORTS[sort])
    pages = max(1, -(-len(shown) // PROGRESS_PAGE))
    number = page_number(page, pages)
    page_rows = shown[(number - 1) * PROGRESS_PAGE : number * PROGRESS_PAGE]
    on_page = {r.period.pk: r for r in page_rows if r.period is not None}
    for period_id, milestone_kind, due_at in Milestone.objects.filter(
        period_id__in=list(on_page), kind__in=DUE_KINDS
    ).values_list("period_id", "kind", "due_at"):  # one query
        on_page[period_id].due[milestone_kind] = due_at
    now = timezone.now()
    for r in page_rows:
        upcoming = sorted((at, kind) for kind, at in r.due.items() if at >= now)
        if upcoming:
            r.next_due = (upcoming[0][1], upcoming[0][0])
    return Progress(
        choice=choice,
        total=len(rows),
        counts={s: counts.get(s, 0) for s in PROGRESS_STAGES},
        by_kind=by_kind,
        by_province=dict(sorted(by_province.items(), key=lambda item: (not item[0], item[0]))),
        rows=page_rows,
        page=number,
        pages=pages,
        sort=sort,
        provinces=sorted({r.institution.province for r in rows if r.institution.province}),
    )

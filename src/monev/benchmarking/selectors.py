"""Reads of the evaluator's view of many institutions, shared by the pages and the API.

Who sees what (docs/evaluator.md, "Siapa melihat apa"):
- progress, rankings and distributions: evaluators only (a national scope, or one province),
  over the institutions in their scope (`institutions_in_scope`), with names and figures;
- the peer comparison of one institution: anyone who may view that institution. Its own
  people see its figures against aggregates of its peers (median, quartiles, rank,
  percentile), never another institution's computed figures by name, and aggregates only
  when at least MIN_PEERS other institutions have a score (fewer would let one be worked
  out); evaluators also see the peers in their scope by name;
- published results are public: everyone with access to a page sees them by name.

Every read is a fixed number of queries, however many institutions (tests/benchmarking).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monev.benchmarking import scores
from monev.core.model import Instrument
from monev.evaluations.models import Milestone, Period, PublishedResult
from monev.evaluations.stages import (
    DOCUMENT,
    FINAL,
    INTERVIEW,
    VERIFIED,
    VISITATION,
    stage_label,
)
from monev.institutions.access import institution_for_user, institutions_in_scope, require
from monev.institutions.models import Institution
from monev.institutions.permissions import Capability
from monev.instruments.predicates import other_reading, other_reading_note
from monev.instruments.selectors import instrument_catalog
from monev.lib.errors import Forbidden, InvalidInput, NotFound
from monev.reports.institutions import competition_ranks

KINDS = tuple(Institution.Kind.values)  # pusat, provinsi, kabupaten, kota
COMPUTED, PUBLISHED = "computed", "published"
UNKNOWN_INSTRUMENT = "-"  # asks for the published results whose instrument is not known
MIN_PEERS = 5  # other institutions with a score before their aggregates are shown to members
PROGRESS_PAGE = 50
RANKING_PAGE = 50

# --- progress stages ----------------------------------------------------------------------------

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
        final_mandiri=counts.get("final", 0),
        verified=counts.get("verified", 0),
        passes=counts.get("passes", {}),
    )


def progress_stage(period: Period | None, state: scores.PeriodState | None) -> str:
    """The furthest stage a period has reached (docs/evaluator.md, "Kemajuan"):
    final - every answer has a final pass; visitasi / interviu / dokumen - at least one
    answer has a pass at that stage; verified - every answer final mandiri and verified;
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
    if state.final_mandiri == n:
        return VERIFIED if state.verified == n else SUBMITTED
    if state.with_level == 0 and state.drafts == n:
        return NOT_STARTED
    return SELF_ASSESSMENT


# --- common ---------------------------------------------------------------------------------


def require_evaluator(user) -> None:
    if not (user is not None and user.is_authenticated and getattr(user, "evaluator_scope", "")):
        raise Forbidden(_("Only evaluators (national or provincial) see this page."))


@dataclass(frozen=True)
class RoundOption:
    year: int
    instrument_id: str
    source: str  # computed | published
    count: int

    @property
    def key(self) -> str:
        return f"{self.source}:{self.year}:{self.instrument_id}"


@dataclass(frozen=True)
class Choice:
    year: int
    instrument_id: str
    source: str
    kind: str
    province: str
    options: tuple[RoundOption, ...]
    instrument: Instrument | None

    @property
    def provisional(self) -> bool:
        return bool(self.instrument and self.instrument.provisional)

    @property
    def years(self) -> list[int]:
        return sorted({o.year for o in self.options}, reverse=True)

    @property
    def instruments(self) -> list[str]:
        return sorted({o.instrument_id for o in self.options if o.year == self.year})


def _instrument(instrument_id: str) -> Instrument | None:
    if not instrument_id:
        return None
    try:
        return instrument_catalog().get(instrument_id)
    except Exception:  # an instrument no longer installed: no bands to show
        return None


def _options(institutions: QuerySet[Institution], *, published: bool) -> list[RoundOption]:
    """The rounds there is something to show for: computed (periods) and published."""
    options = [
        RoundOption(row["year"], row["instrument_id"], COMPUTED, row["n"])
        for row in Period.objects.filter(institution__in=institutions)
        .values("year", "instrument_id")
        .annotate(n=Count("institution_id", distinct=True))
        .order_by("-year", "instrument_id")
    ]
    if published:
        options += [
            RoundOption(row["year"], row["instrument_id"], PUBLISHED, row["n"])
            for row in PublishedResult.objects.filter(institution__in=institutions)
            .values("year", "instrument_id")
            .annotate(n=Count("id"))
            .order_by("-year", "instrument_id")
        ]
    return options


def _choose(
    options: list[RoundOption],
    year=None,
    instrument_id=None,
    source=None,
    kind=None,
    province=None,
) -> Choice:
    """The round asked for, checked; by default the latest computed round (else published)."""
    problems = []
    if year not in (None, ""):
        try:
            year = int(str(year).strip())
        except ValueError:
            problems.append({"location": "year", "message": str(_("Give a year, e.g. 2025."))})
            year = None
    else:
        year = None
    source = (source or "").strip() or None
    if source not in (None, COMPUTED, PUBLISHED):
        problems.append(
            {"location": "source", "message": str(_("The source is computed or published."))}
        )
    kind = (kind or "").strip()
    if kind and kind not in KINDS:
        problems.append(
            {
                "location": "kind",
                "message": str(_("The kind is pusat, provinsi, kabupaten or kota.")),
            }
        )
    if problems:
        raise InvalidInput(_("The filters are not valid."), details=problems)
    instrument_id = (instrument_id or "").strip() or None
    if instrument_id == UNKNOWN_INSTRUMENT:
        instrument_id = ""  # published without an instrument
    province = (province or "").strip()

    def matches(option: RoundOption) -> bool:
        return (
            (year is None or option.year == year)
            and (instrument_id is None or option.instrument_id == instrument_id)
            and (source is None or option.source == source)
        )

    candidates = [o for o in options if matches(o)]
    # Computed rounds first, then published; latest year first; the largest round first.
    candidates.sort(key=lambda o: (o.source != COMPUTED, -o.year, -o.count, o.instrument_id))
    if candidates:
        chosen = candidates[0]
    elif year is None and instrument_id is None and source is None:
        chosen = RoundOption(timezone.now().year, "", COMPUTED, 0)
    else:
        raise NotFound(_("Nothing to show for this year and instrument."))
    return Choice(
        chosen.year,
        chosen.instrument_id,
        chosen.source,
        kind,
        province,
        tuple(options),
        _instrument(chosen.instrument_id),
    )


@dataclass(frozen=True, slots=True)
class InstitutionRef:
    """What the round pages show of an institution (a tuple, not a model: 615 a page)."""

    pk: int
    code: str
    name: str
    kind: str
    province: str

    FIELDS = ("id", "code", "name", "kind", "province")


@dataclass(frozen=True, slots=True)
class PeriodRef:
    """What the round pages need of a period, without a model instance per period."""

    pk: int
    institution_id: int
    kind: str
    instrument_id: str
    instrument_version: int
    instrument_sha256: str

    FIELDS = ("id", "institution_id", "kind", "instrument_id", "instrument_version")

    @property
    def instrument_reference(self) -> str:
        return f"{self.instrument_id}@{self.instrument_version}"


def _chosen_periods(round_qs) -> dict[int, tuple[PeriodRef, InstitutionRef]]:
    """One period per institution: the evaluasi where there is one, else the pemantauan;
    with its institution. One query."""
    chosen: dict[int, tuple[PeriodRef, InstitutionRef]] = {}
    institution_fields = [f"institution__{name}" for name in InstitutionRef.FIELDS]
    rows = round_qs.values_list(
        *PeriodRef.FIELDS, "instrument_sha256", *institution_fields
    ).order_by("institution_id", "kind")  # evaluasi < pemantauan
    width = len(PeriodRef.FIELDS) + 1
    for row in rows:
        if row[1] not in chosen:
            chosen[row[1]] = (PeriodRef(*row[:width]), InstitutionRef(*row[width:]))
    return chosen


def _round_queryset(institutions: QuerySet[Institution], year: int, instrument_id: str):
    return Period.objects.filter(
        institution__in=institutions, year=year, instrument_id=instrument_id
    )


@dataclass(frozen=True)
class Summary:
    """Summary statistics of a set of indices. Quartiles: Python's statistics.quantiles with
    the inclusive method (linear between the closest ranks; the median is the middle value,
    or the mean of the two middle values)."""

    count: int
    minimum: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    maximum: Decimal
    mean: Decimal


def summarise(values) -> Summary | None:
    values = sorted(Decimal(v) for v in values if v is not None)
    if not values:
        return None
    if len(values) == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    mean = sum(values, Decimal(0)) / len(values)
    return Summary(
        len(values),
        values[0],
        q1.normalize(),
        median.normalize(),
        q3.normalize(),
        values[-1],
        mean.quantize(Decimal("0.001")),
    )


# --- progress -------------------------------------------------------------------------------


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


def _page_number(page, pages: int) -> int:
    try:
        number = int(page or 1)
    except (TypeError, ValueError):
        raise InvalidInput(
            _("The page is a number."),
            details=[{"location": "page", "message": str(_("Not a number."))}],
        ) from None
    return min(max(number, 1), max(pages, 1))


def progress(
    user, *, year=None, instrument_id=None, kind=None, province=None, sort=None, page=None
) -> Progress:
    """How far every institution in the evaluator's scope has got in one round."""
    require_evaluator(user)
    institutions = institutions_in_scope(user)
    choice = _choose(
        [o for o in _options(institutions, published=False)],
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
    round_qs = _round_queryset(institutions, choice.year, choice.instrument_id)
    chosen = _chosen_periods(round_qs)  # one query
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
    number = _page_number(page, pages)
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


# --- rankings -------------------------------------------------------------------------------


@dataclass
class RankRow:
    institution: InstitutionRef
    index: Decimal | None
    predicate: str
    stage: str = ""  # computed: the headline stage
    given: int = 0
    total: int = 0
    provisional: bool = False
    rank: int | None = None  # within the filtered rows
    scope_rank: int | None = None  # within everything in scope
    # published rows
    source: str = ""
    note: str = ""
    doubtful: bool = False
    predicate_computed: bool = False  # not published: read from the instrument's bands
    aspects: dict = field(default_factory=dict)
    # Read from the bands on a contested band edge: the other reading's predicate, and the
    # note the pages show ("" elsewhere).
    predicate_other: str = ""
    predicate_note: str = ""

    @property
    def stage_label(self) -> str:
        return stage_label(self.stage)


def _rank(rows: list[RankRow], attribute: str) -> list[RankRow]:
    """Best index first; equal indices share a rank (as the Excel Peringkat sheet); rows
    without an index come last, without a rank."""
    scored = sorted(
        (r for r in rows if r.index is not None),
        key=lambda r: (-r.index, r.institution.name, r.institution.pk),
    )
    for row, rank in zip(scored, competition_ranks([r.index for r in scored]), strict=True):
        setattr(row, attribute, rank)
    unscored = sorted(
        (r for r in rows if r.index is None), key=lambda r: (r.institution.name, r.institution.pk)
    )
    return scored + unscored


def _computed_rows(
    institutions: QuerySet[Institution], choice: Choice, *, aspects: bool = False
) -> list[RankRow]:
    round_qs = _round_queryset(institutions, choice.year, choice.instrument_id)
    chosen = _chosen_periods(round_qs)  # one query
    periods = [period for period, _institution in chosen.values()]
    stored = scores.fresh_scores(periods, round_qs, aspects=aspects)  # three queries, or more
    # after a change (scores.fresh_scores)
    rows = []
    for period, institution in chosen.values():
        score = stored[period.pk]
        rows.append(
            RankRow(
                institution=institution,
                index=score.index,
                predicate=score.predicate,
                stage=score.stage,
                given=score.given,
                total=score.total,
                provisional=score.provisional,
                aspects=score.aspects,
                predicate_other=other_reading(choice.instrument, score.index),
                predicate_note=other_reading_note(choice.instrument, score.index),
            )
        )
    return rows


def _published_rows(institutions: QuerySet[Institution], choice: Choice) -> list[RankRow]:
    rows = []
    institution_fields = [f"institution__{name}" for name in InstitutionRef.FIELDS]
    for values in PublishedResult.objects.filter(
        institution__in=institutions, year=choice.year, instrument_id=choice.instrument_id
    ).values_list(
        "index", "predicate", "source", "note", "doubtful", *institution_fields
    ):  # one query
        result = _Published(*values[:5], InstitutionRef(*values[5:]))
        predicate, computed, other, note = result.predicate, False, "", ""
        if not predicate and choice.instrument is not None:
            try:
                predicate, computed = str(choice.instrument.predicate_for(result.index).name), True
                other = other_reading(choice.instrument, result.index)
                note = other_reading_note(choice.instrument, result.index)
            except ValueError:
                predicate = ""
        rows.append(
            RankRow(
                institution=result.institution,
                index=result.index,
                predicate=predicate,
                source=result.source,
                note=result.note,
                doubtful=result.doubtful,
                predicate_computed=computed,
                predicate_other=other,
                predicate_note=note,
            )
        )
    return rows


def _filtered(rows: list[RankRow], choice: Choice) -> list[RankRow]:
    return [
        r
        for r in rows
        if (not choice.kind or r.institution.kind == choice.kind)
        and (not choice.province or r.institution.province == choice.province)
    ]


@dataclass(frozen=True, slots=True)
class _Published:
    index: Decimal
    predicate: str
    source: str
    note: str
    doubtful: bool
    institution: InstitutionRef


@dataclass
class Ranking:
    choice: Choice
    rows: list[RankRow]  # this page, ranked
    count: int  # rows after the filters
    ranked: int  # of which with an index
    page: int
    pages: int
    provinces: list[str]

    @property
    def filtered(self) -> bool:
        return bool(self.choice.kind or self.choice.province)


def _round_rows(user, year, instrument_id, source, kind, province):
    require_evaluator(user)
    institutions = institutions_in_scope(user)
    choice = _choose(
        _options(institutions, published=True), year, instrument_id, source, kind, province
    )
    if choice.source == PUBLISHED:
        rows = _published_rows(institutions, choice)
    else:
        rows = _computed_rows(institutions, choice)
    _rank(rows, "scope_rank")
    return choice, rows


def ranking(
    user, *, year=None, instrument_id=None, source=None, kind=None, province=None, page=None
) -> Ranking:
    """The ranking of one round over the evaluator's scope, filtered by kind and province;
    never two instruments in one ranking."""
    choice, rows = _round_rows(user, year, instrument_id, source, kind, province)
    provinces = sorted({r.institution.province for r in rows if r.institution.province})
    shown = _rank(_filtered(rows, choice), "rank")
    pages = max(1, -(-len(shown) // RANKING_PAGE))
    number = _page_number(page, pages)
    return Ranking(
        choice=choice,
        rows=shown[(number - 1) * RANKING_PAGE : number * RANKING_PAGE],
        count=len(shown),
        ranked=sum(1 for r in shown if r.rank is not None),
        page=number,
        pages=pages,
        provinces=provinces,
    )


# --- distributions --------------------------------------------------------------------------


@dataclass
class Group:
    key: str  # a kind, a province ("" unknown) or "all"
    summary: Summary | None
    bands: dict[str, int]  # predicate -> institutions


@dataclass
class Distribution:
    choice: Choice
    bands: list[str]  # the predicate bands, lowest first
    overall: Group
    by_kind: list[Group]
    by_province: list[Group]
    unscored: int
    provinces: list[str]


def _group(key: str, rows: list[RankRow], bands: list[str]) -> Group:
    counts = dict.fromkeys(bands, 0)
    for r in rows:
        if r.index is not None and r.predicate:
            counts[r.predicate] = counts.get(r.predicate, 0) + 1
    return Group(key, summarise(r.index for r in rows), counts)


def distribution(
    user, *, year=None, instrument_id=None, source=None, kind=None, province=None
) -> Distribution:
    """How the indices of one round spread: by predicate band, and summary statistics by kind
    and by province (after the kind and province filters)."""
    choice, rows = _round_rows(user, year, instrument_id, source, kind, province)
    provinces = sorted({r.institution.province for r in rows if r.institution.province})
    rows = _filtered(rows, choice)
    if choice.instrument is not None:
        bands = [str(p.name) for p in choice.instrument.predicates]
    else:
        bands = sorted({r.predicate for r in rows if r.predicate})
    by_kind = [
        _group(k, [r for r in rows if r.institution.kind == k], bands)
        for k in KINDS
        if any(r.institution.kind == k for r in rows)
    ]
    grouped: dict[str, list[RankRow]] = defaultdict(list)
    for r in rows:
        grouped[r.institution.province].append(r)
    by_province = [_group(p, grouped[p], bands) for p in sorted(grouped, key=lambda p: (not p, p))]
    return Distribution(
        choice=choice,
        bands=bands,
        overall=_group("all", rows, bands),
        by_kind=by_kind,
        by_province=by_province,
        unscored=sum(1 for r in rows if r.index is None),
        provinces=provinces,
    )


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


# --- one institution against its peers -----------------------------------------------------


@dataclass
class PeerGroup:
    """The institution among the institutions of its kind (nationally, or in its province)."""

    key: str  # national | province
    label: str
    count: int  # peers with a score, the institution included
    shown: bool  # False: too few peers to show their aggregates to the institution's people
    index: Summary | None = None
    aspects: dict[str, Summary | None] = field(default_factory=dict)
    rank: int | None = None
    percentile: int | None = None  # share of the other peers with a lower index, in %
    bands: dict[str, int] = field(default_factory=dict)
    names: list[RankRow] = field(default_factory=list)  # evaluators only: the peers by name
    # (code, name, own score, the peers' summary) per aspect, in the instrument's order
    aspect_rows: list[tuple] = field(default_factory=list)


@dataclass
class HistoryPoint:
    year: int
    instrument_id: str
    index: Decimal
    predicate: str
    doubtful: bool
    source: str
    peers: Summary | None  # of the same kind, same year and instrument, published
    peer_count: int

    @property
    def peer_median(self) -> Decimal | None:
        return self.peers.median if self.peers else None


@dataclass
class PeerComparison:
    institution: Institution
    period: Period | None
    choice: Choice | None
    own: RankRow | None
    aspect_names: dict[str, str]
    groups: list[PeerGroup]
    history: list[HistoryPoint]
    years: list[tuple[int, str]]  # the institution's rounds (year, instrument)
    evaluator: bool

    @property
    def provisional(self) -> bool:
        return bool(self.choice and self.choice.provisional)


def _peer_group(
    key: str,
    label: str,
    own: RankRow,
    peers: list[RankRow],
    bands: list[str],
    *,
    evaluator: bool,
    visible_ids: set[int] | None,
) -> PeerGroup:
    scored = [r for r in peers if r.index is not None]
    others = [r for r in scored if r.institution.pk != own.institution.pk]
    group = PeerGroup(key, label, len(scored), evaluator or len(others) >= MIN_PEERS)
    if own.index is not None:
        group.rank = 1 + sum(1 for r in others if r.index > own.index)
        if others:
            lower = sum(1 for r in others if r.index < own.index)
            group.percentile = round(100 * lower / len(others))
    if not group.shown:
        return group
    group.index = summarise(r.index for r in scored)
    codes = list(own.aspects) or sorted({c for r in scored for c in r.aspects})
    group.aspects = {
        code: summarise(Decimal(r.aspects[code]) for r in scored if code in r.aspects)
        for code in codes
    }
    group.bands = _group(key, scored, bands).bands
    if evaluator and visible_ids is not None:
        # Copies: the same rows are ranked again in the province group.
        group.names = _rank([replace(r) for r in peers if r.institution.pk in visible_ids], "rank")
    return group


def peers(user, institution_id: int, *, year=None) -> PeerComparison:
    """One institution's figures against its peers of the same kind, nationally and in its
    province, in the round of `year` (default: its latest), and its published history
    against the peers' published medians."""
    institution, access = institution_for_user(user, institution_id)
    require(access, Capability.VIEW)
    evaluator = bool(getattr(user, "evaluator_scope", "")) and access.can(
        Capability.MANAGE_ASSESSORS
    )
    own_periods = list(Period.objects.filter(institution=institution).order_by("-year", "kind"))
    years = sorted({(p.year, p.instrument_id) for p in own_periods}, reverse=True)
    if year not in (None, ""):
        try:
            year = int(str(year).strip())
        except ValueError:
            raise InvalidInput(
                _("Give a year, e.g. 2025."),
                details=[{"location": "year", "message": str(_("Not a year."))}],
            ) from None
        candidates = [p for p in own_periods if p.year == year]
        if not candidates:
            raise NotFound(_("The institution has no period in that year."))
    else:
        candidates = own_periods
    period = candidates[0] if candidates else None  # evaluasi before pemantauan
    own, groups, choice, aspect_names = None, [], None, {}
    if period is not None:
        instrument = _instrument(period.instrument_id)
        choice = Choice(
            period.year, period.instrument_id, COMPUTED, institution.kind, "", (), instrument
        )
        kind_peers = Institution.objects.filter(kind=institution.kind)
        rows = _computed_rows(kind_peers, choice, aspects=True)
        own = next((r for r in rows if r.institution.pk == institution.pk), None)
        bands = [str(p.name) for p in instrument.predicates] if instrument else []
        aspect_names = (
            {a.code: str(a.short_name or a.name) for a in instrument.aspects} if instrument else {}
        )
        visible_ids = None
        if evaluator:
            visible_ids = set(institutions_in_scope(user).values_list("pk", flat=True))
        if own is not None:
            groups.append(
                _peer_group(
                    "national",
                    str(_("Nationally: every %(kind)s") % {"kind": institution.get_kind_display()}),
                    own,
                    rows,
                    bands,
                    evaluator=evaluator,
                    visible_ids=visible_ids,
                )
            )
            if institution.province and institution.kind != Institution.Kind.PUSAT:
                in_province = [r for r in rows if r.institution.province == institution.province]
                groups.append(
                    _peer_group(
                        "province",
                        str(
                            _("In %(province)s: every %(kind)s")
                            % {
                                "province": institution.province,
                                "kind": institution.get_kind_display(),
                            }
                        ),
                        own,
                        in_province,
                        bands,
                        evaluator=evaluator,
                        visible_ids=visible_ids,
                    )
                )
    history = _published_history(institution)
    for group in groups:
        group.aspect_rows = [
            (code, aspect_names.get(code, ""), _decimal(own.aspects.get(code)), summary)
            for code, summary in group.aspects.items()
        ]
    return PeerComparison(
        institution=institution,
        period=period,
        choice=choice,
        own=own,
        aspect_names=aspect_names,
        groups=groups,
        history=history,
        years=years,
        evaluator=evaluator,
    )


def _published_history(institution: Institution) -> list[HistoryPoint]:
    """The institution's published indices by year against the median of the published
    indices of its kind that year (same instrument): one query."""
    own, by_round = [], defaultdict(list)
    for institution_id, year, instrument_id, index, predicate, doubtful, source in (
        PublishedResult.objects.filter(institution__kind=institution.kind)
        .values_list(
            "institution_id", "year", "instrument_id", "index", "predicate", "doubtful", "source"
        )
        .order_by("year", "instrument_id")
    ):
        if institution_id == institution.pk:
            own.append((year, instrument_id, index, predicate, doubtful, source))
        else:
            by_round[(year, instrument_id)].append(index)
    points = []
    for year, instrument_id, index, predicate, doubtful, source in own:
        others = by_round.get((year, instrument_id), [])
        summary = summarise(others)
        points.append(
            HistoryPoint(
                year,
                instrument_id,
                index,
                predicate,
                doubtful,
                source,
                summary,
                len(others),
            )
        )
    return points

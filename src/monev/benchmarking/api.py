"""The evaluator's view through the API: progress of a round, rankings, distributions, and one
institution against its peers; the same selectors (and so the same permissions) as the pages."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema

from monev.benchmarking import selectors
from monev.evaluations.stages import stage_label
from monev.lib.api_schemas import PAGE_QUERY, YEAR_QUERY, ErrorOut, Id

router = Router(tags=["evaluation"])

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def _dec(value) -> str | None:
    return None if value is None else str(value)


# --- schemas ----------------------------------------------------------------------------------


class RoundOut(Schema):
    year: int
    instrument: str = Field(description='the instrument id; "" when a publication did not say')
    source: str = Field(description="computed (from the answers) or published (quoted)")
    provisional: bool = Field(description="the instrument is provisional: figures may change")
    kind: str
    province: str


class RoundOptionOut(Schema):
    year: int
    instrument: str
    source: str
    count: int


class RoundInstitutionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    province: str


class ProgressRowOut(Schema):
    institution: RoundInstitutionOut
    period_id: int | None
    stage: str
    stage_label: str
    answers: int
    with_level: int
    final_self: int = Field(description="answers final mandiri (locked self-assessment)")
    verified: int
    passes: dict[str, int] = Field(description="assessor stage -> answers with a pass")
    due: dict[str, datetime] = Field(description="milestone kind -> due date")


class ProgressOut(Schema):
    round: RoundOut
    options: list[RoundOptionOut]
    total: int
    stages: list[str] = Field(description="the progress stages, earliest first")
    counts: dict[str, int]
    by_kind: dict[str, dict[str, int]]
    by_province: dict[str, dict[str, int]] = Field(description='"" collects central agencies')
    sort: str
    page: int
    pages: int
    rows: list[ProgressRowOut]


class RankRowOut(Schema):
    rank: int | None
    scope_rank: int | None = Field(description="the rank before the kind and province filters")
    institution: RoundInstitutionOut
    index: str | None
    predicate: str
    predicate_from_bands: bool = Field(description="published without one: read from the bands")
    predicate_other_reading: str | None = Field(
        None,
        description="read from the bands on a contested band edge (pemdi-2026 at 1.50, 2.50, "
        "3.50, 4.00): the predicate the other reading gives",
    )
    stage: str = Field(description="computed: the stage the index is from")
    stage_label: str
    given: int
    total: int
    provisional: bool
    source: str
    note: str
    doubtful: bool


class RoundRankingOut(Schema):
    round: RoundOut
    options: list[RoundOptionOut]
    count: int
    ranked: int
    page: int
    pages: int
    rows: list[RankRowOut]


class IndexSummaryOut(Schema):
    count: int
    minimum: str
    q1: str
    median: str
    q3: str
    maximum: str
    mean: str


class DistributionGroupOut(Schema):
    key: str
    summary: IndexSummaryOut | None
    bands: dict[str, int]


class DistributionOut(Schema):
    round: RoundOut
    bands: list[str]
    overall: DistributionGroupOut
    by_kind: list[DistributionGroupOut]
    by_province: list[DistributionGroupOut]
    unscored: int


class PeerGroupOut(Schema):
    key: str = Field(description="national or province")
    label: str
    count: int
    shown: bool = Field(description="False: too few peers for their aggregates to be shown")
    rank: int | None
    percentile: int | None = Field(description="% of the other peers with a lower index")
    index: IndexSummaryOut | None
    aspects: dict[str, IndexSummaryOut | None]
    bands: dict[str, int]
    peers: list[RankRowOut] = Field(description="evaluators only: the peers in their scope")


class PeerHistoryPointOut(Schema):
    year: int
    instrument: str
    index: str
    predicate: str
    doubtful: bool
    source: str
    peer_median: str | None
    peer_count: int


class PeerOwnOut(Schema):
    period_id: int
    year: int
    instrument: str
    provisional: bool
    index: str | None
    predicate: str
    stage: str
    stage_label: str
    given: int
    total: int
    aspects: dict[str, str]


class PeersOut(Schema):
    institution: RoundInstitutionOut
    own: PeerOwnOut | None
    groups: list[PeerGroupOut]
    history: list[PeerHistoryPointOut]


# --- conversions ------------------------------------------------------------------------------


def _institution(institution) -> dict:
    return {
        "id": institution.pk,
        "code": institution.code,
        "name": institution.name,
        "kind": institution.kind,
        "province": institution.province,
    }


def _round(choice) -> dict:
    return {
        "year": choice.year,
        "instrument": choice.instrument_id,
        "source": choice.source,
        "provisional": choice.provisional,
        "kind": choice.kind,
        "province": choice.province,
    }


def _options(choice) -> list[dict]:
    return [
        {"year": o.year, "instrument": o.instrument_id, "source": o.source, "count": o.count}
        for o in choice.options
    ]


def _summary(summary) -> dict | None:
    if summary is None:
        return None
    return {
        "count": summary.count,
        "minimum": str(summary.minimum),
        "q1": str(summary.q1),
        "median": str(summary.median),
        "q3": str(summary.q3),
        "maximum": str(summary.maximum),
        "mean": str(summary.mean),
    }


def _rank_row(row) -> dict:
    return {
        "rank": row.rank,
        "scope_rank": row.scope_rank,
        "institution": _institution(row.institution),
        "index": _dec(row.index),
        "predicate": row.predicate,
        "predicate_from_bands": row.predicate_computed,
        "predicate_other_reading": row.predicate_other or None,
        "stage": row.stage,
        "stage_label": row.stage_label,
        "given": row.given,
        "total": row.total,
        "provisional": row.provisional,
        "source": row.source,
        "note": row.note,
        "doubtful": row.doubtful,
    }


def _group(group) -> dict:
    return {"key": group.key, "summary": _summary(group.summary), "bands": group.bands}


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/evaluation/progress",
    response={200: ProgressOut, **ERRORS},
    summary="Progress of the evaluation",
)
def progress(
    request,
    year: int | None = YEAR_QUERY,
    instrument: str | None = None,
    kind: str | None = None,
    province: str | None = None,
    sort: str | None = None,
    page: int | None = PAGE_QUERY,
):
    """How many institutions in the evaluator's scope are at each stage (not started,
    self-assessment, submitted, verified, document review, interview, visit, final), by kind
    and by province, and the institutions (50 a page) with their stage and due dates.
    Evaluators only. Sort: name, kind, province, stage (default) or due."""
    result = selectors.progress(
        request.auth,
        year=year,
        instrument_id=instrument,
        kind=kind,
        province=province,
        sort=sort,
        page=page,
    )
    return {
        "round": _round(result.choice),
        "options": _options(result.choice),
        "total": result.total,
        "stages": list(selectors.PROGRESS_STAGES),
        "counts": result.counts,
        "by_kind": result.by_kind,
        "by_province": result.by_province,
        "sort": result.sort,
        "page": result.page,
        "pages": result.pages,
        "rows": [
            {
                "institution": _institution(r.institution),
                "period_id": r.period.pk if r.period else None,
                "stage": r.stage,
                "stage_label": str(r.stage_label),
                "answers": r.state.answers if r.state else 0,
                "with_level": r.state.with_level if r.state else 0,
                "final_self": r.state.final_self if r.state else 0,
                "verified": r.state.verified if r.state else 0,
                "passes": r.state.passes if r.state else {},
                "due": r.due,
            }
            for r in result.rows
        ],
    }


@router.get(
    "/evaluation/rankings",
    response={200: RoundRankingOut, **ERRORS},
    summary="Ranking of institutions",
)
def rankings(
    request,
    year: int | None = YEAR_QUERY,
    instrument: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    province: str | None = None,
    page: int | None = PAGE_QUERY,
):
    """The ranking of one round (one year, one instrument: never mixed) over the evaluator's
    scope: computed from the answers (source=computed, the default where there are periods)
    or as published (source=published). Equal indices share a rank. 50 rows a page."""
    result = selectors.ranking(
        request.auth,
        year=year,
        instrument_id=instrument,
        source=source,
        kind=kind,
        province=province,
        page=page,
    )
    return {
        "round": _round(result.choice),
        "options": _options(result.choice),
        "count": result.count,
        "ranked": result.ranked,
        "page": result.page,
        "pages": result.pages,
        "rows": [_rank_row(r) for r in result.rows],
    }


@router.get(
    "/evaluation/distributions",
    response={200: DistributionOut, **ERRORS},
    summary="Distribution of the indices",
)
def distributions(
    request,
    year: int | None = YEAR_QUERY,
    instrument: str | None = None,
    source: str | None = None,
    kind: str | None = None,
    province: str | None = None,
):
    """Institutions per predicate band and summary statistics (minimum, quartiles, median,
    maximum, mean) overall, by kind and by province, for one round. Evaluators only."""
    result = selectors.distribution(
        request.auth,
        year=year,
        instrument_id=instrument,
        source=source,
        kind=kind,
        province=province,
    )
    return {
        "round": _round(result.choice),
        "bands": result.bands,
        "overall": _group(result.overall),
        "by_kind": [_group(g) for g in result.by_kind],
        "by_province": [_group(g) for g in result.by_province],
        "unscored": result.unscored,
    }


@router.get(
    "/evaluation/institutions/{institution_id}/peers",
    response={200: PeersOut, **ERRORS},
    summary="One institution against its peers",
)
def institution_peers(request, institution_id: Id, year: int | None = YEAR_QUERY):
    """The institution's index, aspect scores and predicate against the institutions of its
    kind, nationally and in its province: median and quartiles, rank, percentile; and its
    published history against the published median of its kind. Its own people see the
    peers only as aggregates (and only with at least 5 other peers); evaluators also get the
    peers in their scope by name."""
    result = selectors.peers(request.auth, institution_id, year=year)
    own = None
    if result.own is not None and result.period is not None:
        own = {
            "period_id": result.period.pk,
            "year": result.period.year,
            "instrument": result.period.instrument_id,
            "provisional": result.own.provisional,
            "index": _dec(result.own.index),
            "predicate": result.own.predicate,
            "stage": result.own.stage,
            "stage_label": stage_label(result.own.stage),
            "given": result.own.given,
            "total": result.own.total,
            "aspects": result.own.aspects,
        }
    return {
        "institution": _institution(result.institution),
        "own": own,
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "count": g.count,
                "shown": g.shown,
                "rank": g.rank,
                "percentile": g.percentile,
                "index": _summary(g.index),
                "aspects": {code: _summary(s) for code, s in g.aspects.items()},
                "bands": g.bands,
                "peers": [_rank_row(r) for r in g.names],
            }
            for g in result.groups
        ],
        "history": [
            {
                "year": p.year,
                "instrument": p.instrument_id,
                "index": str(p.index),
                "predicate": p.predicate,
                "doubtful": p.doubtful,
                "source": p.source,
                "peer_median": _dec(p.peer_median),
                "peer_count": p.peer_count,
            }
            for p in result.history
        ],
    }

"""One institution against its peers of the same kind, nationally and in its province,
and its published history (docs/evaluator.md, "Perbandingan dengan sejawat")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monev.benchmarking.selectors.distributions import band_group
from monev.benchmarking.selectors.rankings import RankRow, computed_rows, rank_rows
from monev.benchmarking.selectors.rounds import COMPUTED, Choice, round_instrument
from monev.benchmarking.selectors.summaries import Summary, summarise
from monev.evaluations.models import Period, PublishedResult
from monev.institutions.access import institution_for_user, institutions_in_scope, require
from monev.institutions.models import Institution
from monev.institutions.permissions import Capability
from monev.lib.errors import InvalidInput, NotFound

MIN_PEERS = 5  # other institutions with a score before their aggregates are shown to members


def _decimal(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


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
    group.bands = band_group(key, scored, bands).bands
    if evaluator and visible_ids is not None:
        # Copies: the same rows are ranked again in the province group.
        group.names = rank_rows(
            [replace(r) for r in peers if r.institution.pk in visible_ids], "rank"
        )
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
        instrument = round_instrument(period.instrument_id)
        choice = Choice(
            period.year, period.instrument_id, COMPUTED, institution.kind, "", (), instrument
        )
        kind_peers = Institution.objects.filter(kind=institution.kind)
        rows = computed_rows(kind_peers, choice, aspects=True)
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

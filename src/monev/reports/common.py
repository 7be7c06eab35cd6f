"""What the period workbooks share: the instrument's names for an item, the period's evidence
links and comments (one query each), and the levels at each stage in the workbooks' words."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from monev.core.model import Instrument, ScoredItem
from monev.evaluations import stages
from monev.evaluations.models import AssessorPass, Comment, Period
from monev.evidence.models import EvidenceLink
from monev.lib.public_url import public_url

# The stages of the cycle as the workbooks name them: (key, header). Self-assessment and the
# internal verification come from the answer; the others from the external assessors' passes.
STAGE_HEADERS = (
    (stages.SELF, "Tingkat Mandiri"),
    (stages.VERIFIED, "Tingkat Verifikasi Internal"),
    (stages.DOCUMENT, "Penilaian Dokumen"),
    (stages.INTERVIEW, "Penilaian Interviu"),
    (stages.VISITATION, "Visitasi"),
    (stages.FINAL, "Tingkat Final"),
)
# The stages the engine scores (monev.evaluations.stages.SCORED), in the workbooks' words.
SCORE_STAGE_NAMES = {
    stages.SELF: "Penilaian Mandiri",
    stages.VERIFIED: "Terverifikasi (asesor internal)",
    stages.PROVISIONAL: "Sementara (asesor eksternal)",
    stages.FINAL: "Final",
}


def levels_by_stage(answer, passes: dict[str, AssessorPass]) -> list[Decimal | None]:
    """The answer's level at each of STAGE_HEADERS' stages (None where there is none)."""
    values = {stages.SELF: answer.level, stages.VERIFIED: answer.verified_level}
    values |= {stage: p.level for stage, p in passes.items()}
    return [values.get(key) for key, _header in STAGE_HEADERS]


@dataclass(frozen=True)
class ItemNames:
    indicator: str  # the indicator's name, with the sub-item's after a dash
    aspect: str
    domain: str


def item_names(instrument: Instrument, item: ScoredItem) -> ItemNames:
    indicator = instrument.indicators_by_number[item.indicator]
    name = indicator.name if item.number == indicator.number else f"{indicator.name} - {item.name}"
    aspect = instrument.aspects_by_code[item.aspect]
    domain = instrument.domains_by_code.get(aspect.domain)
    return ItemNames(name, aspect.name, domain.name if domain else "")


def evidence_address(evidence) -> str:
    """Where the assessors find it: the application's link, else its page here."""
    if evidence.url:
        return evidence.url
    return public_url(reverse("evidence:detail", args=[evidence.pk]))


def evidence_links(period: Period) -> dict[int, list[EvidenceLink]]:
    """answer id -> its evidence links with their evidence and supplying unit, by level and
    title (one query)."""
    links: dict[int, list[EvidenceLink]] = {}
    query = (
        EvidenceLink.objects.filter(answer__period=period)
        .select_related("evidence", "evidence__unit")
        .order_by("answer_id", "level", "evidence__title", "evidence_id")
    )
    for link in query:
        links.setdefault(link.answer_id, []).append(link)
    return links


def comments_by_answer(period: Period) -> dict[int, list[Comment]]:
    """answer id -> its comments (return notes among them), oldest first (one query)."""
    comments: dict[int, list[Comment]] = {}
    query = (
        Comment.objects.filter(answer__period=period)
        .select_related("author")
        .order_by("answer_id", "created_at", "pk")
    )
    for comment in query:
        comments.setdefault(comment.answer_id, []).append(comment)
    return comments


def person(user) -> str:
    if user is None:
        return "-"
    return getattr(user, "full_name", "") or user.get_username()

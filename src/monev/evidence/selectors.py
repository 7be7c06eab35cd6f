"""Reads of evidence shared by pages and API, scoped to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import AnswerUnit, Period
from monev.evidence.models import Evidence, EvidenceLink, EvidenceVersion
from monev.institutions.access import access_for
from monev.institutions.permissions import Access
from monev.lib.errors import NotFound


def evidence_scope(access: Access) -> Q:
    """An operator sees their units' evidence, and evidence linked to their units' answers."""
    their_answers = AnswerUnit.objects.filter(unit_id__in=access.unit_ids).values("answer_id")
    return Q(unit_id__in=access.unit_ids) | Q(links__answer_id__in=their_answers)


def evidence_visible(access: Access, evidence: Evidence) -> bool:
    if not access:
        return False
    if not access.is_operator_only:
        return True
    return Evidence.objects.filter(evidence_scope(access), pk=evidence.pk).exists()


def evidence_queryset(access: Access, institution_id: int):
    """The institution's evidence the user may see, with its latest version's file and how
    many answer levels it supports: one query, however much evidence there is."""
    latest = EvidenceVersion.objects.filter(evidence=OuterRef("pk")).order_by("-number")
    queryset = (
        Evidence.objects.filter(institution_id=institution_id)
        .select_related("unit")
        .annotate(
            latest_version=Subquery(latest.values("number")[:1]),
            latest_file_id=Subquery(latest.values("file_id")[:1]),
            link_count=Count("links", distinct=True),
        )
    )
    if access.is_operator_only:
        queryset = queryset.filter(evidence_scope(access)).distinct()
    return queryset


def evidence_list(
    access: Access, institution_id: int, *, kind: str | None = None, unit_id: int | None = None
):
    """The library's rows (pages and API): `evidence_queryset` narrowed by kind and supplying
    unit, with the latest file's text status and kind - still one query for the rows."""
    latest = EvidenceVersion.objects.filter(evidence=OuterRef("pk")).order_by("-number")
    queryset = evidence_queryset(access, institution_id).annotate(
        text_status=Subquery(latest.values("file__text_status")[:1]),
        file_kind=Subquery(latest.values("file__kind")[:1]),
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if unit_id:
        queryset = queryset.filter(unit_id=unit_id)
    return queryset.order_by("-created_at", "-pk")


def evidence_library(user, institution_id: int) -> tuple[list[Evidence], Access]:
    access = access_for(user, institution_id)
    if not access:
        raise NotFound(_("Institution not found."))
    return list(evidence_queryset(access, institution_id).order_by("-created_at")), access


@dataclass
class EvidenceDetail:
    evidence: Evidence
    access: Access
    versions: list[EvidenceVersion]
    links: list[EvidenceLink]


def evidence_detail(user, evidence_id: int) -> EvidenceDetail:
    """The evidence, all its versions, and every answer level it supports (where it is used)."""
    evidence = Evidence.objects.select_related("unit", "institution").filter(pk=evidence_id).first()
    access = access_for(user, evidence.institution_id) if evidence else Access(())
    if evidence is None or not evidence_visible(access, evidence):
        raise NotFound(_("Evidence not found."))
    versions = list(evidence.versions.select_related("file", "uploaded_by").order_by("-number"))
    links = list(
        evidence.links.select_related("answer__period").order_by(
            "answer__period__year", "answer__position", "level"
        )
    )
    return EvidenceDetail(evidence, access, versions, links)


def answer_evidence(answer_id: int) -> list[EvidenceLink]:
    """The evidence linked to one answer, by level, with each item's latest file."""
    return list(
        EvidenceLink.objects.filter(answer_id=answer_id)
        .select_related("evidence__unit")
        .prefetch_related(
            Prefetch(
                "evidence__versions",
                queryset=EvidenceVersion.objects.select_related("file").order_by("-number"),
            )
        )
        .order_by("level", "evidence__title")
    )


def evidence_counts(period_id: int) -> dict[int, int]:
    """answer id -> how many distinct evidence items support it (one query)."""
    rows = (
        EvidenceLink.objects.filter(answer__period_id=period_id)
        .values("answer_id")
        .annotate(count=Count("evidence_id", distinct=True))
    )
    return {row["answer_id"]: row["count"] for row in rows}


def version_for_download(user, version_id: int) -> EvidenceVersion:
    """A version the user may download (NotFound otherwise: ids reveal nothing)."""
    version = (
        EvidenceVersion.objects.select_related("file", "evidence").filter(pk=version_id).first()
    )
    if version is None:
        raise NotFound(_("Evidence not found."))
    access = access_for(user, version.evidence.institution_id)
    if not evidence_visible(access, version.evidence):
        raise NotFound(_("Evidence not found."))
    return version


def file_text_head(file_id: int, chars: int = 3000) -> str:
    """The start of a file's extracted text (only that much is read from the database)."""
    from django.db.models.functions import Substr

    from monev.evidence.models import FileText

    row = (
        FileText.objects.filter(file_id=file_id)
        .annotate(head=Substr("text", 1, chars))
        .values_list("head", flat=True)
        .first()
    )
    return row or ""


def evidence_tab(period: Period, access: Access) -> bool:
    """The period's "Data dukung" tab (evaluations.hooks.period_tabs): every member."""
    return bool(access)

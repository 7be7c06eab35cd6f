"""The answer page's evidence section (registered in evaluations.hooks.answer_sections): the
evidence linked per level, the forms to link or upload more, the readiness checks."""

from __future__ import annotations

from collections import defaultdict

from monev.evaluations.selectors import AnswerDetail, Flag
from monev.evidence import forms as evidence_forms
from monev.evidence.answer_terms import answer_terms
from monev.evidence.readiness import Readiness, answer_readiness
from monev.evidence.selectors import answer_evidence, evidence_queryset
from monev.institutions.permissions import Capability


def evidence_library_choices(detail: AnswerDetail) -> list:
    """The institution's evidence the user may see, to choose one to link (one query)."""
    queryset = evidence_queryset(detail.access, detail.period.institution_id)
    return list(queryset.order_by("title", "pk"))


def evidence_section(detail: AnswerDetail, extra: dict) -> dict:
    """The evidence linked per level, the forms to link or upload more, and the readiness
    checks with the per-level checklist (shown before the submit button). `extra` may carry
    the bound forms (`evidence_forms`) and the error (`evidence_error`) of a refused action."""
    forms, error = extra.pop("evidence_forms", None), extra.pop("evidence_error", None)

    answer, access = detail.row.answer, detail.access
    unit_ids = {unit.pk for unit in detail.row.units}
    can_link = access.can_on_answer(Capability.EDIT_ANSWER, unit_ids)
    if detail.actions is not None:  # the self-assessment's window: linking changes the answer
        can_link = detail.actions.allowed("link_evidence")
    can_upload = can_link and access.can(Capability.MANAGE_EVIDENCE)
    levels = evidence_forms.level_choices(detail.instrument.scale.min, detail.instrument.scale.max)
    by_level: dict[int, list] = defaultdict(list)
    links = list(answer_evidence(answer.pk))
    for link in links:
        versions = list(link.evidence.versions.all())
        link.latest = versions[0] if versions else None
        by_level[link.level].append(link)
    terms = answer_terms(answer, links, detail.instrument)
    for link in links:
        link.terms = terms.documents.get(link.evidence_id) if terms else None
    shown = dict(forms or {})
    if can_link and "link" not in shown:
        shown["link"] = evidence_forms.AnswerLinkForm(
            library=evidence_library_choices(detail), levels=levels, auto_id="id_link_%s"
        )
    if can_upload and "upload" not in shown:
        units = evidence_forms.supply_units(detail.institution_units, access)
        operator_only = Capability.MANAGE_EVIDENCE in access.scoped
        initial = {"unit": str(units[0].pk)} if operator_only and units else {}
        shown["upload"] = evidence_forms.AnswerUploadForm(
            initial=initial,
            levels=levels,
            units=units,
            operator_only=operator_only,
            auto_id="id_up_%s",
        )
    readiness = answer_readiness(answer.pk)
    return {
        "by_level": sorted(by_level.items()),
        "count": len({link.evidence_id for links in by_level.values() for link in links}),
        "can_link": can_link,
        "can_upload": can_upload,
        "forms": shown,
        "error": error,
        "readiness": readiness,
        "terms": terms,
        "submission_warnings": readiness_warnings(readiness),
        "library_url_args": [detail.period.institution_id],
    }


def readiness_warnings(readiness: Readiness) -> list[Flag]:
    """The readiness errors, as the problems to confirm before submitting the answer."""
    return [Flag(check.code, check.message) for check in readiness.errors]


def submission_warnings(answer_id: int) -> list[Flag]:
    """evaluations.hooks.submission_checks: the answer's readiness errors (five queries)."""
    return readiness_warnings(answer_readiness(answer_id))

"""The readiness checks that read what a linked document says (not how it is described): a
document whose text shows none of its indicator's terms (off_topic), and a claimed level whose
required element - an enacted regulation, a review, a follow-up - none of the linked documents
shows (missing_element). Both read the topics stored on each file when its text was read
(topics.file_topics), so a whole period is checked without reading any text.

They say nothing where they cannot know: a file whose text is not read yet, a scan the OCR
engine has not read, a text too short to tell, or topics read with older terms.

readiness.py turns what these functions return into its Checks: (code, params, levels, ids).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.core.evidence_terms import EvidenceTerms
from monev.core.model import Indicator
from monev.evidence.facts import contradictions
from monev.evidence.topics import known_topics

TERMS_SHOWN = 3  # of the indicator's terms, in the off-topic message

WARNING = "warning"
CHECKS = {
    "off_topic": (
        WARNING,
        _(
            "“%(title)s” mentions none of the terms of indicator %(indicator)s (such as "
            "%(terms)s): check that it is linked to the right indicator."
        ),
    ),
    "facts_contradict_text": (
        WARNING,
        _(
            "The %(field)s of “%(title)s” is %(typed)s, but its text reads %(read)s: check "
            "which is right."
        ),
    ),
    "missing_element": (
        WARNING,
        _(
            "Level %(level)s asks for “%(element)s”, which none of the linked documents shows "
            "in its text."
        ),
    ),
}


def off_topic(terms: EvidenceTerms | None, indicator: Indicator, evidence, version):
    """The off_topic finding about one linked document, or None."""
    if terms is None or version is None:
        return None
    entry = terms.entry(indicator.number)
    known = known_topics(version.file.topics, terms)
    if entry is None or not entry.topic_check or known is None:
        return None
    if entry.number in known["indicators"]:
        return None
    params = {
        "title": evidence.title,
        "indicator": indicator.label,
        "terms": ", ".join(f"“{term}”" for term in entry.terms[:TERMS_SHOWN]),
    }
    return ("off_topic", params, (), (evidence.pk,))


FIELD_NAMES = {"document_number": _("document number"), "document_date": _("document date")}


def contradicting(evidence, version) -> list[tuple]:
    """A typed number or date of one linked document that its text contradicts."""
    if version is None:
        return []
    found = contradictions(evidence.document_number, evidence.document_date, version.file.facts)
    return [
        (
            "facts_contradict_text",
            {
                "field": FIELD_NAMES[name],
                "title": evidence.title,
                "typed": str(typed),
                "read": str(read),
            },
            (),
            (evidence.pk,),
        )
        for name, typed, read in found
    ]


def missing_elements(terms: EvidenceTerms | None, indicator: Indicator, claimed, documents):
    """The missing_element findings of an answer: `documents` are the latest versions of the
    evidence linked at or below the claimed level (None for a link without a file)."""
    if terms is None or not claimed:
        return []
    required = terms.required_elements(indicator.number, claimed)
    files = [version.file for version in documents if version is not None]
    if not required or not files:
        return []
    known = [known_topics(stored.topics, terms) for stored in files]
    if any(entry is None for entry in known):
        return []  # a document that cannot be read might show it
    shown = set().union(*(entry["elements"] for entry in known))
    return [
        (
            "missing_element",
            {"level": claimed, "element": terms.elements[name].description},
            (claimed,),
            (),
        )
        for name in required
        if name not in shown
    ]

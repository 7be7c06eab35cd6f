"""What a document's text is about, against each instrument's evidence terms
(monev.core.evidence_terms): the indicators whose terms it shows and the level elements (an
enacted regulation, a review, a follow-up ...) it contains.

Read once per file, in the background job that reads its text (text_indexing), and stored on
the file (StoredFile.topics), so the readiness checks of a whole period read no text:

    {"spbe-2020": {"sha": "<terms file sha256>", "indicators": ["1", "13"],
                   "elements": ["penetapan"]}, ...}

An entry whose "sha" is not the bundled terms file's any more (the terms were corrected) is
treated as unknown until `monev evidence reindex` reads the file again. The answer page, which
shows a handful of documents, matches their text again for the passages (answer_terms).
"""

from __future__ import annotations

from dataclasses import dataclass

from monev.core.evidence_terms import (
    EvidenceTerms,
    FoundTerm,
    PreparedText,
    bundled_terms,
    match_list,
    match_terms,
    prepare,
)
from monev.core.registry import catalog

# Fewer visible characters than this and a text is too short to say what it is about.
MIN_CHARS = 200


def all_terms() -> list[EvidenceTerms]:
    """The bundled terms of every instrument in the catalogue (its highest version)."""
    terms = []
    for instrument_id in catalog().ids():
        found = bundled_terms(instrument_id)
        if found is not None:
            terms.append(found)
    return terms


def readable(text: str) -> bool:
    return sum(1 for ch in text[: MIN_CHARS * 20] if not ch.isspace()) >= MIN_CHARS


def file_topics(text: str) -> dict | None:
    """The stored form above; None when the text is too short to tell."""
    if not readable(text):
        return None
    prepared = prepare(text)
    topics = {}
    for terms in all_terms():
        topics[terms.instrument_id] = {
            "sha": terms.sha256,
            "indicators": [
                number
                for number, entry in terms.indicators.items()
                if match_terms(prepared, entry).matched
            ],
            "elements": [
                name
                for name, element in terms.elements.items()
                if match_list(prepared, element.compiled).matched
            ],
        }
    return topics


def known_topics(topics: dict | None, terms: EvidenceTerms) -> dict | None:
    """The file's entry for these terms, if it was read with them."""
    entry = (topics or {}).get(terms.instrument_id)
    if entry is None or entry.get("sha") != terms.sha256:
        return None
    return entry


@dataclass(frozen=True)
class DocumentTerms:
    """One linked document on the answer page: the indicator's terms it shows (with passages)
    and those it does not."""

    found: list[FoundTerm]
    missing: list[str]
    checked: bool  # False: no text to read (a scan not read, a video, a link)


def document_terms(
    text: str | PreparedText | None, terms: EvidenceTerms, indicator_number: str
) -> DocumentTerms:
    entry = terms.entry(indicator_number)
    raw = text.text if isinstance(text, PreparedText) else text
    if entry is None or raw is None or not readable(raw):
        return DocumentTerms([], [], checked=False)
    match = match_terms(text, entry)
    return DocumentTerms(match.found, match.missing, checked=True)

"""The answer page's "what the documents say" part: for each linked document, which of its
indicator's terms its text shows (with the passage where each is found) and which not; and for
the claimed level, each element it requires (an enacted regulation, a review ...) with where a
linked document shows it. The same reading as the off_topic and missing_element checks
(text_checks), with the passages the checks leave out."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from monev.core.evidence_rules import claimed_level
from monev.core.evidence_terms import ElementCheck, FoundTerm, bundled_terms, check_elements
from monev.core.evidence_terms import prepare as prepare_text
from monev.core.model import Instrument
from monev.evidence.models import FileText, StoredFile
from monev.evidence.topics import DocumentTerms, document_terms, readable


def marked(found: FoundTerm) -> SafeString:
    """The passage, escaped, with the matched words in <mark>."""
    passage = found.passage
    return mark_safe(  # noqa: S308 - every part is escaped
        escape(passage[: found.start])
        + "<mark>"
        + escape(passage[found.start : found.end])
        + "</mark>"
        + escape(passage[found.end :])
    )


@dataclass
class ShownTerm:
    term: str
    passage: SafeString


@dataclass
class ShownDocument:
    found: list[ShownTerm]
    missing: list[str]
    checked: bool

    @property
    def total(self) -> int:
        return len(self.found) + len(self.missing)


@dataclass
class ShownElement:
    description: str
    passage: SafeString | None  # None: no linked document shows it


@dataclass
class AnswerTerms:
    documents: dict[int, ShownDocument]  # evidence id ->
    level: int | None
    elements: list[ShownElement]
    # False: a document linked at or below the level has no text to read (a scan not read, a
    # screenshot, a very short text), so the missing_element check says nothing
    complete: bool = True

    @property
    def any_checked(self) -> bool:
        return any(document.checked for document in self.documents.values())


def _shown(terms: DocumentTerms) -> ShownDocument:
    found = [ShownTerm(hit.term, marked(hit)) for hit in terms.found]
    return ShownDocument(found, terms.missing, terms.checked)


def _element(check: ElementCheck) -> ShownElement:
    return ShownElement(check.description, marked(check.found) if check.found else None)


def answer_terms(answer, links, instrument: Instrument) -> AnswerTerms | None:
    """`links` are the answer's links, each with `latest` (its evidence's newest version, or
    None). One query: the linked files' texts."""
    terms = bundled_terms(instrument)
    if terms is None or terms.entry(answer.indicator) is None:
        return None
    files = {
        link.evidence_id: link.latest.file
        for link in links
        if link.latest is not None and link.latest.file.text_status == StoredFile.TextStatus.DONE
    }
    texts = dict(
        FileText.objects.filter(file_id__in={stored.pk for stored in files.values()}).values_list(
            "file_id", "text"
        )
    )
    prepared = {
        evidence_id: prepare_text(texts[stored.pk])
        for evidence_id, stored in files.items()
        if readable(texts.get(stored.pk, ""))
    }
    documents = {
        link.evidence_id: _shown(
            document_terms(prepared.get(link.evidence_id), terms, answer.indicator)
        )
        for link in links
    }
    level = claimed_level(answer.level)
    at_level = [
        prepared[link.evidence_id]
        for link in links
        if link.evidence_id in prepared and level is not None and link.level <= level
    ]
    elements = []
    if level and at_level:
        elements = [
            _element(check) for check in check_elements(at_level, answer.indicator, level, terms)
        ]
    linked_files = {
        link.evidence_id
        for link in links
        if link.latest is not None and level is not None and link.level <= level
    }
    return AnswerTerms(documents, level, elements, complete=linked_files <= set(prepared))

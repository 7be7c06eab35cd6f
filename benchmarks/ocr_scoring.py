"""Scores for the OCR benchmark (`python -m benchmarks ocr`): how close the OCR text is to what is
printed (character error rate, recall of the words searched for), and how well the document facts
read from it (monev.evidence.document_facts) match the facts the corpus was made with
(benchmarks.ocr_corpus).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from monev.evidence.document_facts import DocumentFacts

__all__ = [
    "FACT_FIELDS",
    "character_error_rate",
    "fact_scores",
    "levenshtein",
    "normalise_text",
    "word_recall",
]


def normalise_text(text: str) -> str:
    """Unicode compatibility forms folded (ligatures, full-width letters), runs of whitespace
    made one space: what the character error rate compares."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def levenshtein(a: str, b: str) -> int:
    """The edit distance between a and b (insertions, deletions, substitutions, each 1).

    Myers' bit-parallel algorithm in Hyyrö's formulation for the global distance: one column of
    the dynamic programming matrix is two bit vectors (Python integers as long as the shorter
    string), updated with a few integer operations per character of the longer string, so two
    pages of 3,000 characters take milliseconds rather than the seconds of a cell-by-cell table.
    """
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask  # row 0 of the matrix grows by one at each column
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def character_error_rate(truth: str, ocr: str) -> float:
    """Edits needed to turn the OCR text into the printed text, per character printed (both
    whitespace-normalised); 0.0 is perfect, and it can exceed 1.0 when the OCR invents text."""
    truth, ocr = normalise_text(truth), normalise_text(ocr)
    if not truth:
        return 0.0 if not ocr else 1.0
    return levenshtein(truth, ocr) / len(truth)


_WORD = re.compile(r"[^\W\d_]+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(unicodedata.normalize("NFKC", text).lower()) if len(w) >= 4}


def word_recall(original_text: str, ocr_text: str) -> float:
    """The share of the distinct words of the original (4 letters or more, lowercased, letters
    only) that the OCR text contains too: the words a search would find on the scan as on the
    text original. 1.0 when the original has no such word."""
    wanted = _words(original_text)
    if not wanted:
        return 1.0
    return len(wanted & _words(ocr_text)) / len(wanted)


# --- document facts -------------------------------------------------------------------------


def _kind(value) -> str | None:
    if not value:
        return None
    value = str(value).strip().lower()
    return "peraturan" if value in {"keputusan", "sk", "surat keputusan"} else value


def _number(value) -> str | None:
    if not value:
        return None
    value = re.sub(r"\s+", "", str(value)).upper().strip(".,;:")
    return value.removeprefix("NOMOR").lstrip(":") or None


def _loose(value) -> str | None:
    if not value:
        return None
    return " ".join(str(value).casefold().split()).strip(" .,;:") or None


def _date(value) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _draft(value) -> bool | None:
    return True if value else None  # only the drafts count: a proposal is a draft marker found


FACT_FIELDS: dict[str, tuple[Callable, Callable[[DocumentFacts], object]]] = {
    # field: (normalise, the proposal's value)
    "kind": (_kind, lambda facts: facts.kind),
    "number": (_number, lambda facts: facts.number),
    "title": (_loose, lambda facts: facts.title),
    "enacted_on": (_date, lambda facts: facts.enacted_on),
    "official": (_loose, lambda facts: facts.official),
    "draft": (_draft, lambda facts: facts.draft_markers),
}


def fact_scores(
    expected: Iterable[dict], proposed: Iterable[DocumentFacts]
) -> dict[str, dict[str, float | int | None]]:
    """Precision and recall of each field's proposals, document by document.

    A proposal is correct when it equals the expected value after normalisation (kind:
    "keputusan" counts as "peraturan"; number: spaces and case ignored; title and official: case
    and spaces ignored; draft: a draft marker found on a draft). precision = correct / proposed
    (fields proposed, i.e. not None), recall = correct / expected (fields the document has);
    None when there is nothing to divide by. Returns {field: {expected, proposed, correct,
    precision, recall}}."""
    expected, proposed = list(expected), list(proposed)
    if len(expected) != len(proposed):
        raise ValueError(f"{len(expected)} expected facts for {len(proposed)} proposals")
    scores: dict[str, dict[str, float | int | None]] = {}
    for field, (normalise, value_of) in FACT_FIELDS.items():
        wanted = given = correct = 0
        for truth, facts in zip(expected, proposed, strict=True):
            want = normalise(truth.get(field))
            got = normalise(value_of(facts))
            wanted += want is not None
            given += got is not None
            correct += want is not None and want == got
        scores[field] = {
            "expected": wanted,
            "proposed": given,
            "correct": correct,
            "precision": correct / given if given else None,
            "recall": correct / wanted if wanted else None,
        }
    return scores

"""benchmarks/ocr_scoring.py: character error rate (a true edit distance), recall of the words a
search looks for, and precision and recall of the document facts proposed."""

from __future__ import annotations

import time
from datetime import date

import pytest
from benchmarks.ocr_scoring import character_error_rate, fact_scores, levenshtein, word_recall
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.evidence.document_facts import DocumentFacts


def table_distance(a: str, b: str) -> int:
    """The edit distance by the textbook table, row by row: the reference."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("kitten", "sitting", 3),
        ("", "", 0),
        ("", "abc", 3),
        ("abc", "", 3),
        ("Peraturan", "Peraturan", 0),
        ("NOMOR 12", "N0MOR l2", 2),
        ("Desember", "Desernber", 2),
    ],
)
def test_levenshtein_examples(a, b, distance):
    assert levenshtein(a, b) == distance
    assert levenshtein(b, a) == distance


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40))
def test_levenshtein_is_the_table_distance(a, b):
    assert levenshtein(a, b) == table_distance(a, b)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abc ", max_size=300), st.text(alphabet="abc ", max_size=300))
def test_levenshtein_beyond_a_machine_word(a, b):
    # bit vectors longer than 64 characters, and many repeated characters
    assert levenshtein(a, b) == table_distance(a, b)


def test_character_error_rate_ignores_whitespace():
    assert character_error_rate("WALI KOTA\n\nBANDUNG ", "WALI  KOTA BANDUNG") == 0.0


def test_character_error_rate_per_character_printed():
    truth = "a" * 100
    assert character_error_rate(truth, "a" * 99 + "b") == pytest.approx(0.01)
    assert character_error_rate(truth, "") == 1.0
    assert character_error_rate(truth, truth + "x" * 150) == pytest.approx(1.5)


def test_character_error_rate_of_an_empty_page():
    assert character_error_rate("", "") == 0.0
    assert character_error_rate("  \n", "noise") == 1.0


def test_character_error_rate_of_two_pages_is_fast():
    words = ["arsitektur", "sistem", "pemerintahan", "berbasis", "elektronik", "peta", "data"]
    truth = " ".join(words[i % len(words)] for i in range(400))  # about 3,500 characters
    ocr = truth.replace("a", "o", 40).replace("e", "c", 25)
    started = time.perf_counter()
    rate = character_error_rate(truth, ocr)
    assert time.perf_counter() - started < 1.0
    assert rate == pytest.approx(65 / len(truth))


def test_word_recall():
    original = "Arsitektur SPBE dan Peta Rencana SPBE tahun 2024; arsitektur disusun."
    # distinct words of 4+ letters: arsitektur, spbe, peta, rencana, tahun, disusun
    assert word_recall(original, "ARSITEKTUR spbe Peta Rencana tahun disusun") == 1.0
    assert word_recall(original, "Arsitektur SPBE Peta Rencana") == pytest.approx(4 / 6)
    assert word_recall(original, "") == 0.0
    assert word_recall("dan 2024 di ke", "") == 1.0  # no word to look for


BANDUNG = {
    "kind": "peraturan",
    "number": "12 TAHUN 2024",
    "title": "ARSITEKTUR SPBE KOTA BANDUNG",
    "enacted_on": date(2024, 6, 3),
    "official": "MUHAMMAD FARHAN",
    "draft": False,
}
SK = {
    "kind": "keputusan",
    "number": "188.45/123/HUK/2024",
    "title": "TIM KOORDINATOR SPBE",
    "enacted_on": "2024-02-14",
    "official": None,
    "draft": True,
}
SCREENSHOT = dict.fromkeys(("kind", "number", "title", "enacted_on", "official"))


def test_fact_scores():
    proposed = [
        DocumentFacts(
            kind="peraturan",
            number="12 TAHUN 2024",
            title="Arsitektur  SPBE Kota Bandung",  # case and spaces do not matter
            enacted_on=date(2024, 6, 4),  # wrong
            official=None,  # missed
        ),
        DocumentFacts(
            kind="peraturan",  # a keputusan is a peraturan among the kinds of evidence
            number="188.45/ 123 /HUK/2024",
            title=None,
            enacted_on=date(2024, 2, 14),
            official="KEPALA DINAS",  # proposed where none is expected
            draft_markers=("DRAFT",),
        ),
        DocumentFacts(number="1 TAHUN 2020"),  # proposed on a screenshot
    ]
    scores = fact_scores([BANDUNG, SK, SCREENSHOT], proposed)
    assert scores["kind"] == {
        "expected": 2,
        "proposed": 2,
        "correct": 2,
        "precision": 1.0,
        "recall": 1.0,
    }
    assert scores["number"]["correct"] == 2
    assert scores["number"]["precision"] == pytest.approx(2 / 3)
    assert scores["number"]["recall"] == 1.0
    assert scores["title"]["precision"] == 1.0
    assert scores["title"]["recall"] == 0.5
    assert scores["enacted_on"]["precision"] == 0.5
    assert scores["enacted_on"]["recall"] == 0.5
    assert scores["official"]["precision"] == 0.0
    assert scores["official"]["recall"] == 0.0
    assert scores["draft"] == {
        "expected": 1,
        "proposed": 1,
        "correct": 1,
        "precision": 1.0,
        "recall": 1.0,
    }


def test_fact_scores_with_nothing_to_divide_by():
    scores = fact_scores([SCREENSHOT], [DocumentFacts()])
    assert scores["title"]["precision"] is None
    assert scores["title"]["recall"] is None


def test_fact_scores_need_one_proposal_per_document():
    with pytest.raises(ValueError, match="2 expected facts for 1 proposals"):
        fact_scores([BANDUNG, SK], [DocumentFacts()])

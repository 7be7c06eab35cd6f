"""benchmarks/ocr_corpus.py: the scanned corpus of the OCR benchmark - scans of the kinds stated,
image-only, with a ground truth that is what the text original prints, made the same for a seed."""

from __future__ import annotations

from collections import Counter

import pytest
from benchmarks.ocr_corpus import generate
from benchmarks.ocr_scoring import fact_scores
from PIL import Image
from pypdf import PdfReader

from monev.evidence.document_facts import read_facts
from monev.evidence.sniff import sniff

SEED = 11


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("ocr-corpus"), pages=3, seed=SEED)


def test_at_least_the_pages_asked_and_every_kind_of_scan(corpus):
    assert sum(len(document.page_texts) for document in corpus) >= 3
    assert {document.scan_kind for document in corpus} == {"pdf", "png", "jpeg"}


def test_each_scan_is_of_the_kind_stated_and_each_original_a_pdf(corpus):
    for document in corpus:
        assert sniff(document.scan_path).kind == document.scan_kind, document.name
        assert sniff(document.original_path).kind == "pdf", document.name


def test_scans_are_images_one_per_page_without_a_text_layer(corpus):
    for document in corpus:
        assert len(document.pages) == len(document.page_texts) >= 1
        if document.scan_kind == "pdf":
            reader = PdfReader(document.scan_path)
            assert len(reader.pages) == len(document.page_texts)
            assert all(not page.extract_text().strip() for page in reader.pages)
        else:
            assert len(document.page_texts) == 1
            with Image.open(document.scan_path) as image:
                assert image.size == (document.pages[0].width, document.pages[0].height)


def test_scans_are_degraded_within_the_stated_bounds(corpus):
    for document in corpus:
        for page in document.pages:
            assert abs(page.rotation) <= 2.0
            if document.scan_kind != "png":  # a screenshot is neither turned nor noised
                assert 96 <= document.dpi <= 300
                assert page.noise > 0
                assert page.jpeg_quality is not None


def test_the_ground_truth_is_what_the_original_prints(corpus):
    # modulo whitespace and the order of the lines (the text layer lists the page number last)
    for document in corpus:
        reader = PdfReader(document.original_path)
        assert len(reader.pages) == len(document.page_texts)
        for page, truth in zip(reader.pages, document.page_texts, strict=True):
            assert truth.strip()
            assert Counter(truth.split()) == Counter(page.extract_text().split()), document.name


def test_the_facts_are_those_printed(corpus):
    proposed = [read_facts("\n".join(document.page_texts)) for document in corpus]
    scores = fact_scores([document.facts for document in corpus], proposed)
    for field, score in scores.items():
        assert score["precision"] in (1.0, None), field
        assert score["recall"] in (1.0, None), field
    assert scores["kind"]["expected"] >= 2  # the notulen and the peraturan; a screenshot has none


def test_the_same_seed_makes_the_same_corpus(corpus, tmp_path):
    again = generate(tmp_path, pages=3, seed=SEED)
    assert [d.name for d in again] == [d.name for d in corpus]
    for first, second in zip(corpus, again, strict=True):
        assert second.page_texts == first.page_texts
        assert second.facts == first.facts
        assert second.scan_path.read_bytes() == first.scan_path.read_bytes()


def test_another_seed_makes_other_documents(corpus, tmp_path):
    other = generate(tmp_path, pages=3, seed=SEED + 1)
    assert [d.page_texts for d in other] != [d.page_texts for d in corpus]

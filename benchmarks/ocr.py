"""Reading scans: the OCR engine (monev.evidence.ocr, in its child process as the worker runs
it) on a generated corpus of scanned evidence (benchmarks/ocr_corpus.py: regulation-like
Indonesian documents rendered, rasterised at 150-300 dpi, rotated up to 2 degrees, noised and
JPEG-compressed, plus screenshots of application pages), against the text printed on each page.

Measured:
- character error rate per document (edit distance / length of the printed text, whitespace
  normalised): median and p90 (goal: median under 3 %);
- word recall: the share of the words (4 letters or more) of the text original that the OCR
  text has, i.e. what a search finds on the scan of what it finds on the original (goal: 95 %);
- seconds per page (median over documents; goal under 3 s on this machine), and the floor: a
  copy of the same scan files on the same disk, so the figure survives a busy machine;
- the worker's memory peak: the largest child process (the OCR engine included);
- precision and recall of the document facts read from the OCR text (number, title, date of
  enactment; goal 90 % each).

MONEV_BENCH_OCR_PAGES sets the corpus size (default 200 pages)."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import Progress, Row, benchmark, median, seconds
from benchmarks.ocr_corpus import generate
from benchmarks.ocr_scoring import character_error_rate, fact_scores, word_recall
from monev.evidence.document_facts import read_facts
from monev.evidence.isolation import ocr_isolated
from monev.evidence.ocr import OcrLimits, engine_problem
from monev.evidence.text_extraction import extract_text

PAGES = int(os.environ.get("MONEV_BENCH_OCR_PAGES", "200"))


def _p90(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=10, method="inclusive")[-1] if len(values) > 1 else values[0]
    )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


@benchmark("ocr", f"OCR of {PAGES} generated scanned pages: error rate, recall, speed, facts")
def run() -> list[Row]:
    if (problem := engine_problem()) is not None:
        return [("OCR engine", "missing", problem)]
    with tempfile.TemporaryDirectory(prefix="monev-ocr-bench-") as tmp:
        started = time.perf_counter()
        documents = generate(Path(tmp) / "corpus", pages=PAGES, seed=0)
        generated = time.perf_counter() - started
        page_total = sum(len(document.page_texts) for document in documents)

        copy_dir = Path(tmp) / "copies"
        copy_dir.mkdir()
        started = time.perf_counter()
        for document in documents:
            shutil.copyfile(document.scan_path, copy_dir / document.scan_path.name)
        copy_seconds = (time.perf_counter() - started) / page_total

        errors, recalls, per_page, expected, proposed = [], [], [], [], []
        failed = 0
        progress = Progress("reading scans", len(documents))
        for done, document in enumerate(documents, 1):
            started = time.perf_counter()
            result = ocr_isolated(str(document.scan_path), document.scan_kind, OcrLimits())
            per_page.append((time.perf_counter() - started) / len(document.page_texts))
            if result.status != "done":
                failed += 1
            truth = "\n".join(document.page_texts)
            errors.append(character_error_rate(truth, result.text))
            original = extract_text(document.original_path, "pdf").text
            recalls.append(word_recall(original, result.text))
            expected.append(document.facts)
            proposed.append(read_facts(result.text))
            progress.update(done)
        progress.finish()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    facts = fact_scores(expected, proposed)
    rows: list[Row] = [
        (
            "corpus",
            f"{page_total} pages",
            f"{len(documents)} documents, made in {seconds(generated)}",
        ),
        ("character error rate, median", _percent(median(errors)), "per document; goal < 3 %"),
        ("character error rate, p90", _percent(_p90(errors)), ""),
        (
            "word recall vs. text original",
            _percent(median(recalls)),
            "median per document; goal >= 95 %",
        ),
        ("word recall, worst document", _percent(min(recalls)), ""),
        ("seconds per page, median", seconds(median(per_page)), "goal < 3 s"),
        ("seconds per page, p90", seconds(_p90(per_page)), ""),
        ("floor: copying a scan, per page", seconds(copy_seconds), "same disk, same run"),
        ("worker memory peak", f"{peak_mb:.0f} MB", "largest child process (engine included)"),
        ("scans not read", str(failed), "status other than done"),
    ]
    for field in ("number", "title", "enacted_on", "kind", "official"):
        if field not in facts:
            continue
        score = facts[field]
        rows.append(
            (
                f"facts: {field}",
                f"P {_percent(score['precision'])} / R {_percent(score['recall'])}",
                f"{score['correct']} correct of {score['proposed']} proposed, "
                f"{score['expected']} expected",
            )
        )
    return rows

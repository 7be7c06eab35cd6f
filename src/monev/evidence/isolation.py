"""Running a parser on an uploaded file in a separate process, with a time and memory limit.

A hostile or merely unlucky file can make a parser loop for minutes or eat the machine's
memory; in a child process that costs one failed extraction, not the worker. Pure Python,
no Django: the child imports only this module and the reader it runs.

A reader that works page by page (OCR) reports its progress through the same pipe; the time
limit then applies between two reports, so a 100-page scan may take as long as its pages need
while a single stuck page still ends the child.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from functools import partial

from monev.evidence.ocr import OcrLimits, OcrResult, ocr_file
from monev.evidence.text_extraction import Extraction, extract_text

_PROGRESS = "progress"
_RESULT = "result"


def _send(connection, *message) -> None:
    connection.send(message)


def _run(reader: Callable, args: tuple, memory_bytes: int, reports: bool, connection) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        kwargs = {"report": partial(_send, connection, _PROGRESS)} if reports else {}
        connection.send((_RESULT, reader(*args, **kwargs)))
    except OSError:
        pass  # the parent gave up waiting and closed its end
    finally:
        connection.close()


def run_isolated(
    reader: Callable,
    args: tuple,
    *,
    timeout_seconds: float,
    memory_bytes: int,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[str, object]:
    """``reader(*args)`` in a child process: ("result", its value), or ("timeout", None) when it
    (or, with on_progress, one step of it) takes too long, or ("died", None)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_run, args=(reader, args, memory_bytes, on_progress is not None, sender)
    )
    child.start()
    sender.close()
    try:
        while True:
            if not receiver.poll(timeout_seconds):
                return "timeout", None
            try:
                kind, *payload = receiver.recv()
            except EOFError:
                return "died", None
            if kind == _RESULT:
                return "result", payload[0]
            if on_progress is not None:
                on_progress(*payload)
    finally:
        receiver.close()
        child.join(1)
        if child.is_alive():
            child.kill()
            child.join()


def extract_isolated(
    path: str, kind: str, *, timeout_seconds: float = 120, memory_bytes: int = 1 << 30
) -> Extraction:
    """extract_text in a child process; "failed" when it takes too long or dies."""
    outcome, value = run_isolated(
        extract_text, (str(path), kind), timeout_seconds=timeout_seconds, memory_bytes=memory_bytes
    )
    if outcome == "result":
        return value
    if outcome == "died":
        return Extraction(status="failed", error="the reader stopped (out of memory?)")
    return Extraction(
        status="failed", error=f"reading the file took longer than {timeout_seconds:g} s"
    )


def ocr_isolated(
    path: str,
    kind: str,
    limits: OcrLimits,
    on_progress: Callable[[int, int], None] | None = None,
) -> OcrResult:
    """ocr_file in a child process: the memory limit covers the engine too (it inherits it),
    and a page that takes longer than the limit ends the child."""
    # Rendering a page and starting the engine come on top of the engine's own time limit.
    step_seconds = limits.page_seconds + 30
    outcome, value = run_isolated(
        ocr_file,
        (str(path), kind, limits),
        timeout_seconds=step_seconds,
        memory_bytes=limits.memory_bytes,
        on_progress=on_progress or (lambda done, total: None),
    )
    if outcome == "result":
        return value
    if outcome == "died":
        return OcrResult(status="failed", error="the OCR reader stopped (out of memory?)")
    return OcrResult(status="failed", error=f"a page took longer than {step_seconds:g} s to read")

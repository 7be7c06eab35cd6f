"""Running a parser on an uploaded file in a separate process, with a time and memory limit.

A hostile or merely unlucky file can make a parser loop for minutes or eat the machine's
memory; in a child process that costs one failed extraction, not the worker. Pure Python,
no Django: the child imports only this module and the extractor.
"""

from __future__ import annotations

import multiprocessing
import resource

from monev.evidence.text_extraction import Extraction, extract_text


def _run(path: str, kind: str, memory_bytes: int, connection) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        connection.send(extract_text(path, kind))
    except OSError:
        pass  # the parent gave up waiting and closed its end
    finally:
        connection.close()


def extract_isolated(
    path: str, kind: str, *, timeout_seconds: float = 120, memory_bytes: int = 1 << 30
) -> Extraction:
    """extract_text in a child process; "failed" when it takes too long or dies."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(str(path), kind, memory_bytes, sender))
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout_seconds):
            try:
                return receiver.recv()
            except EOFError:
                pass
            return Extraction(
                status="failed", text="", pages=None, error="the reader stopped (out of memory?)"
            )
        return Extraction(
            status="failed",
            text="",
            pages=None,
            error=f"reading the file took longer than {timeout_seconds:g} s",
        )
    finally:
        receiver.close()
        child.join(1)
        if child.is_alive():
            child.kill()
            child.join()

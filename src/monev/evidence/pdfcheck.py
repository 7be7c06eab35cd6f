"""Whether a file is built like a PDF, decided by where its parts are, not by "%PDF-" somewhere
near its start (pure Python, no Django).

    pdf_header_at_start(head) -> bool
    check_pdf_structure(fh, size)          raises Refused("corrupt_pdf", ...)

A PDF here is: the header ``%PDF-<digit>.<digit>`` at the very start, after at most a UTF-8 BOM
and whitespace (what readers tolerate without anything runnable before it); after the header
line and comment lines, an indirect object (``<n> <g> obj`` then an object and its ``endobj``
or ``stream``); and ``%%EOF`` within the last kilobyte, trailing whitespace aside (readers look
for it there). Two bounded reads, whatever the size. Parsing the whole document (its
cross-reference table, pages, text) is the extractor's job, in a child process with time and
memory limits (isolation.py): a damaged but genuine PDF is stored and marked unreadable then.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from monev.evidence.refused import Refused

__all__ = ["check_pdf_structure", "pdf_header_at_start"]

BOM = b"\xef\xbb\xbf"
WHITESPACE = b"\x00\t\n\x0c\r "  # PDF's white-space characters
HEADER = re.compile(rb"%PDF-\d\.\d")
HEADER_WITHIN = 1024  # the header must start within the first kilobyte
START_WINDOW = 64 * 1024  # where the first object must begin and end
END_WINDOW = 64 * 1024  # read to find %%EOF after trailing whitespace
EOF_WITHIN = 1024

_SPACE = rb"[\x00\t\n\x0c\r ]"
_FIRST_OBJECT = re.compile(rb"\d+" + _SPACE + rb"+\d+" + _SPACE + rb"*obj")
_OBJECT_START = re.compile(rb"<<|[<\[(/+\-.0-9]|true|false|null")
_OBJECT_END = re.compile(rb"endobj|stream")
_LINE_END = re.compile(rb"[\r\n]")


def _header_offset(head: bytes) -> int | None:
    start = len(BOM) if head.startswith(BOM) else 0
    offset = len(head) - len(head[start:].lstrip(WHITESPACE))
    if offset < HEADER_WITHIN and HEADER.match(head, offset):
        return offset
    return None


def pdf_header_at_start(head: bytes) -> bool:
    """Whether ``head`` (the file's first bytes) starts with a PDF header."""
    return _header_offset(head) is not None


def _skip_space_and_comments(data: bytes, pos: int) -> int:
    while pos < len(data):
        if data[pos] in WHITESPACE:
            pos += 1
        elif data[pos : pos + 1] == b"%":
            line_end = _LINE_END.search(data, pos)
            pos = line_end.start() if line_end else len(data)
        else:
            break
    return pos


def check_pdf_structure(fh: BinaryIO, size: int) -> None:
    """Refuse (``corrupt_pdf``) a file with a PDF header but not a PDF's structure."""
    fh.seek(0)
    start = fh.read(START_WINDOW)
    offset = _header_offset(start)
    if offset is None:
        raise Refused("corrupt_pdf", "The PDF header is not at the start of the file.")
    # The header line, then comment lines (the binary marker), then the first object.
    pos = _skip_space_and_comments(start, offset)
    found = _FIRST_OBJECT.match(start, pos)
    if found is None:
        raise Refused("corrupt_pdf", "No PDF object follows the header.")
    pos = _skip_space_and_comments(start, found.end())
    if not _OBJECT_START.match(start, pos) or not _OBJECT_END.search(start, pos):
        raise Refused("corrupt_pdf", "The first PDF object is not well-formed.")
    fh.seek(max(0, size - END_WINDOW))
    end = fh.read(END_WINDOW).rstrip(WHITESPACE)
    if b"%%EOF" not in end[-EOF_WITHIN:]:
        raise Refused("corrupt_pdf", "The PDF has no end-of-file marker.")

"""Progress of long runs on the terminal: files and bytes done of the total.

On a terminal one line is redrawn a few times a second; in a log (cron, systemd) a line is
written at every tenth of the work, so that a long backup shows it is alive without flooding
the log.
"""

from __future__ import annotations

import time
from typing import TextIO


def human_bytes(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns before


class Progress:
    def __init__(self, stream: TextIO, label: str, total_files: int, total_bytes: int) -> None:
        self.stream = stream
        self.label = label
        self.total_files = total_files
        self.total_bytes = total_bytes
        self.files = 0
        self.bytes = 0
        self.interactive = bool(getattr(stream, "isatty", lambda: False)())
        self._drawn_at = 0.0
        self._tenth = 0

    def advance(self, size: int) -> None:
        self.files += 1
        self.bytes += size
        if self.interactive:
            now = time.monotonic()
            if now - self._drawn_at >= 0.2 or self.files == self.total_files:
                self._drawn_at = now
                self.stream.write(f"\r{self.line()}")
                self.stream.flush()
        elif self.total_files >= 100:
            tenth = self.files * 10 // self.total_files
            if tenth > self._tenth:
                self._tenth = tenth
                self.stream.write(f"{self.line()}\n")

    def line(self) -> str:
        return (
            f"{self.label}: {self.files}/{self.total_files} files, "
            f"{human_bytes(self.bytes)}/{human_bytes(self.total_bytes)}"
        )

    def finish(self) -> None:
        if self.interactive and self.total_files:
            self.stream.write("\n")
            self.stream.flush()

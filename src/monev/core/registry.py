"""Where instruments come from: the files shipped with Monev SPBE, plus an evaluator's own.

An instrument is known by its id ("spbe-2020"); a corrected file keeps the id and raises its
version, and "spbe-2020@1" asks for one version exactly. Without a version the highest wins.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monev.core.loader import InstrumentError, LoadedInstrument, Problem, load_file
from monev.core.model import Instrument

BUILTIN_DIR = Path(__file__).with_name("instruments")


@dataclass(frozen=True)
class Catalog:
    instruments: tuple[LoadedInstrument, ...]
    broken: tuple[InstrumentError, ...]  # files in a user directory that failed to load

    def ids(self) -> list[str]:
        return sorted({loaded.instrument.id for loaded in self.instruments})

    def find(self, reference: str) -> LoadedInstrument:
        """By "id" (highest version) or "id@version"; InstrumentError if unknown."""
        wanted_id, _, wanted_version = reference.partition("@")
        matches = [
            loaded
            for loaded in self.instruments
            if loaded.instrument.id == wanted_id
            and (not wanted_version or str(loaded.instrument.version) == wanted_version)
        ]
        if not matches:
            known = ", ".join(self.ids()) or "(none)"
            message = f"unknown instrument {reference!r}; known instruments: {known}"
            raise InstrumentError(reference, [Problem((), message)])
        return max(matches, key=lambda loaded: loaded.instrument.version)

    def get(self, reference: str) -> Instrument:
        return self.find(reference).instrument


@lru_cache(maxsize=64)
def _load_cached(path: str, modified_ns: int, size: int) -> LoadedInstrument:
    # The file's mtime and size are part of the cache key: an edited file is read again.
    return load_file(path)


def load_cached(path: Path) -> LoadedInstrument:
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


def instrument_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def catalog(extra_dirs: Iterable[Path] = ()) -> Catalog:
    """The built-in instruments, then those in `extra_dirs` (a bad user file is reported,
    not fatal: one evaluator's typo must not take the built-in instruments down)."""
    loaded: list[LoadedInstrument] = []
    broken: list[InstrumentError] = []
    for path in instrument_files(BUILTIN_DIR):
        loaded.append(load_cached(path))
    for directory in extra_dirs:
        for path in instrument_files(Path(directory)):
            try:
                loaded.append(load_cached(path))
            except InstrumentError as error:
                broken.append(error)
    seen: dict[tuple[str, int], LoadedInstrument] = {}
    for entry in loaded:
        key = (entry.instrument.id, entry.instrument.version)
        if key in seen and seen[key].sha256 != entry.sha256:
            message = (
                f"{entry.instrument.id} version {entry.instrument.version} is already "
                f"defined by {seen[key].source}; raise the version of the corrected file"
            )
            broken.append(InstrumentError(entry.source, [Problem(("version",), message)]))
            continue
        seen.setdefault(key, entry)
    return Catalog(instruments=tuple(seen.values()), broken=tuple(broken))


def resolve(reference: str, extra_dirs: Iterable[Path] = ()) -> Instrument:
    """An instrument by id ("spbe-2020", "spbe-2020@1") or by the path of a file."""
    # A file when it looks like one; otherwise an id, even if a file of that name exists here.
    if reference.endswith((".yaml", ".yml")) or "/" in reference or os.sep in reference:
        return load_file(Path(reference)).instrument
    return catalog(extra_dirs).get(reference)

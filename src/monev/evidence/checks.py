"""System check (`monev check`, and every command that runs checks): scans are read only where
the OCR engine is installed; where it is not, the check says so and how to install it."""

from __future__ import annotations

from django.core import checks

from monev.evidence.ocr import INSTALL_COMMAND


def ocr_engine(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from monev.evidence.text_indexing import ocr_unavailable

    problem = ocr_unavailable()
    if problem is None or problem.startswith("OCR is switched off"):
        return []
    return [
        checks.Warning(
            f"Scanned evidence is not read: {problem}. Scans are stored and linked, but they "
            "cannot be searched and the readiness checks cannot read them.",
            hint=f"Install the engine: {INSTALL_COMMAND}; then `monev evidence reindex --ocr` "
            "reads the scans stored before.",
            id="monev.W101",
        )
    ]

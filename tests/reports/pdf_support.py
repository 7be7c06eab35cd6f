"""Helpers for the PDF tests: a world with scores, a plan, returned answers and assessors'
notes; the PDF's pages as text and as rasterised images (pdftoppm)."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from monev.evaluations import services
from monev.evaluations.models import AssessorPass, Period
from monev.planning import services as planning_services
from monev.reports.pdf.charts import BAR_COLOUR
from tools_support import require_tool

TEXT = "Perwal 12/2024 tentang SPBE."
PLAN_AT = datetime(2025, 7, 22, 9, 0, tzinfo=UTC)  # inside the world's self-assessment window
AFTER_CLOSE = datetime(2099, 2, 1, tzinfo=UTC)  # the world's self-assessment closed in 2099
UNIT_A_NOTE = "CatatanUnitAlfa"
UNIT_B_NOTE = "CatatanUnitBeta"
RETURN_A = "KembaliUnitAlfa"
RETURN_B = "KembaliUnitBeta"


def save(world, indicator: str, level: str):
    answer = world.answer(indicator)
    return services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=TEXT,
    )


def returned(world, indicator: str, note: str) -> None:
    answer = save(world, indicator, "3")
    answer = services.answer_submit(
        actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
    )
    services.answer_return(
        actor=world.asesor_internal,
        answer_id=answer.pk,
        expected_version=answer.version,
        note=note,
    )


def assessor_note(world, indicator: str, note: str) -> None:
    # Directly: the service wants a closed self-assessment, which would lock the returned
    # answers as final; the report reads the notes the same way whichever made them.
    AssessorPass.objects.create(
        answer=world.answer(indicator),
        stage=AssessorPass.Stage.DOCUMENT,
        level=Decimal("2"),
        notes=note,
        assessor=world.asesor_eksternal,
    )


def scored(world, target: str = "3.20") -> Period:
    """Levels on every answer, a target, a plan for units A and B, two returned answers and
    two assessors' notes (one of each on each unit's answers)."""
    for answer in world.period.answers.all():
        save(world, answer.indicator, "2" if int(answer.indicator) <= 10 else "3")
    Period.objects.filter(pk=world.period.pk).update(target=Decimal(target))
    services.milestone_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        kind="evidence_deadline",
        due_at=datetime(2025, 8, 18, 16, 59, tzinfo=UTC),
    )
    planning_services.plan_create(
        actor=world.koordinator,
        period_id=world.period.pk,
        locked=[str(n) for n in range(11, 48)],
        now=PLAN_AT,
    )
    returned(world, "2", RETURN_A)
    returned(world, "7", RETURN_B)
    assessor_note(world, "3", UNIT_A_NOTE)
    assessor_note(world, "8", UNIT_B_NOTE)
    world.period.refresh_from_db()
    return world.period


def pdf_text(content: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def rasterise(content: bytes, folder: Path, resolution: int = 50) -> list[Image.Image]:
    """Every page as an RGB image, drawn by pdftoppm (as a reader's viewer would)."""
    pdftoppm = require_tool("pdftoppm")
    source = folder / "document.pdf"
    source.write_bytes(content)
    subprocess.run(  # noqa: S603 - the installed pdftoppm on a file this test wrote
        [pdftoppm, "-r", str(resolution), "-png", str(source), str(folder / "page")],
        check=True,
        timeout=120,
    )
    return [Image.open(path).convert("RGB") for path in sorted(folder.glob("page-*.png"))]


def pixels_of(image: Image.Image, colour: str = BAR_COLOUR, tolerance: int = 40) -> int:
    """How many pixels are close to `colour` (#rrggbb)."""
    target = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return sum(
        count
        for count, pixel in image.getcolors(maxcolors=1 << 20)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))
    )

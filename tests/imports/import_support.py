"""Helpers for the import tests: write .xlsx and CSV files, preview and apply as a persona."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook

from monev.imports import services


def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def csv_file(
    path: Path,
    rows: list[list],
    *,
    delimiter: str = ",",
    bom: bool = False,
    newline: str = "\n",
    encoding: str = "utf-8",
) -> Path:
    def quoted(value) -> str:
        text = "" if value is None else str(value)
        if any(ch in text for ch in (delimiter, '"', "\n")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    text = newline.join(delimiter.join(quoted(v) for v in row) for row in rows) + newline
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def preview(actor, kind: str, path: Path, **target):
    return services.import_preview(actor=actor, kind=kind, path=path, filename=path.name, **target)


def rejected(batch) -> list[tuple[int, str, str]]:
    return [(r["row"], r["column"], r["message"]) for r in batch.report["rejected"]]


def actions(batch) -> dict[str, int]:
    counts: dict[str, int] = {}
    for change in batch.report["changes"]:
        counts[change["action"]] = counts.get(change["action"], 0) + 1
    return counts


TEXT = "Perwal 12/2024 tentang SPBE mengatur kebijakan internal."


def fresh(answer):
    return type(answer).objects.get(pk=answer.pk)


def saved(world, indicator: str = "1", level: str = "3"):
    from decimal import Decimal

    from monev.evaluations import services as evaluation_services

    answer = world.answer(indicator)
    return evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=TEXT,
    )


def submitted(world, indicator: str = "1"):
    from monev.evaluations import services as evaluation_services

    answer = saved(world, indicator)
    return evaluation_services.answer_submit(
        actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
    )


# A self-assessment window open "now" (as the `world` fixture's period has).
OPENS = datetime(2025, 1, 1, tzinfo=UTC)
CLOSES = datetime(2099, 1, 1, tzinfo=UTC)


def make_user(username: str):
    from monev.accounts.models import User

    return User.objects.create_user(username=username, password="x-" * 8, full_name=username)

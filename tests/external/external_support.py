"""A pemdi-2026 evaluation of Kota Contoh (2026) next to the world's spbe-2020 period, and the
evaluators: national, of Kota Contoh's province, of another province."""

from __future__ import annotations

from datetime import UTC, datetime

from monev.accounts.models import User
from monev.evaluations import services
from monev.evaluations.models import Answer, Period

OPENS = datetime(2026, 1, 1, tzinfo=UTC)
CLOSES = datetime(2099, 1, 1, tzinfo=UTC)
PROVINCE = "Jawa Tengah"


def pemdi_period(world, year: int = 2026, institution=None) -> Period:
    institution = institution or world.institution
    return services.period_create(
        actor=world.koordinator if institution == world.institution else None,
        institution_id=institution.pk,
        year=year,
        kind="evaluasi",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )


def answer(period: Period, indicator: str) -> Answer:
    return Answer.objects.get(period=period, indicator=indicator)


def evaluator(username: str, scope: str, province: str = "") -> User:
    return User.objects.create_user(
        username=username,
        password="x-" + username,
        full_name=username.title(),
        evaluator_scope=scope,
        evaluator_province=province,
    )


def set_province(world, province: str = PROVINCE) -> None:
    world.institution.province = province
    world.institution.save(update_fields=["province"])


# --- files for the import (as tests/imports/import_support.py, which is not on this path) --


def csv_file(path, rows) -> object:
    path.write_text("\n".join(";".join(str(v) for v in row) for row in rows) + "\n", "utf-8")
    return path


def preview(actor, kind: str, path, **target):
    from monev.imports import services as import_services

    return import_services.import_preview(
        actor=actor, kind=kind, path=path, filename=path.name, **target
    )


def rejected(batch) -> list[tuple[int, str, str]]:
    return [(r["row"], r["column"], r["message"]) for r in batch.report["rejected"]]


def actions(batch) -> dict[str, int]:
    counts: dict[str, int] = {}
    for change in batch.report["changes"]:
        counts[change["action"]] = counts.get(change["action"], 0) + 1
    return counts

"""Workbooks from other tools: LibreOffice opens the templates, and a file saved by
LibreOffice Calc (as people edit them) imports the same as the original."""

from __future__ import annotations

from decimal import Decimal

import pytest
from import_support import preview, rejected, xlsx

from monev.imports import services
from monev.imports.workbooks import template_workbook
from tools_support import libreoffice_convert

pytestmark = pytest.mark.django_db


def test_libreoffice_opens_the_templates_and_its_saved_workbook_imports(world, tmp_path):
    sources = tmp_path / "in"
    sources.mkdir()
    for name, kind in services.KINDS.items():
        (sources / f"templat-{name}.xlsx").write_bytes(template_workbook(kind))
    xlsx(
        sources / "tingkat.xlsx",
        {
            "Penilaian Mandiri": [
                ["No. Indikator", "Tingkat Mandiri", "Penjelasan"],
                ["1", 3, "Ada"],
                ["2", 4.0, "SK"],
            ]
        },
    )
    out = tmp_path / "out"
    libreoffice_convert(
        sorted(sources.iterdir()), "xlsx:Calc MS Excel 2007 XML", out, tmp_path / "lo-profile"
    )
    for source in sources.iterdir():
        assert (out / source.name).stat().st_size > 1000, source.name
    batch = preview(world.koordinator, "levels", out / "tingkat.xlsx", period_id=world.period.pk)
    assert rejected(batch) == []
    assert services.import_apply(actor=world.koordinator, batch_id=batch.pk).applied
    assert (world.answer("1").level, world.answer("2").level) == (Decimal("3"), Decimal("4"))

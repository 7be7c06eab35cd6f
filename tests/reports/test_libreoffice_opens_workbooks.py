"""LibreOffice opens every workbook without repair: all of them converted headless to PDF
(every sheet) in one soffice run, each output present and not empty."""

from __future__ import annotations

import pytest
from reports_support import other_period, populate

from monev.institutions.access import access_for
from monev.institutions.permissions import Access
from monev.reports.exports import WORKBOOK_KINDS, export_institutions, export_period
from tools_support import libreoffice_convert

pytestmark = pytest.mark.django_db


def test_libreoffice_converts_every_workbook(world, tmp_path):
    populate(world)
    other_period(world, "3")
    access = access_for(world.koordinator, world.institution.pk)
    files = {}
    for kind in WORKBOOK_KINDS:
        files[kind] = export_period(world.period, access, kind)
    files["institutions"] = export_institutions(Access.system_viewer(), 2025, "spbe-2020")
    sources = tmp_path / "xlsx"
    sources.mkdir()
    paths = []
    for kind, exported in files.items():
        path = sources / f"{kind}.xlsx"
        path.write_bytes(exported.content)
        paths.append(path)
    out = tmp_path / "pdf"
    profile = tmp_path / "lo-profile"
    libreoffice_convert(paths, "pdf", out, profile)
    for path in paths:
        converted = out / f"{path.stem}.pdf"
        assert converted.exists(), path.name
        assert converted.stat().st_size > 1000, path.name

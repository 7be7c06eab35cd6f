"""The Laporan tab and its downloads, and the evaluator's recap page: who may download what,
the attachment headers, clear refusals, and a constant number of SQL queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from reports_support import other_period, populate, rows, set_levels, workbook

from monev.reports.workbook import CONTENT_TYPE

pytestmark = pytest.mark.django_db
WORKBOOKS = ("self-assessment", "units", "recap")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(world, user, kind: str):
    url = reverse("reports:download", args=[world.period.pk, kind])
    return client_for(user).get(url)


def test_the_laporan_tab_lists_every_workbook_with_what_it_is_for(world):
    response = client_for(world.koordinator).get(reverse("reports:period", args=[world.period.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for kind in WORKBOOKS:
        assert reverse("reports:download", args=[world.period.pk, kind]) in page
    assert "penilaian-mandiri-kota-contoh-2025.xlsx" in page
    assert 'id="pdf-heading"' in page  # the PDF section is included
    overview = client_for(world.koordinator).get(
        reverse("evaluations:overview", args=[world.period.pk])
    )
    assert reverse("reports:period", args=[world.period.pk]) in overview.content.decode()


@pytest.mark.parametrize(
    "persona",
    ["koordinator", "pimpinan", "asesor_internal", "asesor_eksternal", "admin", "operator"],
)
def test_every_member_downloads_the_workbooks_as_attachments(world, persona):
    user = getattr(world, persona)
    for kind in WORKBOOKS:
        response = download(world, user, kind)
        assert response.status_code == 200, (persona, kind)
        assert response["Content-Type"] == CONTENT_TYPE
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;") and "-kota-contoh-2025.xlsx" in disposition
        assert response["Cache-Control"] == "private, no-store"
        workbook(response.content)


def test_an_operator_downloads_only_their_units_rows(world):
    populate(world)
    sheet = workbook(download(world, world.operator, "self-assessment").content).worksheets[0]
    assert [r["No. Indikator"] for r in rows(sheet)] == list("12345")
    units = workbook(download(world, world.operator, "units").content)
    assert units.sheetnames == ["Ringkasan", "Dinas A", "Keterangan"]


def test_an_outsider_gets_not_found_and_an_anonymous_visitor_the_login(world):
    assert download(world, world.outsider, "recap").status_code == 404
    page = client_for(world.outsider).get(reverse("reports:period", args=[world.period.pk]))
    assert page.status_code == 404
    anonymous = Client().get(reverse("reports:download", args=[world.period.pk, "recap"]))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]


def test_an_unknown_kind_is_not_found_with_a_clear_message(world):
    response = download(world, world.koordinator, "everything")
    assert response.status_code == 404
    assert "self-assessment" in response.content.decode()


def test_the_evaluator_page_ranks_the_institutions_and_offers_the_workbook(world):
    set_levels(world, "2")
    other_period(world, "3")
    client = client_for(world.asesor_eksternal)
    response = client.get(
        reverse("reports:institutions"), {"year": "2025", "instrument": "spbe-2020"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Pemerintah Kabupaten Lain") < page.index("Pemerintah Kota Contoh")
    assert reverse("reports:institutions_download") in page
    file = client.get(
        reverse("reports:institutions_download"), {"year": "2025", "instrument": "spbe-2020"}
    )
    assert file.status_code == 200
    assert "rekap-instansi-spbe-2020-2025.xlsx" in file["Content-Disposition"]
    assert len(rows(workbook(file.content)["Peringkat"])) == 2
    periods = client.get(reverse("evaluations:periods")).content.decode()
    assert reverse("reports:institutions") in periods
    single = client_for(world.koordinator).get(reverse("evaluations:periods")).content.decode()
    assert reverse("reports:institutions") not in single


def test_the_evaluator_page_refuses_a_bad_year_in_place(world):
    client = client_for(world.koordinator)
    response = client.get(reverse("reports:institutions"), {"year": "dua", "instrument": "x"})
    assert response.status_code == 422
    download_response = client.get(reverse("reports:institutions_download"), {"year": "x"})
    assert download_response.status_code == 422
    empty = client.get(reverse("reports:institutions"))
    assert empty.status_code == 200


def test_the_pages_and_downloads_run_a_constant_number_of_queries(world, django_assert_num_queries):
    """Small: a populated period (a few levels' evidence, a comment, a pass, a snapshot, a
    plan). Bigger: twelve more units on twenty answers, forty more evidence links, comments,
    passes on every answer, another snapshot, another institution. The counts must not move."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monev.evaluations.models import AssessorPass, Comment
    from monev.evidence.models import Evidence, EvidenceLink
    from monev.institutions.models import Unit
    from monev.monitoring.services import snapshot_take

    populate(world)
    client = client_for(world.koordinator)
    evaluator = client_for(world.asesor_eksternal)
    urls = [reverse("reports:period", args=[world.period.pk])] + [
        reverse("reports:download", args=[world.period.pk, kind]) for kind in WORKBOOKS
    ]
    params = {"year": 2025, "instrument": "spbe-2020"}
    evaluator_urls = [reverse("reports:institutions_download"), reverse("reports:institutions")]

    def measure():
        counts = []
        for who, url, query in [(client, u, {}) for u in urls] + [
            (evaluator, u, params) for u in evaluator_urls
        ]:
            with CaptureQueriesContext(connection) as captured:
                assert who.get(url, query).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    small = measure()
    other_period(world, "1")
    extra = Unit.objects.bulk_create(
        Unit(institution=world.institution, code=f"U{n}", name=f"Dinas {n}") for n in range(12)
    )
    answers = list(world.period.answers.order_by("position"))
    for answer in answers[:20]:
        for unit in extra[:4]:
            answer.unit_links.create(unit=unit)
    items = Evidence.objects.bulk_create(
        Evidence(institution=world.institution, title=f"Laporan {n}", kind="laporan")
        for n in range(10)
    )
    EvidenceLink.objects.bulk_create(
        EvidenceLink(answer=a, evidence=e, level=1) for a in answers[5:9] for e in items
    )
    Comment.objects.bulk_create(Comment(answer=a, body="Catatan.") for a in answers)
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage="interview", level=2, notes="Cukup.") for a in answers
    )
    snapshot_take(actor=world.koordinator, period_id=world.period.pk, label="Triwulan II")
    bigger = measure()
    assert small == bigger
    for url, count in zip(urls, small, strict=False):
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200

"""The import pages: upload -> preview -> Terapkan -> result, in Indonesian, with constant
query counts."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from import_support import csv_file
from openpyxl import load_workbook

from monev.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    """The page with its CSRF tokens blanked (they are masked afresh on every render)."""
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _upload(client, url, path):
    with path.open("rb") as fh:
        return client.post(url, {"file": fh})


def _levels_csv(tmp_path, rows=(("1", "3"), ("2", "4"))):
    return csv_file(tmp_path / "tingkat.csv", [["Indikator", "Tingkat"], *map(list, rows)])


def test_the_period_nav_links_the_import_page(client, world):
    client.force_login(world.koordinator)
    page = client.get(reverse("evaluations:overview", args=[world.period.pk]))
    assert reverse("imports:period", args=[world.period.pk]) in page.content.decode()


def test_the_periods_list_links_the_institution_import_for_admins(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("evaluations:periods"))
    assert reverse("imports:institution", args=[world.institution.pk]) in page.content.decode()
    client.force_login(world.koordinator)
    page = client.get(reverse("evaluations:periods"))
    assert reverse("imports:institution", args=[world.institution.pk]) not in page.content.decode()


def test_upload_preview_apply_and_result(client, world, tmp_path):
    client.force_login(world.koordinator)
    page = client.get(reverse("imports:period", args=[world.period.pk]))
    assert page.status_code == 200 and "Tingkat dan penjelasan" in page.content.decode()
    response = _upload(
        client,
        reverse("imports:period_upload", args=[world.period.pk, "levels"]),
        _levels_csv(tmp_path),
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    preview = client.get(response.url).content.decode()
    assert "Perubahan yang akan dibuat impor" in preview and "Terapkan" in preview
    assert world.answer("1").level is None
    response = client.post(reverse("imports:apply", args=[batch.pk]), follow=True)
    body = response.content.decode()
    assert "Impor telah diterapkan." in body and "jejak audit" in body
    assert world.answer("1").level == 3
    response = client.post(reverse("imports:apply", args=[batch.pk]), follow=True)
    assert "sudah diterapkan" in response.content.decode()


def test_the_preview_lists_every_rejected_row_and_offers_no_apply(client, world, tmp_path):
    client.force_login(world.koordinator)
    path = _levels_csv(tmp_path, [("1", "3"), ("99", "3"), ("2", "9")])
    response = _upload(
        client, reverse("imports:period_upload", args=[world.period.pk, "levels"]), path
    )
    body = client.get(response.url).content.decode()
    assert "Baris yang ditolak" in body
    assert "Indikator 99 tidak ada di instrumen" in body and "di luar skala" in body
    assert "Terapkan" not in body


def test_a_renamed_binary_is_refused_with_a_message(client, world, tmp_path):
    client.force_login(world.koordinator)
    path = tmp_path / "tingkat.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    response = _upload(
        client, reverse("imports:period_upload", args=[world.period.pk, "levels"]), path
    )
    assert response.status_code == 422
    assert "bukan buku kerja Excel" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_empty_file_is_refused_with_a_message(client, world, tmp_path):
    client.force_login(world.koordinator)
    path = tmp_path / "kosong.xlsx"
    path.write_bytes(b"")
    response = _upload(
        client, reverse("imports:period_upload", args=[world.period.pk, "levels"]), path
    )
    assert response.status_code == 422 and "Berkas kosong." in response.content.decode()


def test_a_missing_file_is_refused_with_a_message(client, world):
    client.force_login(world.koordinator)
    response = client.post(reverse("imports:period_upload", args=[world.period.pk, "levels"]))
    assert response.status_code == 422 and "Pilih berkas" in response.content.decode()


def test_another_users_preview_answers_the_missing_id_page(client, world, tmp_path):
    client.force_login(world.koordinator)
    _upload(
        client,
        reverse("imports:period_upload", args=[world.period.pk, "levels"]),
        _levels_csv(tmp_path),
    )
    batch = ImportBatch.objects.get()
    for someone_else in (world.operator, world.outsider):
        client.force_login(someone_else)
        for method, name in (("get", "imports:batch"), ("post", "imports:apply")):
            missing = getattr(client, method)(reverse(name, args=[batch.pk + 1000]))
            response = getattr(client, method)(reverse(name, args=[batch.pk]))
            # The missing-id page, but for the id in its links: ids reveal nothing.
            same = page_text(missing).replace(f"/{batch.pk + 1000}/", f"/{batch.pk}/")
            assert (response.status_code, page_text(response)) == (404, same)
        response = client.post(reverse("imports:discard", args=[batch.pk]))
        assert response.status_code == 404
    assert world.answer("1").level is None


def test_discarding_writes_nothing(client, world, tmp_path):
    client.force_login(world.koordinator)
    _upload(
        client,
        reverse("imports:period_upload", args=[world.period.pk, "levels"]),
        _levels_csv(tmp_path),
    )
    batch = ImportBatch.objects.get()
    client.post(reverse("imports:discard", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "discarded" and batch.rows == []
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert world.answer("1").level is None


PAGE_ACCESS = {
    # persona: (period import page, institution import page)
    "koordinator": (200, 403),
    "operator": (200, 403),
    "operator_b": (200, 403),
    "asesor_internal": (403, 403),
    "asesor_eksternal": (403, 403),
    "pimpinan": (403, 403),
    "admin": (403, 200),
    "outsider": (404, 404),
}


@pytest.mark.parametrize(("persona", "expected"), PAGE_ACCESS.items())
def test_who_may_open_the_import_pages(client, world, persona, expected):
    client.force_login(world.personas()[persona])
    period_page = client.get(reverse("imports:period", args=[world.period.pk]))
    institution_page = client.get(reverse("imports:institution", args=[world.institution.pk]))
    assert (period_page.status_code, institution_page.status_code) == expected


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("imports:period", args=[world.period.pk]))
    assert response.status_code == 302 and "masuk" in response.url


def test_an_operator_sees_only_the_levels_import(client, world):
    client.force_login(world.operator)
    body = client.get(reverse("imports:period", args=[world.period.pk])).content.decode()
    assert "Tingkat dan penjelasan" in body and "matriks unit" not in body


@pytest.mark.parametrize("kind", ["levels", "assignment", "people", "published"])
def test_each_template_is_a_workbook_with_the_headers_the_import_reads(
    client, world, kind, tmp_path
):
    from monev.imports import services

    client.force_login(world.koordinator)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    path = tmp_path / "templat.xlsx"
    path.write_bytes(response.content)
    kind_ = services.KINDS[kind]
    from monev.imports.parsing import read_table

    _rows, problems, _layout = kind_.extract(read_table(path))
    assert problems == []
    assert workbook.sheetnames[-1] == "Petunjuk"


def _rows(count: int) -> list[tuple[str, str]]:
    return [(str(n), "3") for n in range(1, count + 1)]


@pytest.mark.parametrize("count", [2, 40])
def test_the_preview_page_query_count_is_constant(
    client, world, tmp_path, django_assert_num_queries, count
):
    client.force_login(world.koordinator)
    response = _upload(
        client,
        reverse("imports:period_upload", args=[world.period.pk, "levels"]),
        _levels_csv(tmp_path, _rows(count)),
    )
    with django_assert_num_queries(4):  # session, user, batch, access
        page = client.get(response.url)
    assert page.status_code == 200


@pytest.mark.parametrize("count", [2, 40])
def test_the_upload_query_count_is_constant(
    client, world, tmp_path, django_assert_num_queries, count
):
    client.force_login(world.koordinator)
    path = _levels_csv(tmp_path, _rows(count))
    # session, user; period + access (the page), again in the service; answers, their units,
    # milestones; expiring old previews (2); the new batch.
    # + the units' deadline extensions (the rows' windows)
    with django_assert_num_queries(13):
        response = _upload(
            client, reverse("imports:period_upload", args=[world.period.pk, "levels"]), path
        )
    assert response.status_code == 302


@pytest.mark.parametrize("count", [2, 40])
def test_the_result_page_query_count_is_constant(
    client, world, tmp_path, django_assert_num_queries, count
):
    client.force_login(world.koordinator)
    response = _upload(
        client,
        reverse("imports:period_upload", args=[world.period.pk, "levels"]),
        _levels_csv(tmp_path, _rows(count)),
    )
    client.post(reverse("imports:apply", args=[ImportBatch.objects.get().pk]))
    with django_assert_num_queries(4):  # session, user, batch, access
        page = client.get(response.url)
    assert "Diterapkan pada" in page.content.decode()

"""Imports through /api/v1/: the same previews, permissions and all-or-nothing apply."""

from __future__ import annotations

import pytest
from import_support import csv_file

from api_support import BASE, Api
from monev.imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def _post_file(api: Api, path: str, file_path, **fields):
    with file_path.open("rb") as fh:
        return api.client.post(BASE + path, {"file": fh, **fields}, headers=api.headers)


def _levels(tmp_path, rows=(("1", "3"),)):
    return csv_file(tmp_path / "tingkat.csv", [["Indikator", "Tingkat"], *map(list, rows)])


def test_a_dry_run_answers_the_preview_and_writes_nothing(world, tmp_path):
    api = Api.token(world.koordinator)
    response = _post_file(
        api,
        f"/imports/periods/{world.period.pk}/levels",
        _levels(tmp_path, [("1", "3"), ("2", "9")]),
        dry_run="true",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "preview" and body["can_apply"] is False
    assert body["counts"]["update"] == 1 and body["counts"]["rejected"] == 1
    [problem] = body["rejected"]
    assert (problem["row"], problem["column"], problem["sheet"]) == (3, "Tingkat", "CSV")
    assert world.answer("1").level is None


def test_apply_writes_and_a_second_apply_is_refused(world, tmp_path):
    api = Api.token(world.koordinator)
    batch_id = _post_file(
        api, f"/imports/periods/{world.period.pk}/levels", _levels(tmp_path)
    ).json()["id"]
    response = api.post(f"/imports/{batch_id}/apply")
    assert response.status_code == 200 and response.json()["status"] == "applied"
    assert world.answer("1").level == 3
    again = api.post(f"/imports/{batch_id}/apply")
    assert again.status_code == 409 and again.json()["error"]["code"] == "invalid_transition"


def test_apply_of_a_file_with_rejected_rows_answers_every_row(world, tmp_path):
    api = Api.session(world.koordinator)
    batch_id = _post_file(
        api,
        f"/imports/periods/{world.period.pk}/levels",
        _levels(tmp_path, [("1", "3"), ("99", "2")]),
    ).json()["id"]
    response = api.post(f"/imports/{batch_id}/apply")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "import_not_applied"
    assert error["details"][0]["location"] == "CSV!3:Indikator"
    assert world.answer("1").level is None


def test_dry_run_false_applies_at_once(world, tmp_path):
    api = Api.token(world.koordinator)
    response = _post_file(
        api, f"/imports/periods/{world.period.pk}/levels", _levels(tmp_path), dry_run="false"
    )
    assert response.status_code == 200 and response.json()["status"] == "applied"
    assert world.answer("1").level == 3


def test_another_users_batch_answers_404_exactly_like_a_missing_one(world, tmp_path):
    batch_id = _post_file(
        Api.token(world.koordinator),
        f"/imports/periods/{world.period.pk}/levels",
        _levels(tmp_path),
    ).json()["id"]
    for someone_else in (world.operator, world.outsider):
        other = Api.token(someone_else)
        for method, suffix in (("get", ""), ("post", "/apply"), ("post", "/discard")):
            missing = other.call(method, f"/imports/{batch_id + 1000}{suffix}")
            response = other.call(method, f"/imports/{batch_id}{suffix}")
            # The same answer as for an id that does not exist: ids reveal nothing.
            assert (response.status_code, response.json()) == (404, missing.json())
    assert world.answer("1").level is None
    assert ImportBatch.objects.get(pk=batch_id).status == "preview"


def test_a_renamed_binary_answers_422(world, tmp_path):
    path = tmp_path / "tingkat.csv"
    path.write_bytes(b"\x7fELF" + bytes(range(256)))
    response = _post_file(
        Api.token(world.koordinator), f"/imports/periods/{world.period.pk}/levels", path
    )
    assert response.status_code == 422
    assert "program" in response.json()["error"]["message"]
    assert not ImportBatch.objects.exists()


def test_a_file_over_the_limit_answers_422_with_the_limit(world, tmp_path):
    path = tmp_path / "besar.csv"
    path.write_bytes(b"Indikator,Penjelasan\n" + (b"1," + b"a" * 1000 + b"\n") * 5300)
    response = _post_file(
        Api.token(world.koordinator), f"/imports/periods/{world.period.pk}/levels", path
    )
    assert response.status_code == 422 and "5 MB" in response.json()["error"]["message"]


def test_a_missing_file_answers_422(world):
    api = Api.token(world.koordinator)
    response = api.client.post(
        BASE + f"/imports/periods/{world.period.pk}/levels", {}, headers=api.headers
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("koordinator", 201),
        ("operator", 201),
        ("asesor_internal", 403),
        ("pimpinan", 403),
        ("admin", 403),
        ("outsider", 404),
    ],
)
def test_period_import_permissions(world, tmp_path, persona, status):
    response = _post_file(
        Api.token(world.personas()[persona]),
        f"/imports/periods/{world.period.pk}/levels",
        _levels(tmp_path),
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 201), ("koordinator", 403), ("operator", 403), ("outsider", 404)],
)
def test_institution_import_permissions(world, tmp_path, persona, status):
    path = csv_file(tmp_path / "unit.csv", [["Kode", "Nama"], ["C", "Dinas C"]])
    response = _post_file(
        Api.token(world.personas()[persona]),
        f"/imports/institutions/{world.institution.pk}/people",
        path,
    )
    assert response.status_code == status


def test_anonymous_callers_are_refused(world, tmp_path):
    response = _post_file(
        Api.anonymous(), f"/imports/periods/{world.period.pk}/levels", _levels(tmp_path)
    )
    assert response.status_code == 401


def test_an_unknown_kind_answers_422(world, tmp_path):
    response = _post_file(
        Api.token(world.koordinator),
        f"/imports/periods/{world.period.pk}/people",
        _levels(tmp_path),
    )
    assert response.status_code == 422


@pytest.mark.parametrize("count", [2, 40])
def test_the_preview_read_query_count_is_constant(
    world, tmp_path, django_assert_num_queries, count
):
    api = Api.session(world.koordinator)
    rows = [(str(n), "3") for n in range(1, count + 1)]
    batch_id = _post_file(
        api, f"/imports/periods/{world.period.pk}/levels", _levels(tmp_path, rows)
    ).json()["id"]
    with django_assert_num_queries(3):  # session, user, batch
        response = api.get(f"/imports/{batch_id}")
    assert response.status_code == 200 and len(response.json()["changes"]) == count


def test_a_template_downloads_as_a_workbook(world):
    response = Api.token(world.koordinator).get("/imports/templates/people")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")


def test_discarding_a_preview_writes_nothing(world, tmp_path):
    api = Api.token(world.koordinator)
    batch_id = _post_file(
        api, f"/imports/periods/{world.period.pk}/levels", _levels(tmp_path)
    ).json()["id"]
    assert api.post(f"/imports/{batch_id}/discard").json()["status"] == "discarded"
    assert api.post(f"/imports/{batch_id}/apply").status_code == 409
    assert world.answer("1").level is None


def test_a_huge_row_count_answers_422_with_the_limit(world, tmp_path):
    path = csv_file(tmp_path / "besar.csv", [["Indikator", "Tingkat"]] + [["1", "3"]] * 10_050)
    response = _post_file(
        Api.token(world.koordinator), f"/imports/periods/{world.period.pk}/levels", path
    )
    assert response.status_code == 422 and "10.000 baris" in response.json()["error"]["message"]

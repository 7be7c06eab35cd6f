"""Hostile and broken uploads through the real upload path (multipart through the upload
handler, the page and the API): each refused or contained with a clear message and a 4xx;
the other files of the same request are stored, and nothing else is touched."""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from views_support import file, fixture_bytes, login, png, tasks_in_process, upload_url  # noqa: F401

from api_support import Api
from monev.evidence.models import Evidence, EvidenceVersion, StoredFile
from monev.evidence.storage import refusal

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def post(client, world, *files, **fields):
    data = {"file": list(files), "kind": "peraturan", "unit": world.unit_a.pk, **fields}
    return client.post(upload_url(world), data)


def all_files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _dirs, fs in os.walk(root) for f in fs
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("exe_renamed.pdf", "executable"),
        ("script_renamed.pdf", "executable"),
        ("elf_renamed.docx", "executable"),
        ("bomb.docx", "zip_bomb"),
        ("empty.pdf", "empty"),
        ("text.pdf", "unknown_type"),
        ("encrypted_zip.docx", "encrypted"),
    ],
)
def test_it_refuses_hostile_files_with_a_reason(client, world, settings, name, code):
    login(client, world, "operator")
    response = post(client, world, file(name))
    assert response.status_code == 422
    page = response.content.decode()
    assert name in page
    with translation.override("id"):
        assert escape(str(refusal(code).message)) in page
    assert Evidence.objects.count() == 0
    assert StoredFile.objects.count() == 0
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []

    # The same through the API (JSON error with the code)
    api = Api.session(world.operator)
    response = api.client.post(
        f"/api/v1/institutions/{world.institution.pk}/evidence",
        {"file": file(name), "kind": "peraturan", "unit_id": world.unit_a.pk},
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["details"][0]["code"] == code


def test_it_stores_the_good_files_beside_a_refused_one(client, world):
    login(client, world, "operator")
    response = post(client, world, file("good.pdf"), file("exe_renamed.pdf"), file("good.png"))
    assert response.status_code == 200
    assert Evidence.objects.count() == 2
    page = response.content.decode()
    assert "exe_renamed.pdf" in page and "result-refused" in page
    assert page.count("result-ok") == 2


def test_it_refuses_a_file_over_the_limit_and_leaves_nothing_behind(client, world, settings):
    settings.MONEV_UPLOAD_MAX_BYTES = 1024 * 1024
    big = b"%PDF-1.4\n" + os.urandom(2 * 1024 * 1024) + b"\n%%EOF\n"
    login(client, world, "operator")
    response = post(client, world, file("big.pdf", big))
    assert response.status_code == 413
    assert "big.pdf" in response.content.decode()
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []
    assert StoredFile.objects.count() == 0

    api = Api.session(world.operator)
    response = api.client.post(
        f"/api/v1/institutions/{world.institution.pk}/evidence",
        {"file": file("big.pdf", big), "kind": "peraturan", "unit_id": world.unit_a.pk},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []

    # A new version over the limit is refused the same way.
    from views_support import make_evidence

    evidence = make_evidence(world, user=world.operator)
    response = client.post(
        reverse("evidence:add_version", args=[evidence.pk]),
        {"file": file("big.pdf", big), "version": evidence.version, "change_note": "x"},
    )
    assert response.status_code == 413
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_it_stores_a_path_traversal_name_safely(client, world, settings, tmp_path):
    storage_root = settings.FILE_UPLOAD_TEMP_DIR.parent
    outside_before = all_files(tmp_path)
    login(client, world, "operator")
    response = post(client, world, file("good.pdf", as_name="../../../../etc/passwd.pdf"))
    assert response.status_code == 302
    version = EvidenceVersion.objects.get()
    assert "/" not in version.original_name and ".." not in version.original_name.split(".")[0]
    assert "passwd" in version.original_name
    new = set(all_files(tmp_path)) - set(outside_before)
    assert new and all(path.startswith(os.path.relpath(storage_root, tmp_path)) for path in new)
    response = client.get(reverse("evidence:download", args=[version.pk]))
    assert "/" not in response["Content-Disposition"].split("filename*=")[1]


def test_it_contains_a_pdf_that_crashes_the_parser(
    client, world, django_capture_on_commit_callbacks
):
    login(client, world, "operator")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, world, file("broken_xref.pdf"), file("nested.pdf"))
    assert response.status_code == 302
    assert set(StoredFile.objects.values_list("text_status", flat=True)) == {"failed"}
    evidence = Evidence.objects.first()
    page = client.get(reverse("evidence:detail", args=[evidence.pk]))
    assert page.status_code == 200
    library = client.get(reverse("evidence:library", args=[world.institution.pk]))
    assert library.status_code == 200
    assert library.content.decode().count("badge-bad") == 2
    answer = client.get(reverse("answers:detail", args=[world.answer("1").pk]))
    assert answer.status_code == 200


def test_it_refuses_no_file_and_bad_fields(client, world):
    login(client, world, "operator")
    response = client.post(upload_url(world), {"kind": "peraturan", "unit": world.unit_a.pk})
    assert response.status_code == 422
    response = post(client, world, file("good.pdf"), kind="nonsense")
    assert response.status_code == 422
    response = post(client, world, file("good.pdf"), document_date="31-31-2024")
    assert response.status_code == 422
    # An operator cannot name another unit.
    response = post(client, world, file("good.pdf"), unit=world.unit_b.pk)
    assert response.status_code == 422
    assert Evidence.objects.count() == 0


def test_it_tells_where_a_duplicate_already_is(client, world):
    login(client, world, "operator")
    assert post(client, world, file("good.pdf"), title="Perwal 12").status_code == 302
    first = Evidence.objects.get()
    response = post(client, world, file("good.pdf", as_name="copy.pdf"))
    assert response.status_code == 409
    page = response.content.decode()
    assert reverse("evidence:detail", args=[first.pk]) in page
    assert "Perwal 12" in page

    response = client.post(
        upload_url(world),
        {"file": file("good.pdf"), "kind": "peraturan", "unit": world.unit_a.pk},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    result = response.json()["results"][0]
    assert result["code"] == "duplicate"
    assert result["existing"][0]["id"] == first.pk

    api = Api.session(world.operator)
    response = api.client.post(
        f"/api/v1/institutions/{world.institution.pk}/evidence",
        {"file": file("good.pdf"), "kind": "peraturan", "unit_id": world.unit_a.pk},
    )
    assert response.status_code == 409
    assert response.json()["error"]["existing"] == [{"id": first.pk, "title": "Perwal 12"}]


def test_it_answers_json_for_the_upload_script(client, world):
    login(client, world, "operator")
    response = client.post(
        upload_url(world),
        {
            "file": file("good.png"),
            "kind": "tangkapan_layar",
            "unit": world.unit_a.pk,
            "title": "Layar login",
        },
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert response.status_code == 201
    (result,) = response.json()["results"]
    assert result["ok"] and result["url"].startswith("/data-dukung/")
    assert Evidence.objects.get().title == "Layar login"
    assert fixture_bytes("good.png") and png(1) != png(2)

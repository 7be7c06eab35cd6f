"""Uploads whose request body is the file itself (the page's upload script, API clients): the
same checks and the same storage as multipart, refused before the body is read where that is
possible, and nothing left behind when refused or cut short."""

from __future__ import annotations

import hashlib
import io
import os
from urllib.parse import quote, urlencode

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from views_support import (  # noqa: F401
    file,
    fixture_bytes,
    make_evidence,
    queries,
    tasks_in_process,
    upload_url,
)

from api_support import Api
from monev.audit.models import AuditEvent
from monev.evidence.models import Evidence, EvidenceVersion, StoredFile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]

GOOD_PDF = fixture_bytes("good.pdf")


def disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


def page_url(world, **fields) -> str:
    query = {"kind": "peraturan", "unit": world.unit_a.pk, **fields}
    return f"{upload_url(world)}?{urlencode(query)}"


def page_post(client, url: str, content: bytes, name: str | None = "good.pdf", **extra):
    headers = {"Accept": "application/json", **extra.pop("headers", {})}
    if name is not None:
        headers["Content-Disposition"] = disposition(name)
    return client.post(
        url,
        content,
        content_type=extra.pop("content_type", "application/pdf"),
        headers=headers,
        **extra,
    )


def api_url(world, **fields) -> str:
    query = urlencode({"kind": "peraturan", "unit_id": world.unit_a.pk, **fields})
    return f"/api/v1/institutions/{world.institution.pk}/evidence?{query}"


def api_post(api, url: str, content: bytes, name: str | None = "good.pdf", **extra):
    headers = {**api.headers, **extra.pop("headers", {})}
    if name is not None:
        headers["Content-Disposition"] = disposition(name)
    return api.client.post(
        url,
        content,
        content_type=extra.pop("content_type", "application/pdf"),
        headers=headers,
        **extra,
    )


def nothing_left(settings) -> bool:
    """No temporary file, no stored row, no blob."""
    blobs = [
        os.path.join(directory, name)
        for directory, _dirs, names in os.walk(default_storage.path("evidence"))
        for name in names
    ]
    return (
        os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []
        and not StoredFile.objects.exists()
        and not Evidence.objects.exists()
        and blobs == []
    )


class Unreadable(io.RawIOBase):
    """A request body that must not be read: the request is refused before that."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


class CutShort(io.RawIOBase):
    """A client that sends `data` and then goes away (a reset connection)."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def read(self, size=-1):
        chunk = self.data.read(size)
        if not chunk:
            raise ConnectionResetError("the client went away")
        return chunk


# --- stored ------------------------------------------------------------------------------------


def test_the_page_stores_a_raw_body_with_the_session_and_csrf_token(world, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.operator)
    client.get(upload_url(world))
    token = client.cookies["csrftoken"].value
    url = page_url(world, title="Perwal SPBE", document_number="12 Tahun 2024")

    refused = page_post(client, url, GOOD_PDF)
    assert refused.status_code == 403  # no CSRF token: the session alone is not enough
    assert nothing_left(settings)

    response = page_post(client, url, GOOD_PDF, headers={"X-CSRFToken": token})
    assert response.status_code == 201, response.content
    result = response.json()["results"][0]
    assert result["ok"] and result["code"] == "stored" and result["name"] == "good.pdf"
    evidence = Evidence.objects.get()
    assert result["url"] == reverse("evidence:detail", args=[evidence.pk])
    assert (evidence.title, evidence.document_number) == ("Perwal SPBE", "12 Tahun 2024")
    assert evidence.unit_id == world.unit_a.pk and evidence.created_by == world.operator
    stored = EvidenceVersion.objects.get().file
    assert stored.sha256 == hashlib.sha256(GOOD_PDF).hexdigest()
    assert (stored.size, stored.kind) == (len(GOOD_PDF), "pdf")
    with default_storage.open(stored.storage_name) as handle:
        assert handle.read() == GOOD_PDF
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []
    assert AuditEvent.objects.filter(action="evidence.upload").count() == 1


def test_the_api_stores_a_raw_body_with_a_token(world, settings):
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), GOOD_PDF, "Laporan – Triwulan I.pdf")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Laporan – Triwulan I.pdf"  # no title given: the file name
    assert body["versions"][0]["original_name"] == "Laporan – Triwulan I.pdf"
    assert body["versions"][0]["sha256"] == hashlib.sha256(GOOD_PDF).hexdigest()
    assert body["versions"][0]["file_kind"] == "pdf"
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_the_type_comes_from_the_content_not_the_name_or_content_type(world):
    api = Api.token(world.operator)
    response = api_post(
        api, api_url(world), fixture_bytes("good.png"), "screen.pdf", content_type="text/plain"
    )
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["file_kind"] == "png"


def test_a_name_with_quotes_parentheses_and_semicolons_arrives_whole(world):
    name = "Notulen (rapat) 'final'; v2 – 100%.pdf"
    api = Api.token(world.operator)
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"}
    response = api_post(api, api_url(world), GOOD_PDF, None, headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["original_name"] == name


def test_a_plain_filename_parameter_is_accepted_too(world):
    api = Api.token(world.operator)
    headers = {"Content-Disposition": 'attachment; filename="SOP layanan.pdf"'}
    response = api_post(api, api_url(world), GOOD_PDF, None, headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["versions"][0]["original_name"] == "SOP layanan.pdf"


def test_the_api_adds_a_version_from_a_raw_body(world):
    evidence = make_evidence(world, user=world.operator)
    api = Api.token(world.operator)
    query = urlencode({"version": evidence.version, "change_note": "Ditandatangani"})
    response = api_post(
        api, f"/api/v1/evidence/{evidence.pk}/versions?{query}", fixture_bytes("good.docx")
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 2
    assert response.json()["change_note"] == "Ditandatangani"


def test_a_raw_upload_runs_a_constant_number_of_queries(world):
    api = Api.token(world.operator)

    def upload(seed: bytes) -> int:
        return queries(lambda: api_post(api, api_url(world), fixture_bytes("good.png") + seed))

    upload(b"0")  # the first request of a client warms caches
    few = upload(b"1")
    make_evidence(world, name="good.docx")
    make_evidence(world, name="good.xlsx")
    assert upload(b"2") == few
    assert Evidence.objects.count() == 5


# --- the same file again -------------------------------------------------------------------------


def test_the_same_file_again_says_where_it_already_is(client, world):
    first = make_evidence(world, user=world.operator, title="Perwal 12")  # through multipart
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), GOOD_PDF, "copy.pdf")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["existing"] == [{"id": first.pk, "title": "Perwal 12"}]
    assert "Perwal 12" in error["message"]

    client.force_login(world.operator)
    response = page_post(client, page_url(world), GOOD_PDF, "copy.pdf")
    assert response.status_code == 409
    result = response.json()["results"][0]
    assert result["code"] == "duplicate" and not result["ok"]
    assert result["existing"][0]["url"] == reverse("evidence:detail", args=[first.pk])
    assert StoredFile.objects.count() == 1 and Evidence.objects.count() == 1


# --- refused -----------------------------------------------------------------------------------


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(
    client, world, settings
):
    settings.MONEV_UPLOAD_MAX_BYTES = 1024 * 1024
    too_long = str(1024 * 1024 + 1)
    api = Api.token(world.operator)
    response = api_post(
        api, api_url(world), b"", CONTENT_LENGTH=too_long, **{"wsgi.input": Unreadable()}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert "1 MB" in response.json()["error"]["message"]

    client.force_login(world.operator)
    response = page_post(
        client, page_url(world), b"", CONTENT_LENGTH=too_long, **{"wsgi.input": Unreadable()}
    )
    assert response.status_code == 413
    assert response.json()["results"][0]["code"] == "too_large"
    assert nothing_left(settings)


def test_a_body_longer_than_declared_is_read_only_as_far_as_declared_and_refused(world, settings):
    # A lying Content-Length cannot smuggle bytes past the limit: reading stops at it, and
    # the file it cut short is not stored (tests/evidence/test_upload_content_checks.py).
    settings.MONEV_UPLOAD_MAX_BYTES = 1024 * 1024
    body = GOOD_PDF + os.urandom(3 * 1024 * 1024)
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), body, CONTENT_LENGTH=str(len(GOOD_PDF)))
    assert response.status_code == 400, response.content
    assert response.json()["error"]["details"][0]["code"] == "too_long"
    assert nothing_left(settings)


def test_a_body_without_a_length_is_refused(world, settings):
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), b"", CONTENT_LENGTH="", **{"wsgi.input": Unreadable()})
    assert response.status_code == 411
    assert response.json()["error"]["code"] == "length_required"
    response = api_post(api, api_url(world), b"", CONTENT_LENGTH="0")
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["code"] == "empty"
    assert nothing_left(settings)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(GOOD_PDF[:100], id="the body stops early"),
        pytest.param(None, id="the connection is reset"),
    ],
)
def test_an_interrupted_upload_leaves_nothing_behind(client, world, settings, content):
    def stream():
        half = GOOD_PDF[: len(GOOD_PDF) // 2]
        return io.BytesIO(content) if content is not None else CutShort(half)

    length = str(len(GOOD_PDF))
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), b"", CONTENT_LENGTH=length, **{"wsgi.input": stream()})
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["code"] == "interrupted"
    assert nothing_left(settings)

    client.force_login(world.operator)
    response = page_post(
        client, page_url(world), b"", CONTENT_LENGTH=length, **{"wsgi.input": stream()}
    )
    assert response.json()["results"][0]["code"] == "interrupted"
    assert nothing_left(settings)


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="no header"),
        pytest.param("attachment", id="no file name"),
        pytest.param('attachment; filename="  "', id="a blank name"),
        pytest.param("attachment; filename*=UTF-8''%20%20", id="a blank encoded name"),
    ],
)
def test_a_body_without_a_file_name_is_refused_before_it_is_read(client, world, settings, header):
    headers = {"Content-Disposition": header} if header else {}
    unread = {"wsgi.input": Unreadable(), "CONTENT_LENGTH": "1000"}
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), b"", None, headers=headers, **unread)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["code"] == "no_name"
    assert "Content-Disposition" in response.json()["error"]["message"]

    client.force_login(world.operator)
    response = page_post(client, page_url(world), b"", None, headers=headers, **unread)
    assert response.status_code == 422
    assert response.json()["results"][0]["code"] == "no_name"
    assert nothing_left(settings)


@pytest.mark.parametrize(
    "name", ["../../../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "/etc/cron.d/x.pdf"]
)
def test_a_path_traversal_name_is_stored_safely(world, settings, tmp_path, name):
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), GOOD_PDF, name)
    assert response.status_code == 201, response.content
    stored_name = EvidenceVersion.objects.get().original_name
    assert "/" not in stored_name and "\\" not in stored_name
    assert not stored_name.startswith(".")
    storage_root = os.path.realpath(settings.FILE_UPLOAD_TEMP_DIR.parent)
    for directory, _dirs, names in os.walk(tmp_path):
        for found in names:
            path = os.path.realpath(os.path.join(directory, found))
            assert path.startswith(storage_root) or not path.endswith(".pdf")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("exe_renamed.pdf", "executable"),
        ("elf_renamed.docx", "executable"),
        ("bomb.docx", "zip_bomb"),
        ("text.pdf", "unknown_type"),
    ],
)
def test_hostile_content_is_refused_whatever_its_name(client, world, settings, name, code):
    api = Api.token(world.operator)
    response = api_post(api, api_url(world), fixture_bytes(name), name)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["code"] == code
    assert nothing_left(settings)

    client.force_login(world.operator)
    response = page_post(client, page_url(world), fixture_bytes(name), name)
    assert response.status_code == 422
    result = response.json()["results"][0]
    assert (result["code"], result["name"]) == (code, name)
    assert nothing_left(settings)


# --- who may ---------------------------------------------------------------------------------


def test_an_operator_uploads_only_for_their_own_unit(client, world, settings):
    api = Api.token(world.operator)
    response = api_post(api, api_url(world, unit_id=world.unit_b.pk), GOOD_PDF)
    assert response.status_code == 403
    assert nothing_left(settings)

    client.force_login(world.operator)
    unread = {"wsgi.input": Unreadable(), "CONTENT_LENGTH": "1000"}
    response = page_post(client, page_url(world, unit=world.unit_b.pk), b"", **unread)
    assert response.status_code == 422  # not a unit they may choose: refused before reading
    assert nothing_left(settings)


@pytest.mark.parametrize(("role", "status"), [("outsider", 404), ("asesor_internal", 403)])
def test_who_may_not_upload_is_refused_before_the_body_is_read(
    client, world, settings, role, status
):
    user = world.personas()[role]
    unread = {"wsgi.input": Unreadable(), "CONTENT_LENGTH": "1000"}
    response = api_post(Api.token(user), api_url(world), b"", **unread)
    assert response.status_code == status
    client.force_login(user)
    response = page_post(client, page_url(world), b"", **unread)
    assert response.status_code == status
    anonymous = page_post(Client(), page_url(world), b"", **unread)
    assert anonymous.status_code == 302  # to the sign-in page
    assert nothing_left(settings)


def test_a_form_post_still_goes_through_multipart(client, world):
    client.force_login(world.operator)
    data = {"file": file("good.pdf"), "kind": "peraturan", "unit": world.unit_a.pk}
    response = client.post(upload_url(world), data)
    assert response.status_code == 302
    assert Evidence.objects.count() == 1

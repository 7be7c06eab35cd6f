"""Content checks an outside probe got past (issue 14), through both ways in (a multipart form
and the file as the request body) on both the page and the API: the hostile corpus refused
with a clear message and nothing stored; a file named and downloaded by its sniffed kind; one
rule for a blank name; a body longer than its Content-Length refused; and an upload that does
not tell whether another institution holds the same bytes."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
from urllib.parse import quote, urlencode

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from make_fixtures import HOSTILE, PDF_PHRASE
from views_support import fixture_bytes, upload_url

from api_support import Api
from monev.evidence import services
from monev.evidence.models import Evidence, EvidenceVersion, StoredFile
from monev.evidence.storage import refusal

pytestmark = pytest.mark.django_db

GOOD_PDF = fixture_bytes("good.pdf")


@pytest.fixture(autouse=True)
def tasks_in_process(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def message_of(code: str) -> str:
    with translation.override("id"):
        return str(refusal(code).message)


def nothing_stored(settings) -> bool:
    """No temporary file, no row, no blob."""
    root = default_storage.path("evidence")
    blobs = [name for _directory, _dirs, names in os.walk(root) for name in names]
    return (
        os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []
        and not StoredFile.objects.exists()
        and not Evidence.objects.exists()
        and blobs == []
    )


def disposition(name: str) -> str:
    return f"attachment; filename*=UTF-8''{quote(name)}"


# The four ways a file arrives; each returns (status, code, message) of the answer.


def page_multipart(client, world, name: str, data: bytes):
    response = client.post(
        upload_url(world),
        {"file": SimpleUploadedFile(name, data), "kind": "lainnya", "unit": world.unit_a.pk},
        headers={"Accept": "application/json"},
    )
    result = response.json()["results"][0]
    return response.status_code, result["code"], result["message"]


def page_raw(client, world, name: str, data: bytes, **extra):
    query = urlencode({"kind": "lainnya", "unit": world.unit_a.pk})
    response = client.post(
        f"{upload_url(world)}?{query}",
        data,
        content_type="application/octet-stream",
        headers={"Accept": "application/json", "Content-Disposition": disposition(name)},
        **extra,
    )
    result = response.json()["results"][0]
    return response.status_code, result["code"], result["message"]


def api_answer(response):
    if response.status_code == 201:
        return 201, "stored", ""
    error = response.json()["error"]
    return response.status_code, error["details"][0]["code"], error["message"]


def api_multipart(api, world, name: str, data: bytes):
    response = api.client.post(
        f"/api/v1/institutions/{world.institution.pk}/evidence",
        {"file": SimpleUploadedFile(name, data), "kind": "lainnya", "unit_id": world.unit_a.pk},
        headers=api.headers,
    )
    return api_answer(response)


def api_raw(api, world, name: str, data: bytes, **extra):
    query = urlencode({"kind": "lainnya", "unit_id": world.unit_a.pk})
    response = api.client.post(
        f"/api/v1/institutions/{world.institution.pk}/evidence?{query}",
        data,
        content_type="application/octet-stream",
        headers={**api.headers, "Content-Disposition": disposition(name)},
        **extra,
    )
    return api_answer(response)


def every_way(client, world):
    client.force_login(world.operator)
    api = Api.token(world.operator)
    return {
        "page multipart": lambda name, data, **kw: page_multipart(client, world, name, data),
        "page raw body": lambda name, data, **kw: page_raw(client, world, name, data, **kw),
        "API multipart": lambda name, data, **kw: api_multipart(api, world, name, data),
        "API raw body": lambda name, data, **kw: api_raw(api, world, name, data, **kw),
    }


# --- the hostile corpus ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_hostile_file_is_refused_both_ways_with_a_clear_message(
    client, world, settings, hostile_files, name
):
    code = HOSTILE[name][1]
    data = hostile_files[name].read_bytes()
    for way, send in every_way(client, world).items():
        status, answered_code, message = send(name, data)
        assert (status, answered_code) == (422, code), way
        assert message == message_of(code), way
        assert nothing_stored(settings), way


def test_the_probe_hta_gets_a_message_naming_what_it_is(client, world, hostile_files):
    data = hostile_files["laporan.hta"].read_bytes()
    for way, send in every_way(client, world).items():
        _status, _code, message = send("laporan.hta", data)
        assert "skrip" in message.lower(), way  # "web pages and scripts", in Indonesian


# --- names follow the sniffed kind ----------------------------------------------------------


def download_names(client, api, version: EvidenceVersion) -> set[str]:
    page = client.get(reverse("evidence:download", args=[version.pk]))
    through_api = api.client.get(
        f"/api/v1/evidence/versions/{version.pk}/download", headers=api.headers
    )
    names = set()
    for response in (page, through_api):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        names.add(response["Content-Disposition"])
    return names


@pytest.mark.parametrize(
    "way", ["page multipart", "page raw body", "API multipart", "API raw body"]
)
def test_a_pdf_named_hta_is_stored_and_downloaded_as_pdf(client, world, way):
    status, code, _message = every_way(client, world)[way]("laporan.hta", GOOD_PDF)
    assert (status, code) == (201, "stored")
    version = EvidenceVersion.objects.get()
    assert version.original_name == "laporan.pdf"
    assert Evidence.objects.get().title in {"laporan.pdf", "laporan"}
    expected = "attachment; filename=\"laporan.pdf\"; filename*=UTF-8''laporan.pdf"
    assert download_names(client, Api.token(world.operator), version) == {expected}


def upload_report(world):
    return services.evidence_upload(
        actor=world.operator,
        institution_id=world.institution.pk,
        uploaded=SimpleUploadedFile("laporan.pdf", GOOD_PDF),
        title="Laporan",
        kind="laporan",
        unit_id=world.unit_a.pk,
    )


def test_a_file_stored_under_another_extension_downloads_with_its_kinds(client, world):
    # Rows written before names followed the kind keep what the uploader called them.
    client.force_login(world.operator)
    evidence = upload_report(world)
    version = evidence.versions.get()
    EvidenceVersion.objects.filter(pk=version.pk).update(original_name="laporan.hta")
    expected = "attachment; filename=\"laporan.pdf\"; filename*=UTF-8''laporan.pdf"
    assert download_names(client, Api.token(world.operator), version) == {expected}


def test_a_new_version_is_named_by_its_kind_too(client, world):
    evidence = upload_report(world)
    version = services.evidence_add_version(
        actor=world.operator,
        evidence_id=evidence.pk,
        expected_version=evidence.version,
        uploaded=SimpleUploadedFile("foto.pdf.exe", fixture_bytes("good.png")),
        change_note="foto",
    )
    assert version.original_name == "foto.pdf.png"


# --- one rule for a blank name ---------------------------------------------------------------


def test_a_blank_file_name_is_refused_the_same_way_both_ways(client, world, settings):
    for way, send in every_way(client, world).items():
        status, code, message = send("   ", GOOD_PDF)
        assert (status, code) == (422, "no_name"), way
        assert message == message_of("no_name"), way
        assert nothing_stored(settings), way


# --- a body longer than its Content-Length ----------------------------------------------------


@pytest.mark.parametrize("way", ["page raw body", "API raw body"])
def test_a_body_longer_than_its_content_length_is_refused(client, world, settings, way):
    send = every_way(client, world)[way]
    declared = str(len(GOOD_PDF) - 100)  # the last 100 bytes would be dropped silently
    status, code, message = send("laporan.pdf", GOOD_PDF, CONTENT_LENGTH=declared)
    assert (status, code) == (400, "too_long")
    assert message == message_of("too_long")
    assert nothing_stored(settings)


def gunicorn_request(raw: bytes) -> dict:
    """The WSGI environ gunicorn (the production server) builds for `raw` sent by a client."""
    from gunicorn.config import Config
    from gunicorn.http.parser import RequestParser
    from gunicorn.http.wsgi import create

    client_end, server_end = socket.socketpair()
    sender = threading.Thread(target=client_end.sendall, args=(raw,), daemon=True)
    sender.start()
    config = Config()
    request = next(RequestParser(config, server_end, ("127.0.0.1", 40000)))
    _response, environ = create(
        request, server_end, ("127.0.0.1", 40000), ("testserver", 80), config
    )
    return environ, sender, (client_end, server_end)


@pytest.mark.parametrize("padding", [0, 300_000], ids=["small", "large"])
def test_gunicorn_refuses_a_body_longer_than_its_content_length(world, settings, padding):
    from django.test.client import ClientHandler

    from monev.accounts import services as account_services

    _token, secret = account_services.token_create(actor=world.operator, name="gunicorn")
    pdf = GOOD_PDF + b"%" + b"x" * padding + b"\n%%EOF\n"  # large: past gunicorn's first read
    query = urlencode({"kind": "lainnya", "unit_id": world.unit_a.pk})
    head = (
        f"POST /api/v1/institutions/{world.institution.pk}/evidence?{query} HTTP/1.1\r\n"
        "Host: testserver\r\n"
        f"Authorization: Bearer {secret}\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Disposition: {disposition('laporan.pdf')}\r\n"
        f"Content-Length: {len(pdf) - 100}\r\n\r\n"
    )
    environ, sender, sockets = gunicorn_request(head.encode() + pdf)
    try:
        response = ClientHandler()(environ)
    finally:
        for end in sockets:
            end.close()
        sender.join(5)
    assert response.status_code == 400, response.content
    assert json.loads(response.content)["error"]["details"][0]["code"] == "too_long"
    assert nothing_stored(settings)


def test_a_body_of_exactly_its_content_length_is_stored(client, world):
    send = every_way(client, world)["API raw body"]
    status, code, _message = send("laporan.pdf", GOOD_PDF, CONTENT_LENGTH=str(len(GOOD_PDF)))
    assert (status, code) == (201, "stored")
    assert StoredFile.objects.get().sha256 == hashlib.sha256(GOOD_PDF).hexdigest()


# --- deduplication does not reveal what other institutions hold ------------------------------


def upload_as(user, institution, data: bytes, unit=None, run_jobs=True, capture=None):
    api = Api.token(user)
    query = urlencode({"kind": "laporan", **({"unit_id": unit.pk} if unit else {})})
    with capture(execute=run_jobs):
        response = api.client.post(
            f"/api/v1/institutions/{institution.pk}/evidence?{query}",
            data,
            content_type="application/octet-stream",
            headers={**api.headers, "Content-Disposition": disposition("perwal.pdf")},
        )
    assert response.status_code == 201, response.content
    return api, response.json()


def comparable(detail: dict) -> dict:
    """What an upload answers, without what differs between any two uploads."""
    version = detail["versions"][0]
    return {
        "text_status": detail["text_status"],
        "file_kind": detail["file_kind"],
        "text_head": detail["text_head"],
        "version": {
            key: version[key]
            for key in ("text_status", "page_count", "content_type", "file_kind", "original_name")
        },
    }


def test_bytes_another_institution_holds_upload_exactly_like_new_bytes(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    # Kota Contoh holds the Perwal, its text extracted and searchable.
    upload_as(world.koordinator, world.institution, GOOD_PDF, capture=capture)
    held = StoredFile.objects.get()
    assert held.text_status == StoredFile.TextStatus.DONE

    # The other institution uploads bytes nobody holds, then the Perwal; neither job has run.
    _api, fresh = upload_as(
        world.outsider,
        world.other_institution,
        fixture_bytes("scan.pdf"),
        capture=capture,
        run_jobs=False,
    )
    api, duplicate = upload_as(
        world.outsider, world.other_institution, GOOD_PDF, capture=capture, run_jobs=False
    )
    assert comparable(duplicate) == comparable(fresh)
    assert duplicate["versions"][0]["text_status"] == "pending"
    again = api.client.get(f"/api/v1/evidence/{duplicate['id']}", headers=api.headers).json()
    assert comparable(again) == comparable(fresh)
    found = api.client.get(
        f"/api/v1/institutions/{world.other_institution.pk}/evidence",
        {"q": "Arsitektur"},
        headers=api.headers,
    ).json()
    assert found["count"] == 0  # its text is not searchable before its own extraction

    # The holder's file is untouched; the bytes are stored once.
    held.refresh_from_db()
    assert held.text_status == StoredFile.TextStatus.DONE
    names = set(StoredFile.objects.values_list("storage_name", flat=True))
    assert len(names) == 2  # the Perwal and the scan, each kept once


def test_bytes_another_institution_holds_are_read_for_the_new_holder(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    upload_as(world.koordinator, world.institution, GOOD_PDF, capture=capture)
    api, duplicate = upload_as(world.outsider, world.other_institution, GOOD_PDF, capture=capture)
    detail = api.client.get(f"/api/v1/evidence/{duplicate['id']}", headers=api.headers).json()
    assert detail["versions"][0]["text_status"] == "done"
    assert PDF_PHRASE[:30] in detail["text_head"]


def test_bytes_refused_now_are_refused_even_if_someone_stored_them_before(
    client, world, settings, hostile_files
):
    # A file stored under older rules (here: written directly) gives no way around today's.
    data = hostile_files["laporan.hta"].read_bytes()
    StoredFile.objects.create(
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        kind="pdf",
        content_type="application/pdf",
        storage_name="evidence/lama",
        text_status="done",
    )
    for way, send in every_way(client, world).items():
        status, code, _message = send("laporan.hta", data)
        assert (status, code) == (422, "active_content"), way
    assert Evidence.objects.count() == 0

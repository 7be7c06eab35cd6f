"""Evidence downloads: the sniffed type (never the uploader's), an attachment with a safe name,
no sniffing, a sandbox policy; and no way to learn whether an id exists without permission."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from views_support import login, make_evidence

from api_support import Api
from monev.evidence.models import EvidenceVersion

pytestmark = pytest.mark.django_db

FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "Cache-Control": "private, no-store",
}


def without_csrf(response) -> str:
    """The page with its CSRF tokens blanked (they are masked afresh on every render)."""
    page = response.content.decode()
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def download_url(version) -> str:
    return reverse("evidence:download", args=[version.pk])


def assert_file_headers(response, content_type: str) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; ")
    for name, value in FILE_HEADERS.items():
        assert response[name] == value, name


@pytest.mark.parametrize(
    ("fixture", "content_type", "extension"),
    [("good.pdf", "application/pdf", ".pdf"), ("good.png", "image/png", ".png")],
)
def test_it_serves_the_sniffed_type_and_extension_whatever_the_uploader_claimed(
    client, world, fixture, content_type, extension
):
    # The name and the browser's claimed type say HTML; the content decides both.
    evidence = make_evidence(world, name=fixture)
    version = evidence.versions.get()
    version.original_name = "laporan.html"
    version.save()
    login(client, world, "operator")
    response = client.get(download_url(version))
    assert_file_headers(response, content_type)
    assert f'filename="laporan{extension}"' in response["Content-Disposition"]


def test_a_stored_type_outside_the_accepted_kinds_is_served_as_bytes(client, world):
    version = make_evidence(world, name="good.pdf").versions.get()
    version.file.content_type = "text/html"  # e.g. a row from before a kind was dropped
    version.file.save()
    login(client, world, "koordinator")
    assert_file_headers(client.get(download_url(version)), "application/octet-stream")


def test_the_api_download_sends_the_same_headers(world):
    version = make_evidence(world, name="good.pdf").versions.get()
    response = Api.token(world.pimpinan).get(f"/evidence/versions/{version.pk}/download")
    assert_file_headers(response, "application/pdf")


@pytest.mark.parametrize(
    "name",
    ['../../etc/passwd"; x=y.pdf', "laporan\r\nSet-Cookie: a=b.pdf", "Perda\\SPBE;2024.pdf"],
)
def test_the_file_name_cannot_break_out_of_the_header(client, world, name):
    version = make_evidence(world, name="good.pdf").versions.get()
    version.original_name = name
    version.save()
    login(client, world, "koordinator")
    disposition = client.get(download_url(version))["Content-Disposition"]
    fallback = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert not set(fallback) & set('"\\;\r\n')
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.count(";") == 2  # attachment; filename=...; filename*=...


def test_outsiders_and_other_units_operators_get_404_like_for_a_missing_id(client, world):
    # Unit A's evidence, not linked to any answer of unit B.
    version = make_evidence(world, name="good.pdf", unit=world.unit_a).versions.get()
    missing = EvidenceVersion.objects.order_by("-pk").first().pk + 1000
    for role in ("outsider", "operator_b"):
        login(client, world, role)
        missing_page = client.get(reverse("evidence:download", args=[missing]))
        assert missing_page.status_code == 404
        response = client.get(download_url(version))
        assert response.status_code == 404, role
        same_url = without_csrf(missing_page).replace(f"/{missing}/", f"/{version.pk}/")
        assert without_csrf(response) == same_url, role
        assert "Content-Disposition" not in response
    login(client, world, "operator")
    assert client.get(download_url(version)).status_code == 200


def test_the_api_answers_404_alike_for_foreign_and_missing_versions(world):
    version = make_evidence(world, name="good.pdf", unit=world.unit_a).versions.get()
    for user in (world.outsider, world.operator_b):
        api = Api.token(user)
        foreign = api.get(f"/evidence/versions/{version.pk}/download")
        missing = api.get(f"/evidence/versions/{version.pk + 1000}/download")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.json() == missing.json()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, world):
    version = make_evidence(world, name="good.pdf").versions.get()
    response = client.get(download_url(version))
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")

from django.http import HttpResponse
from django.test import RequestFactory

from monev.lib.public_url import DEVELOPMENT_BASE, PublicBaseMiddleware, public_url


def _inside_request(host: str, secure: bool = False) -> str:
    seen = {}

    def view(request):
        seen["url"] = public_url("/bukti/7/")
        return HttpResponse()

    request = RequestFactory().get("/", HTTP_HOST=host, secure=secure)
    PublicBaseMiddleware(view)(request)
    return seen["url"]


def test_links_use_the_configured_public_address(settings):
    settings.MONEV_BASE_URL = "https://monev.example.go.id"
    settings.ALLOWED_HOSTS = ["internal"]
    assert _inside_request("internal") == "https://monev.example.go.id/bukti/7/"


def test_without_a_configured_address_links_use_the_address_the_page_was_asked_at(settings):
    settings.MONEV_BASE_URL = ""
    settings.ALLOWED_HOSTS = ["monev.kota.go.id"]
    assert _inside_request("monev.kota.go.id", secure=True) == "https://monev.kota.go.id/bukti/7/"


def test_outside_a_request_links_use_the_development_server(settings):
    settings.MONEV_BASE_URL = ""
    assert public_url("/bukti/7/") == DEVELOPMENT_BASE + "/bukti/7/"

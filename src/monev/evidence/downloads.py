"""Downloading an evidence version's file (page and API): the stored bytes under the generic
download headers (lib.downloads), typed only as one of the accepted kinds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from monev.evidence import selectors
from monev.evidence.models import EvidenceVersion
from monev.evidence.names import download_name
from monev.evidence.sniff import CONTENT_TYPES
from monev.lib.downloads import as_download
from monev.lib.errors import NotFound

SERVED_CONTENT_TYPES = frozenset(CONTENT_TYPES.values())


def safe_content_type(sniffed: str) -> str:
    """The sniffed type when it is one of the accepted kinds', else a type no browser renders
    (a row imported or made before a kind was dropped keeps whatever it was stored with)."""
    return sniffed if sniffed in SERVED_CONTENT_TYPES else "application/octet-stream"


def download_response(version: EvidenceVersion) -> FileResponse:
    stored = version.file
    handle = default_storage.open(stored.storage_name, "rb")
    response = FileResponse(handle, content_type=safe_content_type(stored.content_type))
    # The name ends like the sniffed kind: a file is opened by its extension once saved.
    return as_download(response, download_name(version.original_name, stored.kind), stored.size)


@require_safe
@login_required
def download(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_for_download(request.user, version_id)
    if not default_storage.exists(version.file.storage_name):
        raise NotFound(_("The file is missing from storage; ask the administrator."))
    return download_response(version)

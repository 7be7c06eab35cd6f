"""The import page of other agencies' index results for many institutions
(/nilai-eksternal/impor/, the `external` kind). Thin: the services parse, validate and write
(each row checked against what the user may record for); the batch pages
(monev.imports.views) take over after the upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from monev.external.selectors import can_record
from monev.imports import selectors, services
from monev.imports.uploads import refused_upload, upload_path
from monev.institutions.models import Membership
from monev.institutions.permissions import Access
from monev.lib.errors import Forbidden, InvalidInput


def _may_import(user) -> bool:
    """An evaluator, or a koordinator (admin) of at least one institution: the rows are then
    checked one by one against what the user may record for."""
    if getattr(user, "evaluator_scope", ""):
        return True
    grouped: dict[int, list] = {}
    for membership in Membership.objects.filter(user=user).only("institution_id", "role"):
        grouped.setdefault(membership.institution_id, []).append(membership)
    return any(can_record(Access(ms)) for ms in grouped.values())


def _titled(batches):
    batches = [b for b in batches if b.kind == "external"]
    for batch in batches:
        batch.title = services.KINDS[batch.kind].title
    return batches


def _render(request, *, error=None, status=200):
    kind = services.KINDS["external"]
    context = {
        "kind": kind,
        "kinds": [kind],
        "recent": _titled(selectors.recent_batches(request.user, institution_id=None)),
        "error": error,
    }
    return render(request, "imports/external.html", context, status=status)


@require_safe
@login_required
def page(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise Forbidden(_("Your role does not allow this."))
    return _render(request)


@require_POST
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not _may_import(request.user):
        raise Forbidden(_("Your role does not allow this."))
    if message := refused_upload(request):
        error = InvalidInput(message, details=[{"location": "file", "message": message}])
        return _render(request, error=error, status=422)
    uploaded = request.FILES.get("file")
    try:
        with upload_path(uploaded) as path:
            batch = services.import_preview(
                actor=request.user,
                kind="external",
                path=path,
                filename=uploaded.name,
            )
    except InvalidInput as error:
        return _render(request, error=error, status=422)
    return redirect("imports:batch", batch_id=batch.pk)

"""The evaluator's import page (/evaluasi-nasional/impor/): institutions, periods and assessor
assignments of many institutions, each row checked against the evaluator's scope. Thin: the
services parse, validate and write; the batch pages (monev.imports.views) take over after
the upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from monev.assignments.selectors import require_evaluator
from monev.imports import selectors, services
from monev.imports.uploads import refused_upload, upload_path
from monev.lib.errors import InvalidInput


def _kinds() -> list:
    return [services.KINDS[name] for name in services.EVALUATOR_KINDS]


def _render(request, *, error=None, status=200) -> HttpResponse:
    recent = selectors.recent_batches(request.user, institution_id=None)
    recent = [b for b in recent if b.kind in services.EVALUATOR_KINDS]
    for batch in recent:
        batch.title = services.KINDS[batch.kind].title
    context = {"kinds": _kinds(), "recent": recent, "error": error}
    return render(request, "imports/evaluator.html", context, status=status)


@require_safe
@login_required
def page(request: HttpRequest) -> HttpResponse:
    require_evaluator(request.user)
    return _render(request)


@require_POST
@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    require_evaluator(request.user)
    services.kind_of(kind, "evaluator")
    try:
        if message := refused_upload(request):
            raise InvalidInput(message, details=[{"location": "file", "message": message}])
        uploaded = request.FILES.get("file")
        with upload_path(uploaded) as path:
            batch = services.import_preview(
                actor=request.user, kind=kind, path=path, filename=uploaded.name
            )
    except InvalidInput as error:
        return _render(request, error=error, status=422)
    return redirect("imports:batch", batch_id=batch.pk)

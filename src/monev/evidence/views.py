"""Evidence (data dukung) pages: the institution's library, upload, an item's detail with its
versions and where it is used, and linking evidence to an answer's levels (the download is
evidence.downloads).

Views stay thin: selectors to read, services to write (they check permissions, lock, version
and audit). A refused file is explained beside the others, which are stored anyway."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from monev.evaluations import navigation
from monev.evaluations import selectors as evaluation_selectors
from monev.evaluations.answer_page import render_answer
from monev.evidence import forms, search, selectors, services
from monev.evidence.answer_section import evidence_library_choices
from monev.evidence.facts import contradictions, proposals
from monev.evidence.models import Evidence, StoredFile
from monev.evidence.ocr import INSTALL_COMMAND
from monev.evidence.storage import refusal
from monev.evidence.text_indexing import is_unread_scan, ocr_unavailable
from monev.evidence.uploads import body_filename, is_raw_body, receive_body
from monev.institutions.access import institution_for_user, require
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from monev.lib.http import invalid, is_htmx
from monev.lib.params import id_param, number_param, old_query_names

PAGE_SIZE = 50
TOO_LARGE = 413


# --- shared helpers ------------------------------------------------------------------------


def can_change(access: Access, evidence: Evidence) -> bool:
    """Whether the page offers changing the evidence (the services check again)."""
    if not access.can(Capability.MANAGE_EVIDENCE):
        return False
    return Capability.MANAGE_EVIDENCE not in access.scoped or evidence.unit_id in access.unit_ids


def _status_of(error: DomainError) -> int:
    codes = {d.get("code") for d in error.details}
    return TOO_LARGE if "too_large" in codes else error.status


def _refusals(request: HttpRequest) -> list[dict]:
    """Files the upload handler skipped as they arrived (over the size limit)."""
    request.FILES  # noqa: B018 - parse the body first: the handler records while parsing
    return list(getattr(request, "upload_refusals", []))


def _posted_file(request: HttpRequest, form, missing: str):
    """The posted `file`, once the upload handler has let it through (413 otherwise), the form
    is valid (422) and a file was chosen (422, `missing` saying which)."""
    if refusals := _refusals(request):
        raise refusal(refusals[0]["code"])
    if not form.is_valid():
        raise invalid(form)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise InvalidInput(missing, details=[{"location": "file", "message": str(_("Required."))}])
    return uploaded


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "") or (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
    )


def _period_context(request: HttpRequest, institution_id: int) -> dict:
    """The period the library was opened from (its tabs), when ?period_id= names one."""
    period_id = id_param(request.GET.get("period_id"))
    if period_id is None:
        return {}
    try:
        period, access = evaluation_selectors.period_for_user(request.user, period_id)
    except NotFound:
        return {}
    if period.institution_id != institution_id:
        return {}
    return {"period": period, "tabs": navigation.period_tabs(period, access)}


# --- the library ---------------------------------------------------------------------------


def _list_filters(filters: dict) -> dict:
    return {
        "kind": filters["kind"] or None,
        "unit_id": int(filters["unit_id"]) if filters["unit_id"] else None,
    }


def _filters(query, units) -> dict:
    kind = query.get("kind", "")
    unit = query.get("unit_id", "")
    return {
        "kind": kind if kind in Evidence.Kind.values else "",
        "unit_id": unit if any(u.pk == id_param(unit) for u in units) else "",
        "q": query.get("q", "").strip()[:200],
    }


def _search_rows(access: Access, institution_id: int, filters: dict) -> list[Evidence]:
    """The items matching the search (best first, within the filters), each with its
    matching passage (HTML escaped by the search, matched words in <mark>)."""
    rows = search.evidence_search(
        access, institution_id, filters["q"], limit=PAGE_SIZE, **_list_filters(filters)
    )
    for row in rows:
        row.passage = mark_safe(row.passage)  # noqa: S308 - escaped by search.py
    return rows


@require_safe
@old_query_names("periode", "unit")
@login_required
def library(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution, access = institution_for_user(request.user, institution_id)
    units = evaluation_selectors.institution_units(institution)
    filters = _filters(request.GET, units)
    if filters["q"]:
        page, rows = None, _search_rows(access, institution_id, filters)
    else:
        page = Paginator(
            selectors.evidence_list(access, institution_id, **_list_filters(filters)), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        rows = list(page)
    pending = any(row.text_status in StoredFile.TextStatus.waiting() for row in rows)
    context = {
        "institution": institution,
        "access": access,
        "can_upload": access.can(Capability.MANAGE_EVIDENCE),
        "units": units,
        "kinds": Evidence.Kind.choices,
        "filters": filters,
        "page": page,
        "rows": rows,
        "pending": pending,
        "query": request.GET.urlencode(),
        **_period_context(request, institution_id),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "evidence-list":
        return render(request, "evidence/_library_list.html", context)
    return render(request, "evidence/library.html", context)


# --- upload --------------------------------------------------------------------------------


@dataclass
class UploadResult:
    name: str
    status: int  # 201 stored; else the refusal's status (409, 413, 422, 403)
    message: str
    code: str = ""
    evidence: Evidence | None = None
    existing: list[dict] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        return self.status == 201

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "ok": self.stored,
            "status": self.status,
            "code": self.code,
            "message": str(self.message),
            "url": reverse("evidence:detail", args=[self.evidence.pk]) if self.evidence else None,
            "existing": self.existing,
        }


def _refused(name: str, error: DomainError) -> UploadResult:
    codes = [d.get("code") for d in error.details if d.get("code")]
    existing = [
        {**item, "url": reverse("evidence:detail", args=[item["id"]])}
        for item in error.extra.get("existing", [])
    ]
    code = codes[0] if codes else error.code
    if isinstance(error, Conflict) and existing:
        code = "duplicate"
    return UploadResult(name, _status_of(error), error.message, code, existing=existing)


def store_file(request: HttpRequest, institution_id: int, values: dict, uploaded) -> UploadResult:
    """Store one uploaded file (multipart or raw body) as a new evidence item."""
    try:
        evidence = services.evidence_upload(
            actor=request.user, institution_id=institution_id, uploaded=uploaded, **values
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return _refused(uploaded.name, error)
    done = _("Stored as “%(title)s”.") % {"title": evidence.title}
    return UploadResult(uploaded.name, 201, done, "stored", evidence)


def store_files(request: HttpRequest, institution_id: int, values: dict) -> list[UploadResult]:
    """Store every uploaded file as a new evidence item; each succeeds or fails alone."""
    results = []
    for skipped in _refusals(request):
        error = refusal(skipped["code"])
        results.append(UploadResult(skipped["name"], TOO_LARGE, error.message, skipped["code"]))
    files = request.FILES.getlist("file")
    for uploaded in files:
        title = values["title"] if len(files) == 1 else ""
        results.append(store_file(request, institution_id, {**values, "title": title}, uploaded))
    return results


def upload_raw(request: HttpRequest, institution, access) -> JsonResponse:
    """The upload script's way: the file is the request body (its name in Content-Disposition),
    its description in the query string. Answers JSON like the multipart path, so the script
    shows both the same way. The description is checked before the body is read."""
    form = forms.DescribeForm(request.GET, **_form_options(institution, access))
    if not form.is_valid():
        return JsonResponse(_error_json(invalid(form)), status=422)
    try:
        uploaded = receive_body(request)
    except DomainError as error:
        try:
            name = body_filename(request)
        except DomainError:
            name = ""
        result = _refused(name, error)
        return JsonResponse({"results": [result.as_json()]}, status=result.status)
    with closing(uploaded):  # a temporary file: deleted unless storage moved it
        result = store_file(request, institution.pk, form.values(), uploaded)
    return JsonResponse({"results": [result.as_json()]}, status=result.status)


def results_status(results: list[UploadResult]) -> int:
    if not results:
        return 422
    if any(r.stored for r in results):
        return 201 if all(r.stored for r in results) else 200
    return results[0].status


def _upload_context(request, institution, access, *, form=None, link_form=None, **extra):
    units = forms.supply_units(evaluation_selectors.institution_units(institution), access)
    operator_only = Capability.MANAGE_EVIDENCE in access.scoped
    options = {"units": units, "operator_only": operator_only}
    return {
        "institution": institution,
        "form": form or forms.DescribeForm(**options),
        "link_form": link_form or forms.LinkCreateForm(auto_id="id_link_%s", **options),
        "max_mb": request_limit_mb(),
        "max_bytes": request_limit_mb() * 1024 * 1024,
        "units": units,
        **extra,
    }


def request_limit_mb() -> int:
    from django.conf import settings

    return settings.MONEV_UPLOAD_MAX_BYTES // (1024 * 1024)


def _form_options(institution, access) -> dict:
    units = forms.supply_units(evaluation_selectors.institution_units(institution), access)
    return {"units": units, "operator_only": Capability.MANAGE_EVIDENCE in access.scoped}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def upload(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution, access = institution_for_user(request.user, institution_id)
    require(access, Capability.MANAGE_EVIDENCE)
    if request.method != "POST":
        return render(
            request, "evidence/upload.html", _upload_context(request, institution, access)
        )
    if is_raw_body(request):
        return upload_raw(request, institution, access)
    form = forms.DescribeForm(request.POST, **_form_options(institution, access))
    if not form.is_valid():
        error = invalid(form)
        if wants_json(request):
            return JsonResponse(_error_json(error), status=422)
        context = _upload_context(request, institution, access, form=form, error=error)
        return render(request, "evidence/upload.html", context, status=422)
    results = store_files(request, institution_id, form.values())
    status = results_status(results)
    if wants_json(request):
        return JsonResponse({"results": [r.as_json() for r in results]}, status=status)
    if results and all(r.stored for r in results):
        messages.success(
            request,
            _("%(count)d files stored. Their text is being read in the background.")
            % {"count": len(results)},
        )
        return redirect("evidence:library", institution_id=institution_id)
    error = None if results else InvalidInput(_("Choose at least one file to upload."))
    context = _upload_context(request, institution, access, form=form, results=results, error=error)
    return render(request, "evidence/upload.html", context, status=status)


def _error_json(error: DomainError) -> dict:
    return {"error": {"code": error.code, "message": str(error.message), "details": error.details}}


@require_POST
@login_required
def link_create(request: HttpRequest, institution_id: int) -> HttpResponse:
    institution, access = institution_for_user(request.user, institution_id)
    require(access, Capability.MANAGE_EVIDENCE)
    link_form = forms.LinkCreateForm(
        request.POST, auto_id="id_link_%s", **_form_options(institution, access)
    )
    try:
        if not link_form.is_valid():
            raise invalid(link_form)
        data = link_form.cleaned_data
        evidence = services.evidence_create_link(
            actor=request.user,
            institution_id=institution_id,
            url=data["url"],
            title=data["title"],
            unit_id=data["unit"],
            access_notes=data["access_notes"],
        )
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        context = _upload_context(
            request, institution, access, link_form=link_form, link_error=error
        )
        return render(request, "evidence/upload.html", context, status=error.status)
    messages.success(request, _("Link added to the evidence."))
    return redirect("evidence:detail", evidence_id=evidence.pk)


# --- an evidence item ----------------------------------------------------------------------


def _used_in(links) -> list[dict]:
    """Where the evidence is used: one row per answer, with the levels it supports there."""
    rows: dict[int, dict] = {}
    for link in links:
        row = rows.setdefault(link.answer_id, {"answer": link.answer, "levels": []})
        row["levels"].append(link.level)
    return list(rows.values())


def render_detail(request, evidence_id: int, *, status: int = 200, **extra) -> HttpResponse:
    detail = selectors.evidence_detail(request.user, evidence_id)
    evidence, access = detail.evidence, detail.access
    latest = detail.versions[0] if detail.versions else None
    changeable = can_change(access, evidence)
    options = {}
    if changeable:
        units = evaluation_selectors.institution_units(evidence.institution)
        options = {
            "units": forms.supply_units(units, access),
            "operator_only": Capability.MANAGE_EVIDENCE in access.scoped,
        }
    facts = latest.file.facts if latest is not None else None
    proposed = proposals(evidence, facts, latest.original_name) if changeable and latest else {}
    context = {
        "evidence": evidence,
        "institution": evidence.institution,
        "proposed": [(FIELD_LABELS[name], value) for name, value in proposed.items()],
        "read_fields": set(evidence.read_fields or ()),
        "contradictions": [
            (FIELD_LABELS[name], typed, read)
            for name, typed, read in contradictions(
                evidence.document_number, evidence.document_date, facts
            )
        ],
        "versions": detail.versions,
        "latest": latest,
        "used_in": _used_in(detail.links),
        "text_head": selectors.file_text_head(latest.file_id) if latest else "",
        "can_change": changeable,
        "edit_form": extra.pop("edit_form", None)
        or (
            forms.EvidenceEditForm(
                initial=forms.EvidenceEditForm.initial_of(evidence)
                | proposed
                | {"read_from_text": list(proposed)},
                **options,
            )
            if changeable
            else None
        ),
        "version_form": extra.pop("version_form", None)
        or (
            forms.NewVersionForm(initial={"version": evidence.version}, auto_id="id_v_%s")
            if changeable and not evidence.url
            else None
        ),
        "pending": latest is not None
        and latest.file.text_status in StoredFile.TextStatus.waiting(),
        "scans_unread": latest is not None
        and is_unread_scan(latest.file.kind, latest.file.text_status)
        and not latest.file.text_by_ocr
        and settings.MONEV_OCR
        and ocr_unavailable() is not None,
        "install_command": INSTALL_COMMAND,
        **extra,
    }
    response = render(request, "evidence/detail.html", context, status=status)
    response.text_waiting = context["pending"]
    return response


@require_safe
@login_required
def detail(request: HttpRequest, evidence_id: int) -> HttpResponse:
    response = render_detail(request, evidence_id)
    if (
        is_htmx(request)
        and request.headers.get("HX-Target") == "text-status"
        and not response.text_waiting
    ):
        # The text has been read while the page was open: the whole page again, with what the
        # text proposes for the description.
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
def update(request: HttpRequest, evidence_id: int) -> HttpResponse:
    found = selectors.evidence_detail(request.user, evidence_id)  # NotFound if not visible
    if not can_change(found.access, found.evidence):
        raise Forbidden(_("Only the supplying unit or the coordinator can change this evidence."))
    options = _form_options(found.evidence.institution, found.access)
    form = forms.EvidenceEditForm(request.POST, **options)
    try:
        if not form.is_valid():
            raise invalid(form)
        services.evidence_update(
            actor=request.user,
            evidence_id=evidence_id,
            expected_version=form.cleaned_data["version"],
            read_from_text=form.cleaned_data["read_from_text"],
            **form.values(),
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        conflict = error.extra.get("current") if isinstance(error, Conflict) else None
        if conflict is not None:
            # Their version is shown; the form keeps what was typed with the current version,
            # so saving again is a deliberate choice to replace theirs.
            data = request.POST.copy()
            data["version"] = str(conflict["version"])
            form = forms.EvidenceEditForm(data, **options)
            form.is_valid()
        return render_detail(
            request,
            evidence_id,
            status=error.status,
            edit_form=form,
            error=error,
            conflict=_conflict_rows(conflict, options.get("units", ())) if conflict else None,
        )
    messages.success(request, _("Evidence saved."))
    return redirect("evidence:detail", evidence_id=evidence_id)


FIELD_LABELS = {
    "title": _("Title"),
    "kind": _("Kind"),
    "document_number": _("Document number"),
    "document_date": _("Document date"),
    "effective_date": _("Effective date"),
    "unit_id": _("Supplying unit"),
    "url": _("Link"),
    "access_notes": _("Test account / access notes"),
}


def _conflict_rows(current: dict, units) -> list[tuple[str, str]]:
    names = {unit.pk: unit.name for unit in units}
    labels = FIELD_LABELS
    kinds = dict(Evidence.Kind.choices)
    rows = []
    for key, label in labels.items():
        value = current.get(key)
        if key == "kind":
            value = kinds.get(value, value)
        elif key == "unit_id":
            value = names.get(value, value)
        rows.append((label, "—" if value in (None, "") else str(value)))
    return rows


@require_POST
@login_required
def add_version(request: HttpRequest, evidence_id: int) -> HttpResponse:
    found = selectors.evidence_detail(request.user, evidence_id)  # NotFound if not visible
    if not can_change(found.access, found.evidence):
        raise Forbidden(_("Only the supplying unit or the coordinator can change this evidence."))
    form = forms.NewVersionForm(request.POST, auto_id="id_v_%s")
    try:
        uploaded = _posted_file(request, form, _("Choose the file of the new version."))
        services.evidence_add_version(
            actor=request.user,
            evidence_id=evidence_id,
            expected_version=form.cleaned_data["version"],
            uploaded=uploaded,
            change_note=form.cleaned_data["change_note"],
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        if isinstance(error, Conflict):
            data = request.POST.copy()
            data["version"] = str(error.extra.get("current", {}).get("version", ""))
            form = forms.NewVersionForm(data, auto_id="id_v_%s")
            form.is_valid()
        return render_detail(
            request, evidence_id, status=_status_of(error), version_form=form, version_error=error
        )
    messages.success(request, _("New version stored; the older ones stay downloadable."))
    return redirect("evidence:detail", evidence_id=evidence_id)


# --- on the answer page --------------------------------------------------------------------


def _answer_done(request: HttpRequest, answer_id: int, notice) -> HttpResponse:
    if is_htmx(request):
        return render_answer(request, answer_id, notice=notice)
    messages.success(request, notice)
    return redirect("answers:detail", answer_id=answer_id)


def _answer_refused(request, answer_id: int, error: DomainError, **forms_shown) -> HttpResponse:
    return render_answer(
        request,
        answer_id,
        status=_status_of(error),
        evidence_error=error,
        evidence_forms=forms_shown,
    )


def _answer_levels(answer_id: int, user) -> tuple[list, list]:
    detail = evaluation_selectors.answer_detail(user, answer_id)  # NotFound if not visible
    instrument = detail.instrument
    return detail, forms.level_choices(instrument.scale.min, instrument.scale.max)


@require_POST
@login_required
def answer_link(request: HttpRequest, answer_id: int) -> HttpResponse:
    detail, levels = _answer_levels(answer_id, request.user)
    library_items = evidence_library_choices(detail)
    form = forms.AnswerLinkForm(
        request.POST, library=library_items, levels=levels, auto_id="id_link_%s"
    )
    try:
        if not form.is_valid():
            raise invalid(form)
        services.evidence_link(
            actor=request.user,
            answer_id=answer_id,
            evidence_id=form.cleaned_data["evidence"],
            levels=form.cleaned_data["levels"],
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _answer_refused(request, answer_id, error, link=form)
    return _answer_done(request, answer_id, _("Evidence linked."))


@require_POST
@login_required
def answer_unlink(request: HttpRequest, answer_id: int, evidence_id: int) -> HttpResponse:
    level = request.POST.get("level", "")
    try:
        services.evidence_unlink(
            actor=request.user,
            answer_id=answer_id,
            evidence_id=evidence_id,
            level=number_param(level),
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _answer_refused(request, answer_id, error)
    return _answer_done(request, answer_id, _("Evidence unlinked."))


@require_POST
@login_required
def answer_upload(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Upload a file and link it to the answer's levels in one step."""
    detail, levels = _answer_levels(answer_id, request.user)
    options = {
        "units": forms.supply_units(detail.institution_units, detail.access),
        "operator_only": Capability.MANAGE_EVIDENCE in detail.access.scoped,
    }
    form = forms.AnswerUploadForm(request.POST, levels=levels, auto_id="id_up_%s", **options)
    try:
        uploaded = _posted_file(request, form, _("Choose a file to upload."))
        evidence = services.evidence_upload_and_link(
            actor=request.user,
            answer_id=answer_id,
            institution_id=detail.period.institution_id,
            uploaded=uploaded,
            levels=form.cleaned_data["levels"],
            **form.values(),
        )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        return _answer_refused(request, answer_id, error, upload=form)
    notice = _("“%(title)s” stored and linked.") % {"title": evidence.title}
    return _answer_done(request, answer_id, notice)

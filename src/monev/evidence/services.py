"""Every change to evidence: create (file or link), new version, describe, link to answer
levels, unlink. In a transaction, permission-checked, with an audit event."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.evaluations.services.common import answer_for, check_self_assessment_open
from monev.evidence import search, tasks
from monev.evidence.facts import read_fields_after
from monev.evidence.models import Evidence, EvidenceLink, EvidenceVersion, StoredFile
from monev.evidence.names import download_name, safe_filename
from monev.evidence.selectors import evidence_visible
from monev.evidence.storage import store_upload, upload_name
from monev.institutions.access import institution_for_user, require
from monev.institutions.models import Unit
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import Conflict, Forbidden, InvalidInput, NotFound

DESCRIBED = (
    "title",
    "kind",
    "document_number",
    "document_date",
    "effective_date",
    "unit_id",
    "url",
    "access_notes",
)


def _state(evidence: Evidence) -> dict:
    state = {field: getattr(evidence, field) for field in DESCRIBED}
    state["version"] = evidence.version
    state["read_fields"] = list(evidence.read_fields or ())
    return state


def _check_unit(access: Access, institution_id: int, unit_id: int | None) -> None:
    if (
        unit_id is not None
        and not Unit.objects.filter(pk=unit_id, institution_id=institution_id).exists()
    ):
        raise InvalidInput(_("The unit is not part of this institution."))
    if Capability.MANAGE_EVIDENCE in access.scoped and unit_id not in access.unit_ids:
        # An operator supplies evidence for their own unit.
        raise Forbidden(_("Choose your own unit as the supplying unit."))


def _clean(title: str, kind: str, url: str = "") -> tuple[str, str]:
    title = title.strip()
    if not title:
        raise InvalidInput(
            _("Give the evidence a title."),
            details=[{"location": "title", "message": str(_("Required."))}],
        )
    if kind not in Evidence.Kind.values:
        raise InvalidInput(_("Unknown kind of evidence: %(kind)s") % {"kind": kind})
    return title[:300], url.strip()


def _duplicates(institution_id: int, stored: StoredFile, exclude: int | None = None):
    same = Evidence.objects.filter(institution_id=institution_id, versions__file=stored)
    return list(same.exclude(pk=exclude).distinct()) if exclude else list(same.distinct())


def _after_store(stored: StoredFile, created: bool) -> None:
    if created:
        # Extract the text in the background, once the file's row is committed.
        transaction.on_commit(lambda: tasks.extract_file_text.enqueue(stored.pk))


@transaction.atomic
def evidence_upload(
    *,
    actor,
    institution_id: int,
    uploaded,
    title: str,
    kind: str,
    unit_id: int | None = None,
    document_number: str = "",
    document_date: dt.date | None = None,
    effective_date: dt.date | None = None,
) -> Evidence:
    """A new evidence item from an uploaded file, named with the extension of its sniffed
    kind. The same file already in this institution's evidence is refused with a pointer to
    where it is (Conflict, extra["existing"])."""
    _institution, access = institution_for_user(actor, institution_id)
    require(access, Capability.MANAGE_EVIDENCE)
    name = upload_name(uploaded.name)
    given_title = title
    title, _url = _clean(title or safe_filename(name), kind)
    _check_unit(access, institution_id, unit_id)
    stored, created = store_upload(uploaded, institution_id)
    name = download_name(name, stored.kind)
    if not (given_title or "").strip():
        title = name[:300]
    if existing := _duplicates(institution_id, stored):
        raise Conflict(
            _("This file is already in your evidence as “%(title)s”; link that one instead.")
            % {"title": existing[0].title},
            existing=[{"id": e.pk, "title": e.title} for e in existing],
        )
    evidence = Evidence.objects.create(
        institution_id=institution_id,
        title=title,
        kind=kind,
        unit_id=unit_id,
        document_number=document_number.strip(),
        document_date=document_date,
        effective_date=effective_date,
        created_by=actor,
    )
    EvidenceVersion.objects.create(
        evidence=evidence, number=1, file=stored, original_name=name, uploaded_by=actor
    )
    _after_store(stored, created)
    search.reindex_evidence(evidence.pk)
    audit_record(
        actor=actor,
        action="evidence.upload",
        obj=evidence,
        institution_id=institution_id,
        after={**_state(evidence), "sha256": stored.sha256, "size": stored.size},
    )
    return evidence


@transaction.atomic
def evidence_create_link(
    *,
    actor,
    institution_id: int,
    url: str,
    title: str,
    unit_id: int | None = None,
    access_notes: str = "",
    kind: str = Evidence.Kind.APP_LINK,
) -> Evidence:
    """Evidence that is a link: an application's address, with test-account notes."""
    _institution, access = institution_for_user(actor, institution_id)
    require(access, Capability.MANAGE_EVIDENCE)
    title, url = _clean(title, kind, url)
    if not url.startswith(("https://", "http://")):
        raise InvalidInput(
            _("The link must start with https:// or http://."),
            details=[{"location": "url", "message": str(_("Not a web address."))}],
        )
    _check_unit(access, institution_id, unit_id)
    evidence = Evidence.objects.create(
        institution_id=institution_id,
        title=title,
        kind=kind,
        unit_id=unit_id,
        url=url[:500],
        access_notes=access_notes.strip(),
        created_by=actor,
    )
    search.reindex_evidence(evidence.pk)
    audit_record(
        actor=actor,
        action="evidence.create_link",
        obj=evidence,
        institution_id=institution_id,
        after=_state(evidence),
    )
    return evidence


def evidence_for_change(actor, evidence_id: int) -> tuple[Evidence, Access]:
    """The evidence, locked, if `actor` may change it (NotFound if they may not see it)."""
    evidence = Evidence.objects.select_for_update().filter(pk=evidence_id).first()
    if evidence is None:
        raise NotFound(_("Evidence not found."))
    _institution, access = institution_for_user(
        actor, evidence.institution_id, not_found=_("Evidence not found.")
    )
    if not evidence_visible(access, evidence):
        raise NotFound(_("Evidence not found."))
    require(access, Capability.MANAGE_EVIDENCE)
    if Capability.MANAGE_EVIDENCE in access.scoped and evidence.unit_id not in access.unit_ids:
        raise Forbidden(_("Only the supplying unit or the coordinator can change this evidence."))
    return evidence, access


def _check_version(evidence: Evidence, expected_version: int) -> None:
    if evidence.version != expected_version:
        raise Conflict(
            _("Someone else changed this evidence meanwhile; their version is shown."),
            current=_state(evidence),
        )


@transaction.atomic
def evidence_add_version(
    *, actor, evidence_id: int, expected_version: int, uploaded, change_note: str
) -> EvidenceVersion:
    """A new file for the evidence; older versions stay downloadable."""
    evidence, _access = evidence_for_change(actor, evidence_id)
    _check_version(evidence, expected_version)
    change_note = change_note.strip()
    if not change_note:
        raise InvalidInput(
            _("Say what changed in this version."),
            details=[{"location": "change_note", "message": str(_("Required."))}],
        )
    name = upload_name(uploaded.name)
    stored, created = store_upload(uploaded, evidence.institution_id)
    latest = evidence.versions.order_by("-number").first()
    if latest is not None and latest.file_id == stored.pk:
        raise InvalidInput(_("This file is the same as the current version."))
    version = EvidenceVersion.objects.create(
        evidence=evidence,
        number=(latest.number + 1) if latest else 1,
        file=stored,
        original_name=download_name(name, stored.kind),
        change_note=change_note,
        uploaded_by=actor,
    )
    evidence.version += 1
    # What was confirmed as read from the old file's text is not known of the new one.
    evidence.read_fields = []
    evidence.save(update_fields=["version", "read_fields", "updated_at"])
    _after_store(stored, created)
    search.reindex_evidence(evidence.pk)
    audit_record(
        actor=actor,
        action="evidence.new_version",
        obj=evidence,
        institution_id=evidence.institution_id,
        after={"number": version.number, "sha256": stored.sha256, "change_note": change_note},
        reason=change_note,
    )
    return version


@transaction.atomic
def evidence_update(
    *, actor, evidence_id: int, expected_version: int, read_from_text=(), **fields
) -> Evidence:
    """Change the description: title, kind, document number and dates, unit, link, notes.
    `read_from_text`: the fields the person confirmed as the text proposed them (facts.py); a
    field changed by hand counts as typed."""
    evidence, access = evidence_for_change(actor, evidence_id)
    _check_version(evidence, expected_version)
    unknown = set(fields) - set(DESCRIBED)
    if unknown:
        raise InvalidInput(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    before = _state(evidence)
    fields = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    changed = {name: value for name, value in fields.items() if getattr(evidence, name) != value}
    latest = evidence.versions.select_related("file").order_by("-number").first()
    evidence.read_fields = read_fields_after(
        evidence, changed, read_from_text, latest.file.facts if latest else None
    )
    for field, value in fields.items():
        setattr(evidence, field, value.strip() if isinstance(value, str) else value)
    evidence.title, evidence.url = _clean(evidence.title, evidence.kind, evidence.url)
    if "unit_id" in fields:
        _check_unit(access, evidence.institution_id, evidence.unit_id)
    evidence.version += 1
    evidence.save()
    search.reindex_evidence(evidence.pk)
    audit_record(
        actor=actor,
        action="evidence.update",
        obj=evidence,
        institution_id=evidence.institution_id,
        before=before,
        after=_state(evidence),
    )
    return evidence


def _levels(instrument, levels) -> list[int]:
    wanted = sorted({int(level) for level in levels})
    low, high = max(instrument.scale.min, 1), instrument.scale.max
    if not wanted or any(not low <= level <= high for level in wanted):
        raise InvalidInput(
            _("Choose levels between %(low)s and %(high)s.") % {"low": low, "high": high},
            details=[{"location": "levels", "message": str(_("Not a level of this indicator."))}],
        )
    return wanted


@transaction.atomic
def evidence_link(
    *, actor, answer_id: int, evidence_id: int, levels, now: dt.datetime | None = None
) -> list[int]:
    """Let the evidence support the answer at these levels (adding to existing links).
    Returns the levels it now supports for this answer. Like any change to an answer, only
    while the self-assessment is open (or the answer reopened)."""
    target = answer_for(actor, answer_id, Capability.EDIT_ANSWER)
    check_self_assessment_open(target.answer, now)
    evidence = Evidence.objects.filter(
        pk=evidence_id, institution_id=target.period.institution_id
    ).first()
    if evidence is None or not evidence_visible(target.access, evidence):
        raise NotFound(_("Evidence not found."))
    wanted = _levels(target.instrument(), levels)
    have = set(
        EvidenceLink.objects.filter(answer=target.answer, evidence=evidence).values_list(
            "level", flat=True
        )
    )
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(answer=target.answer, evidence=evidence, level=level, created_by=actor)
            for level in wanted
            if level not in have
        ]
    )
    now = sorted(have | set(wanted))
    audit_record(
        actor=actor,
        action="evidence.link",
        obj=evidence,
        institution_id=target.period.institution_id,
        period_id=target.answer.period_id,
        answer_id=target.answer.pk,
        before={"levels": sorted(have)},
        after={"levels": now},
    )
    return now


@transaction.atomic
def evidence_unlink(
    *,
    actor,
    answer_id: int,
    evidence_id: int,
    level: int | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Remove the evidence from the answer (at one level, or at all levels)."""
    target = answer_for(actor, answer_id, Capability.EDIT_ANSWER)
    check_self_assessment_open(target.answer, now)
    links = EvidenceLink.objects.filter(answer=target.answer, evidence_id=evidence_id)
    before = sorted(links.values_list("level", flat=True))
    if not before:
        raise NotFound(_("This evidence is not linked to the answer."))
    if level is not None:
        links = links.filter(level=level)
    links.delete()
    after = sorted(
        EvidenceLink.objects.filter(answer=target.answer, evidence_id=evidence_id).values_list(
            "level", flat=True
        )
    )
    audit_record(
        actor=actor,
        action="evidence.unlink",
        obj=target.answer,
        institution_id=target.period.institution_id,
        period_id=target.answer.period_id,
        answer_id=target.answer.pk,
        before={"evidence": evidence_id, "levels": before},
        after={"evidence": evidence_id, "levels": after},
    )


@transaction.atomic
def evidence_set_levels(
    *, actor, answer_id: int, evidence_id: int, levels, now: dt.datetime | None = None
) -> list[int]:
    """Let the evidence support the answer at exactly these levels: the missing ones linked,
    the others of this answer unlinked, all or nothing. The checks and audit events are
    evidence_link's and evidence_unlink's (one event for the link, one per level removed).
    Returns the levels it now supports for this answer."""
    wanted = {int(level) for level in levels}
    linked = evidence_link(
        actor=actor, answer_id=answer_id, evidence_id=evidence_id, levels=wanted, now=now
    )
    for level in sorted(set(linked) - wanted):
        evidence_unlink(
            actor=actor, answer_id=answer_id, evidence_id=evidence_id, level=level, now=now
        )
    return sorted(set(linked) & wanted)


@transaction.atomic
def evidence_upload_and_link(
    *, actor, answer_id: int, institution_id: int, uploaded, levels, **description
) -> Evidence:
    """A new evidence item from an uploaded file (evidence_upload, `description` its title,
    kind, unit...), linked to the answer at these levels (evidence_link), both or neither:
    a refused link rolls back the item, its version, its file's row, the search entry and
    the audit events. A blob newly written to storage stays unreferenced, as after any
    interrupted store, until `monev evidence gc` removes it. `institution_id` is the
    answer's institution (the link refuses evidence of another)."""
    evidence = evidence_upload(
        actor=actor, institution_id=institution_id, uploaded=uploaded, **description
    )
    evidence_link(actor=actor, answer_id=answer_id, evidence_id=evidence.pk, levels=levels)
    return evidence

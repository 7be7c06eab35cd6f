"""Model and selector results shaped as the evidence API's responses."""

from __future__ import annotations

from monev.evidence import selectors
from monev.evidence.models import Evidence, EvidenceVersion
from monev.evidence.readiness import Check, Readiness


def unit_out(unit) -> dict | None:
    if unit is None:
        return None
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "short_name": unit.short_name}


def evidence_out(item: Evidence) -> dict:
    return {
        "id": item.pk,
        "institution_id": item.institution_id,
        "title": item.title,
        "kind": item.kind,
        "kind_label": str(item.get_kind_display()),
        "document_number": item.document_number,
        "document_date": item.document_date,
        "effective_date": item.effective_date,
        "unit": unit_out(item.unit),
        "url": item.url,
        "access_notes": item.access_notes,
        "version": item.version,
        "latest_version": getattr(item, "latest_version", None),
        "text_status": getattr(item, "text_status", None),
        "file_kind": getattr(item, "file_kind", None),
        "link_count": getattr(item, "link_count", 0),
        "read_fields": list(item.read_fields or ()),
        "created_at": item.created_at,
        "passage": getattr(item, "passage", None),
    }


def version_out(version: EvidenceVersion) -> dict:
    stored = version.file
    return {
        "id": version.pk,
        "number": version.number,
        "original_name": version.original_name,
        "change_note": version.change_note,
        "sha256": stored.sha256,
        "size": stored.size,
        "content_type": stored.content_type,
        "file_kind": stored.kind,
        "text_status": stored.text_status,
        "page_count": stored.page_count,
        "text_by_ocr": stored.text_by_ocr,
        "ocr_confidence": stored.ocr_confidence,
        "ocr_pages_read": stored.ocr_pages_read,
        "text_error": stored.text_error,
        "facts": stored.facts,
        "uploaded_by": str(version.uploaded_by) if version.uploaded_by_id else None,
        "created_at": version.created_at,
        "download_url": f"/api/v1/evidence/versions/{version.pk}/download",
    }


def detail_out(user, evidence_id: int) -> dict:
    """The item as the caller may see it: its description, versions, usage and text head."""
    detail = selectors.evidence_detail(user, evidence_id)
    usage: dict[int, dict] = {}
    for link in detail.links:
        answer = link.answer
        row = usage.setdefault(
            answer.pk,
            {
                "answer_id": answer.pk,
                "period_id": answer.period_id,
                "period_year": answer.period.year,
                "period_kind": answer.period.kind,
                "indicator": answer.indicator,
                "levels": [],
            },
        )
        row["levels"].append(link.level)
    latest = detail.versions[0] if detail.versions else None
    listed = (
        selectors.evidence_list(detail.access, detail.evidence.institution_id)
        .filter(pk=evidence_id)
        .first()
    )
    return {
        **evidence_out(listed or detail.evidence),
        "versions": [version_out(v) for v in detail.versions],
        "used_in": list(usage.values()),
        "text_head": selectors.file_text_head(latest.file_id) if latest else "",
    }


def check_out(check: Check) -> dict:
    return {
        "code": check.code,
        "severity": check.severity,
        "severity_label": str(check.severity_label),
        "message": check.message,
        "levels": list(check.levels),
        "evidence_ids": list(check.evidence_ids),
    }


def readiness_out(answer_id: int, result: Readiness) -> dict:
    return {
        "answer_id": answer_id,
        "claimed": result.claimed,
        "ready": result.ready,
        "checks": [check_out(check) for check in result.checks],
        "checklist": [
            {
                "level": item.level,
                "name": item.name,
                "expected": item.expected,
                "claimed": item.claimed,
                "present": item.present,
                "evidence": [{"id": e.pk, "title": e.title} for e in item.evidence],
            }
            for item in result.checklist
        ],
    }

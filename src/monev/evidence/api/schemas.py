"""The evidence API's request and response shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from monev.evidence.models import Evidence
from monev.lib.api_schemas import DateIn, ErrorDetailOut, Id, UnitOut, Version

KindName = Literal[tuple(Evidence.Kind.values)]  # type: ignore[valid-type]


# --- output schemas --------------------------------------------------------------------------


class EvidenceOut(Schema):
    id: int
    institution_id: int
    title: str
    kind: str
    kind_label: str
    document_number: str
    document_date: date | None
    effective_date: date | None
    unit: UnitOut | None = Field(description="the supplying unit")
    url: str = Field(description="for a link: the application's address")
    access_notes: str = Field(description="for a link: test account / how to try it")
    version: int = Field(description="of the description: send it back with PATCH")
    latest_version: int | None = Field(description="the number of the current file version")
    text_status: str | None = Field(
        description="of the current file: pending, done, no_text_layer, not_applicable, failed, "
        "ocr_pending (a scan waiting for, or being read by, the OCR engine)"
    )
    file_kind: str | None = Field(description="pdf, docx, ... (by content)")
    link_count: int = Field(description="answer levels this item supports")
    read_fields: list[str] = Field(
        description="fields whose value was read from the document's text and confirmed"
    )
    created_at: datetime
    passage: str | None = Field(
        None, description="with ?q=: the matching passage, HTML-escaped, matches in <mark>"
    )


class EvidencePageOut(Schema):
    count: int
    items: list[EvidenceOut]


class VersionOut(Schema):
    id: int
    number: int
    original_name: str
    change_note: str
    sha256: str
    size: int
    content_type: str
    file_kind: str
    text_status: str
    page_count: int | None
    text_by_ocr: bool = Field(description="the text was read from the scan by the OCR engine")
    ocr_confidence: int | None = Field(description="the OCR engine's mean word confidence, 0-100")
    ocr_pages_read: int | None = Field(
        description="pages the OCR engine has read (its progress while text_status is ocr_pending)"
    )
    text_error: str = Field(description="why the text could not be read (technical, in English)")
    facts: dict | None = Field(
        description="what the file's text states: kind, number, title, enacted_on, place, "
        "official, draft_markers (only those found); proposals, not the description"
    )
    uploaded_by: str | None
    created_at: datetime
    download_url: str


class UsageOut(Schema):
    answer_id: int
    period_id: int
    period_year: int
    period_kind: str
    indicator: str
    levels: list[int]


class EvidenceDetailOut(EvidenceOut):
    versions: list[VersionOut]
    used_in: list[UsageOut] = Field(description="every answer it supports, with the levels")
    text_head: str = Field(description="the start of the current file's extracted text")


class ExistingOut(Schema):
    id: int
    title: str


class DuplicateBodyOut(Schema):
    code: str = Field(examples=["conflict"])
    message: str
    details: list[ErrorDetailOut] = []
    existing: list[ExistingOut] = Field(description="where the same file already is")


class DuplicateOut(Schema):
    error: DuplicateBodyOut


class LinkLevelsOut(Schema):
    answer_id: int
    evidence_id: int
    levels: list[int] = Field(description="the levels the evidence now supports")


class CheckOut(Schema):
    code: str
    severity: Literal["error", "warning", "info"]
    severity_label: str
    message: str = Field(description="in the caller's language, saying what to do")
    levels: list[int]
    evidence_ids: list[int]


class ChecklistEvidenceOut(Schema):
    id: int
    title: str


class ChecklistLevelOut(Schema):
    level: int
    name: str
    expected: str = Field(description="what the instrument expects as evidence at this level")
    claimed: bool = Field(description="at or below the claimed level")
    present: bool
    evidence: list[ChecklistEvidenceOut]


class ReadinessOut(Schema):
    answer_id: int
    claimed: int | None
    ready: bool = Field(description="no error-level check")
    checks: list[CheckOut]
    checklist: list[ChecklistLevelOut]


# --- input schemas ---------------------------------------------------------------------------


class UploadFieldsIn(Schema):
    """The form fields beside `file` in a multipart upload."""

    title: str = Field("", max_length=300, description="default: the file name")
    kind: KindName = Field(examples=["peraturan"])  # type: ignore[valid-type]
    unit_id: Id | None = Field(None, description="the supplying unit (operators: their own)")
    document_number: str = Field("", max_length=120, examples=["12 Tahun 2024"])
    document_date: DateIn | None = Field(None, examples=["2024-06-02"])
    effective_date: DateIn | None = None


class LinkEvidenceIn(Schema):
    title: str = Field(min_length=1, max_length=300, examples=["Aplikasi e-Office"])
    url: str = Field(max_length=500, examples=["https://eoffice.contoh.go.id"])
    access_notes: str = Field("", examples=["Akun uji: asesor / sandi dikirim terpisah"])
    unit_id: int | None = None
    kind: KindName = Field("tautan")  # type: ignore[valid-type]


class EvidencePatchIn(Schema):
    version: int = Field(description="the version you read; a stale one answers 409")
    title: str | None = Field(None, max_length=300)
    kind: KindName | None = None  # type: ignore[valid-type]
    document_number: str | None = Field(None, max_length=120)
    document_date: DateIn | None = None
    effective_date: DateIn | None = None
    unit_id: int | None = None
    url: str | None = Field(None, max_length=500)
    access_notes: str | None = None
    read_from_text: list[Literal["title", "kind", "document_number", "document_date"]] = Field(
        default_factory=list,
        description="fields whose value you confirm as the file's text proposes it (the "
        "latest version's `facts`): saved unchanged, they are recorded as read, not typed",
    )


class NewVersionFieldsIn(Schema):
    version: Version = Field(description="the evidence's version you read")
    change_note: str = Field(min_length=1, description="what changed (required)")


class LevelsIn(Schema):
    levels: list[int] = Field(min_length=1, examples=[[1, 2]])

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import Answer
from monev.institutions.models import Institution, Unit
from monev.lib.stamps import StampField


class StoredFile(models.Model):
    """One institution's copy of a file: its bytes are a blob stored once by SHA-256 whoever
    uploads them (``storage_name``), but each institution holding them has its own row, text
    and text status, so an upload never shows what another institution holds (storage.py).
    Only reachable through an EvidenceVersion, which carries the permissions."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        DONE = "done", _("Text extracted")
        NO_TEXT_LAYER = "no_text_layer", _("No text layer (scanned?)")
        NOT_APPLICABLE = "not_applicable", _("Not a text document")
        FAILED = "failed", _("Unreadable")
        # A scan (a PDF without text layer, an image) waiting for the OCR engine or being read.
        OCR_PENDING = "ocr_pending", _("Waiting to be read by OCR")

        @classmethod
        def waiting(cls) -> frozenset[str]:
            """The statuses whose text is still to come: pages poll while one is shown."""
            return frozenset({cls.PENDING, cls.OCR_PENDING})

    # Null only for rows older than per-institution copies that no version pointed to.
    institution = models.ForeignKey(
        Institution, null=True, on_delete=models.CASCADE, related_name="+"
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10)  # pdf, docx, xlsx, odt, ods, png, jpeg, mp4 (sniffed)
    content_type = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=255)
    text_status = models.CharField(
        max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    text_error = models.TextField(blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    text_extracted_at = models.DateTimeField(null=True, blank=True)
    # The text was read from the scan's pixels by the OCR engine, not from the file's text:
    # pages and exports say so, with the engine's mean word confidence (0-100).
    text_by_ocr = models.BooleanField(default=False)
    ocr_confidence = models.PositiveSmallIntegerField(null=True, blank=True)
    ocr_pages_read = models.PositiveIntegerField(null=True, blank=True)  # progress while reading
    # Read from the text once it is there (the same job): what it is about against each
    # instrument's evidence terms (topics.file_topics), and the document facts it states
    # (document_facts.read_facts: kind, number, title, date, signing official, draft markers).
    topics = models.JSONField(null=True, blank=True)
    facts = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "sha256"], name="stored_file_institution_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.kind}, {self.size} B)"


class FileText(models.Model):
    """The text extracted from a file, apart from the file's row so lists stay light."""

    file = models.OneToOneField(
        StoredFile, on_delete=models.CASCADE, primary_key=True, related_name="extracted"
    )
    text = models.TextField()

    def __str__(self) -> str:
        return f"text of {self.file_id}"


class Evidence(models.Model):
    """A piece of data dukung of one institution: a document (with versions) or a link."""

    class Kind(models.TextChoices):
        REGULATION = "peraturan", _("Regulation / decision (peraturan, keputusan)")
        SOP = "sop", _("SOP")
        REPORT = "laporan", _("Report (laporan)")
        MINUTES = "notulen", _("Minutes (notulen)")
        SCREENSHOT = "tangkapan_layar", _("Screenshot (tangkapan layar)")
        VIDEO = "video", _("Video")
        APP_LINK = "tautan", _("Application link (tautan aplikasi)")
        # BSSN's IKASANDI result: pemdi-2026 10-12 need one no older than 12 months.
        IKASANDI = "hasil_ikasandi", _("Hasil IKASANDI (BSSN)")
        OTHER = "lainnya", _("Other")

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
        verbose_name=_("supplying unit"),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    access_notes = models.TextField(_("test account / access notes"), blank=True)
    # The description's fields whose value was read from the document's text and confirmed by
    # a person, not typed ("document_number", "document_date", ...): pages and exports say so.
    read_fields = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = StampField(auto_now_add=True)
    updated_at = StampField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # of the record's fields: no lost updates

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["institution", "-created_at"]
        indexes = [models.Index(fields=["institution", "kind"], name="evidence_institution_kind")]

    def __str__(self) -> str:
        return self.title


class EvidenceVersion(models.Model):
    """One uploaded file of an evidence item; a new version keeps the old ones."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    # RESTRICT, not PROTECT: a file in use cannot be deleted on its own, but removing an
    # institution (its evidence and its file rows, by cascade) removes both together.
    file = models.ForeignKey(StoredFile, on_delete=models.RESTRICT, related_name="versions")
    original_name = models.CharField(max_length=200)
    change_note = models.TextField(_("what changed"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="evidence_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.evidence} v{self.number}"


class EvidenceLink(models.Model):
    """Evidence supporting one answer at one level (one Perwal often serves several)."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="links")
    level = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = StampField(auto_now_add=True)

    class Meta:
        ordering = ["answer", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "evidence", "level"], name="evidence_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence_id} -> answer {self.answer_id} level {self.level}"


class EvidenceSearch(models.Model):
    """The PostgreSQL search entry of one evidence item (see monev.evidence.search): its title,
    document number and latest file's text as one weighted tsvector, GIN-indexed (created by
    migration 0002 on PostgreSQL only). On SQLite the FTS5 table `evidence_search_fts` is the
    index instead and this table stays empty."""

    evidence = models.OneToOneField(
        Evidence, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    institution = models.ForeignKey(  # the evidence's, copied: scoping needs no join
        Institution, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    file = models.ForeignKey(
        StoredFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the indexed version's file: its text gives the passage
    vector = SearchVectorField()

    class Meta:
        # Created on PostgreSQL only (USING gin does not exist on SQLite): see migration 0002.
        indexes = [GinIndex(fields=["vector"], name="evidence_search_vector")]

    def __str__(self) -> str:
        return f"search entry of {self.evidence_id}"

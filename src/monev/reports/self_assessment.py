"""The self-assessment workbook ("Penilaian Mandiri"): one row per indicator in the
instrument's order, shaped like the ministry's evaluation application so that a coordinator can
enter it there line by line - and so that the importer can read it back into a new period
(the headers "No. Indikator", "Tingkat Mandiri" and "Penjelasan" of the first sheet).

An operator's workbook holds only the indicators of their own units, as their pages do.
"""

from __future__ import annotations

from datetime import datetime

from monev.core.numbers import display_value
from monev.evaluations.models import Period
from monev.evaluations.selectors import period_overview
from monev.evaluations.stages import DOCUMENT
from monev.institutions.permissions import Access
from monev.reports.common import (
    STAGE_HEADERS,
    comments_by_answer,
    evidence_address,
    evidence_links,
    item_names,
    levels_by_stage,
    person,
)
from monev.reports.workbook import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    Book,
    Column,
    indicator_level_column,
    local_datetime,
)

SHEET = "Penilaian Mandiri"
EVIDENCE_SHEET = "Data Dukung"
STAGE_EXPLANATIONS = {
    "Tingkat Mandiri": "Tingkat yang diisi instansi sendiri (penilaian mandiri); kosong bila "
    "belum diisi. Kolom ini dibaca kembali saat impor ke periode baru.",
    "Tingkat Verifikasi Internal": "Tingkat setelah verifikasi asesor internal.",
    "Penilaian Dokumen": "Tingkat menurut asesor eksternal pada penilaian dokumen.",
    "Penilaian Interviu": "Tingkat menurut asesor eksternal pada penilaian interviu.",
    "Visitasi": "Tingkat menurut asesor eksternal pada visitasi.",
    "Tingkat Final": "Tingkat final yang ditetapkan asesor eksternal.",
}

COLUMNS = (
    Column(
        "No. Indikator",
        10,
        "Nomor indikator dalam instrumen (teks; sub-indikator seperti 35.1). Urutan baris "
        "mengikuti urutan instrumen, seperti aplikasi evaluasi kementerian.",
    ),
    Column("Domain", 22, "Domain indikator.", wrap=True),
    Column("Aspek", 26, "Aspek indikator.", wrap=True),
    Column("Indikator", 40, "Nama indikator (dan sub-indikator).", wrap=True),
    indicator_level_column("Tingkat Mandiri", STAGE_EXPLANATIONS["Tingkat Mandiri"]),
    Column(
        "Penjelasan",
        60,
        "Penjelasan instansi: fakta dan analisis yang mendukung tingkat yang dipilih.",
        wrap=True,
    ),
    Column(
        "Data Dukung",
        60,
        "Data dukung yang ditautkan, per tingkat: judul, nomor dan tanggal dokumen, tautan. "
        "Rinciannya di lembar Data Dukung.",
        wrap=True,
    ),
    Column(
        "Unit Penanggung Jawab", 28, "Perangkat daerah / unit kerja penanggung jawab.", wrap=True
    ),
    Column("Status", 14, "Status jawaban: draf, diajukan, dikembalikan, diverifikasi, final."),
    *(
        indicator_level_column(header, STAGE_EXPLANATIONS[header])
        for _key, header in STAGE_HEADERS
        if header != "Tingkat Mandiri"
    ),
    Column(
        "Catatan Asesor",
        50,
        "Catatan asesor eksternal per tahap penilaian. Pada instrumen yang dinilai per butir "
        "(Indeks Pemdi), juga nilai yang dihitung dari butir; bila nilai asesor berbeda, "
        "keduanya dituliskan.",
        wrap=True,
    ),
    Column(
        "Tanggapan Instansi",
        40,
        "Tanggapan atau keberatan instansi atas hasil penilaian dokumen.",
        wrap=True,
    ),
    Column(
        "Komentar dan Catatan Pengembalian",
        50,
        "Komentar pada jawaban, termasuk alasan pengembalian oleh asesor internal, dengan "
        "penulis dan waktunya.",
        wrap=True,
    ),
    Column("Diperbarui", 16, "Waktu terakhir jawaban disimpan.", DATETIME_FORMAT),
)

EVIDENCE_COLUMNS = (
    Column("No. Indikator", 10, "Nomor indikator yang didukung."),
    Column("Tingkat", 8, "Tingkat jawaban yang didukung data dukung ini.", "0"),
    Column("Judul", 44, "Judul data dukung.", wrap=True),
    Column("Jenis", 18, "Jenis data dukung (peraturan, SOP, laporan, ...)."),
    Column("Nomor Dokumen", 22, "Nomor dokumen (untuk peraturan dan keputusan)."),
    Column("Tanggal Dokumen", 14, "Tanggal dokumen.", DATE_FORMAT),
    Column(
        "Dibaca dari Teks",
        18,
        "Isian yang dibaca dari teks dokumen (juga hasil OCR pindaian) dan dikonfirmasi, "
        "bukan diketik: nomor, tanggal.",
    ),
    Column("Tautan", 48, "Tautan aplikasi, atau halaman data dukung di Monev SPBE."),
    Column("Unit Pemasok", 24, "Unit yang menyediakan data dukung."),
)


def _evidence_text(links) -> str:
    lines = []
    for link in links:
        evidence = link.evidence
        parts = [f"Tingkat {link.level}: {evidence.title}"]
        if evidence.document_number:
            parts.append(f"No. {evidence.document_number}")
        if evidence.document_date:
            parts.append(f"{evidence.document_date:%Y-%m-%d}")
        parts.append(evidence_address(evidence))
        lines.append(" - ".join(parts))
    return "\n".join(lines)


READ_FIELD_NAMES = {"document_number": "nomor", "document_date": "tanggal"}


def _read_fields(evidence) -> str:
    read = evidence.read_fields or ()
    return ", ".join(name for field, name in READ_FIELD_NAMES.items() if field in read)


def _number(value) -> str:
    """Two places, an exact value (7/6) rounded once, half up, as the pages show it."""
    return f"{display_value(value):.2f}".replace(".", ",")


def _item_value(assessor_pass, instrument) -> str:
    """Where the items give a value (pemdi-2026): both values when the assessor's differs,
    with the rule's confidence; never one hidden behind the other."""
    computed = assessor_pass.computed_level
    if computed is None:
        return ""
    rule = instrument.item_rule
    confidence = f" (aturan butir, keyakinan {rule.confidence.value})" if rule else ""
    if assessor_pass.differs:
        return (
            f"Nilai dihitung dari butir: {_number(computed)} — nilai asesor: "
            f"{_number(assessor_pass.level)}; BERBEDA{confidence}"
        )
    return f"Nilai dihitung dari butir: {_number(computed)}{confidence}"


def _notes(passes, instrument=None) -> str:
    lines = []
    for p in passes.values():
        parts = [p.notes.strip()] if p.notes.strip() else []
        if instrument is not None and (value := _item_value(p, instrument)):
            parts.insert(0, value)
        if parts:
            lines.append(f"{p.get_stage_display()}: {'. '.join(parts)}")
    return "\n".join(lines)


def _comments(comments) -> str:
    return "\n".join(
        f"{person(c.author)} ({local_datetime(c.created_at):%Y-%m-%d %H:%M}): {c.body}"
        for c in comments
    )


def build(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    overview = period_overview(period, access, now=now)
    instrument = overview.instrument
    links = evidence_links(period)
    comments = comments_by_answer(period)
    rows, evidence_rows = [], []
    for row in overview.rows:
        answer = row.answer
        names = item_names(instrument, row.item)
        levels = levels_by_stage(answer, row.passes)
        answer_links = links.get(answer.pk, [])
        document = row.passes.get(DOCUMENT)
        rows.append(
            [
                answer.indicator,
                names.domain,
                names.aspect,
                names.indicator,
                levels[0],
                answer.explanation,
                _evidence_text(answer_links),
                "\n".join(unit.name for unit in row.units),
                answer.get_status_display(),
                *levels[1:],
                _notes(row.passes, instrument),
                document.institution_response if document else "",
                _comments(comments.get(answer.pk, [])),
                local_datetime(answer.updated_at),
            ]
        )
        for link in answer_links:
            evidence = link.evidence
            evidence_rows.append(
                [
                    answer.indicator,
                    link.level,
                    evidence.title,
                    evidence.get_kind_display(),
                    evidence.document_number,
                    evidence.document_date,
                    _read_fields(evidence),
                    evidence_address(evidence),
                    evidence.unit.name if evidence.unit else "",
                ]
            )
    institution = period.institution
    book = Book(
        f"Penilaian Mandiri {institution.name} {period.year}",
        subject=f"{instrument.index_name} ({period.instrument_reference})",
        description=f"{period.get_kind_display()} {period.year}",
        provisional=instrument.provisional,
    )
    scope = " (hanya indikator unit Anda)" if access.is_operator_only else ""
    book.sheet(
        SHEET,
        COLUMNS,
        rows,
        about=f"Satu baris per indikator {instrument.short_name} ({period.instrument_reference}) "
        f"dalam urutan instrumen, untuk dimasukkan ke aplikasi evaluasi baris demi baris{scope}.",
        freeze="B2",
    )
    book.sheet(
        EVIDENCE_SHEET,
        EVIDENCE_COLUMNS,
        evidence_rows,
        about="Satu baris per data dukung per tingkat jawaban yang didukungnya.",
    )
    return book.to_bytes()

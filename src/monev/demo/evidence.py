"""The demo's data dukung: a few realistic documents of Kota Bandung, uploaded and linked to
answer levels through the evidence services, with their text extracted so search works.

One of them is still a draft (rancangan) linked above level 1 and one report has no date, so
the readiness checks have something to say, as they would in July 2025.

Three are scans (monev.demo.scans), read by the OCR engine once `monev worker` runs: the signed
decree of the Tim Koordinasi, uploaded without its number and date (the evidence page proposes
them from the text); an audit report linked by mistake to indicator 3 (Manajemen Data), which
the off_topic check flags; and a screenshot of the complaints application, found by search.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from monev.accounts.models import User
from monev.demo import documents, scans
from monev.demo.data import at
from monev.evaluations.models import Period
from monev.evidence import services
from monev.evidence.text_indexing import file_text_extract
from monev.institutions.models import Unit


@dataclass(frozen=True)
class DemoEvidence:
    title: str
    kind: str
    unit: str
    by: str  # username
    number: str = ""
    date: dt.date | None = None
    lines: tuple[str, ...] = ()  # the PDF's text; empty for a screenshot or a link
    screenshot: bool = False
    scan: bool = False  # the lines scanned (an image-only PDF) instead of typeset
    screen: tuple[tuple[str, ...], ...] = ()  # an application screenshot's table, rendered
    url: str = ""
    access_notes: str = ""
    links: dict[str, tuple[int, ...]] = field(default_factory=dict)  # indicator -> levels


# The Tim Koordinasi decree as signed: uploaded as a scan, without its number and date.
SIGNED_DECREE = (
    "WALI KOTA BANDUNG",
    "PROVINSI JAWA BARAT",
    "",
    "KEPUTUSAN WALI KOTA BANDUNG",
    "NOMOR 400.14/Kep.215-Diskominfo/2024",
    "",
    "TENTANG",
    "",
    "PEMBENTUKAN TIM KOORDINASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK KOTA BANDUNG",
    "",
    "WALI KOTA BANDUNG,",
    "Menimbang : bahwa untuk meningkatkan keterpaduan pelaksanaan tata kelola, manajemen dan "
    "layanan Sistem Pemerintahan Berbasis Elektronik di Kota Bandung, perlu membentuk Tim "
    "Koordinasi SPBE Kota Bandung dengan Keputusan Wali Kota.",
    "Mengingat : Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis "
    "Elektronik.",
    "",
    "MEMUTUSKAN:",
    "KESATU : Membentuk Tim Koordinasi SPBE Kota Bandung dengan susunan keanggotaan sebagaimana "
    "tercantum dalam Lampiran.",
    "KEDUA : Tim Koordinasi SPBE bertugas menyusun arsitektur dan peta rencana SPBE daerah serta "
    "melaksanakan evaluasi SPBE setiap tahun.",
    "",
    "Ditetapkan di Bandung",
    "pada tanggal 14 Mei 2024",
    "WALI KOTA BANDUNG,",
    "ttd.",
    "YANA MULYANA",
)

EVIDENCE = [
    DemoEvidence(
        "Peraturan Wali Kota Bandung tentang Arsitektur SPBE",
        "peraturan",
        "bag-hukum",
        "koordinator",
        "12 Tahun 2024",
        dt.date(2024, 3, 11),
        (
            "PERATURAN WALI KOTA BANDUNG",
            "NOMOR 12 TAHUN 2024",
            "TENTANG",
            "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
            "Pasal 3: Arsitektur SPBE Daerah memuat referensi arsitektur dan domain arsitektur",
            "proses bisnis, data dan informasi, infrastruktur, aplikasi, keamanan, dan layanan.",
        ),
        links={"1": (1, 2, 3), "11": (1, 2)},
    ),
    DemoEvidence(
        "Keputusan Wali Kota tentang Tim Koordinasi SPBE Kota Bandung",
        "peraturan",
        "diskominfo",
        "koordinator",
        "400.14/Kep.155-Diskominfo/2024",
        dt.date(2024, 2, 5),
        (
            "KEPUTUSAN WALI KOTA BANDUNG",
            "NOMOR 400.14/KEP.155-DISKOMINFO/2024",
            "TENTANG TIM KOORDINASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
            "Tim Koordinasi SPBE diketuai Sekretaris Daerah dengan sekretariat di Diskominfo.",
        ),
        links={"10": (1, 2, 3), "19": (1, 2)},
    ),
    DemoEvidence(
        "Rancangan Peraturan Wali Kota tentang Manajemen Data",
        "peraturan",
        "bag-hukum",
        "koordinator",
        lines=(
            "RANCANGAN PERATURAN WALI KOTA BANDUNG",
            "TENTANG MANAJEMEN DATA",
            "Draf untuk pembahasan bersama perangkat daerah, Juli 2025.",
        ),
        links={"3": (1, 2)},
    ),
    DemoEvidence(
        "SOP Penanganan Insiden Keamanan Informasi",
        "sop",
        "diskominfo",
        "koordinator",
        "SOP/DISKOMINFO/07/2024",
        dt.date(2024, 7, 1),
        (
            "STANDAR OPERASIONAL PROSEDUR",
            "PENANGANAN INSIDEN KEAMANAN INFORMASI",
            "Langkah 1: pelaporan insiden melalui Bandung-CSIRT dalam 1 x 24 jam.",
        ),
        links={"22": (1, 2)},
    ),
    DemoEvidence(
        "Laporan Audit Infrastruktur SPBE",
        "laporan",
        "inspektorat",
        "koordinator",
        lines=(
            "LAPORAN HASIL AUDIT INFRASTRUKTUR SPBE",
            "Inspektorat Daerah Kota Bandung",
            "Temuan: pusat data belum memiliki rencana pemulihan bencana yang diuji.",
        ),
        links={"29": (1,)},
    ),
    DemoEvidence(
        "Notulen Rapat Evaluasi SPBE 22 Juli 2025",
        "notulen",
        "diskominfo",
        "koordinator",
        "",
        dt.date(2025, 7, 22),
        (
            "NOTULEN RAPAT EVALUASI SPBE KOTA BANDUNG",
            "Selasa, 22 Juli 2025",
            "Sekretaris Daerah meminta seluruh perangkat daerah bekerja sama memperbaiki",
            "aspek dengan nilai rendah, terutama audit TIK, sebelum 18 Agustus 2025.",
        ),
        links={"10": (4,)},
    ),
    DemoEvidence(
        "Tangkapan layar e-Office: disposisi naskah dinas",
        "tangkapan_layar",
        "disarpus",
        "koordinator",
        screenshot=True,
        links={"37": (1, 2)},
    ),
    DemoEvidence(
        "Aplikasi SIMPEG Kota Bandung",
        "tautan",
        "bkpsdm",
        "operator",
        url="https://simpeg.bandung.go.id.invalid/",
        access_notes="Akun uji: asesor / dibagikan saat interviu",
        links={"36": (1, 2, 3)},
    ),
    DemoEvidence(
        "Pindaian SK Tim Koordinasi SPBE (bertanda tangan)",
        "peraturan",
        "diskominfo",
        "koordinator",
        scan=True,
        lines=SIGNED_DECREE,
        links={"10": (1,)},
    ),
    DemoEvidence(
        "Pindaian laporan audit aplikasi 2024",
        "laporan",
        "inspektorat",
        "koordinator",
        date=dt.date(2024, 11, 29),
        scan=True,
        lines=(
            "INSPEKTORAT DAERAH KOTA BANDUNG",
            "",
            "LAPORAN HASIL AUDIT APLIKASI SPBE TAHUN 2024",
            "",
            "Audit aplikasi dilaksanakan terhadap aplikasi perizinan, aplikasi kepegawaian dan "
            "aplikasi pengaduan masyarakat, meliputi fungsionalitas, kinerja dan kepatuhan "
            "terhadap standar teknis aplikasi.",
            "Temuan: dua aplikasi belum memiliki dokumen uji penerimaan pengguna, dan satu "
            "aplikasi belum mencatat log akses pengguna.",
            "Rekomendasi: perangkat daerah pemilik aplikasi menyusun rencana tindak lanjut "
            "paling lambat 31 Januari 2025.",
            "",
            "Bandung, 29 November 2024",
            "INSPEKTUR KOTA BANDUNG,",
            "ttd.",
            "DADANG SUTARDJA",
        ),
        # by mistake: an audit report is not evidence of Manajemen Data (off_topic flags it)
        links={"3": (1,)},
    ),
    DemoEvidence(
        "Tangkapan layar SIPENA: daftar pengaduan masyarakat",
        "tangkapan_layar",
        "diskominfo",
        "koordinator",
        screen=(
            ("No", "Tanggal", "Pengaduan", "Perangkat Daerah", "Status"),
            ("1", "02-07-2025", "Lampu penerangan jalan mati di Jl. Dago", "Dishub", "Selesai"),
            ("2", "03-07-2025", "Sampah menumpuk di Pasar Kosambi", "DLH", "Diproses"),
            ("3", "07-07-2025", "Trotoar rusak di Jl. Asia Afrika", "DSDABM", "Diteruskan"),
        ),
    ),
]


def load_evidence(period: Period, users: dict[str, User], units: dict[str, Unit]) -> list[int]:
    """Upload and link the demo's evidence; returns the new stored files' ids."""
    institution_id = period.institution_id
    answers = dict(period.answers.values_list("indicator", "pk"))
    stored_ids = []
    moment = at(2025, 7, 21, 10, 0)
    for spec in EVIDENCE:
        actor = users[spec.by]
        if spec.url:
            evidence = services.evidence_create_link(
                actor=actor,
                institution_id=institution_id,
                url=spec.url,
                title=spec.title,
                unit_id=units[spec.unit].pk,
                access_notes=spec.access_notes,
            )
        else:
            content, extension = _content(spec)
            name = spec.title[:60].replace(" ", "-") + extension
            evidence = services.evidence_upload(
                actor=actor,
                institution_id=institution_id,
                uploaded=SimpleUploadedFile(name, content),
                title=spec.title,
                kind=spec.kind,
                unit_id=units[spec.unit].pk,
                document_number=spec.number,
                document_date=spec.date,
            )
            stored_ids.append(evidence.versions.get().file_id)
        for number, levels in spec.links.items():
            moment += dt.timedelta(minutes=5)
            services.evidence_link(
                actor=actor,
                answer_id=answers[number],
                evidence_id=evidence.pk,
                levels=levels,
                now=moment,
            )
    return stored_ids


def _content(spec: DemoEvidence) -> tuple[bytes, str]:
    if spec.screen:
        return scans.screenshot_png(spec.title, list(spec.screen)), ".png"
    if spec.screenshot:
        return documents.png(), ".png"
    if spec.scan:
        return scans.scanned_pdf(list(spec.lines)), ".pdf"
    return documents.pdf(list(spec.lines)), ".pdf"


def extract_now(file_ids: list[int]) -> None:
    """Extract the demo files' text at once (a real upload waits for `monev worker`)."""
    for file_id in file_ids:
        file_text_extract(file_id)

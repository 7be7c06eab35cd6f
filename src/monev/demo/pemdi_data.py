"""What the second demo institution is made of: Kabupaten Lombok Timur in its first Indeks Pemdi
cycle (PermenPANRB 8/2026). Invented for the demo, except its published SPBE indices (2022 1.91,
2023 2.46; benchmark data, see benchmark.py).

The story: the kabupaten monitored itself under SPBE 2020 in 2025; in 2026 the instrument changed
to Indeks Pemdi (20 indicators). Evidence went up between 1 August and 15 September 2026; the
external assessor's document review came out per item around 20 September, with revisions asked
for; Bappenas' Indeks SDI (68.75) arrived and converts to 3.75 for indicator 5; the geospatial,
statistics and interoperability values have not arrived, so the instrument's default 1 applies.
The interviews (21-30 September) are next.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from monev.demo.data import DemoUser, at
from monev.evaluations.models import ItemJudgement

INSTITUTION = {
    "code": "demo-kabupaten-lombok-timur",
    "name": "Pemerintah Kabupaten Lombok Timur (DEMO)",
    "short_name": "Kab. Lombok Timur (DEMO)",
    "kind": "kabupaten",
    "province": "Nusa Tenggara Barat",
}

UNITS: list[tuple[str, str, str]] = [
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("bag-hukum", "Bagian Hukum Sekretariat Daerah", "Bagian Hukum"),
    ("bag-organisasi", "Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("diskominfo", "Dinas Komunikasi, Informatika, Statistik dan Persandian", "Diskominfotik"),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat"),
    ("rsud", "Rumah Sakit Umum Daerah dr. R. Soedjono Selong", "RSUD Selong"),
]

# Who answers for which indicator (units' codes): every answer has a responsible unit, so the
# operator sees theirs (Diskominfotik and Bappeda) and the deadline view groups by unit.
ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    "1": ("bag-organisasi", "diskominfo"),
    "2": ("diskominfo", "bag-organisasi"),
    "3": ("bkpsdm", "diskominfo"),
    "4": ("bappeda", "diskominfo"),
    "5": ("bappeda", "diskominfo"),
    "6": ("bappeda",),
    "7": ("bappeda", "diskominfo"),
    "8": ("bag-hukum", "diskominfo"),
    "9": ("inspektorat", "diskominfo"),
    "10": ("diskominfo",),
    "11": ("diskominfo",),
    "12": ("diskominfo",),
    "13": ("diskominfo",),
    "14": ("diskominfo",),
    "15": ("bag-organisasi", "bappeda"),
    "16": ("diskominfo",),
    "17": ("diskominfo", "disdukcapil"),
    "18": ("diskominfo", "bappeda"),
    "19": ("diskominfo", "rsud"),
    "20": ("bag-organisasi", "disdukcapil", "rsud"),
}

USERS: list[DemoUser] = [
    DemoUser(
        "koordinator.lotim",
        "Lalu Ahmad Fauzi - Diskominfotik Lombok Timur (DEMO)",
        "koordinator",
        "Koordinator Pemdi, Kab. Lombok Timur",
    ),
    DemoUser(
        "operator.lotim",
        "Baiq Nurul Aini - Operator (DEMO)",
        "operator",
        "Operator unit, Kab. Lombok Timur",
        units=("diskominfo", "bappeda"),
    ),
    DemoUser(
        "asesor.internal.lotim",
        "Muhammad Zainul - Inspektorat (DEMO)",
        "asesor_internal",
        "Asesor internal, Kab. Lombok Timur",
    ),
    DemoUser("pimpinan.lotim", "Sekretaris Daerah Lombok Timur (DEMO)", "pimpinan", "Pimpinan"),
]


@dataclass(frozen=True)
class DemoEvaluator:
    username: str
    full_name: str
    scope: str  # accounts.User.EvaluatorScope value
    province: str
    label: str


EVALUATORS: list[DemoEvaluator] = [
    DemoEvaluator(
        "evaluator",
        "Tim Evaluasi Pemdi KemenPANRB (DEMO)",
        "nasional",
        "",
        "Evaluator nasional (semua instansi)",
    ),
    DemoEvaluator(
        "evaluator.ntb",
        "Diskominfotik Provinsi NTB (DEMO)",
        "provinsi",
        "Nusa Tenggara Barat",
        "Evaluator Provinsi Nusa Tenggara Barat",
    ),
]

# The shared external assessor (data.USERS "asesor.eksternal") assesses Lombok Timur too,
# assigned by the national evaluator for every aspect.
ASSESSOR = "asesor.eksternal"
ASSESSOR_ASPECTS: list[str] = []


# --- 2025: the last SPBE 2020 monitoring ---------------------------------------------------------

PREVIOUS_YEAR = 2025
PREVIOUS_INSTRUMENT = "spbe-2020"
PREVIOUS_KIND = "pemantauan"
# Levels of the 47 spbe-2020 indicators, in order (a kabupaten around "Baik").
PREVIOUS_LEVELS = [
    "3",
    "3",
    "2",
    "2",
    "2",
    "2",
    "2",
    "2",
    "1",
    "3",
    "3",
    "2",
    "2",
    "2",
    "2",
    "3",
    "2",
    "2",
    "3",
    "2",
    "2",
    "3",
    "2",
    "2",
    "3",
    "2",
    "2",
    "3",
    "1",
    "1",
    "1",
    "3",
    "3",
    "3",
    "3",
    "3",
    "3",
    "3",
    "2",
    "3",
    "3",
    "3",
    "2",
    "3",
    "3",
    "3",
    "2",
]
PREVIOUS_EXPLANATIONS = {
    "1": "Peraturan Bupati tentang Arsitektur SPBE ditetapkan 2024; belum direviu.",
    "3": "Rancangan Peraturan Bupati tentang Satu Data Lombok Timur masih dibahas.",
    "13": "Peta Rencana SPBE disusun Bappeda bersama Diskominfotik; belum memuat anggaran.",
    "22": "SOP penanganan insiden ada; belum ada tim tanggap insiden yang ditetapkan.",
    "23": "Portal data daerah menyajikan 120 dataset; belum ada standar data bersama.",
    "25": "Pelatihan TIK bagi ASN pengelola layanan dilakukan dua kali setahun.",
}
PREVIOUS_EVIDENCE = [
    # (title, kind, unit, number, date, text lines, {indicator: levels})
    (
        "Peraturan Bupati Lombok Timur tentang Arsitektur SPBE",
        "peraturan",
        "bag-hukum",
        "41 Tahun 2024",
        dt.date(2024, 9, 2),
        (
            "PERATURAN BUPATI LOMBOK TIMUR",
            "NOMOR 41 TAHUN 2024",
            "TENTANG ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
        ),
        {"1": (1, 2), "13": (1,)},
    ),
    (
        "Keputusan Bupati tentang Tim Koordinasi SPBE Kabupaten Lombok Timur",
        "peraturan",
        "diskominfo",
        "188.45/112/KOMINFO/2024",
        dt.date(2024, 3, 18),
        (
            "KEPUTUSAN BUPATI LOMBOK TIMUR",
            "TENTANG TIM KOORDINASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
            "Tim diketuai Sekretaris Daerah dengan sekretariat di Diskominfotik.",
        ),
        {"10": (1, 2, 3), "19": (1, 2)},
    ),
    (
        "Laporan Pelatihan Literasi Digital ASN 2025",
        "laporan",
        "bkpsdm",
        "",
        dt.date(2025, 6, 30),
        (
            "LAPORAN PELATIHAN LITERASI DIGITAL APARATUR SIPIL NEGARA",
            "BKPSDM Kabupaten Lombok Timur, Juni 2025",
            "Peserta: 214 ASN pengelola layanan digital dari 32 perangkat daerah.",
        ),
        {"25": (1, 2, 3)},
    ),
    (
        "SOP Penanganan Insiden Keamanan Informasi Lombok Timur",
        "sop",
        "diskominfo",
        "SOP/DISKOMINFOTIK/03/2024",
        dt.date(2024, 5, 6),
        (
            "STANDAR OPERASIONAL PROSEDUR PENANGANAN INSIDEN KEAMANAN INFORMASI",
            "Pelaporan insiden melalui LotimKab-CSIRT.",
        ),
        {"22": (1, 2, 3)},
    ),
]


# --- 2026: the first Indeks Pemdi evaluation -----------------------------------------------------

YEAR = 2026
INSTRUMENT = "pemdi-2026"
KIND = "evaluasi"
TARGET = Decimal("2.50")

# The story's moment: the day the document review's results are out and the day before the
# interview; the self-assessment is final, so the external assessor can judge items.
STORY_MOMENT = at(2026, 9, 20, 10, 0)

MILESTONES: list[tuple[str, dt.datetime, str]] = [
    ("self_assessment_open", at(2026, 8, 1, 8, 0), "Unggah data dukung Tahap 1 dibuka"),
    ("evidence_deadline", at(2026, 9, 15, 23, 59), "Batas akhir unggah data dukung"),
    ("self_assessment_close", at(2026, 9, 15, 23, 59), "Penilaian mandiri ditutup"),
    ("document_review", at(2026, 9, 20, 9, 0), "Hasil penilaian dokumen per butir"),
    ("interview", at(2026, 9, 21, 9, 0), "Interviu: klarifikasi dan sanggah"),
    ("visitation", at(2026, 10, 1, 9, 0), "Visitasi (bila diperlukan)"),
    ("announcement", at(2026, 12, 15, 9, 0), "Penetapan hasil (perkiraan)"),
]

# The self-assessed level of every indicator the kabupaten scores itself (not 5, 6, 7, 18:
# those come from Bappenas, BIG and BPS).
SELF_LEVELS: dict[str, int] = {
    "1": 2, "2": 2, "3": 2, "4": 3, "8": 1, "9": 2, "10": 2, "11": 1,
    "12": 2, "13": 2, "14": 3, "15": 2, "16": 2, "17": 2, "19": 2, "20": 1,
}  # fmt: skip
SELF_EXPLANATIONS = {
    "1": "Substansi RAN Pemdi masuk Renja 2026; Arsitektur Pemdi terisi di SIAP Digital untuk "
    "layanan kependudukan dan kesehatan.",
    "2": "Register risiko layanan digital dan kertas kerja manajemen perubahan disusun untuk "
    "sebagian layanan.",
    "3": "Peta kompetensi digital ASN disusun; pelatihan menjangkau ASN pengelola layanan.",
    "4": "Tim Koordinasi Pemdi aktif; forum data bulanan bersama BPS dan perangkat daerah.",
    "8": "Rancangan Peraturan Bupati tentang Pelindungan Data Pribadi sedang dibahas.",
    "9": "Audit keamanan aplikasi layanan kependudukan oleh Inspektorat bersama Diskominfotik.",
    "10": "Hasil IKASANDI terakhir dan kebijakan keamanan informasi dilampirkan.",
    "11": "Penerapan sertifikat elektronik BSrE untuk naskah dinas dipersiapkan.",
    "12": "LotimKab-CSIRT ditetapkan; SOP penanganan insiden dijalankan.",
    "13": "Aplikasi dibangun mengikuti SDLC; arsitektur aplikasi di SIAP Digital untuk sebagian "
    "layanan.",
    "14": "Pusat data daerah terhubung ke jaringan intra; rencana migrasi ke PDN.",
    "15": "Proses bisnis layanan perizinan dan kependudukan dipetakan; SRIKANDI dipakai.",
    "16": "Integrasi layanan kependudukan dengan SPLP untuk dua aplikasi.",
    "17": "Portal layanan daerah memuat layanan prioritas; belum terhubung ke portal nasional.",
    "19": "Layanan pengaduan daring dan meja layanan Diskominfotik dengan SLA tertulis.",
    "20": "Survei kepuasan masyarakat daring untuk layanan Disdukcapil dan RSUD.",
}

# Crosswalk suggestions from 2025 (SPBE 2020) the koordinator decided before submitting: the
# rest stay pending on the "Peralihan instrumen" page.
CROSSWALK_ACCEPTED = ("3", "4")
CROSSWALK_REJECTED = {
    "10": "SOP 2024 bukan hasil IKASANDI; bukti keamanan diganti hasil IKASANDI terbaru.",
}

# The document review, item by item: indicator -> {level: [(status, reason), ...]} in the
# instrument's item order: accepted, or needs revision (with the reason); levels above a
# rejected one are rejected automatically and need no entry.
A = (ItemJudgement.Status.ACCEPTED, "")


def R(reason: str) -> tuple[str, str]:
    return (ItemJudgement.Status.REVISION, reason)


NOT_UPLOADED = "Belum diunggah."
NOT_SIGNED = "Dokumen belum ditandatangani/ditetapkan."
WRONG_DOC = "Dokumen tidak tepat: bukan bukti untuk butir ini."

ITEM_REVIEW: dict[str, dict[int, list[tuple[str, str]]]] = {
    "1": {1: [A], 2: [A, A, R(NOT_UPLOADED), R(WRONG_DOC)]},
    "2": {1: [A, R("Register risiko tidak bertanggal dan tanpa nama instansi.")]},
    "3": {1: [A, A, A, R(NOT_UPLOADED)]},
    "4": {1: [A, A, A], 2: [A, A], 3: [R("Notulen rapat evaluasi, bukan co-creation.")]},
    "8": {1: [R(NOT_SIGNED)]},
    "9": {1: [A, A], 2: [A]},
    "10": {1: [A], 2: [R("Hasil IKASANDI lebih tua dari 12 bulan.")]},
    "11": {1: [A]},
    "12": {1: [A], 2: [A], 3: [R(NOT_UPLOADED)]},
    "13": {1: [A], 2: [R(WRONG_DOC)]},
    "14": {1: [A], 2: [A], 3: [R("Bukti pemanfaatan PDN hanya rencana.")]},
    "15": {1: [A], 2: [R(NOT_UPLOADED)]},
    "16": {1: [R(WRONG_DOC)]},
    "17": {1: [A], 2: [A]},
    "19": {1: [A], 2: [R("Dasbor SLA tanpa data periode berjalan.")]},
    "20": {1: [A, R(NOT_UPLOADED), R(NOT_UPLOADED), R("Kelompok rentan belum disurvei.")]},
}
# Where the assessor entered the value directly, differing from the items' rule (1.38 here):
# I3 = 1.26 is a value from a real 2026 result the rule does not reproduce.
ENTERED_VALUES: dict[str, tuple[Decimal, str]] = {
    "3": (
        Decimal("1.26"),
        "Butir peta kompetensi dinilai sebagian: nilai ditetapkan asesor, bukan dari aturan butir.",
    ),
}

# Bappenas' Indeks SDI 2025 for the kabupaten: 68.75 converts to 3.75 (the module's example).
SDI = {"indicator": "5", "year": 2025, "value": Decimal("68.75"), "expected": Decimal("3.75")}
IMPORTED_NOTES = {
    "5": "Nilai dari Indeks SDI 2025 (Bappenas) 68,75, dikonversi menjadi 3,75.",
    "6": "Nilai Simpul Jaringan IG dari BIG belum tersedia: nilai bawaan 1.",
    "7": "Nilai EPSS dari BPS belum tersedia: nilai bawaan 1.",
    "18": "Nilai SDI aspek interoperabilitas belum tersedia: nilai bawaan 1.",
}
# The document-review index this gives (checked when the demo loads), under the Pemdi bands.
DOCUMENT_INDEX = Decimal("1.69")
DOCUMENT_PREDICATE = "Cukup"
SDI_SOURCE = "Hasil Evaluasi Indeks Satu Data Indonesia 2025 (Kementerian PPN/Bappenas) (DEMO)"


@dataclass(frozen=True)
class PemdiEvidence:
    title: str
    kind: str
    unit: str
    number: str
    date: dt.date | None
    lines: tuple[str, ...]
    links: dict[str, tuple[int, ...]] = field(default_factory=dict)
    scan: bool = False  # uploaded as a scan (monev.demo.scans): read by OCR in `monev worker`


EVIDENCE: list[PemdiEvidence] = [
    # A scan, unlinked, in the library: searchable once the worker's OCR has read it, and its
    # number and date proposed on its page.
    PemdiEvidence(
        "Pindaian SK Bupati tentang Tim Koordinasi Pemerintah Digital",
        "peraturan",
        "diskominfo",
        "",
        None,
        (
            "BUPATI LOMBOK TIMUR",
            "PROVINSI NUSA TENGGARA BARAT",
            "",
            "KEPUTUSAN BUPATI LOMBOK TIMUR",
            "NOMOR 188.45/311/DISKOMINFOTIK/2026",
            "",
            "TENTANG",
            "",
            "TIM KOORDINASI PEMERINTAH DIGITAL KABUPATEN LOMBOK TIMUR",
            "",
            "BUPATI LOMBOK TIMUR,",
            "Menimbang : bahwa untuk melaksanakan Peraturan Presiden Nomor 82 Tahun 2023 tentang "
            "Percepatan Transformasi Digital dan Keterpaduan Layanan Digital Nasional, perlu "
            "membentuk Tim Koordinasi Pemerintah Digital Kabupaten Lombok Timur.",
            "",
            "MEMUTUSKAN:",
            "KESATU : Membentuk Tim Koordinasi Pemerintah Digital dengan susunan keanggotaan "
            "sebagaimana tercantum dalam Lampiran.",
            "KEDUA : Tim bertugas mengoordinasikan rencana aksi, arsitektur dan evaluasi "
            "Pemerintah Digital Kabupaten Lombok Timur.",
            "",
            "Ditetapkan di Selong",
            "pada tanggal 2 Februari 2026",
            "BUPATI LOMBOK TIMUR,",
            "ttd.",
            "HAERUL WARISIN",
        ),
        scan=True,
    ),
    PemdiEvidence(
        "Rencana Kerja Pemerintah Daerah 2026 (bab Pemerintah Digital)",
        "laporan",
        "bappeda",
        "",
        dt.date(2025, 12, 30),
        (
            "RENCANA KERJA PEMERINTAH DAERAH KABUPATEN LOMBOK TIMUR TAHUN 2026",
            "Bab IV: substansi Rencana Aksi Nasional Pemerintah Digital",
        ),
        {"1": (1, 2)},
    ),
    # 15 months old at the evidence deadline: the 12-month rule flags it.
    PemdiEvidence(
        "Hasil IKASANDI 2025 Kabupaten Lombok Timur",
        "hasil_ikasandi",
        "diskominfo",
        "",
        dt.date(2025, 6, 10),
        (
            "HASIL PENGUKURAN IKASANDI",
            "Badan Siber dan Sandi Negara",
            "Kabupaten Lombok Timur - area keamanan siber: 2,41",
        ),
        {"10": (1, 2)},
    ),
    PemdiEvidence(
        "Hasil IKASANDI 2026 Kabupaten Lombok Timur (persandian dan insiden)",
        "hasil_ikasandi",
        "diskominfo",
        "",
        dt.date(2026, 5, 20),
        (
            "HASIL PENGUKURAN IKASANDI 2026",
            "Badan Siber dan Sandi Negara",
            "Area persandian: 1,62; area penanganan insiden: 2,55",
        ),
        {"11": (1,), "12": (1, 2)},
    ),
    PemdiEvidence(
        "Laporan Survei Kepuasan Masyarakat Daring Semester I 2026",
        "laporan",
        "disdukcapil",
        "",
        dt.date(2026, 7, 10),
        (
            "LAPORAN SURVEI KEPUASAN MASYARAKAT (SKM) DARING",
            "Disdukcapil dan RSUD Selong, Januari-Juni 2026",
        ),
        {"20": (1,)},
    ),
]

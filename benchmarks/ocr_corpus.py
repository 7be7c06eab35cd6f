"""A generated corpus of scanned evidence for the OCR benchmark (`python -m benchmarks ocr`).

`generate(dest, pages=200, seed=0)` writes documents of the kinds units upload as data dukung -
Peraturan Wali Kota / Bupati, Keputusan (SK Tim Koordinator SPBE and others, of the head of the
region or of a Kepala Dinas), SOP, notulen rapat, laporan - and screenshots of application pages,
and returns, for each, the scan, the same document with its text layer, the text printed on each
page and the facts a reader should find in it (kind, number, title, date of enactment, signing
official, draft). Everything is made here from word lists and templates: no file from outside the
repository, no network. The same seed gives the same documents, texts and pictures.

How a document is made: HTML -> PDF with WeasyPrint (the text original, `original_path`), each
page rasterised with pypdfium2 at 150-300 dpi, then degraded like a scan - rotated up to 2
degrees, ink and paper tones, a little blur, gaussian noise, dust - and JPEG-compressed; saved as
an image-only PDF (Pillow), or as a JPEG (a photographed single page, with uneven light) or a PNG
(a screenshot of an application page, rendered at a screen's 1-2x pixel ratio, sometimes passed
through JPEG on its way). The text printed on each page (`page_texts`) is read from WeasyPrint's
layout, line by line from the top, cells of a table row on one line: what a reader of the page
sees, which an OCR engine should give back.

Fictional: the names of people, the numbers and dates of the documents and the application names
are made up; the laws cited in "Mengingat" are the real ones the field cites.
"""

from __future__ import annotations

import html
import io
import itertools
import json
import os
import random
import statistics
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

__all__ = ["CorpusDocument", "CorpusPage", "generate"]

MAX_PAGES = 4  # pages of one document, at most


@dataclass(frozen=True)
class CorpusPage:
    """One scanned page: what is printed on it, and how it was degraded."""

    number: int  # 1-based
    text: str  # the ground truth: lines as printed, from the top
    width: int  # pixels of the scan
    height: int
    rotation: float  # degrees, counter-clockwise
    noise: float  # standard deviation of the gaussian noise, in grey levels (0-255)
    jpeg_quality: int | None  # None: never JPEG-compressed (a lossless screenshot)


@dataclass(frozen=True)
class CorpusDocument:
    name: str
    scan_path: Path  # image-only PDF, or a PNG (screenshot) / JPEG (photographed page)
    scan_kind: str  # "pdf" | "png" | "jpeg", as monev.evidence.sniff names them
    original_path: Path  # the same document with its text layer (WeasyPrint's PDF)
    page_texts: list[str]  # the text printed on each page
    facts: dict  # kind, number, title, enacted_on, official, draft, place, form
    dpi: int
    pages: tuple[CorpusPage, ...] = field(default=())


# --- vocabulary -----------------------------------------------------------------------------

# (kind of region, name, province, the seat where its acts are signed)
REGIONS = [
    ("kota", "Bandung", "JAWA BARAT", "Bandung"),
    ("kota", "Bogor", "JAWA BARAT", "Bogor"),
    ("kota", "Cimahi", "JAWA BARAT", "Cimahi"),
    ("kota", "Semarang", "JAWA TENGAH", "Semarang"),
    ("kota", "Surakarta", "JAWA TENGAH", "Surakarta"),
    ("kota", "Surabaya", "JAWA TIMUR", "Surabaya"),
    ("kota", "Malang", "JAWA TIMUR", "Malang"),
    ("kota", "Makassar", "SULAWESI SELATAN", "Makassar"),
    ("kota", "Pontianak", "KALIMANTAN BARAT", "Pontianak"),
    ("kota", "Denpasar", "BALI", "Denpasar"),
    ("kota", "Padang", "SUMATERA BARAT", "Padang"),
    ("kota", "Yogyakarta", "DAERAH ISTIMEWA YOGYAKARTA", "Yogyakarta"),
    ("kabupaten", "Sleman", "DAERAH ISTIMEWA YOGYAKARTA", "Sleman"),
    ("kabupaten", "Bantul", "DAERAH ISTIMEWA YOGYAKARTA", "Bantul"),
    ("kabupaten", "Kulon Progo", "DAERAH ISTIMEWA YOGYAKARTA", "Wates"),
    ("kabupaten", "Banyuwangi", "JAWA TIMUR", "Banyuwangi"),
    ("kabupaten", "Badung", "BALI", "Mangupura"),
    ("kabupaten", "Sumedang", "JAWA BARAT", "Sumedang"),
    ("kabupaten", "Gowa", "SULAWESI SELATAN", "Sungguminasa"),
    ("kabupaten", "Tangerang", "BANTEN", "Tigaraksa"),
    ("kabupaten", "Siak", "RIAU", "Siak Sri Indrapura"),
    ("kabupaten", "Lamongan", "JAWA TIMUR", "Lamongan"),
]

MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]

FIRST_NAMES = [
    *("Ahmad", "Agus", "Andi", "Asep", "Bambang", "Budi", "Dedi", "Dewi", "Dian", "Eka"),
    *("Endang", "Fajar", "Hendra", "Herlina", "Irfan", "Iwan", "Joko", "Kurnia", "Lukman"),
    *("Made", "Muhammad", "Nyoman", "Nurul", "Ratna", "Rina", "Rudi", "Siti", "Sri", "Taufik"),
    *("Teguh", "Tuti", "Wahyu", "Wayan", "Yusuf", "Yayan", "Yuli", "Zainal", "Rahmat", "Indra"),
]
LAST_NAMES = [
    *("Hidayat", "Santoso", "Prasetyo", "Wibowo", "Kusuma", "Saputra", "Rahmawati", "Setiawan"),
    *("Gunawan", "Nugroho", "Pratama", "Hermawan", "Suryadi", "Permana", "Sulistyo", "Wijaya"),
    *("Handayani", "Firmansyah", "Ramadhan", "Purnama", "Syahputra", "Maulana", "Kartika"),
    *("Susanto", "Mulyadi", "Rachman", "Sudrajat", "Hakim", "Lestari", "Anggraini", "Surya"),
]
PREFIXES = ["", "", "", "H. ", "Dr. ", "Ir. ", "Drs. ", "Dr. H. ", "Hj. "]
DEGREES = ["", "S.Sos., M.Si.", "S.T., M.T.", "S.Kom., M.Kom.", "S.H., M.H.", "M.M.", "S.E., M.Ak."]
RANKS = ["Pembina Utama Muda", "Pembina Tingkat I", "Pembina", "Penata Tingkat I"]

UNITS = [
    ("DINAS KOMUNIKASI DAN INFORMATIKA", "Diskominfo"),
    ("BADAN PERENCANAAN PEMBANGUNAN DAERAH", "Bappeda"),
    ("BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA", "BKPSDM"),
    ("INSPEKTORAT DAERAH", "Inspektorat"),
    ("DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL", "Disdukcapil"),
    ("BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH", "BPKAD"),
]
STREETS = ["Jalan Merdeka", "Jalan Sudirman", "Jalan Diponegoro", "Jalan Pahlawan", "Jalan Veteran"]

# Titles after TENTANG; {R} is the region in capitals ("KOTA BANDUNG"), {Y} a year.
REGULATION_TITLES = [
    "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK {R} TAHUN {Y}-{Y2}",
    "PETA RENCANA SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK {R} TAHUN {Y}-{Y4}",
    "PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
    "TATA KELOLA DATA DAN SATU DATA INDONESIA DI LINGKUNGAN PEMERINTAH {R}",
    "MANAJEMEN KEAMANAN INFORMASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
    "PENYELENGGARAAN PUSAT DATA DAN JARINGAN INTRA PEMERINTAH DAERAH",
    "PELAKSANAAN AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI",
    "PEMBANGUNAN DAN PENGEMBANGAN APLIKASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
    "MANAJEMEN LAYANAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
    "PENGGUNAAN SERTIFIKAT ELEKTRONIK DI LINGKUNGAN PEMERINTAH {R}",
    "MANAJEMEN RISIKO SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
    "PENGELOLAAN ASET TEKNOLOGI INFORMASI DAN KOMUNIKASI",
]
DECREE_TITLES = [
    "PEMBENTUKAN TIM KOORDINATOR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK {R}",
    "TIM KOORDINATOR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK {R} TAHUN {Y}",
    "PENETAPAN PENGELOLA PORTAL DAN SITUS WEB PERANGKAT DAERAH",
    "TIM PELAKSANA AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI {R}",
    "PENETAPAN WALI DATA, PRODUSEN DATA DAN PEMBINA DATA {R}",
    "PEMBENTUKAN TIM TANGGAP INSIDEN SIBER {R}",
    "PENETAPAN APLIKASI UMUM BERBAGI PAKAI DI LINGKUNGAN PEMERINTAH {R}",
    "TIM PENYUSUN ARSITEKTUR DAN PETA RENCANA SPBE {R}",
]
SOP_NAMES = [
    "Pengelolaan Insiden Keamanan Informasi",
    "Permohonan Pembuatan Subdomain",
    "Pencadangan dan Pemulihan Data Pusat Data",
    "Pengembangan Aplikasi Sistem Pemerintahan Berbasis Elektronik",
    "Pelaksanaan Audit Teknologi Informasi dan Komunikasi",
    "Permintaan Layanan Helpdesk TIK",
    "Pengelolaan Perubahan Konfigurasi Jaringan",
    "Penerbitan Sertifikat Elektronik bagi Aparatur",
    "Publikasi Data pada Portal Satu Data",
]
MEETINGS = [
    "Rapat Koordinasi Tim Koordinator SPBE",
    "Pembahasan Rancangan Arsitektur SPBE",
    "Evaluasi Mandiri Indeks SPBE",
    "Penyusunan Peta Rencana SPBE",
    "Forum Satu Data",
    "Reviu Manajemen Risiko SPBE",
    "Persiapan Audit Teknologi Informasi dan Komunikasi",
]
REPORTS = [
    ("LAPORAN HASIL AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI", "audit"),
    ("LAPORAN PEMANTAUAN DAN EVALUASI MANDIRI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK", "monev"),
    ("LAPORAN PELAKSANAAN MANAJEMEN RISIKO SPBE", "risiko"),
    ("LAPORAN SURVEI KEPUASAN PENGGUNA LAYANAN SPBE", "survei"),
]
APPS = [
    "SIMANTAP",
    "e-Kinerja",
    "e-Office",
    "Portal Satu Data",
    "SiKADU",
    "LAPOR SPBE",
    "Katalog Layanan",
    "SIASET TIK",
    "Helpdesk TIK",
    "SIPANDU",
]

LAWS = [
    "Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik sebagaimana"
    " telah beberapa kali diubah terakhir dengan Undang-Undang Nomor 1 Tahun 2024 tentang"
    " Perubahan Kedua atas Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi"
    " Elektronik;",
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik;",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik;",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah beberapa"
    " kali diubah terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan"
    " Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi"
    " Undang-Undang;",
    "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi;",
    "Peraturan Pemerintah Nomor 71 Tahun 2019 tentang Penyelenggaraan Sistem dan Transaksi"
    " Elektronik;",
    "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik;",
    "Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia;",
    "Peraturan Presiden Nomor 132 Tahun 2022 tentang Arsitektur Sistem Pemerintahan Berbasis"
    " Elektronik Nasional;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 59 Tahun 2020"
    " tentang Pemantauan dan Evaluasi Sistem Pemerintahan Berbasis Elektronik;",
    "Peraturan Badan Siber dan Sandi Negara Nomor 4 Tahun 2021 tentang Pedoman Manajemen"
    " Keamanan Informasi Sistem Pemerintahan Berbasis Elektronik dan Standar Teknis dan Prosedur"
    " Keamanan Sistem Pemerintahan Berbasis Elektronik;",
]

DEFINITIONS = [
    "Sistem Pemerintahan Berbasis Elektronik yang selanjutnya disingkat SPBE adalah"
    " penyelenggaraan pemerintahan yang memanfaatkan teknologi informasi dan komunikasi untuk"
    " memberikan layanan kepada Pengguna SPBE.",
    "Arsitektur SPBE adalah kerangka dasar yang mendeskripsikan integrasi proses bisnis, data dan"
    " informasi, infrastruktur SPBE, aplikasi SPBE, dan keamanan SPBE untuk menghasilkan layanan"
    " SPBE yang terintegrasi.",
    "Peta Rencana SPBE adalah dokumen perencanaan pembangunan SPBE yang memuat langkah-langkah"
    " strategis untuk mencapai tujuan SPBE.",
    "Tim Koordinator SPBE adalah tim yang dibentuk untuk mengoordinasikan penyelenggaraan SPBE di"
    " lingkungan Pemerintah Daerah.",
    "Layanan SPBE adalah keluaran yang dihasilkan oleh 1 (satu) atau beberapa fungsi aplikasi SPBE"
    " dan yang memiliki nilai manfaat.",
    "Data adalah catatan atas kumpulan fakta atau deskripsi berupa angka, karakter, simbol, gambar,"
    " peta, tanda, isyarat, tulisan, suara, dan/atau bunyi.",
    "Keamanan Informasi adalah terjaganya kerahasiaan, keutuhan, dan ketersediaan informasi.",
    "Audit Teknologi Informasi dan Komunikasi yang selanjutnya disebut Audit TIK adalah proses yang"
    " sistematis untuk memperoleh dan mengevaluasi bukti secara objektif terhadap aset teknologi"
    " informasi dan komunikasi.",
    "Pusat Data adalah fasilitas yang digunakan untuk penempatan sistem elektronik dan komponen"
    " terkait lainnya untuk keperluan penempatan, penyimpanan, dan pengolahan data.",
    "Aplikasi Umum adalah aplikasi SPBE yang sama, standar, dan digunakan secara bagi pakai oleh"
    " Instansi Pusat dan/atau Pemerintah Daerah.",
    "Manajemen Risiko SPBE adalah pendekatan sistematis untuk meningkatkan pengambilan keputusan"
    " dalam rangka mengurangi risiko negatif penyelenggaraan SPBE.",
]
SUBJECTS = [
    "Perangkat Daerah",
    "Tim Koordinator SPBE",
    "Dinas",
    "Sekretaris Daerah selaku Ketua Tim Koordinator SPBE",
    "Kepala Perangkat Daerah",
    "Inspektorat Daerah",
]
VERBS = [
    "menyusun",
    "melaksanakan",
    "menetapkan",
    "mengoordinasikan",
    "melakukan pemantauan dan evaluasi terhadap",
    "mengembangkan",
    "menerapkan",
    "mendokumentasikan",
]
OBJECTS = [
    "Arsitektur SPBE",
    "Peta Rencana SPBE",
    "layanan SPBE",
    "manajemen data",
    "manajemen keamanan informasi",
    "Audit TIK",
    "aplikasi umum",
    "Pusat Data",
    "pengelolaan aset teknologi informasi dan komunikasi",
    "manajemen risiko SPBE",
    "manajemen perubahan",
    "interoperabilitas data dan informasi",
]
QUALIFIERS = [
    "secara berkala paling sedikit 1 (satu) kali dalam 1 (satu) tahun",
    "sesuai dengan ketentuan peraturan perundang-undangan",
    "dengan berpedoman pada Arsitektur SPBE Nasional",
    "untuk menjamin keterpaduan dan keberlanjutan layanan",
    "berdasarkan hasil pemantauan dan evaluasi SPBE",
    "dengan memperhatikan standar keamanan informasi",
    "dalam rangka meningkatkan kualitas pelayanan publik",
]
DUTIES = [
    "mengoordinasikan penyusunan kebijakan internal SPBE",
    "menyusun dan mereviu Arsitektur SPBE dan Peta Rencana SPBE",
    "melaksanakan pemantauan dan evaluasi SPBE secara mandiri",
    "mengoordinasikan pelaksanaan Audit TIK",
    "mendorong penerapan manajemen keamanan informasi",
    "melaporkan pelaksanaan tugas kepada {head} secara berkala",
    "mengoordinasikan keterpaduan layanan, data, dan aplikasi SPBE",
    "menetapkan prioritas pembangunan aplikasi dan infrastruktur SPBE",
]
FINDINGS = [
    ("Kebijakan kata sandi belum diterapkan pada seluruh akun", "Tinggi"),
    ("Pencadangan data belum diuji pemulihannya", "Sedang"),
    ("Dokumentasi aplikasi belum diperbarui", "Rendah"),
    ("Sertifikat TLS situs web akan segera kedaluwarsa", "Sedang"),
    ("Log akses server tidak disimpan terpusat", "Sedang"),
    ("Hak akses pengguna nonaktif belum dicabut", "Tinggi"),
    ("Rencana pemulihan bencana belum disusun", "Tinggi"),
    ("Inventaris aset TIK belum lengkap", "Rendah"),
]
RECOMMENDATIONS = [
    "Menetapkan kebijakan kata sandi dan menerapkannya",
    "Melakukan uji pemulihan data setiap triwulan",
    "Memperbarui dokumentasi pada setiap rilis",
    "Memperpanjang sertifikat dan memasang pemantauan",
    "Mengirim log ke server log terpusat",
    "Mereviu hak akses setiap bulan",
    "Menyusun dan menguji rencana pemulihan bencana",
    "Melengkapi inventaris aset TIK",
]
PARTICIPANTS = [
    "Sekretaris Daerah",
    "Asisten Administrasi Umum",
    "Kepala Dinas Komunikasi dan Informatika",
    "Kepala Badan Perencanaan Pembangunan Daerah",
    "Inspektur Daerah",
    "Kepala Bagian Organisasi",
    "Kepala Bagian Hukum",
    "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Kepala Bidang Aplikasi Informatika",
    "Kepala Bidang Persandian dan Keamanan Informasi",
]
MEETING_POINTS = [
    "Nilai indeks SPBE tahun lalu masih berada pada predikat baik dan perlu ditingkatkan.",
    "Dokumen Arsitektur SPBE perlu direviu agar selaras dengan Arsitektur SPBE Nasional.",
    "Setiap perangkat daerah menyampaikan data dukung paling lambat akhir bulan ini.",
    "Peta rencana SPBE memuat prioritas pembangunan aplikasi dan infrastruktur.",
    "Pelaksanaan Audit TIK dijadwalkan pada triwulan ketiga.",
    "Manajemen keamanan informasi perlu didukung dengan penetapan kebijakan internal.",
    "Layanan berbagi pakai data dilaksanakan melalui Portal Satu Data.",
    "Tim koordinator menyusun rencana aksi atas rekomendasi evaluasi.",
]


# --- the document plans ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """What to render: made in the parent process from the seed, rendered anywhere."""

    index: int
    name: str
    family: str  # perwal | keputusan | sop | notulen | laporan | screenshot
    scan_kind: str
    html: str
    facts: dict
    dpi: int
    seed: int
    max_pages: int
    trim: tuple[str, ...] = ()  # HTML blocks that may be dropped, last first, to fit max_pages


# Each family and kind of scan in turn, so that even a small corpus has each kind of scan: a
# photographed notulen page, a screenshot, then the documents (mostly image-only PDFs).
SCHEDULE = [
    ("notulen", "jpeg"),
    ("screenshot", "png"),
    ("perwal", "pdf"),
    ("keputusan", "pdf"),
    ("sop", "pdf"),
    ("laporan", "pdf"),
    ("screenshot", "png"),
    ("perwal", "pdf"),
    ("keputusan", "pdf"),
    ("notulen", "pdf"),
    ("keputusan", "jpeg"),
    ("perwal", "pdf"),
]


SMALL_WORDS = frozenset({"dan", "di", "atau", "yang", "untuk", "pada", "ke", "dari", "per"})
ACRONYMS = frozenset({"SPBE", "TIK", "SOP", "TLS"})


def _title_case(text: str) -> str:
    """ "TIM KOORDINATOR SPBE DAN DATA" -> "Tim Koordinator SPBE dan Data", as typed in a text."""
    words = []
    for i, word in enumerate(text.split()):
        if word in ACRONYMS:
            words.append(word)
        elif i and word.lower() in SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


class _Writer:
    """Makes one document's HTML and facts from a random generator."""

    def __init__(self, rng: random.Random):
        self.r = rng
        kind, name, province, seat = rng.choice(REGIONS)
        self.is_city = kind == "kota"
        self.region_name = name
        self.province = province
        self.seat = seat
        self.region = f"{'KOTA' if self.is_city else 'KABUPATEN'} {name.upper()}"
        self.region_title = f"{'Kota' if self.is_city else 'Kabupaten'} {name}"
        self.head = "WALI KOTA" if self.is_city else "BUPATI"
        self.head_title = "Wali Kota" if self.is_city else "Bupati"
        self.year = rng.randint(2021, 2025)
        self.font = rng.choice(
            [
                "'URW Bookman', 'Bookman Old Style', 'DejaVu Serif', serif",
                "'Nimbus Sans', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif",
                "'Nimbus Roman', 'Times New Roman', 'Liberation Serif', serif",
                "'DejaVu Sans', sans-serif",
                "'DejaVu Serif', serif",
            ]
        )
        self.size = rng.choice([11, 11.5, 12, 12])
        self.paper = rng.choice(["A4", "A4", "215mm 330mm"])  # A4 or F4 (folio)

    # small pieces

    def person(self, *, caps: bool, titled: bool = True) -> str:
        r = self.r
        name = f"{r.choice(FIRST_NAMES)} {r.choice(LAST_NAMES)}"
        if r.random() < 0.3:
            name = f"{r.choice(FIRST_NAMES)} {name}"
        if caps:
            name = name.upper()
        if not titled:
            return name
        prefix = r.choice(PREFIXES)
        degree = r.choice(DEGREES)
        return f"{prefix}{name}{', ' + degree if degree else ''}"

    def day(self) -> date:
        start = date(self.year, 1, 2)
        return start + timedelta(days=self.r.randint(0, 360))

    @staticmethod
    def spoken(day: date) -> str:
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"

    def nip(self) -> str:
        r = self.r
        born = f"{r.randint(1966, 1988)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
        hired = f"{r.randint(1990, 2012)}{r.randint(1, 12):02d}"
        return f"NIP. {born} {hired} {r.randint(1, 2)} {r.randint(1, 9):03d}"

    def title(self, templates: list[str]) -> str:
        return (
            self.r.choice(templates)
            .replace("{R}", self.region)
            .replace("{Y2}", str(self.year + 2))
            .replace("{Y4}", str(self.year + 4))
            .replace("{Y}", str(self.year))
        )

    def sentence(self) -> str:
        r = self.r
        return f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {r.choice(QUALIFIERS)}."

    def p(self, text: str, cls: str = "") -> str:
        return f'<p class="{cls}">{_esc(text)}</p>' if cls else f"<p>{_esc(text)}</p>"

    def item(self, mark: str, text: str) -> str:
        return f'<p class="item"><span class="mark">{_esc(mark)}</span>{_esc(text)}</p>'

    def emblem(self) -> str:
        return '<div class="emblem"><div class="emblem-in"></div></div>'

    def kop(self, unit: str) -> str:
        r = self.r
        street = f"{r.choice(STREETS)} Nomor {r.randint(1, 120)}"
        phone = f"Telepon (0{r.randint(21, 778)}) {r.randint(2000000, 7999999)}"
        return (
            '<table class="kop"><tr><td class="kop-logo">'
            + self.emblem()
            + '</td><td class="kop-text">'
            + self.p(f"PEMERINTAH {self.region}", "c b")
            + self.p(unit, "c b big")
            + self.p(f"{street} {phone} {self.seat} {r.randint(10000, 99999)}", "c small")
            + "</td></tr></table>"
        )

    def draft_box(self, word: str) -> str:
        """The draft's marker at the top right: stamped in a box, or typed."""
        look = "stamp" if self.r.random() < 0.5 else "b"
        return f'<p class="r"><span class="{look}">{_esc(word)}</span></p>'

    def signature(self, *, signed: bool) -> str:
        """'ttd.' as on a certified copy, or a scribble and a stamp as on the signed original."""
        r = self.r
        if not signed:
            return '<div class="sign-space"></div>'
        if r.random() < 0.5:
            return self.p("ttd.", "sign-ttd")
        points = [(10 + i * 25 + r.randint(-8, 8), r.randint(8, 52)) for i in range(7)]
        path = "M " + " Q ".join(
            f"{x} {y} {x + r.randint(5, 15)} {r.randint(10, 50)}" for x, y in points
        )
        ink = r.choice(["#1a237e", "#222", "#0d47a1"])
        stamp = r.choice(["#5e35b1", "#3949ab", "#6a1b9a"])
        return (
            '<div class="sign-img"><svg width="230" height="64" viewBox="0 0 230 64">'
            f'<circle cx="34" cy="32" r="30" stroke="{stamp}" stroke-width="2" fill="none"'
            ' opacity="0.55"/>'
            f'<circle cx="34" cy="32" r="21" stroke="{stamp}" stroke-width="1.2" fill="none"'
            ' opacity="0.55"/>'
            f'<path d="{path}" stroke="{ink}" stroke-width="1.6" fill="none"/>'
            "</svg></div>"
        )

    def css(self) -> str:
        return f"""
@page {{ size: {self.paper}; margin: 2cm 2cm 2cm 2.5cm;
  @top-center {{ content: "- " counter(page) " -"; font-family: {self.font}; font-size: 10pt }} }}
@page :first {{ @top-center {{ content: none }} }}
body {{ font-family: {self.font}; font-size: {self.size}pt; line-height: 1.35; color: #000 }}
p {{ margin: 0 0 0.35em 0; text-align: justify }}
.c {{ text-align: center }} .r {{ text-align: right }} .b {{ font-weight: bold }}
.big {{ font-size: 1.15em }} .small {{ font-size: 0.8em }}
.head {{ text-align: center; font-weight: bold; margin: 0 0 0.2em 0 }}
.title {{ text-align: center; font-weight: bold; margin: 0 12% 0.8em 12% }}
.gap {{ margin-top: 0.9em }}
.item {{ padding-left: 2em; text-indent: -2em }}
.item .mark {{ display: inline-block; width: 2em; text-indent: 0 }}
.emblem {{ width: 58px; height: 64px; margin: 0 auto 6px auto; border: 3px double #333;
  border-radius: 45% 45% 50% 50% }}
.emblem-in {{ width: 26px; height: 30px; margin: 14px auto; border: 2px solid #555;
  border-radius: 50% }}
table {{ border-collapse: collapse; width: 100% }}
td, th {{ vertical-align: top; padding: 1px 3px; text-align: left }}
.kop {{ border-bottom: 3px double #000; margin-bottom: 10px }}
.kop-logo {{ width: 70px }} .kop-text {{ padding-right: 70px }}
.kop .emblem {{ margin: 0 }}
.law td.label {{ width: 6.5em }} .law td.colon {{ width: 0.8em }} .law td.mark {{ width: 1.8em }}
.grid td, .grid th {{ border: 1px solid #000; padding: 3px 5px }}
.grid th {{ font-weight: bold; text-align: center }}
.grid p {{ text-align: left }}
.ident td:first-child {{ white-space: nowrap; width: 11em }}
.sign {{ margin: 1.2em 0 0 52%; page-break-inside: avoid }}
.sign p {{ text-align: left; margin: 0 }}
.sign-left {{ margin: 1.2em 0 0 0; page-break-inside: avoid }}
.sign-left p {{ text-align: left; margin: 0 }}
.sign-ttd {{ margin: 0.8em 0 0.8em 0 !important }}
.sign-img {{ height: 64px; margin: 4px 0 }}
.sign-space {{ height: 64px }}
.name {{ font-weight: bold; text-decoration: underline }}
.stamp {{ border: 2px solid #000; padding: 2px 8px; font-weight: bold; letter-spacing: 1px }}
.pasal {{ text-align: center; margin: 0.7em 0 0.3em 0 }}
"""

    def law_rows(self, label: str, rows: list[str], marks: str) -> str:
        out = ['<table class="law">']
        for i, text in enumerate(rows):
            first = i == 0
            out.append(
                "<tr>"
                f'<td class="label">{_esc(label) if first else ""}</td>'
                f'<td class="colon">{":" if first else ""}</td>'
                f'<td class="mark">{_esc(marks[i] if marks == "abcdefghij" else str(i + 1))}'
                f".</td><td><p>{_esc(text)}</p></td></tr>"
            )
        out.append("</table>")
        return "".join(out)

    def page_html(self, body: str) -> str:
        return (
            '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
            f"<style>{self.css()}</style></head><body>{body}</body></html>"
        )

    # families

    def regulation(self, pages: int, *, draft: bool) -> tuple[str, dict, tuple[str, ...]]:
        r = self.r
        number = r.randint(1, 120)
        title = self.title(REGULATION_TITLES)
        enacted = self.day()
        official = self.person(caps=True, titled=r.random() < 0.3)
        blank = draft and r.random() < 0.6  # a draft's number and date still to be filled in
        form = f"PERATURAN {self.head} {self.region_name.upper()}"
        parts = [self.emblem(), self.p(f"{self.head} {self.region_name.upper()}", "head")]
        parts.append(self.p(f"PROVINSI {self.province}", "head"))
        markers = []
        if draft:
            marker = r.choice(["RANCANGAN", "DRAFT", "KONSEP"])
            markers.append(marker)
            if marker == "RANCANGAN":
                parts.append(self.p("RANCANGAN", "head gap"))
            else:
                parts.insert(0, self.draft_box(marker))
        parts.append(self.p(form, "head" if draft else "head gap"))
        printed_number = (
            f"NOMOR ... TAHUN {self.year}" if blank else f"NOMOR {number} TAHUN {self.year}"
        )
        parts.append(self.p(printed_number, "head"))
        parts.append(self.p("TENTANG", "head gap"))
        parts.append(self.p(title, "title"))
        parts.append(self.p("DENGAN RAHMAT TUHAN YANG MAHA ESA", "head gap"))
        parts.append(self.p(f"{self.head} {self.region_name.upper()},", "head gap"))
        considering = [
            "bahwa dalam rangka mewujudkan tata kelola pemerintahan yang bersih, efektif,"
            " transparan, dan akuntabel serta pelayanan publik yang berkualitas dan terpercaya,"
            f" diperlukan {r.choice(OBJECTS)} yang terpadu;",
            "bahwa berdasarkan ketentuan Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem"
            f" Pemerintahan Berbasis Elektronik, Pemerintah Daerah perlu menetapkan"
            f" {r.choice(OBJECTS)};",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu"
            f" menetapkan {self.head_title} tentang {_title_case(title)};",
        ]
        parts.append(self.law_rows("Menimbang", considering, "abcdefghij"))
        laws = r.sample(LAWS, r.randint(3, 5 if pages > 1 else 3))
        parts.append(self.law_rows("Mengingat", laws, "123"))
        parts.append(self.p("MEMUTUSKAN:", "head gap"))
        parts.append(
            '<table class="law"><tr><td class="label">Menetapkan</td><td class="colon">:</td>'
            f"<td><p>{_esc(form.replace(self.region_name.upper(), '').strip())} TENTANG"
            f" {_esc(title)}.</p></td></tr></table>"
        )
        parts.append(self.p("BAB I", "pasal"))
        parts.append(self.p("KETENTUAN UMUM", "head"))
        parts.append(self.p("Pasal 1", "pasal"))
        parts.append(self.p(f"Dalam Peraturan {self.head_title} ini yang dimaksud dengan:"))
        defs = [
            f"Daerah adalah {self.region_title}.",
            f"{self.head_title} adalah {self.head_title} {self.region_name}.",
            "Perangkat Daerah adalah unsur pembantu kepala daerah dan Dewan Perwakilan Rakyat"
            " Daerah dalam penyelenggaraan urusan pemerintahan yang menjadi kewenangan Daerah.",
            *r.sample(DEFINITIONS, min(len(DEFINITIONS), 2 + 2 * pages)),
        ]
        parts.extend(self.item(f"{i}.", text) for i, text in enumerate(defs, 1))
        trim = []
        pasal = 2
        for _ in range(max(1, 3 * pages - 3)):
            block = [self.p(f"Pasal {pasal}", "pasal")]
            for verse in range(1, r.randint(2, 4)):
                block.append(self.item(f"({verse})", self.sentence()))
            html_block = "".join(block)
            parts.append(html_block)
            trim.append(html_block)
            pasal += 1
        parts.append(self.p(f"Pasal {pasal}", "pasal"))
        parts.append(
            self.p(
                f"Peraturan {self.head_title} ini mulai berlaku pada tanggal diundangkan. Agar"
                " setiap orang mengetahuinya, memerintahkan pengundangan Peraturan"
                f" {self.head_title} ini dengan penempatannya dalam Berita Daerah"
                f" {self.region_title}."
            )
        )
        when = f"pada tanggal {'' if blank else self.spoken(enacted)}".rstrip()
        parts.append(
            '<div class="sign">'
            + self.p(f"Ditetapkan di {self.seat}")
            + self.p(when)
            + self.p(f"{self.head} {self.region_name.upper()},")
            + self.signature(signed=not draft)
            + self.p(official, "name")
            + "</div>"
        )
        if not draft and r.random() < 0.7:
            promulgated = enacted + timedelta(days=r.randint(0, 6))
            parts.append(
                '<div class="sign-left">'
                + self.p(f"Diundangkan di {self.seat}")
                + self.p(f"pada tanggal {self.spoken(promulgated)}")
                + self.p(f"SEKRETARIS DAERAH {self.region},")
                + self.signature(signed=True)
                + self.p(self.person(caps=True), "name")
                + "</div>"
            )
            parts.append(
                self.p(f"BERITA DAERAH {self.region} TAHUN {self.year} NOMOR {number}", "gap")
            )
        facts = {
            "kind": "peraturan",
            "form": "peraturan",
            "number": None if blank else f"{number} TAHUN {self.year}",
            "title": title,
            "enacted_on": None if blank else enacted,
            "place": self.seat,
            "official": official,
            "draft": draft,
            "draft_markers": markers,
        }
        return self.page_html("".join(parts)), facts, tuple(trim)

    def decree(self, pages: int, *, draft: bool) -> tuple[str, dict, tuple[str, ...]]:
        r = self.r
        by_head = r.random() < 0.6
        unit, short = UNITS[0] if r.random() < 0.6 else r.choice(UNITS)
        title = self.title(DECREE_TITLES)
        enacted = self.day()
        sequence = r.randint(1, 999)
        style = r.randrange(4)
        if style == 0:
            number = f"100.3.3.2/Kep.{sequence}-{short}/{self.year}"
        elif style == 1:
            number = f"188.45/{sequence}/{short.upper()}/{self.year}"
        elif style == 2:
            number = f"800/Kpts.{sequence}/{short}/{self.year}"
        else:
            number = f"000.8.3.3/{sequence}/{self.year}"
        printed_number = number
        if r.random() < 0.25:  # typed with spaces around the sequence number
            head_, _, rest = number.partition("/")
            printed_number = f"{head_}/ {rest.replace('/', ' /', 1)}"
        blank = draft and r.random() < 0.6
        if blank:
            printed_number = f"{number.split('/')[0]}/ ........ /{self.year}"
        colon = r.random() < 0.6
        markers = []
        parts = []
        if draft:
            marker = r.choice(["DRAFT", "KONSEP", "RANCANGAN"])
            markers.append(marker)
            parts.append(self.draft_box(marker))
        if by_head:
            signer_position = f"{self.head} {self.region_name.upper()},"
            official = self.person(caps=True, titled=r.random() < 0.3)
            parts.append(self.emblem())
            parts.append(self.p(f"{self.head} {self.region_name.upper()}", "head"))
            parts.append(self.p(f"PROVINSI {self.province}", "head"))
            form = f"KEPUTUSAN {self.head} {self.region_name.upper()}"
        else:
            signer_position = f"KEPALA {unit} {self.region},"
            official = self.person(caps=True)
            parts.append(self.kop(unit))
            form = f"KEPUTUSAN KEPALA {unit} {self.region}"
        parts.append(self.p(form, "head gap"))
        parts.append(self.p(f"NOMOR{':' if colon else ''} {printed_number}", "head"))
        parts.append(self.p("TENTANG", "head gap"))
        parts.append(self.p(title, "title"))
        if r.random() < 0.5:
            parts.append(self.p("DENGAN RAHMAT TUHAN YANG MAHA ESA", "head gap"))
        parts.append(self.p(signer_position, "head gap"))
        considering = [
            "bahwa untuk meningkatkan keterpaduan dan efisiensi penyelenggaraan Sistem"
            " Pemerintahan Berbasis Elektronik di lingkungan Pemerintah Daerah, perlu dibentuk"
            " tim yang mengoordinasikan pelaksanaannya;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan"
            f" Keputusan tentang {_title_case(title)};",
        ]
        parts.append(self.law_rows("Menimbang", considering, "abcdefghij"))
        parts.append(self.law_rows("Mengingat", r.sample(LAWS, r.randint(3, 5)), "123"))
        parts.append(self.p("MEMUTUSKAN:", "head gap"))
        head = self.head_title if by_head else "Kepala Dinas"
        dicta = [
            ("Menetapkan", f"{form.replace(self.region, '').strip()} TENTANG {title}."),
            (
                "KESATU",
                f"Membentuk {_title_case(title)} dengan susunan keanggotaan sebagaimana tercantum"
                " dalam Lampiran yang merupakan bagian tidak terpisahkan dari Keputusan ini.",
            ),
        ]
        duties = r.sample(DUTIES, min(len(DUTIES), 3 + pages))
        dicta.append(
            (
                "KEDUA",
                "Tim sebagaimana dimaksud dalam Diktum KESATU mempunyai tugas: "
                + " ".join(
                    f"{chr(97 + i)}. {d.replace('{head}', head)};" for i, d in enumerate(duties)
                ),
            )
        )
        dicta.append(
            (
                "KETIGA",
                "Segala biaya yang timbul akibat ditetapkannya Keputusan ini dibebankan pada"
                f" Anggaran Pendapatan dan Belanja Daerah {self.region_title}.",
            )
        )
        dicta.append(("KEEMPAT", "Keputusan ini mulai berlaku pada tanggal ditetapkan."))
        parts.append('<table class="law">')
        for label, text in dicta:
            parts.append(
                f'<tr><td class="label">{_esc(label)}</td><td class="colon">:</td>'
                f"<td><p>{_esc(text)}</p></td></tr>"
            )
        parts.append("</table>")
        when = f"pada tanggal {'' if blank else self.spoken(enacted)}".rstrip()
        sign = (
            '<div class="sign">'
            + self.p(f"Ditetapkan di {self.seat}")
            + self.p(when)
            + self.p(signer_position)
            + self.signature(signed=not draft)
            + self.p(official, "name")
            + ("" if by_head else self.p(r.choice(RANKS)) + self.p(self.nip()))
            + "</div>"
        )
        parts.append(sign)
        trim = []
        if pages > 1:
            members = [
                ("Ketua", "Sekretaris Daerah"),
                ("Wakil Ketua", "Asisten Administrasi Umum"),
                ("Sekretaris", "Kepala Dinas Komunikasi dan Informatika"),
            ]
            others = r.sample(PARTICIPANTS[3:], min(7, 2 + 2 * pages))
            members += [("Anggota", other) for other in others]
            annex = (
                '<div class="annex">'
                + self.p("LAMPIRAN", "b")
                + self.p(form.replace(",", ""))
                + self.p(f"NOMOR {'' if blank else number}".rstrip())
                + self.p(f"TENTANG {title}")
                + "</div>"
                + self.p(f"SUSUNAN KEANGGOTAAN {title}", "head gap")
                + '<table class="grid"><tr><th>No</th><th>Jabatan dalam Tim</th>'
                + "<th>Jabatan</th></tr>"
                + "".join(
                    f"<tr><td>{i}.</td><td>{_esc(role)}</td><td>{_esc(who)}</td></tr>"
                    for i, (role, who) in enumerate(members, 1)
                )
                + "</table>"
                + '<div class="sign">'
                + self.p(signer_position)
                + self.signature(signed=not draft)
                + self.p(official, "name")
                + "</div>"
            )
            annex = '<div class="newpage">' + annex + "</div>"
            parts.append(annex)
            trim = [annex]  # dropped if the document would be too long with it
        facts = {
            "kind": "peraturan",
            "form": "keputusan",
            "number": None if blank else number,
            "title": title,
            "enacted_on": None if blank else enacted,
            "place": self.seat,
            "official": official,
            "draft": draft,
            "draft_markers": markers,
        }
        body = "".join(parts)
        page = self.page_html(body).replace(
            "</style>",
            ".newpage { page-break-before: always } .annex { margin-left: 50% }"
            " .annex p { text-align: left; margin: 0 }</style>",
        )
        return page, facts, tuple(trim)

    def sop(self, pages: int, *, draft: bool) -> tuple[str, dict, tuple[str, ...]]:
        r = self.r
        unit, short = UNITS[0] if r.random() < 0.7 else r.choice(UNITS)
        name = r.choice(SOP_NAMES)
        printed_name = name.upper() if r.random() < 0.5 else name
        series = r.choice(["045", "000.7", "800", "065"])
        number = f"{series}/SOP-{r.randint(1, 40):02d}/{short}/{self.year}"
        made = self.day()
        enacted = min(made + timedelta(days=r.randint(3, 30)), date(self.year, 12, 31))
        official = self.person(caps=True)
        markers = []
        parts = []
        if draft:
            marker = r.choice(["DRAFT", "KONSEP"])
            markers.append(marker)
            parts.append(self.draft_box(marker))
        parts.append(self.kop(unit))
        parts.append(self.p("STANDAR OPERASIONAL PROSEDUR", "head gap"))
        rows = [
            ("Nomor SOP", number),
            ("Tanggal Pembuatan", self.spoken(made)),
            ("Tanggal Revisi", "-"),
            ("Tanggal Pengesahan", self.spoken(enacted)),
        ]
        table = ['<table class="grid ident">']
        for label, value in rows:
            table.append(f"<tr><td>{_esc(label)}</td><td>{_esc(value)}</td></tr>")
        table.append(
            "<tr><td>Disahkan oleh</td><td>"
            + self.p(f"KEPALA {unit} {self.region},")
            + self.signature(signed=not draft)
            + self.p(official, "name")
            + self.p(self.nip())
            + "</td></tr>"
        )
        table.append(f"<tr><td>Nama SOP</td><td>{_esc(printed_name)}</td></tr>")
        table.append("</table>")
        parts.append("".join(table))
        basis = r.sample(LAWS, 3)
        parts.append(self.p("Dasar Hukum:", "b gap"))
        parts.extend(self.item(f"{i}.", law.rstrip(";") + ".") for i, law in enumerate(basis, 1))
        parts.append(self.p("Kualifikasi Pelaksana:", "b gap"))
        parts.append(
            self.p(
                "Memahami tugas dan fungsi pengelolaan sistem pemerintahan berbasis elektronik,"
                " keamanan informasi, dan layanan teknologi informasi dan komunikasi."
            )
        )
        parts.append(self.p("Peringatan:", "b gap"))
        parts.append(
            self.p(
                "Apabila prosedur ini tidak dilaksanakan, layanan SPBE dapat terganggu dan data"
                " dapat hilang atau bocor."
            )
        )
        trim = []
        steps = [
            "Menerima permohonan melalui aplikasi layanan",
            "Memverifikasi kelengkapan permohonan",
            "Menganalisis kebutuhan dan risiko keamanan informasi",
            "Menyiapkan konfigurasi dan dokumentasi",
            "Melaksanakan pekerjaan sesuai standar teknis",
            "Menguji hasil pekerjaan bersama pemohon",
            "Mencatat hasil pada log layanan",
            "Melaporkan hasil kepada atasan langsung",
            "Mengarsipkan dokumen pendukung",
            "Menutup tiket layanan",
        ]
        actors = ["Pemohon", "Admin Layanan", "Pranata Komputer", "Kepala Seksi", "Kepala Bidang"]
        if pages > 1:
            rows_html = [
                '<div class="newpage">',
                self.p(f"PROSEDUR {printed_name.upper()}", "head"),
                '<table class="grid"><tr><th>No</th><th>Kegiatan</th><th>Pelaksana</th>'
                "<th>Waktu</th><th>Output</th></tr>",
            ]
            for i in range(1, 1 + min(len(steps), 4 + 4 * (pages - 1))):
                step = steps[(i - 1) % len(steps)]
                rows_html.append(
                    f"<tr><td>{i}.</td><td>{_esc(step)}</td><td>{_esc(r.choice(actors))}</td>"
                    f"<td>{r.choice([15, 30, 60, 120])} menit</td>"
                    f"<td>{_esc(r.choice(['Formulir', 'Tiket', 'Laporan', 'Log', 'Berkas']))}"
                    "</td></tr>"
                )
            rows_html.append("</table></div>")
            parts.append("".join(rows_html))
        facts = {
            "kind": "sop",
            "form": "sop",
            "number": number,
            "title": printed_name,
            "enacted_on": enacted,
            "place": None,
            "official": official,
            "draft": draft,
            "draft_markers": markers,
        }
        page = self.page_html("".join(parts)).replace(
            "</style>", ".newpage { page-break-before: always }</style>"
        )
        return page, facts, tuple(trim)

    def minutes(self, pages: int, *, draft: bool) -> tuple[str, dict, tuple[str, ...]]:
        r = self.r
        held = self.day()
        meeting = r.choice(MEETINGS)
        unit, _short = UNITS[0]
        leader = self.person(caps=False)
        scribe = self.person(caps=False)
        markers = []
        parts = []
        if draft:
            marker = r.choice(["DRAFT", "KONSEP"])
            markers.append(marker)
            parts.append(self.draft_box(marker))
        if r.random() < 0.5:
            parts.append(self.kop(unit))
        parts.append(self.p(r.choice(["NOTULEN RAPAT", "NOTULA RAPAT", "NOTULEN"]), "head"))
        parts.append(self.p(meeting.upper(), "head"))
        start = r.choice(["08.30", "09.00", "10.00", "13.30"])
        rows = [
            ("Hari/Tanggal", f"{DAYS[held.weekday()]}, {self.spoken(held)}"),
            ("Waktu", f"{start} WIB s.d. selesai"),
            ("Tempat", f"Ruang Rapat {r.choice(['Utama', 'Sekretariat Daerah', 'Diskominfo'])}"),
            ("Pimpinan Rapat", leader),
            ("Notulis", scribe),
            ("Acara", meeting),
        ]
        parts.append(
            '<table class="law">'
            + "".join(
                f'<tr><td class="label wide">{_esc(k)}</td><td class="colon">:</td>'
                f"<td>{_esc(v)}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )
        parts.append(self.p("Peserta Rapat:", "b gap"))
        people = r.sample(PARTICIPANTS, min(len(PARTICIPANTS), 3 + 2 * pages))
        parts.extend(self.item(f"{i}.", who) for i, who in enumerate(people, 1))
        parts.append(self.p("Hasil Rapat:", "b gap"))
        points = r.sample(MEETING_POINTS, min(len(MEETING_POINTS), 2 + 2 * pages))
        trim = []
        for i, point in enumerate(points, 1):
            block = self.item(f"{i}.", point + " " + self.sentence())
            parts.append(block)
            trim.append(block)
        parts.append(
            self.p(
                "Demikian notulen rapat ini dibuat untuk dipergunakan sebagaimana mestinya.", "gap"
            )
        )
        if r.random() < 0.5:
            official, position = scribe, "Notulis,"
        else:
            official, position = leader, "Pimpinan Rapat,"
        dated = r.random() < 0.5
        parts.append(
            '<div class="sign">'
            + (self.p(f"{self.seat}, {self.spoken(held)}") if dated else "")
            + self.p(position)
            + self.signature(signed=not draft)
            + self.p(official, "name")
            + "</div>"
        )
        facts = {
            "kind": "notulen",
            "form": "notulen",
            "number": None,
            "title": None,
            "enacted_on": held,
            "place": self.seat if dated else None,
            "official": official,
            "draft": draft,
            "draft_markers": markers,
        }
        page = self.page_html("".join(parts)).replace(
            "</style>", ".law td.label.wide { width: 8.5em }</style>"
        )
        return page, facts, tuple(trim)

    def report(self, pages: int, *, draft: bool) -> tuple[str, dict, tuple[str, ...]]:
        r = self.r
        heading, topic = r.choice(REPORTS)
        unit, _short = UNITS[0]
        app = r.choice(APPS)
        dated = self.day()
        official = self.person(caps=True)
        markers = []
        parts = []
        if draft:
            marker = r.choice(["DRAFT", "KONSEP"])
            markers.append(marker)
            parts.append(self.draft_box(marker))
        parts.append(self.kop(unit))
        parts.append(self.p(heading, "title"))
        if topic == "audit":
            parts.append(self.p(f"APLIKASI {app.upper()}", "head"))
        parts.append(self.p(f"PEMERINTAH {self.region}", "head"))
        parts.append(self.p(f"TAHUN {self.year}", "head"))
        parts.append(self.p("BAB I", "head gap"))
        parts.append(self.p("PENDAHULUAN", "head"))
        parts.append(self.p("A. Latar Belakang", "b"))
        for _ in range(1 + pages):
            parts.append(self.p(" ".join(self.sentence() for _ in range(3))))
        parts.append(self.p("B. Ruang Lingkup", "b"))
        parts.append(
            self.p(
                f"Ruang lingkup kegiatan meliputi aplikasi {app}, infrastruktur Pusat Data,"
                " jaringan intra pemerintah, dan layanan SPBE yang dikelola oleh"
                f" {_title_case(unit)}."
            )
        )
        parts.append(self.p("C. Hasil", "b"))
        findings = r.sample(range(len(FINDINGS)), min(len(FINDINGS), 2 + 2 * pages))
        parts.append(
            '<table class="grid"><tr><th>No</th><th>Temuan</th><th>Risiko</th>'
            "<th>Rekomendasi</th></tr>"
            + "".join(
                f"<tr><td>{i}.</td><td>{_esc(FINDINGS[k][0])}</td><td>{FINDINGS[k][1]}</td>"
                f"<td>{_esc(RECOMMENDATIONS[k])}</td></tr>"
                for i, k in enumerate(findings, 1)
            )
            + "</table>"
        )
        trim = []
        for _ in range(pages):
            block = self.p(" ".join(self.sentence() for _ in range(4)))
            parts.append(block)
            trim.append(block)
        parts.append(self.p("BAB II", "head gap"))
        parts.append(self.p("PENUTUP", "head"))
        parts.append(
            self.p(
                "Demikian laporan ini disusun sebagai bahan pemantauan dan evaluasi"
                " penyelenggaraan SPBE dan sebagai data dukung penilaian."
            )
        )
        parts.append(
            '<div class="sign">'
            + self.p(f"{self.seat}, {self.spoken(dated)}")
            + self.p(f"KEPALA {unit} {self.region},")
            + self.signature(signed=not draft)
            + self.p(official, "name")
            + self.p(r.choice(RANKS))
            + self.p(self.nip())
            + "</div>"
        )
        facts = {
            "kind": "laporan",
            "form": "laporan",
            "number": None,
            "title": None,
            "enacted_on": dated,
            "place": self.seat,
            "official": official,
            "draft": draft,
            "draft_markers": markers,
        }
        return self.page_html("".join(parts)), facts, tuple(trim)

    def screenshot(self) -> tuple[str, dict, float]:
        r = self.r
        app = r.choice(APPS)
        ratio = r.choice([1.25, 1.5, 1.5, 2.0])
        width, height = r.choice([(1280, 800), (1366, 768), (1440, 900)])
        accent = r.choice(["#1565c0", "#00695c", "#6a1b9a", "#c62828", "#283593"])
        menu = r.sample(["Beranda", "Data", "Layanan", "Laporan", "Pengaturan", "Bantuan"], 4)
        kind = r.randrange(3)
        if kind == 0:
            heading = "Daftar Aplikasi"
            columns = ["No", "Nama Aplikasi", "Perangkat Daerah", "Jenis", "Status"]
            rows = [
                [
                    str(i),
                    r.choice(APPS),
                    _title_case(r.choice(UNITS)[0]),
                    r.choice(["Umum", "Khusus"]),
                    r.choice(["Aktif", "Aktif", "Pengembangan", "Nonaktif"]),
                ]
                for i in range(1, r.randint(6, 12))
            ]
        elif kind == 1:
            heading = "Tiket Layanan"
            columns = ["No. Tiket", "Tanggal", "Pelapor", "Kategori", "Status"]
            rows = []
            for _ in range(r.randint(6, 12)):
                when = self.day()
                rows.append(
                    [
                        f"TK-{when.year}{when.month:02d}-{r.randint(100, 999)}",
                        f"{when.day:02d}/{when.month:02d}/{when.year}",
                        self.person(caps=False, titled=False),
                        r.choice(["Jaringan", "Aplikasi", "Email", "Keamanan", "Data"]),
                        r.choice(["Baru", "Diproses", "Selesai", "Selesai"]),
                    ]
                )
        else:
            heading = "Dataset"
            columns = ["Judul Dataset", "Produsen Data", "Tahun", "Format"]
            topics = ["Jumlah Penduduk", "Layanan Publik", "Aset TIK", "Aplikasi", "Pegawai"]
            rows = [
                [
                    f"{r.choice(topics)} per {r.choice(['Kecamatan', 'Unit', 'Bulan'])}",
                    _title_case(r.choice(UNITS)[0]),
                    str(self.year - r.randint(0, 2)),
                    r.choice(["CSV", "XLSX", "JSON"]),
                ]
                for _ in range(r.randint(6, 12))
            ]
        form_rows = [
            ("Nama Pengguna", self.person(caps=False, titled=False)),
            ("Perangkat Daerah", _title_case(UNITS[0][0])),
            ("Peran", r.choice(["Administrator", "Operator", "Verifikator"])),
        ]
        page = f"""<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><style>
@page {{ size: {width}px {height}px; margin: 0 }}
body {{ margin: 0; font-family: 'DejaVu Sans', 'Nimbus Sans', sans-serif; font-size: 14px;
  color: #212121; background: #f5f6f8 }}
.bar {{ background: {accent}; color: #fff; padding: 12px 24px; font-size: 18px;
  font-weight: bold }}
.menu {{ background: #fff; border-bottom: 1px solid #ddd; padding: 8px 24px }}
.menu span {{ margin-right: 28px; color: #333 }}
.menu span.on {{ color: {accent}; font-weight: bold }}
.main {{ padding: 16px 24px }}
h1 {{ font-size: 20px; margin: 0 0 12px 0 }}
.card {{ background: #fff; border: 1px solid #dde; border-radius: 4px; padding: 12px 16px;
  margin-bottom: 14px }}
.form td {{ padding: 4px 12px 4px 0 }}
.input {{ border: 1px solid #bbb; border-radius: 3px; padding: 3px 8px; width: 380px;
  background: #fff }}
.btn {{ display: inline-block; background: {accent}; color: #fff; padding: 5px 14px;
  border-radius: 3px; margin-right: 8px }}
.grid {{ border-collapse: collapse; width: 100% }}
.grid th {{ background: #eceff1; text-align: left; padding: 6px 8px;
  border-bottom: 2px solid #ccc }}
.grid td {{ padding: 5px 8px; border-bottom: 1px solid #e0e0e0 }}
.foot {{ color: #666; font-size: 12px; padding: 0 24px }}
</style></head><body>
<div class="bar">{_esc(app)} - {_esc(self.region_title)}</div>
<div class="menu">{
            "".join(
                f'<span class="{"on" if i == 1 else ""}">{_esc(m)}</span>'
                for i, m in enumerate(menu)
            )
        }</div>
<div class="main"><h1>{_esc(heading)}</h1>
<div class="card"><table class="form">{
            "".join(
                f'<tr><td>{_esc(k)}</td><td><div class="input">{_esc(v)}</div></td></tr>'
                for k, v in form_rows
            )
        }</table><p><span class="btn">Simpan</span><span class="btn">Batal</span></p></div>
<div class="card"><table class="grid"><tr>{"".join(f"<th>{_esc(c)}</th>" for c in columns)}</tr>
{"".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>" for row in rows)}
</table></div></div>
<p class="foot">Hak Cipta {self.year} {_esc(_title_case(UNITS[0][0]))}
{_esc(self.region_title)}</p>
</body></html>"""
        facts = {
            "kind": None,
            "form": "screenshot",
            "number": None,
            "title": None,
            "enacted_on": None,
            "place": None,
            "official": None,
            "draft": False,
            "draft_markers": [],
        }
        return page, facts, ratio


def _plan(index: int, family: str, scan_kind: str, target: int, rng: random.Random) -> _Plan:
    writer = _Writer(rng)
    draft = family != "screenshot" and rng.random() < 0.2
    name = f"{index:03d}-{family}"
    if family == "screenshot":
        page, facts, ratio = writer.screenshot()
        return _Plan(index, name, family, scan_kind, page, facts, round(96 * ratio), 0, 1)
    make = {
        "perwal": writer.regulation,
        "keputusan": writer.decree,
        "sop": writer.sop,
        "notulen": writer.minutes,
        "laporan": writer.report,
    }[family]
    max_pages = 1 if scan_kind != "pdf" else MAX_PAGES
    target = min(target, max_pages)
    page, facts, trim = make(target, draft=draft)
    dpi = (
        rng.choice([150, 200, 200, 240, 300, 300]) if scan_kind == "pdf" else rng.choice([150, 200])
    )
    return _Plan(
        index, name, family, scan_kind, page, facts, dpi, rng.getrandbits(32), max_pages, trim
    )


# --- rendering ------------------------------------------------------------------------------


def _layout(plan: _Plan):
    """WeasyPrint's document for the plan, with trimmable blocks dropped until it fits."""
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    page = plan.html
    trim = list(plan.trim)
    while True:
        document = HTML(string=page, url_fetcher=_no_fetching).render()
        if len(document.pages) <= plan.max_pages or not trim:
            break
        page = page.replace(trim.pop(), "", 1)
    if len(document.pages) > plan.max_pages:
        document = document.copy(document.pages[: plan.max_pages])
    return document


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"the corpus loads nothing: {url}")


def _page_text(page) -> str:
    """The text printed on a WeasyPrint page, line by line from the top (as a reader reads it):
    the pieces of text on one baseline (cells of a table row, a list's number and its item) form
    one line, joined by a space where a gap separates them."""
    from weasyprint.formatting_structure import boxes

    pieces: list[tuple[float, float, float, float, str]] = []  # baseline, x, end, height, text

    def walk(box):
        if isinstance(box, boxes.LineBox):
            baseline = box.position_y + (box.baseline or 0)
            for child in _descendants(box):
                if isinstance(child, boxes.TextBox) and child.text.strip():
                    x = child.content_box_x()
                    pieces.append((baseline, x, x + child.width, box.height or 0.0, child.text))
            return
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    pieces.sort(key=lambda p: (p[0], p[1]))
    lines: list[list[tuple[float, float, str]]] = []
    last_baseline = None
    for baseline, x, end, height, text in pieces:
        if last_baseline is not None and abs(baseline - last_baseline) <= max(2.0, height / 3):
            lines[-1].append((x, end, text))
        else:
            lines.append([(x, end, text)])
            last_baseline = baseline
    out = []
    for line in lines:
        line.sort()
        text = line[0][2]
        for (_, end, _text), (x, _end, piece) in itertools.pairwise(line):
            apart = x - end > 1.0 or text[-1:].isspace() or piece[:1].isspace()
            text += (" " if apart else "") + piece
        out.append(" ".join(text.split()))
    return "\n".join(out)


def _descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", None) or ():
        yield from _descendants(child)


def _gaussian_lut(sigma: float) -> list[int]:
    """Uniform bytes -> gaussian noise around 128 with standard deviation sigma."""
    normal = statistics.NormalDist()
    return [
        max(0, min(255, round(128 + sigma * normal.inv_cdf((b + 0.5) / 256)))) for b in range(256)
    ]


def _tilt(page, rng: random.Random) -> float:
    """Turn everything on the PDF page by up to 2 degrees around its middle, as a sheet lies
    askew on the scanner's glass: done on the page's objects before rasterising, so the text is
    drawn turned (sharp, anti-aliased) at no cost, instead of turning millions of pixels."""
    import pypdfium2

    angle = round(rng.uniform(-2.0, 2.0), 2)
    width, height = page.get_size()
    matrix = (
        pypdfium2.PdfMatrix()
        .translate(-width / 2, -height / 2)
        .rotate(angle, ccw=True)
        .translate(width / 2, height / 2)
    )
    for item in list(page.get_objects()):
        item.transform(matrix)
    return angle


def _degrade(image, rng: random.Random, *, photo: bool):
    """A scanned (or photographed) look: tones, blur, noise, dust, uneven light."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    paper = rng.randint(228, 250)
    ink = rng.randint(8, 45)
    mode = image.mode
    # black ink is never quite black, white paper never quite white
    lut = [round(ink + v * (paper - ink) / 255) for v in range(256)]
    image = image.point(lut * (1 if mode == "L" else 3))
    if rng.random() < 0.5:
        image = image.filter(ImageFilter.BoxBlur(rng.uniform(0.3, 0.7)))
    if photo:
        # light falling from one side: a gradient turned at random, cut from its middle
        gradient = Image.linear_gradient("L").resize((512, 512))
        gradient = gradient.rotate(rng.uniform(0, 360), resample=Image.Resampling.BILINEAR)
        gradient = gradient.crop((128, 128, 384, 384)).resize(image.size)
        low = rng.randint(170, 215)
        gradient = gradient.point([round(low + v * (255 - low) / 255) for v in range(256)])
        if mode != "L":
            gradient = Image.merge("RGB", (gradient, gradient, gradient))
        image = ImageChops.multiply(image, gradient)
    sigma = round(rng.uniform(4.0, 12.0), 1)
    # noise drawn at half resolution and scaled up: the grain of a scanner, and faster
    w, h = (image.width + 1) // 2, (image.height + 1) // 2
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h)).point(_gaussian_lut(sigma))
    noise = noise.resize(image.size, Image.Resampling.NEAREST)
    if mode != "L":
        noise = Image.merge("RGB", (noise, noise, noise))
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    draw = ImageDraw.Draw(image)
    dark = ink + 30 if mode == "L" else (ink + 30,) * 3
    for _ in range(rng.randint(10, 120)):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        radius = rng.uniform(0.5, 2.2)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=dark)
    return image, sigma


def _render(plan: _Plan, dest: str) -> dict:
    """Render one plan: the text original, the scan, and what is printed on each page."""
    import pypdfium2
    from PIL import Image

    rng = random.Random(plan.seed)  # noqa: S311 - generated data, not secrets
    document = _layout(plan)
    texts = [_page_text(page) for page in document.pages]
    originals = Path(dest) / "originals"
    scans = Path(dest) / "scans"
    original = originals / f"{plan.name}.pdf"
    pdf_bytes = document.write_pdf()
    original.write_bytes(pdf_bytes)
    screenshot = plan.family == "screenshot"
    pdf = pypdfium2.PdfDocument(pdf_bytes)
    images = []
    pages = []
    quality = None if screenshot and rng.random() < 0.5 else rng.randint(55, 88)
    color = screenshot or plan.scan_kind == "jpeg" or rng.random() < 0.2
    try:
        for number, text in enumerate(texts, 1):
            page = pdf[number - 1]
            angle = 0.0 if screenshot else _tilt(page, rng)
            bitmap = page.render(scale=plan.dpi / 72, grayscale=not color)
            image = bitmap.to_pil().convert("RGB" if color else "L")
            page.close()
            sigma = 0.0
            if not screenshot:
                image, sigma = _degrade(image, rng, photo=plan.scan_kind == "jpeg")
            images.append(image)
            pages.append(
                {
                    "number": number,
                    "text": text,
                    "width": image.width,
                    "height": image.height,
                    "rotation": angle,
                    "noise": sigma,
                    "jpeg_quality": quality,
                }
            )
    finally:
        pdf.close()
    if plan.scan_kind == "pdf":
        scan = scans / f"{plan.name}.pdf"
        images[0].save(
            scan,
            "PDF",
            save_all=True,
            append_images=images[1:],
            resolution=float(plan.dpi),
            quality=quality,
            title=None,
            creationDate=None,
            modDate=None,
        )
    elif plan.scan_kind == "jpeg":
        scan = scans / f"{plan.name}.jpg"
        images[0].save(scan, "JPEG", quality=quality, dpi=(plan.dpi, plan.dpi))
    else:
        scan = scans / f"{plan.name}.png"
        image = images[0]
        if quality is not None:  # passed through a chat application on its way
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality)
            buffer.seek(0)
            image = Image.open(buffer).convert("RGB")
        image.save(scan, "PNG", dpi=(plan.dpi, plan.dpi))
    return {"scan": str(scan), "original": str(original), "pages": pages}


def _render_all(plans: list[_Plan], dest: Path, workers: int) -> list[dict]:
    if workers <= 1 or len(plans) <= 1:
        return [_render(plan, str(dest)) for plan in plans]
    with ProcessPoolExecutor(max_workers=min(workers, len(plans))) as pool:
        return list(pool.map(_render, plans, [str(dest)] * len(plans), chunksize=1))


def generate(
    dest: Path, *, pages: int = 200, seed: int = 0, workers: int | None = None
) -> list[CorpusDocument]:
    """Write a corpus of at least `pages` scanned pages into `dest` (scans/, originals/ and
    corpus.json, the ground truth) and return its documents. The same seed gives the same
    corpus; `workers` processes render it (default: one per CPU, at most 4)."""
    dest = Path(dest)
    (dest / "scans").mkdir(parents=True, exist_ok=True)
    (dest / "originals").mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = min(4, os.cpu_count() or 1) if pages > 8 else 1
    rng = random.Random(seed)  # noqa: S311 - generated data, not secrets
    documents: list[CorpusDocument] = []
    total = 0
    index = 0
    while total < pages:
        plans = []
        planned = 0
        while total + planned < pages:
            family, scan_kind = SCHEDULE[index % len(SCHEDULE)]
            left = pages - total - planned
            target = min(rng.randint(1, MAX_PAGES), left)
            own = random.Random(rng.getrandbits(64))  # noqa: S311 - generated data
            plan = _plan(index, family, scan_kind, target, own)
            plans.append(plan)
            planned += 1 if scan_kind != "pdf" or family == "screenshot" else target
            index += 1
        for plan, result in zip(plans, _render_all(plans, dest, workers), strict=True):
            corpus_pages = tuple(CorpusPage(**page) for page in result["pages"])
            facts = _printed_facts(plan.facts, [page.text for page in corpus_pages])
            documents.append(
                CorpusDocument(
                    name=plan.name,
                    scan_path=Path(result["scan"]),
                    scan_kind=plan.scan_kind,
                    original_path=Path(result["original"]),
                    page_texts=[page.text for page in corpus_pages],
                    facts=facts,
                    dpi=plan.dpi,
                    pages=corpus_pages,
                )
            )
            total += len(corpus_pages)
    _write_manifest(dest, documents, seed)
    return documents


def _printed_facts(facts: dict, texts: list[str]) -> dict:
    """The facts, less those on pages that were not kept (a photographed first page of a
    longer document shows neither its date nor its signature)."""

    def squeezed(value: str) -> str:
        return "".join(value.split()).casefold()

    printed = squeezed("\n".join(texts))
    kept = {k: v for k, v in facts.items() if k != "draft_markers"}
    for key in ("number", "title", "official", "place"):
        if kept.get(key) and squeezed(kept[key]) not in printed:
            kept[key] = None
    when = kept.get("enacted_on")
    if when and squeezed(_Writer.spoken(when)) not in printed:
        kept["enacted_on"] = None
    if kept["draft"] and not any(squeezed(m) in printed for m in facts["draft_markers"]):
        kept["draft"] = False
    return kept


def _write_manifest(dest: Path, documents: list[CorpusDocument], seed: int) -> None:
    def plain(value):
        return value.isoformat() if isinstance(value, date) else value

    manifest = {
        "seed": seed,
        "pages": sum(len(d.page_texts) for d in documents),
        "documents": [
            {
                "name": d.name,
                "scan": d.scan_path.relative_to(dest).as_posix(),
                "scan_kind": d.scan_kind,
                "original": d.original_path.relative_to(dest).as_posix(),
                "dpi": d.dpi,
                "facts": {k: plain(v) for k, v in d.facts.items()},
                "pages": [
                    {
                        "text": p.text,
                        "rotation": p.rotation,
                        "noise": p.noise,
                        "jpeg_quality": p.jpeg_quality,
                    }
                    for p in d.pages
                ],
            }
            for d in documents
        ],
    }
    (dest / "corpus.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )

"""read_facts(): a document's kind, number, title, date of enactment, place, signing official and
draft markers, read from its text (extracted or OCR), tolerant of OCR noise."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.evidence.document_facts import (
    KIND_MINUTES,
    KIND_REGULATION,
    KIND_REPORT,
    KIND_SOP,
    DocumentFacts,
    parse_date,
    read_facts,
)

PERWAL = """\
WALI KOTA BANDUNG
PROVINSI JAWA BARAT

PERATURAN WALI KOTA BANDUNG
NOMOR 12 TAHUN 2024

TENTANG

ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK
KOTA BANDUNG TAHUN 2024-2026

DENGAN RAHMAT TUHAN YANG MAHA ESA

WALI KOTA BANDUNG,

Menimbang : a. bahwa dalam rangka mewujudkan tata kelola pemerintahan yang bersih perlu
disusun arsitektur SPBE;
Mengingat : 1. Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis
Elektronik;

MEMUTUSKAN:
Menetapkan : PERATURAN WALI KOTA TENTANG ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK.

Pasal 1
Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan.

Ditetapkan di Bandung
pada tanggal 3 Juni 2024

WALI KOTA BANDUNG,

ttd.

MUHAMMAD FARHAN

Diundangkan di Bandung
pada tanggal 5 Juni 2024
SEKRETARIS DAERAH KOTA BANDUNG,

ttd.

ONO SURONO

BERITA DAERAH KOTA BANDUNG TAHUN 2024 NOMOR 12
"""

KEPUTUSAN = """\
PEMERINTAH KOTA BOGOR
DINAS KOMUNIKASI DAN INFORMATIKA
Jalan Merdeka Nomor 2 Telepon (0251) 8321075 Bogor 16124

KEPUTUSAN KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KOTA BOGOR
NOMOR: 800/Kep.123-Diskominfo/2024

TENTANG
TIM PELAKSANA AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI

KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KOTA BOGOR,

Menimbang : a. bahwa perlu dibentuk tim;

MEMUTUSKAN:
KESATU : Membentuk Tim Pelaksana Audit TIK.

Ditetapkan di Bogor
pada tanggal 14 Februari 2024
KEPALA DINAS KOMUNIKASI DAN
INFORMATIKA KOTA BOGOR,

ttd.

Ir. SRI WAHYUNI, M.T.
Pembina Utama Muda
NIP. 19700101 199503 2 001
"""

SOP = """\
PEMERINTAH KABUPATEN SLEMAN
DINAS KOMUNIKASI DAN INFORMATIKA
STANDAR OPERASIONAL PROSEDUR
Nomor SOP 045/SOP-03/Diskominfo/2024
Tanggal Pembuatan 2 Januari 2024
Tanggal Revisi -
Tanggal Pengesahan 15 Januari 2024
Disahkan oleh KEPALA DINAS KOMUNIKASI DAN
INFORMATIKA KABUPATEN SLEMAN,
ttd.
DEDI SETIAWAN, S.Kom., M.Kom.
NIP. 19750505 200003 1 002
Nama SOP Pengelolaan Insiden Keamanan Informasi

Dasar Hukum:
1. Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik.
"""

NOTULEN = """\
NOTULEN RAPAT
PEMBAHASAN RANCANGAN ARSITEKTUR SPBE
Hari/Tanggal : Selasa, 7 Oktober 2025
Waktu : 09.00 WIB s.d. selesai
Pimpinan Rapat : Dr. H. Andi Santoso, M.M.
Notulis : Rina Rachman, S.T.

Hasil Rapat:
1. Dokumen Arsitektur SPBE perlu direviu.

Notulis,

ttd.

Rina Rachman, S.T.
"""

LAPORAN = """\
LAPORAN HASIL AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI
TAHUN 2024
BAB I PENDAHULUAN
Audit dilaksanakan terhadap aplikasi umum dan Pusat Data.

Bantul, 12 Desember 2024
KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KABUPATEN BANTUL,

YUSUF HIDAYAT
"""


# --- kind -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (PERWAL, KIND_REGULATION),
        (KEPUTUSAN, KIND_REGULATION),
        ("SURAT KEPUTUSAN BUPATI SLEMAN\nNOMOR 5 TAHUN 2023", KIND_REGULATION),
        (SOP, KIND_SOP),
        (NOTULEN, KIND_MINUTES),
        (LAPORAN, KIND_REPORT),
    ],
)
def test_the_kind_is_read_from_the_heading(text, kind):
    assert read_facts(text).kind == kind


def test_the_kind_after_marks_ocr_put_before_the_heading():
    assert read_facts(": NOTULEN\nRAPAT KOORDINASI TIM KOORDINATOR SPBE").kind == KIND_MINUTES
    assert read_facts("| PERATURAN BUPATI SLEMAN\nNOMOR 1 TAHUN 2024").kind == KIND_REGULATION


def test_a_keputusan_on_an_sop_is_a_regulation_its_heading_comes_first():
    text = "KEPUTUSAN WALI KOTA BANDUNG\nNOMOR 1 TAHUN 2024\nTENTANG\nSTANDAR OPERASIONAL PROSEDUR"
    assert read_facts(text).kind == KIND_REGULATION


@pytest.mark.parametrize(
    "text",
    [
        "Daftar Aplikasi\nNo Nama Aplikasi Perangkat Daerah Status\n1 SIMANTAP Diskominfo Aktif",
        "Berdasarkan Peraturan Presiden Nomor 95 Tahun 2018 tentang SPBE, layanan disusun.",
        "",
        "   \n\n  ",
    ],
)
def test_no_kind_when_the_text_shows_none(text):
    assert read_facts(text).kind is None


# --- number ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "number"),
    [
        ("NOMOR 12 TAHUN 2024", "12 TAHUN 2024"),
        ("NOMOR : 12 TAHUN 2024", "12 TAHUN 2024"),
        ("N0MOR l2 TAHUN 2O24", "12 TAHUN 2024"),
        ("NOMOR12TAHUN2024", "12 TAHUN 2024"),
        ("NOMOR 7 Tahun 2023", "7 TAHUN 2023"),
        ("NOMOR 18 TAHUN.2023", "18 TAHUN 2023"),
        ("NOMOR: 800/Kep.123-Diskominfo/2024", "800/Kep.123-Diskominfo/2024"),
        ("NOMOR : 188.45/ 123 /HUK/2024", "188.45/123/HUK/2024"),
        ("NOMOR 100.3.3.2/Kep.l23-Diskominfo/2O24", "100.3.3.2/Kep.123-Diskominfo/2024"),
    ],
)
def test_the_number_is_read_as_printed_after_nomor(line, number):
    text = f"KEPUTUSAN WALI KOTA BANDUNG\n{line}\nTENTANG\nTIM KOORDINATOR SPBE\n"
    assert read_facts(text).number == number


def test_the_number_on_the_line_after_nomor():
    text = "PERATURAN BUPATI SLEMAN\nNOMOR\n5 TAHUN 2023\nTENTANG\nPETA RENCANA SPBE\n"
    assert read_facts(text).number == "5 TAHUN 2023"


def test_number_and_title_on_one_line_with_the_heading():
    text = (
        "PERATURAN WALI KOTA BANDUNG NOMOR 12 TAHUN 2024 TENTANG ARSITEKTUR SISTEM"
        " PEMERINTAHAN BERBASIS ELEKTRONIK\n\nDENGAN RAHMAT TUHAN YANG MAHA ESA\n"
    )
    facts = read_facts(text)
    assert facts.number == "12 TAHUN 2024"
    assert facts.title == "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK"


def test_an_sop_number_is_read_from_its_table():
    assert read_facts(SOP).number == "045/SOP-03/Diskominfo/2024"


@pytest.mark.parametrize(
    "text",
    [
        # a draft: the number is still to be filled in
        "RANCANGAN\nPERATURAN WALI KOTA BANDUNG\nNOMOR ... TAHUN 2024\nTENTANG\nX\n",
        "RANCANGAN\nPERATURAN WALI KOTA BANDUNG\nNOMOR TAHUN 2024\nTENTANG\nX\n",
        "KEPUTUSAN BUPATI BANTUL\nNOMOR: 188.45/ ........ /2024\nTENTANG\nX\n",
        # only the laws cited, and the letterhead's street number
        "Jalan Merdeka Nomor 2 Bandung\nMengingat : Peraturan Presiden Nomor 95 Tahun 2018",
        "Menimbang : bahwa perlu\nMengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang X;",
    ],
)
def test_no_number_when_none_is_printed_in_the_heading(text):
    assert read_facts(text).number is None


def test_the_number_of_the_berita_daerah_is_not_the_regulations():
    text = PERWAL.replace("NOMOR 12 TAHUN 2024\n", "")
    assert read_facts(text).number is None


# --- title ----------------------------------------------------------------------------------


def test_the_title_runs_to_the_next_block_on_one_line():
    assert read_facts(PERWAL).title == (
        "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK KOTA BANDUNG TAHUN 2024-2026"
    )


def test_the_title_stops_at_the_position_of_the_signer():
    assert read_facts(KEPUTUSAN).title == "TIM PELAKSANA AUDIT TEKNOLOGI INFORMASI DAN KOMUNIKASI"


def test_a_title_hyphenated_across_lines_is_joined():
    text = (
        "PERATURAN BUPATI BANTUL\nNOMOR 3 TAHUN 2022\nTENTANG\nPENYELENGGARAAN SISTEM PEMERIN-\n"
        "TAHAN BERBASIS ELEKTRONIK\n\nBUPATI BANTUL,\n"
    )
    assert read_facts(text).title == "PENYELENGGARAAN SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK"


def test_a_title_split_by_the_column_of_labels_ocr_read_first():
    # OCR read the labels "Menimbang" and "Mengingat" as a block before the title's last line
    text = (
        "PERATURAN WALI KOTA PADANG\nNOMOR 4 TAHUN 2023\n\nTENTANG\n\n"
        "PENGGUNAAN SERTIFIKAT ELEKTRONIK DI LINGKUNGAN\n\nMenimbang\n\nMengingat\n\n"
        "PEMERINTAH KOTA PADANG\n\nDENGAN RAHMAT TUHAN YANG MAHA ESA\n\nWALI KOTA PADANG,\n\n"
        "bahwa dalam rangka mewujudkan tata kelola pemerintahan\n"
    )
    assert read_facts(text).title == (
        "PENGGUNAAN SERTIFIKAT ELEKTRONIK DI LINGKUNGAN PEMERINTAH KOTA PADANG"
    )


def test_a_title_split_by_the_labels_of_the_dicta():
    text = (
        "KEPUTUSAN WALI KOTA SURAKARTA\nNOMOR: 188.45/12/2024\n\nTENTANG\n"
        "TIM PENYUSUN ARSITEKTUR DAN PETA RENCANA SPBE\n\nMenimbang\n\n-Mengingat\n\n"
        "Menetapkan\n\nKESATU\n\nKEDUA\n\nKOTA SURAKARTA\n\nWALI KOTA SURAKARTA,\n"
        "a. bahwa untuk meningkatkan keterpaduan\n"
    )
    assert read_facts(text).title == "TIM PENYUSUN ARSITEKTUR DAN PETA RENCANA SPBE KOTA SURAKARTA"


def test_a_title_split_by_a_list_marker_read_apart():
    text = (
        "PERATURAN WALI KOTA PONTIANAK\nNOMOR 3 TAHUN 2024\nTENTANG\n\n"
        "PENGGUNAAN SERTIFIKAT ELEKTRONIK DI LINGKUNGAN\n\nMenimbang\n\nMenetapkan :\n\na.\n\n"
        "PEMERINTAH KOTA PONTIANAK\n\nDENGAN RAHMAT TUHAN YANG MAHA ESA\n"
    )
    assert read_facts(text).title == (
        "PENGGUNAAN SERTIFIKAT ELEKTRONIK DI LINGKUNGAN PEMERINTAH KOTA PONTIANAK"
    )


def test_a_block_of_considerations_ocr_read_before_the_heading():
    text = (
        "Menimbang : a. bahwa untuk meningkatkan keterpaduan\n\nBUPATI SIAK\n\n"
        "KEPUTUSAN BUPATI SIAK\nNOMOR: 188.45/568/BPKAD/2025\n\nTENTANG\n\n"
        "TIM PENYUSUN ARSITEKTUR DAN PETA RENCANA\nSPBE KABUPATEN SIAK\n\nBUPATI SIAK,\n"
    )
    facts = read_facts(text)
    assert facts.number == "188.45/568/BPKAD/2025"
    assert facts.title == "TIM PENYUSUN ARSITEKTUR DAN PETA RENCANA SPBE KABUPATEN SIAK"


def test_a_heading_read_line_by_line_across_its_columns():
    # what OCR gives when it reads each line across the page (the labels' column included)
    text = (
        "? . KEPUTUSAN KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KABUPATEN .\n: BANTUL\n"
        ": NOMOR: 000.8.3.3/298/2021\nTENTANG\nPENETAPAN PENGELOLA PORTAL DAN SITUS WEB 3\n"
        "PERANGKAT DAERAH :\n: 5 é DENGAN RAHMAT TUHAN YANG MAHA ESA\n"
        "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KABUPATEN BANTUL, .\n"
        "Menimbang : a. bahwa untuk meningkatkan keterpaduan\n"
    )
    facts = read_facts(text)
    assert facts.kind == KIND_REGULATION
    assert facts.number == "000.8.3.3/298/2021"
    assert facts.title == "PENETAPAN PENGELOLA PORTAL DAN SITUS WEB PERANGKAT DAERAH"


def test_a_title_joined_with_the_position_after_it():
    text = (
        "KEPUTUSAN KEPALA DINAS KOMINFO\nNOMOR 800/1/2024\nTENTANG\nTIM PENYUSUN ARSITEKTUR\n"
        "SPBE KABUPATEN LAMONGAN : KEPALA DINAS KOMUNIKASI DAN INFORMATIKA KABUPATEN\n"
    )
    assert read_facts(text).title == "TIM PENYUSUN ARSITEKTUR SPBE KABUPATEN LAMONGAN"


def test_marks_ocr_left_at_the_ends_of_a_title_are_dropped():
    text = "KEPUTUSAN BUPATI SIAK\nNOMOR 2 TAHUN 2025\nTENTANG\n| TIM KOORDINATOR SPBE i\n\nBUPATI"
    assert read_facts(text).title == "TIM KOORDINATOR SPBE"


def test_the_title_keeps_the_case_printed_and_normalises_spaces():
    text = "KEPUTUSAN BUPATI SLEMAN\nNOMOR 1 TAHUN 2024\nTENTANG  Tim   Koordinator SPBE\n\nBUPATI"
    assert read_facts(text).title == "Tim Koordinator SPBE"


def test_an_sop_title_is_its_name():
    assert read_facts(SOP).title == "Pengelolaan Insiden Keamanan Informasi"


def test_an_sop_name_wrapped_in_its_cell():
    text = (
        "STANDAR OPERASIONAL PROSEDUR\nNama SOP Pengembangan Aplikasi Sistem Pemerintahan Berbasis"
        "\n\nElektronik\n\nDasar Hukum:\n"
    )
    assert read_facts(text).title == "Pengembangan Aplikasi Sistem Pemerintahan Berbasis Elektronik"


@pytest.mark.parametrize(
    "text",
    [
        "PERATURAN WALI KOTA BANDUNG\nNOMOR 12 TAHUN 2024\n\nDENGAN RAHMAT TUHAN YANG MAHA ESA",
        "Mengingat : Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan",
        NOTULEN,
        LAPORAN,
    ],
)
def test_no_title_without_tentang_in_the_heading(text):
    assert read_facts(text).title is None


# --- date and place of enactment ------------------------------------------------------------


def test_the_date_of_enactment_not_of_promulgation():
    facts = read_facts(PERWAL)
    assert facts.enacted_on == date(2024, 6, 3)
    assert facts.place == "Bandung"


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("Ditetapkan di Bandung pada tanggal 3 Juni 2024", date(2024, 6, 3)),
        ("Ditetapkan di : Bandung\nPada tanggal : 03-06-2024", date(2024, 6, 3)),
        ("Ditetapkan di Bandung\npada tanggal 3 Juni2024", date(2024, 6, 3)),
        ("Ditetapkan di Bandung\npada tanggal 3Juni 2O24", date(2024, 6, 3)),
        ("Ditetapkan di Bandung\npada tanggal 1O Desernber 2024", date(2024, 12, 10)),
        ("Dltetapkan dl Bandung\npada tangga1 3 Juni 2024", date(2024, 6, 3)),
        ("Ditetapkan di Bandung\npada tanggal June 3, 2024", date(2024, 6, 3)),
        ("Ditetapkan di Bandung\npada tanggal\n3 Juni 2024", date(2024, 6, 3)),
    ],
)
def test_the_date_of_enactment_with_ocr_noise(block, expected):
    facts = read_facts(f"PERATURAN WALI KOTA BANDUNG\n\n{block}\nWALI KOTA BANDUNG,\n")
    assert facts.enacted_on == expected
    assert facts.place == "Bandung"


def test_an_unfilled_date_of_a_draft_is_none_but_the_place_is_read():
    facts = read_facts("Ditetapkan di Sleman\npada tanggal\nBUPATI SLEMAN,\n\nKUSTINI\n")
    assert facts.enacted_on is None
    assert facts.place == "Sleman"
    assert facts.official == "KUSTINI"


def test_an_impossible_date_is_none():
    assert read_facts("Ditetapkan di Bandung\npada tanggal 31 Februari 2024\n").enacted_on is None


def test_the_sop_date_is_its_approval():
    assert read_facts(SOP).enacted_on == date(2024, 1, 15)


def test_the_minutes_date_is_the_meeting():
    assert read_facts(NOTULEN).enacted_on == date(2025, 10, 7)


def test_a_place_and_date_line_with_a_mark_after_it():
    text = "Siak Sri Indrapura, 2 Agustus 2025 ©\nKEPALA DINAS,\n\nttd.\n\nRUDI HAKIM\n"
    facts = read_facts(text)
    assert facts.enacted_on == date(2025, 8, 2)
    assert facts.place == "Siak Sri Indrapura"


def test_the_report_date_is_above_its_signature():
    facts = read_facts(LAPORAN)
    assert facts.enacted_on == date(2024, 12, 12)
    assert facts.place == "Bantul"


def test_only_a_promulgation_date_is_not_an_enactment():
    text = "Diundangkan di Bandung\npada tanggal 5 Juni 2024\nSEKRETARIS DAERAH KOTA BANDUNG,\n"
    facts = read_facts(text)
    assert facts.enacted_on is None
    assert facts.place is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Juni 2024", date(2024, 6, 3)),
        ("Senin, 03 JUNI 2024", date(2024, 6, 3)),
        ("17 Agustus 1945", date(1945, 8, 17)),
        ("1 Nopember 2023", date(2023, 11, 1)),
        ("2 Pebruari 2022", date(2022, 2, 2)),
        ("9 Sept. 2024", date(2024, 9, 9)),
        ("12 Ju1i 2024", date(2024, 7, 12)),
        ("30/09/2024", date(2024, 9, 30)),
        ("|1 Mei 2022", date(2022, 5, 1)),  # a table's rule, not a 1
        ("l2 Mei 2022", date(2022, 5, 12)),
        ("Sabtu, | Maret 2025", date(2025, 3, 1)),  # the 1 read as a rule
        ("Ilmu Maret 2025", None),
        ("5.1.2025", date(2025, 1, 5)),
        ("October 1st, 2024", date(2024, 10, 1)),
        ("tanggal", None),
        ("3 Juna 2024", None),  # Juni or Juli: too close to both to tell
        ("99 Juni 2024", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


# --- official -------------------------------------------------------------------------------


def test_the_official_below_ttd():
    assert read_facts(PERWAL).official == "MUHAMMAD FARHAN"


def test_the_official_below_a_position_on_two_lines_with_degrees():
    assert read_facts(KEPUTUSAN).official == "Ir. SRI WAHYUNI, M.T."


def test_the_official_below_the_marks_of_a_signature_and_a_stamp():
    text = (
        "Ditetapkan di Padang\npada tanggal 3 Juni 2024\nWALI KOTA PADANG,\n\n"
        "~ /7 ( ~~\n\n@ )) —\n\nRUDI PRATAMA\n"
    )
    assert read_facts(text).official == "RUDI PRATAMA"


def test_a_name_whose_degrees_wrap_to_the_next_line():
    text = (
        "Bantul, 2 Juli 2022\nKEPALA DINAS KOMUNIKASI DAN\nINFORMATIKA KABUPATEN BANTUL,\n"
        "Drs. YUSUF HANDAYANI, S.T.,\nM.T.\nPenata Tingkat I\nNIP. 19720214 200711 2 002\n"
    )
    assert read_facts(text).official == "Drs. YUSUF HANDAYANI, S.T., M.T."


def test_a_position_over_three_lines_is_not_a_name():
    text = (
        "Ditetapkan di Bogor\npada tanggal 1 Mei 2024\nKEPALA BADAN KEPEGAWAIAN DAN\n"
        "PENGEMBANGAN SUMBER DAYA\nMANUSIA KOTA BOGOR,\n\nttd\n\nENDANG PURNAMA\n"
    )
    assert read_facts(text).official == "ENDANG PURNAMA"


def test_the_name_below_what_ocr_made_of_a_signature():
    text = (
        "Ditetapkan di Wates\npada tanggal 26 Agustus 2023\nBUPATI KULON PROGO,\n\nAr end\n"
        "ENDANG HAKIM, S.E., M.Ak.\n"
    )
    assert read_facts(text).official == "ENDANG HAKIM, S.E., M.Ak."


def test_a_name_whose_degrees_ocr_lost():
    text = (
        "Ditetapkan di Makassar\npada tanggal 2 Januari 2023\nWALI KOTA MAKASSAR,\n\nttd.\n\n"
        "Dr. NYOMAN EKA SANTOSO,\n\n.Kom.\n"
    )
    assert read_facts(text).official == "Dr. NYOMAN EKA SANTOSO"


def test_an_honorific_read_with_a_comma():
    text = "Wates, 17 Mei 2024\nPimpinan Rapat,\n\nttd.\nH, Dian Pratama\n"
    assert read_facts(text).official == "H. Dian Pratama"


@pytest.mark.parametrize(
    ("text", "official"),
    [
        (SOP, "DEDI SETIAWAN, S.Kom., M.Kom."),
        (NOTULEN, "Rina Rachman, S.T."),
        (LAPORAN, "YUSUF HIDAYAT"),
    ],
)
def test_the_official_of_an_sop_minutes_and_report(text, official):
    assert read_facts(text).official == official


@pytest.mark.parametrize(
    "text",
    [
        "Ditetapkan di Bandung\npada tanggal 3 Juni 2024\nWALI KOTA BANDUNG,\n",
        "Ditetapkan di Bandung\npada tanggal 3 Juni 2024\nKEPALA DINAS,\nNIP. 19700101 1995\n",
        "Daftar hadir rapat tanpa tanda tangan",
        "Bandung, 2 Mei 2024\nKEPALA DINAS,\n\nLAMPIRAN\n",
        "STANDAR OPERASIONAL PROSEDUR\nDisahkan oleh KEPALA DINAS,\n~~ ~\nNama SOP Data Center\n",
    ],
)
def test_no_official_without_a_name_below_the_signature(text):
    assert read_facts(text).official is None


# --- draft markers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        ("RANCANGAN\nPERATURAN WALI KOTA BANDUNG\nNOMOR ... TAHUN 2024", ("RANCANGAN",)),
        ("RANCANGAN PERATURAN BUPATI SLEMAN\nNOMOR TAHUN 2024", ("RANCANGAN",)),
        ("[ DRAFT ]\nKEPUTUSAN WALI KOTA BANDUNG", ("DRAFT",)),
        ("D R A F T\nKEPUTUSAN WALI KOTA BANDUNG", ("DRAFT",)),
        ("KONSEP\nNOTULEN RAPAT", ("KONSEP",)),
        ("K0NSEP\nNOTULEN RAPAT", ("KONSEP",)),
        ("Draft v2\nSOP Helpdesk", ("DRAFT",)),
        ("DRAF\nRANCANGAN PERATURAN DAERAH", ("DRAFT", "RANCANGAN")),
    ],
)
def test_draft_markers(text, markers):
    facts = read_facts(text)
    assert facts.draft_markers == markers
    assert facts.is_draft


@pytest.mark.parametrize(
    "text",
    [
        PERWAL,
        NOTULEN,  # "PEMBAHASAN RANCANGAN ARSITEKTUR SPBE": a meeting about a draft
        "Tim menyusun rancangan arsitektur SPBE dan konsep peta rencana.",
        "TENTANG\nPENYUSUNAN RANCANGAN ARSITEKTUR SPBE\n",
    ],
)
def test_no_draft_marker_in_a_signed_document(text):
    assert read_facts(text).draft_markers == ()


def test_markers_are_read_in_the_first_pages_only():
    text = "PERATURAN WALI KOTA BANDUNG\n" + "isi pasal\n" * 2000 + "DRAFT\n"
    assert read_facts(text).draft_markers == ()
    assert read_facts(text, first_pages_chars=100_000).draft_markers == ("DRAFT",)


# --- robustness -----------------------------------------------------------------------------


def test_the_reader_imports_no_django():
    code = (
        "import sys, monev.evidence.document_facts;"
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code], check=False)  # noqa: S603 - our code
    assert run.returncode == 0


def test_nothing_in_an_empty_text():
    assert read_facts("") == DocumentFacts()


def test_the_enactment_block_far_beyond_the_first_pages():
    body = "Pasal 2\nPerangkat Daerah menyusun Arsitektur SPBE.\n" * 400
    text = PERWAL.replace("Pasal 1\n", body)
    assert len(text) > 6000
    facts = read_facts(text)
    assert facts.enacted_on == date(2024, 6, 3)
    assert facts.official == "MUHAMMAD FARHAN"


def test_long_hostile_text_is_read_quickly():
    texts = [
        "Ditetapkan di " * 20_000,
        "NOMOR " * 20_000 + "TENTANG",
        "PERATURAN " + "x " * 50_000 + "NOMOR",
        "1" * 100_000,
        ("Bandung, " + "a " * 50) * 2_000,
        "\n" * 100_000 + "-\n" * 10_000,
    ]
    started = time.perf_counter()
    for text in texts:
        read_facts(text)
    assert time.perf_counter() - started < 10  # seconds: linear work, no runaway backtracking


HEADING_WORDS = [
    "PERATURAN WALI KOTA BANDUNG",
    "KEPUTUSAN BUPATI",
    "NOMOR",
    "NOMOR 12 TAHUN 2024",
    "NOMOR: 800/Kep.1-Diskominfo/2024",
    "TENTANG",
    "DENGAN RAHMAT TUHAN YANG MAHA ESA",
    "Menimbang",
    "Ditetapkan di",
    "pada tanggal",
    "3 Juni 2024",
    "WALI KOTA BANDUNG,",
    "ttd.",
    "RANCANGAN",
    "Nomor SOP",
    "Nama SOP",
    "Hari/Tanggal :",
    "Notulis,",
    "Disahkan oleh",
    "-",
    ",",
    "",
]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_read_facts_never_raises_on_any_text(text):
    facts = read_facts(text)
    assert isinstance(facts, DocumentFacts)
    assert facts == read_facts(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(HEADING_WORDS), st.text(max_size=30)), max_size=40),
    st.integers(min_value=-5, max_value=10_000),
)
def test_read_facts_never_raises_on_document_like_text(pieces, first_pages_chars):
    text = "\n".join(pieces)
    facts = read_facts(text, first_pages_chars=first_pages_chars)
    assert facts.kind in {None, KIND_REGULATION, KIND_SOP, KIND_MINUTES, KIND_REPORT}
    assert facts.enacted_on is None or isinstance(facts.enacted_on, date)
    assert all(isinstance(marker, str) for marker in facts.draft_markers)
    assert facts.title is None or (facts.title and "\n" not in facts.title)

"""What the demo is made of. All of it is invented for the demo except the published history,
which is quoted from the sources named beside each figure.

The story: in July 2025 Kota Bandung's self-assessed standing for
Triwulan II was 3.00 against a target of 4.62, with the ICT audit aspect the weakest, evidence due
on 18 August 2025 and a mentoring session with the external assessors on 6 August 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")

INSTITUTION = {
    "code": "demo-kota-bandung",
    "name": "Pemerintah Kota Bandung (DEMO)",
    "short_name": "Kota Bandung (DEMO)",
    "kind": "kota",
    "province": "Jawa Barat",
}

INSTRUMENT = "spbe-2020"
YEAR = 2025
KIND = "pemantauan"
TARGET = Decimal("4.62")
SELF_ASSESSED_INDEX = Decimal("3.00")  # the Triwulan II standing; the loader checks it
WEAKEST_ASPECT = "A6"  # Audit Teknologi Informasi dan Komunikasi


# --- perangkat daerah ---------------------------------------------------------------------------

# (code, name, short name); codes are the demo's own, ordered as the pages list them.
UNITS: list[tuple[str, str, str]] = [
    ("bag-hukum", "Bagian Hukum Sekretariat Daerah", "Bagian Hukum"),
    ("bag-organisasi", "Bagian Organisasi Sekretariat Daerah", "Bagian Organisasi"),
    ("bag-pbj", "Bagian Pengadaan Barang/Jasa Sekretariat Daerah", "Bagian PBJ"),
    ("bakesbangpol", "Badan Kesatuan Bangsa dan Politik", "Bakesbangpol"),
    ("bapenda", "Badan Pendapatan Daerah", "Bapenda"),
    ("bappelitbang", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan", "Bappelitbang"),
    ("bkad", "Badan Keuangan dan Aset Daerah", "BKAD"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKPSDM"),
    ("dcktr", "Dinas Cipta Karya, Bina Konstruksi dan Tata Ruang", "DCKTR"),
    ("disarpus", "Dinas Arsip dan Perpustakaan", "Disarpus"),
    ("disbudpar", "Dinas Kebudayaan dan Pariwisata", "Disbudpar"),
    ("disdagin", "Dinas Perdagangan dan Perindustrian", "Disdagin"),
    ("disdik", "Dinas Pendidikan", "Dinas Pendidikan"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("dishub", "Dinas Perhubungan", "Dinas Perhubungan"),
    ("diskar-pb", "Dinas Kebakaran dan Penanggulangan Bencana", "Diskar PB"),
    ("diskominfo", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("diskopukm", "Dinas Koperasi dan Usaha Kecil Menengah", "Diskop UKM"),
    ("disnaker", "Dinas Tenaga Kerja", "Disnaker"),
    ("dinkes", "Dinas Kesehatan", "Dinas Kesehatan"),
    ("dinsos", "Dinas Sosial", "Dinas Sosial"),
    ("dispora", "Dinas Pemuda dan Olahraga", "Dispora"),
    ("dkpp", "Dinas Ketahanan Pangan dan Pertanian", "DKPP"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "DP3A"),
    ("dpkp", "Dinas Perumahan dan Kawasan Permukiman", "DPKP"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("dppkb", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "DPPKB"),
    ("dsdabm", "Dinas Sumber Daya Air dan Bina Marga", "DSDABM"),
    ("inspektorat", "Inspektorat Daerah", "Inspektorat"),
    ("rsud", "Rumah Sakit Umum Daerah Kota Bandung", "RSUD"),
    ("satpol-pp", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("setwan", "Sekretariat DPRD", "Sekretariat DPRD"),
]


# --- people: one per role -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str  # institutions.models.Role value
    label: str  # printed beside the login
    units: tuple[str, ...] = ()  # unit codes (operators only)
    superuser: bool = False


USERS: list[DemoUser] = [
    DemoUser("koordinator", "Rina Kusumawati - Diskominfo (DEMO)", "koordinator", "Koordinator"),
    DemoUser(
        "operator",
        "Dedi Supriadi - Operator (DEMO)",
        "operator",
        "Operator unit",
        units=("bappelitbang", "bkad", "bkpsdm"),
    ),
    DemoUser(
        "asesor.internal",
        "Sri Wahyuni - Inspektorat (DEMO)",
        "asesor_internal",
        "Asesor internal",
    ),
    DemoUser(
        "asesor.eksternal",
        "Agus Hermawan - Asesor KemenPANRB (DEMO)",
        "asesor_eksternal",
        "Asesor eksternal",
    ),
    DemoUser("pimpinan", "Sekretaris Daerah (DEMO)", "pimpinan", "Pimpinan"),
    DemoUser("admin", "Admin Monev (DEMO)", "admin", "Admin", superuser=True),
]


# --- milestones of the 2025 monitoring period ---------------------------------------------------


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WIB)


# The story's moment: Kota Bandung on the day after its plan was made, four weeks before the
# evidence deadline. The demo institution's clock starts here whenever the demo is loaded
# (monev.institutions.clock), so every role's journey can be tried at once.
STORY_MOMENT = at(2025, 7, 23, 9, 0)

# (kind, date, title); the self-assessment closes at the evidence deadline.
MILESTONES: list[tuple[str, datetime, str]] = [
    ("triwulan_1", at(2025, 3, 31, 23, 59), "Triwulan I"),
    ("triwulan_2", at(2025, 6, 30, 23, 59), "Triwulan II"),
    ("self_assessment_open", at(2025, 7, 1, 8, 0), "Penilaian mandiri dibuka"),
    ("mentoring", at(2025, 8, 6, 9, 0), "Pendampingan intensif bersama asesor eksternal"),
    ("evidence_deadline", at(2025, 8, 18, 23, 59), "Batas akhir unggah data dukung"),
    ("self_assessment_close", at(2025, 8, 18, 23, 59), "Penilaian mandiri ditutup"),
    ("triwulan_3", at(2025, 9, 30, 23, 59), "Triwulan III"),
    ("document_review", at(2025, 9, 8, 9, 0), "Penilaian dokumen oleh asesor eksternal"),
    ("interview", at(2025, 10, 13, 9, 0), "Penilaian interviu"),
    ("announcement", at(2025, 12, 15, 9, 0), "Pengumuman hasil pemantauan (perkiraan)"),
    ("triwulan_4", at(2025, 12, 31, 23, 59), "Triwulan IV"),
]


# --- who is responsible for which indicator ------------------------------------------------------

_POLICY = ("bag-hukum", "bag-organisasi", "diskominfo")
_AUDIT = ("inspektorat", "diskominfo")

ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    "1": (*_POLICY, "bappelitbang"),
    "2": (*_POLICY, "bappelitbang"),
    "3": _POLICY,
    "4": _POLICY,
    "5": _POLICY,
    "6": _POLICY,
    "7": _POLICY,
    "8": _POLICY,
    "9": (*_POLICY, "inspektorat"),
    "10": _POLICY,
    "11": ("diskominfo", "bappelitbang"),
    "12": ("diskominfo", "bappelitbang"),
    "13": ("bappelitbang", "bkad", "diskominfo"),
    "14": ("bag-organisasi", "bappelitbang", "diskominfo"),
    "15": ("diskominfo",),
    "16": ("diskominfo",),
    "17": ("diskominfo",),
    "18": ("diskominfo",),
    "19": ("diskominfo", "bappelitbang"),
    "20": ("diskominfo", "bappelitbang", "bag-organisasi"),
    "21": ("diskominfo", "inspektorat"),
    "22": ("diskominfo",),
    "23": ("diskominfo", "bappelitbang"),
    "24": ("diskominfo", "bkad"),
    "25": ("bkpsdm", "diskominfo"),
    "26": ("diskominfo", "bkpsdm"),
    "27": ("diskominfo", "bag-organisasi"),
    "28": ("diskominfo",),
    "29": _AUDIT,
    "30": _AUDIT,
    "31": _AUDIT,
    "32": ("bappelitbang",),
    "33": ("bkad", "bappelitbang"),
    "34": ("bkad", "bapenda"),
    "35": ("bag-pbj",),
    "36": ("bkpsdm",),
    "37": ("disarpus", "diskominfo"),
    "38": ("bkad",),
    "39": ("inspektorat",),
    "40": ("bag-organisasi", "bappelitbang"),
    "41": ("bkpsdm",),
    "42": ("diskominfo",),
    "43": ("diskominfo", "bappelitbang"),
    "44": ("bag-hukum",),
    "45": ("disdukcapil",),
    "46": ("dpmptsp",),
    "47": ("dinkes",),
}


# --- the answers at Triwulan II 2025 ------------------------------------------------------------

DRAFT, SUBMITTED, VERIFIED, RETURNED = "draft", "submitted", "verified", "returned"


@dataclass(frozen=True)
class DemoAnswer:
    level: int
    explanation: str
    state: str = DRAFT


ANSWERS: dict[str, DemoAnswer] = {
    # Domain 1 - Kebijakan Internal SPBE
    "1": DemoAnswer(
        4,
        "Arsitektur SPBE Kota Bandung ditetapkan dengan Peraturan Wali Kota dan telah direviu "
        "bersama Bappelitbang. Kebijakan memuat seluruh domain arsitektur dan dipakai sebagai "
        "acuan penyusunan rencana kerja perangkat daerah, sehingga memenuhi kriteria tingkat 4.",
        VERIFIED,
    ),
    "2": DemoAnswer(
        3,
        "Peta Rencana SPBE 2023-2026 ditetapkan dengan Peraturan Wali Kota dan berlaku untuk "
        "seluruh perangkat daerah. Reviu berkala belum terdokumentasi, sehingga tingkat 3.",
        SUBMITTED,
    ),
    "3": DemoAnswer(
        3,
        "Kebijakan Satu Data Kota Bandung ditetapkan dengan Peraturan Wali Kota dan mengatur "
        "arsitektur data, data induk, dan walidata untuk seluruh perangkat daerah.",
        SUBMITTED,
    ),
    "4": DemoAnswer(
        3,
        "Pedoman pembangunan dan pengembangan aplikasi ditetapkan dengan Keputusan Wali Kota "
        "dan mewajibkan rekomendasi Diskominfo sebelum pengadaan aplikasi oleh perangkat daerah.",
    ),
    "5": DemoAnswer(
        3,
        "Kebijakan layanan pusat data mengatur penempatan seluruh server perangkat daerah di "
        "pusat data Diskominfo; berlaku untuk seluruh unit kerja.",
    ),
    "6": DemoAnswer(
        3,
        "Kebijakan jaringan intra pemerintah daerah ditetapkan dan mengatur penggunaan jaringan "
        "fiber optik milik Pemkot oleh seluruh perangkat daerah.",
    ),
    "7": DemoAnswer(
        2,
        "Kebijakan penggunaan sistem penghubung layanan masih berupa surat edaran Sekretaris "
        "Daerah; belum ditetapkan sebagai kebijakan wali kota yang berlaku menyeluruh.",
    ),
    "8": DemoAnswer(
        3,
        "Kebijakan manajemen keamanan informasi ditetapkan dengan Peraturan Wali Kota dan "
        "mengacu pada standar BSSN; berlaku untuk seluruh perangkat daerah.",
    ),
    "9": DemoAnswer(
        2,
        "Rancangan kebijakan audit TIK telah disusun bersama Inspektorat dan sedang dalam "
        "harmonisasi di Bagian Hukum; baru terkelola, belum ditetapkan.",
    ),
    "10": DemoAnswer(
        4,
        "Tim Koordinasi SPBE ditetapkan dengan Keputusan Wali Kota, diketuai Sekretaris Daerah, "
        "dan tugasnya dievaluasi setiap tahun dalam rapat koordinasi.",
        VERIFIED,
    ),
    # Domain 2 - Tata Kelola SPBE
    "11": DemoAnswer(
        3,
        "Arsitektur SPBE digunakan sebagai acuan dalam penyusunan Renja dan RKA perangkat daerah; "
        "keterpaduan dengan arsitektur nasional belum diukur.",
        VERIFIED,
    ),
    "12": DemoAnswer(
        3,
        "Peta Rencana SPBE dilaksanakan oleh perangkat daerah sesuai jadwal; capaian dipantau "
        "Diskominfo tetapi belum diukur dengan indikator kinerja.",
        VERIFIED,
    ),
    "13": DemoAnswer(
        4,
        "Belanja TIK perangkat daerah direncanakan melalui e-planning dan diverifikasi "
        "Diskominfo sebelum masuk e-budgeting; rekapitulasi belanja TIK disampaikan ke BKAD.",
        RETURNED,
    ),
    "14": DemoAnswer(
        3,
        "Inovasi proses bisnis dilakukan melalui program Bandung Smart City dan dicatat dalam "
        "peta proses bisnis yang disusun Bagian Organisasi.",
    ),
    "15": DemoAnswer(
        3,
        "Pembangunan aplikasi mengikuti pedoman dan siklus pengembangan yang ditetapkan; "
        "repositori kode dan dokumentasi dikelola Diskominfo.",
        VERIFIED,
    ),
    "16": DemoAnswer(
        3,
        "Pusat data Pemkot melayani hosting aplikasi seluruh perangkat daerah dengan prosedur "
        "standar permintaan layanan.",
        VERIFIED,
    ),
    "17": DemoAnswer(
        3,
        "Jaringan intra menghubungkan kantor perangkat daerah, kecamatan, dan kelurahan dengan "
        "prosedur operasional baku.",
    ),
    "18": DemoAnswer(
        3,
        "Sistem penghubung layanan dipakai untuk pertukaran data kependudukan dan perizinan "
        "antar aplikasi sesuai standar interoperabilitas.",
    ),
    "19": DemoAnswer(
        3,
        "Tim Koordinasi SPBE bersidang setiap triwulan; notulen dan tindak lanjut dicatat "
        "Diskominfo untuk seluruh perangkat daerah.",
        SUBMITTED,
    ),
    "20": DemoAnswer(
        3,
        "Kolaborasi penerapan SPBE dengan Pemprov Jawa Barat dan perguruan tinggi dituangkan "
        "dalam perjanjian kerja sama dan dilaksanakan sesuai rencana.",
        SUBMITTED,
    ),
    # Domain 3 - Manajemen SPBE
    "21": DemoAnswer(
        2,
        "Register risiko SPBE disusun oleh Diskominfo; penerapan di perangkat daerah lain belum "
        "berpedoman baku.",
    ),
    "22": DemoAnswer(
        2,
        "Manajemen keamanan informasi terencana: CSIRT Kota Bandung terbentuk dan melakukan "
        "penilaian Indeks KAMI, tetapi belum menyeluruh ke semua aplikasi.",
        SUBMITTED,
    ),
    "23": DemoAnswer(
        2,
        "Pengelolaan data melalui portal Satu Data terencana, tetapi daftar data dan "
        "metadata belum lengkap di semua perangkat daerah.",
    ),
    "24": DemoAnswer(
        2,
        "Inventaris aset TIK dicatat Diskominfo dan BKAD secara terpisah; belum ada pedoman "
        "manajemen aset TIK yang baku.",
    ),
    "25": DemoAnswer(
        3,
        "Pengembangan kompetensi SDM TIK mengikuti rencana pengembangan kompetensi BKPSDM dan "
        "standar kompetensi jabatan pranata komputer.",
        SUBMITTED,
    ),
    "26": DemoAnswer(
        2,
        "Pengetahuan SPBE didokumentasikan di portal internal Diskominfo; belum ada pedoman "
        "manajemen pengetahuan untuk seluruh perangkat daerah.",
    ),
    "27": DemoAnswer(
        2,
        "Manajemen perubahan dilakukan per proyek aplikasi dengan rencana sosialisasi; belum "
        "berpedoman baku.",
    ),
    "28": DemoAnswer(
        2,
        "Layanan SPBE dikelola melalui helpdesk Diskominfo dengan pencatatan tiket; standar "
        "tingkat layanan belum ditetapkan.",
    ),
    "29": DemoAnswer(
        1,
        "Audit infrastruktur SPBE belum dilaksanakan; rencana audit sedang disusun bersama "
        "Inspektorat untuk tahun anggaran berikutnya.",
    ),
    "30": DemoAnswer(
        1,
        "Audit aplikasi baru dilakukan sewaktu-waktu pada aplikasi tertentu tanpa rencana audit "
        "yang berkesinambungan.",
    ),
    "31": DemoAnswer(
        1,
        "Uji penetrasi keamanan dilakukan atas permintaan BSSN pada dua aplikasi; belum ada "
        "rencana audit keamanan SPBE.",
    ),
    # Domain 4 - Layanan SPBE
    "32": DemoAnswer(
        4,
        "Perencanaan pembangunan memakai aplikasi e-planning yang terintegrasi dengan SIPD "
        "Kemendagri dan e-budgeting Pemkot.",
        VERIFIED,
    ),
    "33": DemoAnswer(
        4,
        "Penganggaran memakai e-budgeting yang menerima data dari e-planning dan mengirim DPA "
        "ke aplikasi keuangan daerah.",
        VERIFIED,
    ),
    "34": DemoAnswer(
        4,
        "Penatausahaan keuangan daerah dilakukan elektronik dan terintegrasi dengan bank "
        "daerah (transaksi nontunai) dan aplikasi pendapatan Bapenda.",
        VERIFIED,
    ),
    "35": DemoAnswer(
        4,
        "Pengadaan barang/jasa melalui SPSE dan e-katalog lokal yang terhubung dengan "
        "e-budgeting untuk pagu paket.",
        VERIFIED,
    ),
    "36": DemoAnswer(
        3,
        "Layanan kepegawaian (cuti, kenaikan pangkat, mutasi) diproses penuh secara elektronik "
        "melalui aplikasi kepegawaian BKPSDM.",
        SUBMITTED,
    ),
    "37": DemoAnswer(
        3,
        "Naskah dinas dikelola melalui aplikasi SRIKANDI dengan alur persetujuan dan tanda "
        "tangan elektronik.",
    ),
    "38": DemoAnswer(
        3,
        "Pengelolaan barang milik daerah (pencatatan, mutasi, penghapusan) dilakukan melalui "
        "aplikasi BMD secara elektronik.",
        SUBMITTED,
    ),
    "39": DemoAnswer(
        3,
        "Pengawasan internal memakai aplikasi pengelolaan temuan dan tindak lanjut hasil "
        "pemeriksaan Inspektorat.",
        SUBMITTED,
    ),
    "40": DemoAnswer(
        3,
        "Akuntabilitas kinerja organisasi dilaporkan melalui aplikasi SAKIP dengan alur "
        "penyusunan dan reviu elektronik.",
        SUBMITTED,
    ),
    "41": DemoAnswer(
        3,
        "Kinerja pegawai dinilai melalui aplikasi e-kinerja yang menghitung capaian SKP "
        "bulanan secara elektronik.",
        SUBMITTED,
    ),
    "42": DemoAnswer(
        4,
        "Pengaduan masyarakat diterima melalui kanal pengaduan Pemkot yang terhubung dengan "
        "SP4N-LAPOR! dan diteruskan otomatis ke perangkat daerah.",
        VERIFIED,
    ),
    "43": DemoAnswer(
        3,
        "Portal data terbuka Kota Bandung menyajikan dataset yang dapat diunduh dan diakses "
        "melalui API oleh publik.",
        SUBMITTED,
    ),
    "44": DemoAnswer(
        4,
        "JDIH Kota Bandung menyajikan produk hukum daerah dan terintegrasi dengan JDIHN BPHN.",
        VERIFIED,
    ),
    "45": DemoAnswer(
        3,
        "Layanan administrasi kependudukan daring Disdukcapil menyelesaikan permohonan dokumen "
        "secara elektronik hingga dokumen terbit.",
        SUBMITTED,
    ),
    "46": DemoAnswer(
        3,
        "Perizinan berusaha dan nonberusaha diproses elektronik oleh DPMPTSP melalui OSS-RBA "
        "dan aplikasi perizinan daerah.",
        SUBMITTED,
    ),
    "47": DemoAnswer(
        3,
        "Layanan kesehatan daring (pendaftaran puskesmas, rujukan) diselesaikan secara "
        "elektronik oleh Dinas Kesehatan.",
        SUBMITTED,
    ),
}

RETURN_NOTE = (
    "Bukti keterpaduan e-planning dan e-budgeting untuk belanja TIK belum menunjukkan "
    "pengukuran (tingkat 4). Lengkapi rekapitulasi belanja TIK yang diverifikasi Diskominfo "
    "dan laporan reviunya, atau turunkan ke tingkat 3."
)

# (indicator, author's username, comment)
COMMENTS: list[tuple[str, str, str]] = [
    (
        "29",
        "koordinator",
        "Audit TIK adalah aspek terlemah. Mohon Inspektorat dan Diskominfo menyepakati jadwal "
        "audit infrastruktur sebelum pendampingan 6 Agustus.",
    ),
    (
        "31",
        "asesor.internal",
        "Hasil uji penetrasi BSSN dapat dilampirkan sebagai bukti tingkat 1; untuk tingkat 2 "
        "perlu dokumen rencana audit keamanan yang berkesinambungan.",
    ),
    (
        "9",
        "koordinator",
        "Bagian Hukum: mohon kabar target penetapan Perwal audit TIK; tanpa penetapan, "
        "indikator ini tetap di tingkat 2.",
    ),
]


# --- published history (quoted, each figure with its source address) ----------------------------


@dataclass(frozen=True)
class Published:
    year: int
    instrument_id: str  # "" when the instrument is not known
    index: Decimal
    predicate: str
    source: str
    note: str = ""
    doubtful: bool = False


_LENTERA = "https://lenterajabar.com/2023/09/tim-asesor-eksternal-evaluasi-spbe-kota.html"

PUBLISHED_HISTORY: list[Published] = [
    Published(2019, "spbe-2018", Decimal("3.11"), "", _LENTERA),
    Published(
        2020,
        "",
        Decimal("3.71"),
        "",
        _LENTERA,
        note=(
            "Diragukan: tidak ada evaluasi SPBE nasional pada 2020 (evaluasi 2018, 2019, "
            "2021-2024); tahun atau angka dari sumber ini belum dapat dipastikan."
        ),
        doubtful=True,
    ),
    Published(2021, "spbe-2020", Decimal("3.19"), "", _LENTERA),
    Published(2022, "spbe-2020", Decimal("3.61"), "", _LENTERA),
    Published(
        2023,
        "spbe-2020",
        Decimal("3.98"),
        "Sangat Baik",
        "https://bipol.co/2024/05/27/pemkot-bandung-raih-penghargaan-terbaik-spbe-kategori-kota.html",
    ),
    Published(
        2024,
        "spbe-2020",
        Decimal("4.59"),
        "Memuaskan",
        "http://www.sorigling.com/jabar/berita/d-7716647/pemkot-bandung-raih-predikat-tertinggi-spbe-dan-smart-city",
    ),
]
PUBLISHED_NAME = "Pemerintah Kota Bandung"  # as the reference file names it

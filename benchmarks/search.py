"""Evidence search over 100,000 generated evidence texts, on PostgreSQL.

Everything happens in a throwaway database (`test_monev_bench_<pid>`, created, migrated and
dropped here; the real database is never touched). One institution with 60 perangkat daerah
gets 100,000 evidence items, each with one version whose file has an extracted text of 200 to
2,000 words (log-uniform: most documents are short): Indonesian sentences about SPBE built from
regulation titles, unit names, application names and indicator topics, with a few specific
details per document (numbers, dates, rarely used application names) so that some searches
find thousands of documents and others a handful. Rows are written with bulk_create; the index
is then built by search.rebuild_all() (the same SQL as reindexing one item, for all of them) and
analysed. 50 searches of one to three words (common, medium and rare) are each timed through
search.search() as the koordinator (the widest scope), after one warm-up round.
The issue's target: under 50 ms median.

Runs on PostgreSQL only (DATABASE_URL=postgres://...): the SQLite FTS5 backend is for small,
embedded installations. MONEV_BENCH_SEARCH_SQLITE=1 runs it on SQLite anyway, and
MONEV_BENCH_SEARCH_ITEMS changes the number of items (default 100000).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time

from benchmarks import Progress, Row, benchmark
from benchmarks.overview import _django, percentile, throwaway_database

ITEMS = int(os.environ.get("MONEV_BENCH_SEARCH_ITEMS", "100000"))
BATCH = 2_000
UNITS = 60
WARM_UP = 1
TARGET_MS = 50.0
SEED = 20250101

RUN_HINT = (
    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m benchmarks search"
)

# --- a vocabulary of SPBE evidence --------------------------------------------------------

UNIT_NAMES = [
    "Dinas Komunikasi dan Informatika",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Inspektorat Daerah",
    "Sekretariat Daerah",
    "Bagian Organisasi",
    "Bagian Hukum",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Perhubungan",
    "Dinas Sosial",
    "Badan Pendapatan Daerah",
    "Dinas Lingkungan Hidup",
    "Satuan Polisi Pamong Praja",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Rumah Sakit Umum Daerah",
    "Dinas Perpustakaan dan Kearsipan",
    "Dinas Tenaga Kerja",
    "Dinas Koperasi dan Usaha Mikro",
    "Badan Penanggulangan Bencana Daerah",
    "Dinas Pariwisata dan Kebudayaan",
]
DISTRICTS = [
    "Sukajadi", "Cibeunying", "Coblong", "Lengkong", "Andir", "Astanaanyar", "Bojongloa",
    "Buahbatu", "Cicendo", "Cidadap", "Gedebage", "Kiaracondong", "Mandalajati", "Panyileukan",
    "Rancasari", "Regol", "Sumurbandung", "Ujungberung", "Antapani", "Arcamanik",
]  # fmt: skip
APPS = [
    "SIMPEG", "e-Kinerja", "SIPD", "Srikandi", "LAPOR", "e-Office", "SIMDA", "e-Planning",
    "e-Budgeting", "SIMRS", "Dapodik", "SIAK", "JDIH", "PPID", "Satu Data", "e-Musrenbang",
    "SIRUP", "LPSE", "SP4N", "SIMBG", "e-Retribusi", "SIKD", "Sakti", "e-Arsip",
]  # fmt: skip
REGULATIONS = [
    "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik",
    "Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia",
    "Peraturan Presiden Nomor 132 Tahun 2022 tentang Arsitektur SPBE Nasional",
    "Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan Evaluasi SPBE",
    "Peraturan BSSN Nomor 4 Tahun 2021 tentang Pedoman Manajemen Keamanan Informasi SPBE",
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi",
    "Peraturan Menteri Kominfo Nomor 4 Tahun 2016 tentang Sistem Manajemen Pengamanan Informasi",
    "Peraturan Menteri Dalam Negeri Nomor 70 Tahun 2019 tentang Sistem Informasi Pemerintahan "
    "Daerah",
]
TOPICS = [
    "tata kelola SPBE", "arsitektur SPBE", "peta rencana SPBE", "manajemen risiko SPBE",
    "manajemen keamanan informasi", "manajemen data", "manajemen aset teknologi informasi",
    "manajemen sumber daya manusia", "manajemen pengetahuan", "manajemen perubahan",
    "manajemen layanan SPBE", "audit teknologi informasi dan komunikasi", "pusat data",
    "jaringan intra pemerintah", "sistem penghubung layanan", "layanan naskah dinas",
    "layanan pengaduan publik", "layanan whistle blowing system", "layanan publik",
    "penganggaran berbasis elektronik", "keterpaduan rencana induk", "tim koordinasi SPBE",
    "inovasi proses bisnis", "pembangunan aplikasi", "interoperabilitas data",
    "layanan kepegawaian", "layanan pengadaan barang dan jasa", "layanan keuangan",
    "layanan kinerja", "layanan perencanaan", "layanan arsip dinamis", "domain aplikasi",
    "kebijakan internal", "kolaborasi penerapan SPBE", "pelayanan terpadu",
]  # fmt: skip
ACTIVITIES = [
    "penyusunan dokumen perencanaan", "pemantauan dan evaluasi", "penyelenggaraan layanan",
    "pengelolaan data dan informasi", "pengamanan informasi", "pemeliharaan perangkat",
    "pengembangan aplikasi", "sosialisasi kebijakan", "peningkatan kompetensi pegawai",
    "pelaporan kinerja", "integrasi layanan", "penyimpanan data di pusat data",
    "reviu proses bisnis", "pengendalian risiko", "pengadaan perangkat keras",
]  # fmt: skip
DOCUMENTS = [
    "dokumen arsitektur", "rencana induk", "standar operasional prosedur", "laporan evaluasi",
    "notulen rapat", "surat keputusan", "kerangka acuan kerja", "rencana strategis",
    "laporan kinerja", "daftar inventaris aplikasi", "katalog layanan", "rencana aksi",
]  # fmt: skip
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]  # fmt: skip
PERIODS = ["triwulan", "semester", "tahun", "bulan"]
FILLER = [
    "Kegiatan ini dilaksanakan sesuai dengan rencana kerja yang telah ditetapkan.",
    "Seluruh data disimpan di pusat data pemerintah daerah dengan pengamanan yang memadai.",
    "Hasil pelaksanaan dilaporkan kepada pimpinan secara berkala.",
    "Dokumen ini berlaku sejak tanggal ditetapkan dan akan ditinjau kembali setiap tahun.",
    "Koordinasi dilakukan dengan seluruh perangkat daerah terkait.",
    "Pelaksanaan kegiatan didukung oleh anggaran pendapatan dan belanja daerah.",
    "Tindak lanjut atas rekomendasi evaluasi tahun sebelumnya telah diselesaikan.",
    "Pegawai yang terlibat telah mengikuti bimbingan teknis yang diselenggarakan.",
    "Rapat dibuka oleh sekretaris daerah selaku ketua tim koordinasi.",
    "Peserta rapat menyepakati jadwal pelaksanaan dan pembagian tugas.",
]
SYLLABLES = [
    "ma", "ta", "pe", "ri", "su", "ka", "ni", "lo", "ba", "ra", "di", "ko", "sa", "ne", "gu",
    "wa", "ju", "mi", "tu", "ha", "pa", "de", "si", "nu",
]  # fmt: skip
KINDS = ["peraturan", "sop", "laporan", "notulen", "lainnya"]


class Writer:
    """Documents of plausible SPBE evidence; deterministic for a given seed."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)  # noqa: S311 - generated data, not secrets
        r = self.random
        # Rarely used application names: each appears in a few dozen documents at most.
        self.rare_apps = sorted(
            {"SI" + "".join(r.choice(SYLLABLES) for _ in range(3)).upper() for _ in range(3000)}
        )
        self.pool = [self.sentence() for _ in range(40_000)]
        self.details: list[tuple[str, str, int]] = []

    def sentence(self) -> str:
        r = self.random
        unit, unit2 = r.choice(UNIT_NAMES), r.choice(UNIT_NAMES)
        app, app2, topic = r.choice(APPS), r.choice(APPS), r.choice(TOPICS)
        year = r.randint(2018, 2025)
        templates = [
            f"Berdasarkan {r.choice(REGULATIONS)}, {unit} telah menyusun "
            f"{r.choice(DOCUMENTS)} yang menjadi acuan {r.choice(ACTIVITIES)}.",
            f"Pada tahun {year}, {unit} melaksanakan {r.choice(ACTIVITIES)} melalui aplikasi "
            f"{app}.",
            f"Rapat koordinasi {topic} dihadiri oleh perwakilan {unit} dan {unit2}.",
            f"Hasil evaluasi menunjukkan bahwa {topic} telah diterapkan pada "
            f"{r.randint(2, 60)} perangkat daerah.",
            f"Aplikasi {app} digunakan untuk {r.choice(ACTIVITIES)} dan terintegrasi dengan "
            f"{app2}.",
            f"Kebijakan internal terkait {topic} ditetapkan dengan Keputusan Wali Kota Nomor "
            f"{r.randint(100, 999)}/Kep.{r.randint(1, 400)}-{r.choice(['Diskominfo', 'Bappeda'])}"
            f"/{year}.",
            f"{unit} bertanggung jawab atas {r.choice(ACTIVITIES)} dan melakukan reviu secara "
            f"berkala setiap {r.choice(PERIODS)}.",
            f"Layanan di Kecamatan {r.choice(DISTRICTS)} memanfaatkan {app} untuk "
            f"{r.choice(ACTIVITIES)}.",
            r.choice(FILLER),
            r.choice(FILLER),
        ]
        return r.choice(templates)

    def specific(self) -> str:
        """A sentence only this document has: a date, a number, a rarely used application."""
        r = self.random
        app, month, number = r.choice(self.rare_apps), r.choice(MONTHS), r.randint(10000, 99999)
        if len(self.details) < 100:
            self.details.append((app, month, number))  # for searches that find something
        return (
            f"Aplikasi {app} milik {r.choice(UNIT_NAMES)} diresmikan pada tanggal "
            f"{r.randint(1, 28)} {month} {r.randint(2018, 2025)} dengan nomor registrasi "
            f"{number}."
        )

    def document(self) -> tuple[str, str, str]:
        """(title, document number, text of 200 to 2,000 words)."""
        r = self.random
        words = int(200 * 10 ** r.random())
        parts, count = [], 0
        specifics = {r.randrange(0, 8) for _ in range(r.randint(1, 3))}
        while count < words:
            line = self.specific() if len(parts) in specifics else r.choice(self.pool)
            parts.append(line)
            count += line.count(" ") + 1
        year = r.randint(2018, 2025)
        title = f"{r.choice(DOCUMENTS).capitalize()} {r.choice(TOPICS)} {r.choice(UNIT_NAMES)}"
        number = f"{r.randint(100, 999)}/{r.randint(1, 9999)}/{year}" if r.random() < 0.6 else ""
        return title[:300], number, " ".join(parts)


def queries(writer: Writer) -> list[tuple[str, str]]:
    """50 searches of one to three words: (how common, query)."""
    r = random.Random(SEED + 1)  # noqa: S311
    common = [
        "arsitektur SPBE", "tata kelola", "pusat data", "layanan publik", "aplikasi",
        "keamanan informasi", "perangkat daerah", "manajemen risiko", "laporan evaluasi",
        "interoperabilitas data", "Satu Data", "reviu proses bisnis", "Dinas Kesehatan",
        "rencana induk", "kebijakan internal", "standar operasional prosedur", "sosialisasi",
    ]  # fmt: skip
    medium = [
        "Kecamatan Gedebage", "Srikandi", "e-Retribusi", "Pelindungan Data Pribadi",
        "whistle blowing", "Peraturan Presiden 132", "SIMRS Dinas Kesehatan", "Keterbukaan",
        "Kep.217", "Bappeda 2021", "jaringan intra", "SIKD Ujungberung", "Dapodik", "penghubung",
        "bimbingan teknis", "e-Musrenbang Coblong",
    ]  # fmt: skip
    details = r.sample(writer.details, 17)
    rare = [app for app, _month, _number in details[:7]]
    rare += [f"{app} {month}" for app, month, _number in details[7:12]]
    rare += [f"registrasi {number}" for _app, _month, number in details[12:]]
    found = (
        [("common", q) for q in common]
        + [("medium", q) for q in medium]
        + [("rare", q) for q in rare]
    )
    return found[:50]


def build(writer: Writer) -> tuple[object, object]:
    """The institution, its koordinator and ITEMS evidence items with extracted texts."""
    from monev.accounts.models import User
    from monev.evidence.models import Evidence, EvidenceVersion, FileText, StoredFile
    from monev.institutions.models import Institution, Membership, Role, Unit

    institution = Institution.objects.create(
        code="bench-kota", name="Pemerintah Kota Bench", kind="kota"
    )
    units = Unit.objects.bulk_create(
        [
            Unit(institution=institution, code=f"PD{n:02}", name=f"Perangkat Daerah {n}")
            for n in range(1, UNITS + 1)
        ]
    )
    koordinator = User.objects.create_user(username="bench-koordinator", full_name="Koordinator")
    Membership.objects.create(user=koordinator, institution=institution, role=Role.KOORDINATOR)

    progress = Progress("writing evidence", ITEMS)
    made = 0
    while made < ITEMS:
        size = min(BATCH, ITEMS - made)
        documents = [writer.document() for _ in range(size)]
        files = StoredFile.objects.bulk_create(
            [
                StoredFile(
                    sha256=f"{made + n:064x}",
                    size=len(text) * 2,
                    kind="pdf",
                    content_type="application/pdf",
                    storage_name=f"bench/{made + n}",
                    text_status="done",
                    page_count=max(1, len(text) // 3000),
                )
                for n, (_title, _number, text) in enumerate(documents)
            ]
        )
        FileText.objects.bulk_create(
            [FileText(file=f, text=d[2]) for f, d in zip(files, documents, strict=True)]
        )
        evidence = Evidence.objects.bulk_create(
            [
                Evidence(
                    institution=institution,
                    title=title,
                    kind=KINDS[(made + n) % len(KINDS)],
                    document_number=number,
                    unit=units[(made + n) % UNITS],
                    created_by=koordinator,
                )
                for n, (title, number, _text) in enumerate(documents)
            ]
        )
        EvidenceVersion.objects.bulk_create(
            [
                EvidenceVersion(evidence=e, number=1, file=f, original_name="dokumen.pdf")
                for e, f in zip(evidence, files, strict=True)
            ]
        )
        made += size
        progress.update(made)
    progress.finish()
    return institution, koordinator


@benchmark("search", "evidence full-text search over 100,000 generated texts (PostgreSQL)")
def run() -> list[Row]:
    _django()
    from django.db import connection

    from monev.evidence import search
    from monev.institutions.access import access_for

    if connection.vendor != "postgresql" and not os.environ.get("MONEV_BENCH_SEARCH_SQLITE"):
        return [
            ("database", connection.vendor, "skipped: this benchmark measures PostgreSQL"),
            ("to run it", RUN_HINT, "a throwaway test database is created and dropped"),
            ("on SQLite anyway", "MONEV_BENCH_SEARCH_SQLITE=1", "the FTS5 backend"),
        ]

    with throwaway_database() as vendor:
        started = time.perf_counter()
        writer = Writer(SEED)
        institution, koordinator = build(writer)
        written = time.perf_counter() - started

        print("building the search index ...", end="", flush=True, file=sys.stderr)
        started = time.perf_counter()
        search.rebuild_all()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        indexed = time.perf_counter() - started
        print(f" {indexed:.0f} s", file=sys.stderr)
        sizes = _sizes(connection)

        access = access_for(koordinator, institution.pk)
        plan = queries(writer)
        for _ in range(WARM_UP):
            for _kind, query in plan:
                search.search(access, institution.pk, query)
        timings: dict[str, list[float]] = {"common": [], "medium": [], "rare": []}
        found: list[int] = []
        progress = Progress("timing searches", len(plan))
        for number, (kind, query) in enumerate(plan, start=1):
            started = time.perf_counter()
            hits = search.search(access, institution.pk, query)
            timings[kind].append((time.perf_counter() - started) * 1000)
            found.append(len(hits))
            progress.update(number)
        progress.finish()
        matches = _match_counts(connection, vendor, [q for _k, q in plan])

    every = [t for values in timings.values() for t in values]
    median = statistics.median(every)
    verdict = "within target" if median < TARGET_MS else "OVER TARGET"
    rows: list[Row] = [
        ("database", vendor, "throwaway test database, dropped after the run"),
        ("evidence items", f"{ITEMS:,}", "one institution, 60 units, one version each"),
        ("text", f"{sizes['words']:,} words", "200-2,000 per item, log-uniform"),
        ("writing the rows", f"{written:.0f} s", "bulk_create in batches of 2,000"),
        ("building the index", f"{indexed:.0f} s", f"rebuild_all(); {sizes['index']}"),
        ("searches", str(len(every)), "1-3 words, as the koordinator, after a warm-up round"),
        ("median", f"{median:.1f} ms", f"target < {TARGET_MS:.0f} ms: {verdict}"),
        ("p95", f"{percentile(every, 0.95):.1f} ms", ""),
        ("min / max", f"{min(every):.1f} / {max(every):.1f} ms", ""),
    ]
    for kind, values in timings.items():
        counts = [matches[q] for k, q in plan if k == kind]
        rows.append(
            (
                f"  {kind} ({len(values)})",
                f"{statistics.median(values):.1f} ms",
                f"median; matching items {min(counts):,}-{max(counts):,}",
            )
        )
    rows.append(("results per search", f"{min(found)}-{max(found)}", "limit 20"))
    return rows


def _sizes(connection) -> dict[str, str | int]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_size_pretty(pg_total_relation_size('evidence_evidencesearch')), "
                "pg_size_pretty(pg_relation_size('evidence_search_vector'))"
            )
            table, gin = cursor.fetchone()
            index = f"table {table}, GIN {gin}"
        else:
            index = "FTS5"
        cursor.execute(
            "SELECT SUM(LENGTH(text) - LENGTH(REPLACE(text, ' ', '')) + 1) FROM evidence_filetext"
        )
        words = int(cursor.fetchone()[0] or 0)
    return {"index": index, "words": words}


def _match_counts(connection, vendor: str, plan: list[str]) -> dict[str, int]:
    """How many items each query matches (all of them, not the 20 shown)."""
    from monev.evidence import search

    counts = {}
    with connection.cursor() as cursor:
        for query in plan:
            if vendor == "postgresql":
                cursor.execute(
                    "SELECT COUNT(*) FROM evidence_evidencesearch "
                    "WHERE vector @@ websearch_to_tsquery('indonesian', %s)",
                    [query],
                )
            else:
                cursor.execute(
                    "SELECT COUNT(*) FROM evidence_search_fts WHERE evidence_search_fts MATCH %s",
                    [search.fts5_query(query)],
                )
            counts[query] = cursor.fetchone()[0]
    return counts

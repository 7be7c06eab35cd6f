"""Evidence search: a phrase from inside a file's text, titles and numbers, Indonesian stemming
(PostgreSQL) or prefixes (SQLite), scoped like the evidence library, hostile input, passages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monev.evidence import search, services
from monev.evidence.models import Evidence, EvidenceLink, EvidenceVersion, FileText, StoredFile
from monev.evidence.selectors import evidence_queryset
from monev.institutions.access import access_for

FIXTURES = Path(__file__).parent / "fixtures"
PDF_PHRASE = "Peraturan Wali Kota Bandung Nomor 12 Tahun 2024 tentang Arsitektur SPBE"


def stored_file(text: str | None) -> StoredFile:
    digest = hashlib.sha256(f"{text}-{StoredFile.objects.count()}".encode()).hexdigest()
    stored = StoredFile.objects.create(
        sha256=digest,
        size=len(text or "") + 1,
        kind="pdf",
        content_type="application/pdf",
        storage_name=f"blobs/{digest}",
        text_status="done" if text is not None else "pending",
    )
    if text is not None:
        FileText.objects.create(file=stored, text=text)
    return stored


def make(institution, title: str, text: str | None = None, *, unit=None, number: str = ""):
    """Evidence with one version whose file's text is `text` (rows written directly)."""
    evidence = Evidence.objects.create(
        institution=institution, title=title, kind="laporan", unit=unit, document_number=number
    )
    EvidenceVersion.objects.create(
        evidence=evidence, number=1, file=stored_file(text), original_name="dokumen.pdf"
    )
    search.reindex_evidence(evidence.pk)
    return evidence


def find(world, user, query: str, **kw) -> list[search.SearchHit]:
    access = access_for(user, world.institution.pk)
    return search.search(access, world.institution.pk, query, **kw)


def ids(hits) -> list[int]:
    return [hit.evidence_id for hit in hits]


LONG_TEXT = (
    "Laporan pelaksanaan kegiatan tahun 2024. "
    + "Kegiatan rutin dilaksanakan sesuai jadwal. " * 80
    + "Pemerintah daerah menetapkan arsitektur SPBE sebagai acuan pembangunan aplikasi. "
    + "Penutup laporan. " * 40
)


def test_it_finds_a_phrase_from_inside_the_extracted_text(world):
    wanted = make(world.institution, "Laporan Tahunan Diskominfo", LONG_TEXT, unit=world.unit_a)
    make(world.institution, "Notulen rapat", "Rapat membahas anggaran.", unit=world.unit_a)
    hits = find(world, world.koordinator, "arsitektur SPBE")
    assert ids(hits) == [wanted.pk]
    hit = hits[0]
    assert hit.title == "Laporan Tahunan Diskominfo"
    assert "<mark>" in hit.passage and "</mark>" in hit.passage
    assert "acuan pembangunan" in hit.passage  # the passage is the matching sentence
    assert hit.rank > 0


def test_it_finds_by_title_and_document_number_and_ranks_titles_first(world):
    in_title = make(world.institution, "Peraturan tentang Satu Data", "Isi lain.", number="7/2023")
    in_text = make(world.institution, "Dokumen lain", "Disebut juga satu data di sini.")
    assert ids(find(world, world.koordinator, "satu data")) == [in_title.pk, in_text.pk]
    by_number = find(world, world.koordinator, "7/2023")
    assert ids(by_number) == [in_title.pk]
    assert "<mark>" in by_number[0].passage


def test_it_finds_a_quoted_phrase_only_in_that_order(world):
    ordered = make(world.institution, "A", "Tata kelola data pemerintah daerah.")
    make(world.institution, "B", "Data tata ruang dan kelola sampah.")
    assert ids(find(world, world.koordinator, '"tata kelola data"')) == [ordered.pk]


@pytest.mark.postgres  # the indonesian text search configuration is PostgreSQL's
def test_it_stems_indonesian_words_on_postgresql(world):
    policy = make(world.institution, "Dokumen kebijakan", "Kebijakannya diberlakukan sejak 2024.")
    service = make(world.institution, "Katalog", "Daftar pelayanan publik yang dilayani dinas.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('indonesian', 'kebijakan pelayanan')::text")
        assert cursor.fetchone()[0] == "'bijak':1 'layan':2"
    assert ids(find(world, world.koordinator, "bijak")) == [policy.pk]
    assert ids(find(world, world.koordinator, "kebijakan")) == [policy.pk]
    assert ids(find(world, world.koordinator, "layanan")) == [service.pk]
    assert ids(find(world, world.koordinator, "melayani")) == [service.pk]
    assert ids(find(world, world.koordinator, "memberlakukan")) == [policy.pk]
    # The Snowball stemmer's limits, as they are (documented, not wished away): "berlaku"
    # becomes "berla" (the -ku is read as a possessive) and "pengelolaan" "elola", not "kelola".
    assert find(world, world.koordinator, "berlaku") == []
    make(world.institution, "SOP", "Pengelolaan arsip dinamis.")
    assert find(world, world.koordinator, "kelola") == []


@pytest.mark.sqlite  # FTS5 prefix matching
def test_it_matches_word_prefixes_on_sqlite(world):
    policy = make(world.institution, "Dokumen", "Kebijakan diberlakukan sejak 2024.")
    assert ids(find(world, world.koordinator, "kebijak")) == [policy.pk]
    assert ids(find(world, world.koordinator, "bijak")) == []  # no stemmer on SQLite
    assert ids(find(world, world.koordinator, "kebijakan -diberlakukan")) == []
    assert search.fts5_query('a "b c" -d -"e f"') == '("a"* AND "b c") NOT ("d" OR "e f")'


def test_it_shows_each_user_only_the_evidence_they_may_see(world):
    own = make(world.institution, "Laporan unit A", "arsitektur SPBE", unit=world.unit_a)
    other_unit = make(world.institution, "Laporan unit B", "arsitektur SPBE", unit=world.unit_b)
    institution_wide = make(world.institution, "Perwal", "arsitektur SPBE")
    linked = make(world.institution, "Dipakai unit A", "arsitektur SPBE", unit=world.unit_b)
    EvidenceLink.objects.create(answer=world.answer("1"), evidence=linked, level=2)
    elsewhere = make(world.other_institution, "Milik daerah lain", "arsitektur SPBE")

    everything = {own.pk, other_unit.pk, institution_wide.pk, linked.pk}
    for user in (world.koordinator, world.asesor_internal, world.pimpinan, world.admin):
        assert set(ids(find(world, user, "arsitektur"))) == everything
    assert set(ids(find(world, world.operator, "arsitektur"))) == {own.pk, linked.pk}
    assert set(ids(find(world, world.operator_b, "arsitektur"))) == {other_unit.pk, linked.pk}
    assert find(world, world.outsider, "arsitektur") == []
    outsider_access = access_for(world.outsider, world.other_institution.pk)
    assert ids(search.search(outsider_access, world.other_institution.pk, "arsitektur")) == [
        elsewhere.pk
    ]
    # Exactly the library's scope, whoever asks.
    for user in world.personas().values():
        access = access_for(user, world.institution.pk)
        visible = (
            set(evidence_queryset(access, world.institution.pk).values_list("pk", flat=True))
            if access
            else set()
        )
        assert set(ids(find(world, user, "arsitektur"))) == visible


HOSTILE = [
    '"',
    '"""',
    "'",
    'arsitektur"',
    '"arsitektur',
    "arsitektur AND",
    "OR",
    "NOT arsitektur",
    "NEAR(arsitektur spbe)",
    "title:arsitektur",
    "arsitektur*",
    "*",
    "^arsitektur",
    "-",
    "--arsitektur",
    "(((",
    ")",
    "!!! & | <-> :*",
    "arsitektur:* & !spbe",
    "'; DROP TABLE evidence_evidence; --",
    "%_%",
    "\\",
    "arsitektur\x00spbe",
    "\ue000arsitektur\ue001",
    "🙂 arsitektur",
    "ársitéktur",
    "建筑 SPBE",
    "a" * 5000,
    "arsitektur " * 500,
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_it_never_lets_input_break_the_query(world, query):
    make(world.institution, "Perwal", LONG_TEXT)
    hits = find(world, world.koordinator, query)
    assert isinstance(hits, list)


def test_it_still_finds_words_wrapped_in_stray_syntax(world):
    wanted = make(world.institution, "Perwal", LONG_TEXT)
    for query in ('"arsitektur', "arsitektur)", "(arsitektur", "arsitektur*", "arsitektur -"):
        assert ids(find(world, world.koordinator, query)) == [wanted.pk], query


@pytest.mark.parametrize("query", ["", "   ", "\n\t", "\x00"])
def test_it_answers_nothing_to_an_empty_query_without_asking_the_database(
    world, query, django_assert_num_queries
):
    make(world.institution, "Perwal", LONG_TEXT)
    access = access_for(world.koordinator, world.institution.pk)
    with django_assert_num_queries(0):
        assert search.search(access, world.institution.pk, query) == []


def test_it_escapes_the_document_text_in_passages(world):
    make(
        world.institution,
        "Catatan <b>tebal</b>",
        'Teks <script>alert("x")</script> & arsitektur <img src=x onerror=alert(1)> SPBE',
    )
    (hit,) = find(world, world.koordinator, "arsitektur")
    assert "<script" not in hit.passage and "<img" not in hit.passage
    assert "<mark>arsitektur</mark>" in hit.passage.lower()
    assert hit.title == "Catatan <b>tebal</b>"  # a plain string: the template escapes it


def test_it_uses_the_same_queries_however_many_hits(world):
    """One statement (on PostgreSQL inside a transaction that steers the planner to the GIN
    index: SET LOCAL, and savepoints when nested as in tests)."""
    access = access_for(world.operator, world.institution.pk)

    def statements(**kw) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            hits = search.search(access, world.institution.pk, "arsitektur", **kw)
        return len(hits), len(captured)

    for n in range(3):
        make(world.institution, f"Laporan {n}", LONG_TEXT, unit=world.unit_a)
    hits, few = statements()
    assert hits == 3
    assert few == (1 if connection.vendor == "sqlite" else 5)
    for n in range(30):
        make(world.institution, f"Laporan lagi {n}", LONG_TEXT, unit=world.unit_a)
    assert statements(limit=20) == (20, few)


def test_it_forgets_deleted_evidence(world):
    gone = make(world.institution, "Perwal", LONG_TEXT)
    gone.delete()
    assert find(world, world.koordinator, "arsitektur") == []
    kept = make(world.institution, "Perwal baru", LONG_TEXT)
    assert ids(find(world, world.koordinator, "arsitektur")) == [kept.pk]


def test_rebuild_all_indexes_everything_again(world):
    first = make(world.institution, "Satu", "arsitektur")
    second = make(world.institution, "Dua", "arsitektur")
    FileText.objects.filter(file__versions__evidence=second).update(text="lain")
    search.rebuild_all()
    assert ids(find(world, world.koordinator, "arsitektur")) == [first.pk]


# --- through the services ------------------------------------------------------------------


def upload(name: str, filename: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(filename or name, (FIXTURES / name).read_bytes())


@pytest.fixture
def tasks_later(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def extracted(evidence: Evidence, text: str) -> None:
    """What the extraction job does for the latest file: store its text, reindex."""
    file_id = evidence.versions.order_by("-number").first().file_id
    FileText.objects.update_or_create(file_id=file_id, defaults={"text": text})
    search.reindex_file(file_id)


def test_it_reindexes_when_the_title_changes(world, tasks_later):
    evidence = services.evidence_upload(
        actor=world.operator,
        institution_id=world.institution.pk,
        uploaded=upload("good.pdf"),
        title="Perwal lama",
        kind="peraturan",
        unit_id=world.unit_a.pk,
    )
    assert ids(find(world, world.operator, "lama")) == [evidence.pk]
    services.evidence_update(
        actor=world.operator,
        evidence_id=evidence.pk,
        expected_version=evidence.version,
        title="Perwal Interoperabilitas",
        document_number="45/2024",
    )
    assert find(world, world.operator, "lama") == []
    assert ids(find(world, world.operator, "interoperabilitas")) == [evidence.pk]
    assert ids(find(world, world.operator, "45/2024")) == [evidence.pk]


def test_it_searches_the_latest_version_only(world, tasks_later):
    evidence = services.evidence_upload(
        actor=world.operator,
        institution_id=world.institution.pk,
        uploaded=upload("good.pdf"),
        title="Perwal",
        kind="peraturan",
        unit_id=world.unit_a.pk,
    )
    extracted(evidence, "Rancangan peraturan tentang arsitektur")
    assert ids(find(world, world.operator, "rancangan")) == [evidence.pk]
    services.evidence_add_version(
        actor=world.operator,
        evidence_id=evidence.pk,
        expected_version=evidence.version,
        uploaded=upload("good.docx"),
        change_note="Versi yang ditandatangani",
    )
    # Until the new file's text is extracted, only the title is searchable.
    assert find(world, world.operator, "rancangan") == []
    assert ids(find(world, world.operator, "perwal")) == [evidence.pk]
    extracted(evidence, "Peraturan yang ditetapkan tentang interoperabilitas")
    assert find(world, world.operator, "rancangan") == []
    assert ids(find(world, world.operator, "interoperabilitas")) == [evidence.pk]


def test_it_finds_a_phrase_from_inside_an_uploaded_pdf_end_to_end(
    world, settings, django_capture_on_commit_callbacks
):
    """Upload -> extraction job (run immediately on commit) -> search."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_upload(
            actor=world.operator,
            institution_id=world.institution.pk,
            uploaded=upload("good.pdf", "perwal-arsitektur.pdf"),
            title="Perwal 12/2024",
            kind="peraturan",
            unit_id=world.unit_a.pk,
        )
    assert StoredFile.objects.get(versions__evidence=evidence).text_status == "done"
    hits = find(world, world.operator, "Wali Kota Bandung arsitektur")
    assert ids(hits) == [evidence.pk]
    assert "<mark>Bandung</mark>" in hits[0].passage
    assert "Tata Kelola" not in find(world, world.operator, "Bandung")[0].title
    assert find(world, world.operator_b, "Bandung") == []


def test_it_finds_hyphenated_application_names(world):
    app = make(world.institution, "Inventaris", "Aplikasi e-Kinerja dipakai semua dinas.")
    make(world.institution, "Lain", "Kinerja pegawai dinilai setiap tahun.")
    assert ids(find(world, world.koordinator, "e-Kinerja")) == [app.pk]

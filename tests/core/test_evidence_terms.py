"""Evidence against the criteria: the shipped terms files, the stemmer, matching and the
elements each level requires (monev.core.evidence_terms)."""

from __future__ import annotations

import time
from decimal import Decimal
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monev.core import evidence_terms
from monev.core.evidence_terms import (
    BUILTIN_DIR,
    EVIDENCE_KINDS,
    EvidenceTermsError,
    bundled_path,
    bundled_terms,
    check_elements,
    compile_term,
    find_term,
    load_terms_file,
    load_terms_text,
    match_terms,
    missing_elements,
    prepare,
    stem,
    stems,
    words,
)
from monev.core.registry import BUILTIN_DIR as INSTRUMENTS_DIR
from monev.core.registry import catalog, load_cached

INSTRUMENT_FILES = ["spbe-2018", "spbe-2020", "pemdi-2026", "pemdi-2026-v1"]

PERWAL_ARSITEKTUR = """\
WALI KOTA DENPASAR
PROVINSI BALI
PERATURAN WALI KOTA DENPASAR
NOMOR 12 TAHUN 2022
TENTANG
ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK
DENGAN RAHMAT TUHAN YANG MAHA ESA
WALI KOTA DENPASAR,
Menimbang : bahwa untuk mewujudkan keterpaduan penyelenggaraan pemerintahan, perlu menetapkan
Peraturan Wali Kota tentang Arsitektur Sistem Pemerintahan Berbasis Elektronik;
Pasal 1
Referensi Arsitektur adalah kerangka dasar yang mendeskripsikan komponen dasar arsitektur.
Pasal 2
Domain Arsitektur meliputi proses bisnis, data dan informasi, infrastruktur, aplikasi, keamanan
dan layanan.
"""
SIGNED = """
Ditetapkan di Denpasar
pada tanggal 14 Maret 2022
WALI KOTA DENPASAR,
ttd.
I GUSTI NGURAH JAYA NEGARA
Diundangkan di Denpasar
pada tanggal 14 Maret 2022
BERITA DAERAH KOTA DENPASAR TAHUN 2022 NOMOR 12
"""
SK_TIM = """\
KEPUTUSAN WALI KOTA DENPASAR NOMOR 188.45/321/HK/2023 TENTANG PEMBENTUKAN TIM KOORDINASI
SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK KOTA DENPASAR. Menetapkan susunan keanggotaan Tim
Koordinasi SPBE sebagaimana tercantum dalam Lampiran.
"""


def builtin(name: str):
    return load_cached(INSTRUMENTS_DIR / f"{name}.yaml").instrument


@pytest.fixture(scope="module")
def spbe2020_terms():
    return bundled_terms("spbe-2020")


# --- the shipped files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", INSTRUMENT_FILES)
def test_every_shipped_file_loads_and_validates_against_its_instrument(name):
    instrument = builtin(name)
    terms = load_terms_file(bundled_path(instrument.id), instrument)
    assert terms.instrument_id == instrument.id
    assert terms.instrument_version == instrument.version
    assert len(terms.sha256) == 64


def test_a_terms_file_is_shipped_for_every_builtin_instrument_and_no_other():
    shipped = sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))
    assert shipped == catalog().ids()


@pytest.mark.parametrize("name", INSTRUMENT_FILES)
def test_every_indicator_has_three_to_eight_terms_and_the_kinds_that_fit(name):
    instrument = builtin(name)
    terms = bundled_terms(instrument)
    assert set(terms.indicators) == {indicator.number for indicator in instrument.indicators}
    for number, entry in terms.indicators.items():
        count = len(entry.terms) + len(entry.exact_terms)
        assert 3 <= count <= 8, f"indicator {number} has {count} terms"
        assert entry.kinds and set(entry.kinds) <= set(EVIDENCE_KINDS)
        assert all(term.variants for term in entry.compiled), number


@pytest.mark.parametrize("name", ["spbe-2018", "spbe-2020", "pemdi-2026"])
def test_few_indicator_pairs_share_the_same_term_list(name):
    terms = bundled_terms(name)
    lists = [
        (frozenset(entry.terms), frozenset(entry.exact_terms))
        for entry in terms.indicators.values()
    ]
    pairs = list(combinations(lists, 2))
    identical = sum(1 for a, b in pairs if a == b)
    # spbe-2020 45-47 (three sectoral public services) are the same indicator three times
    assert identical / len(pairs) <= 0.01


@pytest.mark.parametrize("name", ["spbe-2018", "spbe-2020", "pemdi-2026"])
def test_each_indicator_name_matches_its_own_terms(name):
    instrument = catalog().get(name)
    terms = bundled_terms(instrument)
    for indicator in instrument.indicators:
        text = f"{indicator.name} ({indicator.short_name})"
        assert match_terms(text, terms.entry(indicator.number)).matched, indicator.label


def test_the_evidence_kinds_are_those_of_the_evidence_model():
    from monev.evidence.models import Evidence

    assert set(EVIDENCE_KINDS) == set(Evidence.Kind.values)


def test_the_bundled_terms_of_an_instrument_without_a_file_are_none():
    own = builtin("spbe-2020").model_copy(update={"id": "kota-2030"})
    assert bundled_terms(own) is None


def test_the_bundled_terms_are_cached_per_instrument():
    assert bundled_terms("spbe-2020") is bundled_terms(builtin("spbe-2020"))
    assert bundled_terms(builtin("pemdi-2026-v1")).instrument_version == 1
    assert bundled_terms("pemdi-2026").instrument_version == 2


# --- the stemmer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("penyusunan", "susun"),
        ("menyusun", "susun"),
        ("disusun", "susun"),
        ("susun", "susun"),
        ("ditetapkan", "tetap"),
        ("penetapan", "tetap"),
        ("menetapkan", "tetap"),
        ("pembangunan", "bangun"),
        ("dibangun", "bangun"),
        ("pelayanan", "layan"),
        ("layanan", "layan"),
        ("perbaikan", "baik"),
        ("diperbaiki", "baik"),
        ("memperbaiki", "baik"),
        ("keberlanjutan", "lanjut"),
        ("ditindaklanjuti", "tindaklanjut"),
        ("direviu", "reviu"),
        ("kebijakannya", stem("kebijakan")),
        ("informasi", "informasi"),  # not the -i suffix
        ("pegawai", "pegawai"),  # nor after a vowel
        ("data", "data"),  # up to 4 letters: as it is
        ("SPBE", "spbe"),
        ("IKASANDI", "ikasandi"),  # an abbreviation: as it is
        ("SP4N", "sp4n"),
        ("pengadaan", "pengada"),  # never "ada"
    ],
)
def test_the_stemmer_takes_off_indonesian_affixes(word, expected):
    assert stem(word) == expected


def test_ambiguous_nasal_prefixes_keep_both_readings():
    assert {"kelola"} <= set(stems("pengelolaan"))
    assert {"kelola"} <= set(stems("dikelola"))
    assert {"nilai"} <= set(stems("penilaian")) & set(stems("dinilai"))
    assert {"rencana"} <= set(stems("perencanaan")) & set(stems("terencana"))


def test_a_stem_keeps_at_least_four_letters():
    assert "ada" not in stems("pengadaan")
    assert "ada" not in stems("diadakan")
    assert all(len(candidate) >= 4 for candidate in stems("pengaduan"))


# --- normalising -----------------------------------------------------------------------------


def test_words_are_folded_and_joined_across_hyphenated_line_ends():
    text = "Pene-\n  tapan KÉBIJAKAN ﬁnal  SP4N-LAPOR pene\u00adtapan"
    assert words(text) == ["penetapan", "kebijakan", "final", "sp4n", "lapor", "penetapan"]


def test_letter_spaced_headings_are_read_as_words():
    assert words("P E R A T U R A N WALI KOTA") == ["peraturan", "wali", "kota"]
    assert words("a b c d e") == ["a", "b", "c", "d", "e"]  # lowercase: not a heading


# --- matching topics -------------------------------------------------------------------------


def test_a_perwal_on_arsitektur_spbe_matches_indicator_1_and_not_peta_rencana(spbe2020_terms):
    on_topic = match_terms(PERWAL_ARSITEKTUR, spbe2020_terms.entry("1"))
    assert on_topic.matched
    assert [found.term for found in on_topic.found] == [
        "arsitektur SPBE",
        "arsitektur sistem pemerintahan berbasis elektronik",
        "referensi arsitektur",
        "domain arsitektur",
        "arsitektur proses bisnis",  # "Domain Arsitektur meliputi proses bisnis": one filler
    ]
    assert on_topic.missing == ["arsitektur infrastruktur SPBE", "arsitektur keamanan SPBE"]
    off_topic = match_terms(PERWAL_ARSITEKTUR, spbe2020_terms.entry("2"))
    assert not off_topic.matched
    assert off_topic.missing == list(spbe2020_terms.entry("2").terms)


def test_an_sk_tim_koordinasi_matches_its_indicator_and_not_the_architecture(spbe2020_terms):
    assert match_terms(SK_TIM, spbe2020_terms.entry("10")).matched
    assert not match_terms(SK_TIM, spbe2020_terms.entry("1")).matched


def test_a_found_term_shows_its_passage_with_the_matched_span(spbe2020_terms):
    text = "x " * 200 + PERWAL_ARSITEKTUR + " y" * 200
    found = match_terms(text, spbe2020_terms.entry("1")).found[0]
    assert found.term == "arsitektur SPBE"
    # the first occurrence: the title, written out in full (SPBE's long form)
    assert found.matched == "ARSITEKTUR SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK"
    assert text[found.text_start : found.text_end] == found.matched
    assert found.passage.startswith("…") and found.passage.endswith("…")
    assert len(found.passage) <= 200
    assert "\n" not in found.passage


def test_the_passage_of_a_match_across_lines_collapses_the_whitespace():
    found = find_term("awal\nArsitektur\n   SPBE\nakhir", compile_term("arsitektur SPBE"))
    assert found.passage == "awal Arsitektur SPBE akhir"
    assert found.matched == "Arsitektur SPBE"
    assert (found.text_start, found.text_end) == (5, 23)


def test_morphology_penyusunan_matches_susun_and_ditetapkan_matches_penetapan():
    assert find_term("Dokumen disusun oleh tim", compile_term("penyusunan dokumen")) is None
    assert find_term("dokumen disusun oleh tim", compile_term("dokumen penyusunan")) is not None
    found = find_term("Rapat penyusunan arsitektur", compile_term("susun arsitektur"))
    assert found.matched == "penyusunan arsitektur"
    assert find_term("Ditetapkan di Denpasar", compile_term("penetapan")).matched == "Ditetapkan"
    assert find_term("dikelola oleh unit", compile_term("pengelolaan")) is not None


def test_a_common_root_does_not_match_a_derived_term():
    assert find_term("tidak ada dokumen", compile_term("pengadaan")) is None


def test_exact_terms_match_the_word_as_written():
    exact = compile_term("perbaikan", exact=True)
    assert find_term("hasil yang baik", exact) is None
    assert find_term("hasil yang baik", compile_term("perbaikan")) is not None
    assert find_term("bukti PERBAIKAN aplikasi", exact).matched == "PERBAIKAN"


def test_a_term_hyphenated_across_a_line_end_by_ocr_is_found():
    text = "PERATURAN TENTANG ARSI-\nTEKTUR SPBE KOTA"
    found = find_term(text, compile_term("arsitektur SPBE"))
    assert found.matched == "ARSI- TEKTUR SPBE"
    assert text[found.text_start : found.text_end] == "ARSI-\nTEKTUR SPBE"


def test_extra_spaces_between_words_do_not_matter():
    assert find_term("Peta    Rencana \t  SPBE", compile_term("peta rencana SPBE")) is not None


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("arsitektur SPBE", "Arsitektur Sistem Pemerintahan Berbasis Elektronik"),
        ("arsitektur sistem pemerintahan berbasis elektronik", "Arsitektur SPBE"),
        ("audit TIK", "audit teknologi informasi dan komunikasi"),
        ("audit teknologi informasi dan komunikasi", "Audit TIK"),
        ("RAN Pemdi", "Rencana Aksi Nasional Pemerintah Digital"),
        ("SOP pusat data", "Standar Operasional Prosedur Pusat Data"),
        ("SK tim", "Surat Keputusan Tim"),
        ("pelindungan data pribadi", "UU PDP"),
        ("perjanjian kerja sama", "PKS dengan Universitas Udayana"),
        ("dokumen pelaksanaan anggaran", "DPA-SKPD 2024"),
    ],
)
def test_abbreviations_and_their_long_forms_match_each_other(term, text):
    assert find_term(text, compile_term(term)) is not None


def test_one_filler_word_is_allowed_between_the_words_of_a_term():
    term = compile_term("peta rencana SPBE")
    assert find_term("Peta Rencana Induk SPBE", term) is not None
    assert find_term("peta rencana induk daerah SPBE", term) is None
    assert find_term("SPBE rencana peta", term) is None


def test_a_prepared_text_is_matched_again_without_tokenising_again(spbe2020_terms):
    prepared = prepare(PERWAL_ARSITEKTUR)
    assert match_terms(prepared, spbe2020_terms.entry("1")) == match_terms(
        PERWAL_ARSITEKTUR, spbe2020_terms.entry("1")
    )


def test_a_service_the_institution_chooses_has_terms_as_hints_only(spbe2020_terms):
    assert [n for n, e in spbe2020_terms.indicators.items() if not e.topic_check] == [
        "45",
        "46",
        "47",
    ]
    assert not bundled_terms("spbe-2018").entry("35.1").topic_check
    assert all(entry.topic_check for entry in bundled_terms("pemdi-2026").indicators.values())


def test_the_kinds_that_fit_an_indicator(spbe2020_terms):
    assert spbe2020_terms.entry("1").kind_fits("peraturan")
    assert not spbe2020_terms.entry("1").kind_fits("tangkapan_layar")
    assert spbe2020_terms.entry("40").kind_fits("tangkapan_layar")


# --- the elements a level requires -----------------------------------------------------------


def test_a_draft_without_ditetapkan_di_misses_penetapan_at_level_2(spbe2020_terms):
    draft = "RANCANGAN\n" + PERWAL_ARSITEKTUR
    assert missing_elements(draft, "1", 2, spbe2020_terms) == ["penetapan"]
    assert missing_elements(draft, "1", 1, spbe2020_terms) == []


def test_an_enacted_regulation_has_penetapan_at_level_2(spbe2020_terms):
    enacted = PERWAL_ARSITEKTUR + SIGNED
    assert missing_elements(enacted, "1", 2, spbe2020_terms) == []
    (check,) = check_elements(enacted, "1", 2, spbe2020_terms)
    assert check.name == "penetapan"
    assert check.found.matched == "Ditetapkan di"
    assert "bernomor" in check.description


def test_levels_are_cumulative_where_the_instrument_says_so(spbe2020_terms):
    enacted = PERWAL_ARSITEKTUR + SIGNED
    assert spbe2020_terms.required_elements("1", 5) == (
        "penetapan",
        "reviu",
        "lintas_instansi",
        "tindak_lanjut",
    )
    assert missing_elements(enacted, "1", 4, spbe2020_terms) == ["reviu", "lintas_instansi"]
    review = "Notulen rapat reviu kebijakan Arsitektur SPBE: keselarasan antar instansi dibahas."
    assert missing_elements([enacted, review], "1", 4, spbe2020_terms) == []
    assert missing_elements([enacted, review], "1", 5, spbe2020_terms) == ["tindak_lanjut"]


def test_a_decimal_claim_requires_the_elements_of_its_whole_level(spbe2020_terms):
    assert spbe2020_terms.required_elements("1", Decimal("2.50")) == ("penetapan",)
    assert spbe2020_terms.required_elements("1", None) == ()
    assert spbe2020_terms.required_elements("1", 0) == ()


def test_an_indicator_override_replaces_its_rule_at_that_level(spbe2020_terms):
    # indicator 9: level 3 asks for the three kinds of audit; other policies ask nothing there
    assert spbe2020_terms.required_elements("9", 3) == (
        "penetapan",
        "audit_infrastruktur",
        "audit_aplikasi",
        "audit_keamanan",
    )
    assert spbe2020_terms.required_elements("2", 3) == ("penetapan",)
    policy = SIGNED + "Audit TIK meliputi audit infrastruktur dan audit aplikasi."
    assert missing_elements(policy, "9", 3, spbe2020_terms) == ["audit_keamanan"]


def test_service_levels_ask_for_interaction_transaction_and_integration(spbe2020_terms):
    screenshot = "SIMPEG Cari pegawai Unduh SK Unggah dokumen"
    assert missing_elements(screenshot, "36", 2, spbe2020_terms) == []
    assert missing_elements(screenshot, "36", 4, spbe2020_terms) == ["transaksi", "integrasi"]


def test_pemdi_imported_indicators_require_no_elements():
    terms = bundled_terms("pemdi-2026")
    for number in ("5", "6", "7", "18"):
        assert all(terms.required_elements(number, level) == () for level in range(1, 6))
    assert terms.required_elements("10", 2) == ("ikasandi", "iiv")


def test_an_instrument_without_criteria_requires_no_elements_and_a_sub_item_its_indicators():
    terms = bundled_terms("spbe-2018")
    assert terms.elements == {}
    assert terms.entry("35.2").number == "35"
    assert missing_elements("apa saja", "35.2", 5, terms) == []
    assert terms.entry("99") is None
    assert missing_elements("apa saja", "99", 3, terms) == []


def test_without_cumulative_criteria_a_level_requires_only_its_own_elements():
    instrument = builtin("spbe-2020").model_copy(update={"cumulative_criteria": False})
    terms = load_terms_file(bundled_path("spbe-2020"), instrument)
    assert terms.required_elements("1", 5) == ("tindak_lanjut",)
    assert terms.required_elements("1", 3) == ()


# --- validation ------------------------------------------------------------------------------

MINIMAL = """\
format: monev-evidence-terms/1
instrument: spbe-2020
elements:
  penetapan:
    description: ditetapkan
    exact_terms: [ditetapkan di]
level_rules:
- kind: kebijakan
  levels: {2: [penetapan]}
indicators:
  1:
    terms: [arsitektur SPBE]
    kinds: [peraturan]
"""


def load(text: str, name: str = "spbe-2020"):
    return load_terms_text(text, "own.yaml", builtin(name))


def test_a_minimal_file_loads():
    terms = load(MINIMAL)
    assert list(terms.indicators) == ["1"]
    assert terms.required_elements("1", 3) == ("penetapan",)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("instrument: spbe-2020", "instrument: spbe-2018", "the file is for spbe-2018"),
        ("  1:\n", "  48:\n", "indicator 48 is not an indicator of spbe-2020"),
        ("{2: [penetapan]}", "{2: [ditetapkan]}", "element ditetapkan is not declared"),
        ("{2: [penetapan]}", "{7: [penetapan]}", "level 7 is outside the instrument's levels 1-5"),
        ("kinds: [peraturan]", "kinds: [perda]", "Input should be 'peraturan'"),
        ("kinds: [peraturan]", "kinds: []", "at least 1 item"),
        ("- kind: kebijakan", "- kind: kebijaksanaan", "matches no indicator of spbe-2020"),
        ("terms: [arsitektur SPBE]", "terms: [arsitektur SPBE, Arsitektur  spbe]", "listed twice"),
        ("terms: [arsitektur SPBE]", "terms: ['--']", "has no words to match"),
        ("terms: [arsitektur SPBE]", "terms: []", "needs at least one term"),
        ("    kinds: [peraturan]\n", "    kinds: [peraturan]\n    tems: [x]\n", "unknown field"),
        ("{2: [penetapan]}", "{2: []}", "element penetapan is required at no level"),
        ("format: monev-evidence-terms/1", "format: monev-evidence-terms/2", "Input should be"),
    ],
)
def test_a_wrong_file_is_refused_with_its_place_and_line(old, new, message):
    assert MINIMAL.count(old) == 1
    with pytest.raises(EvidenceTermsError) as caught:
        load(MINIMAL.replace(old, new))
    assert message in caught.value.render()
    assert caught.value.render().startswith("own.yaml:")


def test_a_problem_names_its_line():
    with pytest.raises(EvidenceTermsError) as caught:
        load(MINIMAL.replace("  1:\n", "  48:\n"))
    assert caught.value.render() == (
        "own.yaml:11: indicators.48: indicator 48 is not an indicator of spbe-2020"
    )


def test_a_sub_item_number_is_refused_with_a_hint():
    text = """\
format: monev-evidence-terms/1
instrument: spbe-2018
indicators:
  '35.1':
    terms: [pelayanan publik]
    kinds: [tangkapan_layar]
"""
    with pytest.raises(EvidenceTermsError) as caught:
        load(text, "spbe-2018")
    assert caught.value.render() == (
        "own.yaml:4: indicators.35.1: indicator 35.1 is not an indicator of spbe-2018 "
        "(a sub-item: give the terms on its indicator)"
    )


def test_bad_yaml_is_refused_as_a_terms_file_error():
    with pytest.raises(EvidenceTermsError, match="not valid YAML"):
        load("format: [")


def test_an_unreadable_file_is_refused(tmp_path):
    with pytest.raises(EvidenceTermsError, match="cannot read the file"):
        load_terms_file(tmp_path / "missing.yaml", builtin("spbe-2020"))


# --- robustness and speed --------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        *("-\n", "- \r\n", "\u00ad", " ", "\n", "\n\n", "P E R A T U R A N", "SPBE"),
        *("ditetapkan di", "é", "ﬁ", "ARSI-", "kata"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), FRAGMENTS), max_size=40))
def test_a_text_read_in_chunks_gives_the_words_and_offsets_of_the_whole(parts):
    text = "".join(parts)
    whole = [match.span() for match in evidence_terms._token_pattern(text).finditer(text)]
    saved = evidence_terms.CHUNK_CHARS
    evidence_terms.CHUNK_CHARS = 4  # a cut at nearly every line end
    try:
        prepared = prepare(text)
    finally:
        evidence_terms.CHUNK_CHARS = saved
    assert [prepared.words[wid] for wid in prepared.word_ids] == words(text)
    assert [prepared.span(position) for position in range(len(prepared))] == whole


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), FRAGMENTS), max_size=30))
def test_matching_never_raises_on_arbitrary_text(parts):
    text = "".join(parts)
    terms = bundled_terms("spbe-2020")
    for number in ("1", "9", "36"):
        result = match_terms(text, terms.entry(number))
        for found in result.found:
            assert 0 <= found.start < found.end <= len(found.passage)
            assert 0 <= found.text_start < found.text_end <= len(text)
        assert len(result.found) + len(result.missing) == len(terms.entry(number).compiled)
        missing_elements(text, number, 5, terms)


def test_a_two_megabyte_text_is_matched_quickly(spbe2020_terms):
    paragraph = PERWAL_ARSITEKTUR.replace("ARSITEKTUR", "KERANGKA") + "pene-\ntapan "
    text = (paragraph * (2_000_000 // len(paragraph) + 1))[:2_000_000] + SIGNED
    started = time.perf_counter()
    prepared = prepare(text)
    result = match_terms(prepared, spbe2020_terms.entry("1"))
    missing = missing_elements(prepared, "1", 5, spbe2020_terms)
    elapsed = time.perf_counter() - started
    (signed,) = check_elements(prepared, "1", 2, spbe2020_terms)
    assert text[signed.found.text_start : signed.found.text_end] == "Ditetapkan di"
    assert signed.found.text_start > 2_000_000
    assert result.matched and missing == ["reviu", "lintas_instansi", "tindak_lanjut"]
    assert elapsed < 5  # a regression guard on a shared machine; about 0.3 s when it is idle

"""Evidence against the criteria: the terms a fitting document shows, and what each level asks.

An evidence-terms file (`core/evidence_terms/<instrument-id>.yaml`, format
`monev-evidence-terms/1`) gives, per indicator, the phrases a document for it must show at
least one of (`terms`, matched with Indonesian morphology; `exact_terms`, matched as written)
and the evidence kinds that fit it (`kinds`; `topic_check: false` where the institution chooses
the indicator's subject, so its terms are hints only), plus named `elements` (an enacted
regulation, a review, a follow-up ...) and the `level_rules` that say which elements each level
requires.
Every entry is written from the criteria and evidence text of the instrument file.

Level rules: the first rule whose `kind` and `level_scale` match the indicator (a rule without
either matches every indicator) gives its elements per level; the indicator's own `levels`
replace the rule's list for each level they name (an empty list: nothing at that level). Where
the instrument's criteria are cumulative (`cumulative_criteria`), level N requires the elements
of every level up to N; otherwise only those of level N.

Matching is deterministic and explained (what was found, where, in which passage):
- the text is tokenised once (`prepare`): Unicode-folded, lowercased, words hyphenated across a
  line end joined again ("pene-\\ntapan"), letter-spaced headings joined ("P E R A T U R A N");
- every word gets its candidate stems (`stems`: a light Indonesian stemmer); a term's word
  matches a text word when they share a candidate;
- abbreviations and their long forms stand for each other (SPBE <-> sistem pemerintahan
  berbasis elektronik, ...: `SYNONYMS`);
- a term of several words matches where its words occur in order, each at most one word after
  the one before (one filler word: "tim koordinasi SPBE" for "tim SPBE").

The pure core: no Django, no app imports (the `pure-core` contract in pyproject.toml).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, product
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from monev.core.loader import InstrumentError, Location, Problem, parse_yaml
from monev.core.model import Indicator, Instrument, ItemNumber, Strict
from monev.core.registry import catalog

FORMAT = "monev-evidence-terms/1"
BUILTIN_DIR = Path(__file__).with_name("evidence_terms")

# The values of monev.evidence.models.Evidence.Kind (a test keeps the two equal); kept here so
# the pure core can check a terms file without Django.
EVIDENCE_KINDS = (
    "peraturan",
    "sop",
    "laporan",
    "notulen",
    "tangkapan_layar",
    "video",
    "tautan",
    "hasil_ikasandi",
    "lainnya",
)

# Abbreviations and the long forms they stand for, each group's phrases equivalent. A term that
# contains one phrase of a group also matches with any other phrase of the group in its place.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("spbe", "sistem pemerintahan berbasis elektronik"),
    ("tik", "teknologi informasi dan komunikasi", "teknologi informasi komunikasi"),
    ("ti", "teknologi informasi"),
    ("pemdi", "pemerintah digital", "pemerintahan digital"),
    ("sop", "standar operasional prosedur", "standar operasional dan prosedur"),
    ("ran", "rencana aksi nasional"),
    ("sk", "surat keputusan"),
    ("pdn", "pusat data nasional"),
    ("jip", "jaringan intra pemerintah"),
    ("splp", "sistem penghubung layanan pemerintah"),
    ("sdi", "satu data indonesia"),
    ("jdih", "jaringan dokumentasi dan informasi hukum"),
    ("smki", "sistem manajemen keamanan informasi"),
    ("ttis", "tim tanggap insiden siber"),
    ("csirt", "computer security incident response team"),
    ("pdp", "pelindungan data pribadi"),
    ("dpo", "data protection officer"),
    ("dpia", "data protection impact assessment"),
    ("sdm", "sumber daya manusia"),
    ("asn", "aparatur sipil negara"),
    ("bmn", "barang milik negara"),
    ("bmd", "barang milik daerah"),
    ("wbs", "whistle blowing system", "whistleblowing system"),
    ("iiv", "infrastruktur informasi vital"),
    ("skm", "survei kepuasan masyarakat"),
    ("sla", "service level agreement"),
    ("sdlc", "software development life cycle", "system development life cycle"),
    ("uat", "user acceptance test", "user acceptance testing"),
    ("sso", "single sign on"),
    ("bcp", "business continuity plan"),
    ("drp", "disaster recovery plan"),
    ("epss", "evaluasi penyelenggaraan statistik sektoral"),
    ("rpjmd", "rencana pembangunan jangka menengah daerah"),
    ("apip", "aparat pengawasan intern pemerintah", "aparat pengawasan internal pemerintah"),
    ("sakip", "sistem akuntabilitas kinerja instansi pemerintah"),
    ("skp", "sasaran kinerja pegawai"),
    ("lpse", "layanan pengadaan secara elektronik"),
    ("rka", "rencana kerja dan anggaran"),
    ("dpa", "dokumen pelaksanaan anggaran"),
    ("pks", "perjanjian kerja sama", "perjanjian kerjasama"),
    ("mou", "memorandum of understanding", "nota kesepahaman"),
    ("bimtek", "bimbingan teknis"),
    ("perwal", "peraturan wali kota", "peraturan walikota"),
    ("perbup", "peraturan bupati"),
    ("pergub", "peraturan gubernur"),
    ("perkada", "peraturan kepala daerah"),
    ("wali kota", "walikota"),
)

# Words kept as they are by the stemmer: abbreviations (besides every word of up to 4 letters,
# words with digits and words without vowels, which are kept anyway).
KEEP_WORDS = frozenset(
    {
        *(phrase for group in SYNONYMS for phrase in group if " " not in phrase),
        "ikasandi",
        "simpeg",
        "siasn",
        "srikandi",
        "bappenas",
        "bssn",
        "kominfo",
        "diskominfo",
        "kemenpanrb",
        "menpanrb",
        "permenpanrb",
        "lkjip",
        "lakip",
        "sipkd",
        "simda",
        "sirup",
        "musrenbang",
        "renstra",
        "renja",
        "geoportal",
        "inspektorat",
        "pentahelix",
        "microlearning",
        "myasn",
        "helpdesk",
    }
)

PASSAGE_CHARS = 160
ELLIPSIS = "…"
MAX_VARIANTS = 32
MAX_FILLER = 1  # words allowed between two words of a term


# --- normalising and stemming ----------------------------------------------------------------

_VOWELS = frozenset("aiueo")
_HYPHENS = "-\u00ad\u2010\u2011\u00ac"  # hyphen, soft hyphen, Unicode hyphens, OCR's "¬"
_WORD = r"[^\W_][^\W_\u00ad]*(?:\u00ad[^\W_]+)*"  # letters and digits; soft hyphens inside
# a word, with its parts hyphenated across line ends ("pene-\ntapan")
_HYPHENATED = rf"{_WORD}(?:[{_HYPHENS}][ \t]*(?:\r\n|\r|\n|\f)[ \t]*{_WORD})*"
_TOKEN = re.compile(_HYPHENATED)
_TOKEN_PLAIN = re.compile(_WORD)  # for a text without a hyphen at a line end: faster
_BROKEN = re.compile(rf"[{_HYPHENS}][ \t]*[\r\n\f]")
# ... or before it, a letter-spaced heading ("P E R A T U R A N": four capitals or more); the
# slower pattern is used only for a text that has one
_SPACED = re.compile(r"(?<![^\W_])[A-Z](?: [A-Z]){3,}(?![^\W_])")
_TOKEN_SPACED = re.compile(rf"{_SPACED.pattern}|{_HYPHENATED}")
_SPACED_HINT = re.compile(r"[A-Z] [A-Z] [A-Z] [A-Z]")  # a quick look before the exact one
_JOINERS = re.compile(rf"[{_HYPHENS}]\s*|\s+|\u00ad")


def _token_pattern(text: str) -> re.Pattern[str]:
    if _SPACED_HINT.search(text) and _SPACED.search(text):
        return _TOKEN_SPACED
    return _TOKEN if _BROKEN.search(text) else _TOKEN_PLAIN


def fold(word: str) -> str:
    """Lowercase, without accents and compatibility forms ("Ｓ", "ﬁ", "é" -> "s", "fi", "e")."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _kept(word: str) -> bool:
    return (
        len(word) <= 4
        or word in KEEP_WORDS
        or not word.isalpha()
        or not any(c in _VOWELS for c in word)
    )


def _strip_suffixes(word: str) -> list[str]:
    """The word without a particle and one derivational suffix: both readings of a final
    "-kan" (ditetapkan -> ditetap; perbaikan -> perbaik), the word itself where none applies."""
    for particle in ("lah", "kah", "nya"):
        if word.endswith(particle) and len(word) - 3 >= 4:
            word = word[:-3]
            break
    bases = []
    if word.endswith("kan") and len(word) - 3 >= 4:
        bases.append(word[:-3])
    if word.endswith("an") and len(word) - 2 >= 4:
        bases.append(word[:-2])
    # -i after a consonant, not the -si of informasi, evaluasi (nor pegawai, sesuai)
    if word.endswith("i") and len(word) - 1 >= 4 and word[-2] not in _VOWELS and word[-2] != "s":
        bases.append(word[:-1])
    return bases or [word]


def _outer_prefix(word: str) -> list[tuple[str, bool]]:
    """The word without a first prefix (di-, ke-, se-, me-/pe- with their nasal forms), each
    reading of an ambiguous nasal ("pengelola": elola, kelola), each with whether it is the
    word's own rest (True) or has its first letter restored (False); [] where none applies.
    No reading is shorter than 4 letters ("pengadaan" is not "ada" nor "kada")."""
    found: list[tuple[str, bool]] = []
    if word[:2] in ("di", "ke", "se"):
        found.append((word[2:], True))
    for me in ("me", "pe"):
        if not word.startswith(me):
            continue
        rest = word[2:]
        if rest.startswith("ny") and rest[2:3] in _VOWELS and len(rest) >= 5:
            found.append(("s" + rest[2:], False))
        elif rest.startswith("ng") and rest[2:3] in _VOWELS and len(rest) >= 6:
            found += [(rest[2:], True), ("k" + rest[2:], False)]
        elif rest.startswith("ng") and rest[2:3] in ("g", "h", "k"):
            found.append((rest[2:], True))
        elif rest.startswith("m") and rest[1:2] in ("b", "f", "v", "p"):
            found.append((rest[1:], True))
        elif rest.startswith("m") and rest[1:2] in _VOWELS:
            found += [("p" + rest[1:], False), ("m" + rest[1:], False)]
        elif rest.startswith("n") and rest[1:2] in ("c", "d", "j", "t", "z", "s"):
            found.append((rest[1:], True))
        elif rest.startswith("n") and rest[1:2] in _VOWELS:
            found += [("t" + rest[1:], False), ("n" + rest[1:], False)]
        elif me == "pe" and rest.startswith("r") and rest[1:2] not in _VOWELS:
            found.append((rest[1:], True))  # per- + consonant: perbaikan -> baik(an)
        elif me == "pe" and rest.startswith("r"):
            # per- + vowel: perubahan -> ubah, perencanaan -> rencana
            found += [(rest[1:], True), (rest, True)]
        elif rest[:1] in ("l", "r", "w", "y") or (
            rest[:1] in ("m", "n")
            and not rest.startswith(("ng", "ny"))
            and rest[1:2] not in _VOWELS
        ):
            found.append((rest, True))
    return found


def _inner_prefix(word: str) -> list[str]:
    """The word without ber-, ter- or per- (a second prefix: di-per-baik-i, ke-ber-lanjut-an)."""
    if word[:3] in ("ber", "ter", "per") and len(word) > 3:
        if word[3] in _VOWELS:
            return [word[3:], word[2:]]  # terencana -> encana, rencana
        return [word[3:]]
    return []


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The candidate stems of a folded word, the most likely first. Two words match when they
    share a candidate: "penetapan" (tetap, ...) and "ditetapkan" (tetap, ...).

    A light stemmer, not a dictionary: words of up to 4 letters, abbreviations, words with
    digits are kept; a particle (-lah, -kah, -nya) and one suffix (-kan, -an, -i; not the -si
    of informasi, nor -i after a vowel) come off, then up to two prefixes (di-, ke-, se-,
    me-/pe- with the nasal forms mem-, men-, meng-, meny-, pem-, pen-, peng-, peny-; then
    ber-, ter-, per-). A stem keeps at least 4 letters, so "pengadaan" stays "pengada".
    """
    if _kept(word):
        return (word,)
    inner: list[str] = []
    outer: list[str] = []
    bases = _strip_suffixes(word)
    for base in bases:
        readings = _outer_prefix(base)
        for stripped, own in readings:
            outer.append(stripped)
            if own:
                inner += _inner_prefix(stripped)
        if not readings:
            inner += _inner_prefix(base)
    results: list[str] = []
    # the deepest readings first: a second prefix's rest, a first prefix's, the bare word
    for candidate in (*inner, *outer, *bases):
        if len(candidate) >= 4 and candidate not in results:
            results.append(candidate)
    return tuple(results) or (word,)


def stem(word: str) -> str:
    """The most likely stem of a word ("penyusunan" -> "susun", "ditetapkan" -> "tetap")."""
    return stems(fold(word))[0]


def words(text: str) -> list[str]:
    """The folded words of a text, OCR-tolerant (see the module's docstring)."""
    return [_fold_token(raw) for raw in _token_pattern(text).findall(text)]


def _fold_token(raw: str) -> str:
    if not raw.isalnum():  # joined across a line end, letter-spaced, or with a soft hyphen
        raw = _JOINERS.sub("", raw)
    return fold(raw)


# --- the prepared text -----------------------------------------------------------------------


class PreparedText:
    """A text tokenised once, to be matched against many terms. `text` is the original.

    Built lazily where it can be: the token offsets when a term is found, the index of stems
    when the first term is looked up."""

    def __init__(self, text: str):
        self.text = text
        self._pattern = _token_pattern(text)
        # tokenised in chunks cut at line ends no token spans, so that the offsets of a token,
        # needed only for the few found, are read again in its chunk alone
        self._chunks: list[tuple[int, int, int]] = []  # (start, end, index of first token)
        raws: list[str] = []
        for start, end in _chunks(text):
            self._chunks.append((start, end, len(raws)))
            raws += self._pattern.findall(text, start, end)
        self._chunk_firsts = [first for _, _, first in self._chunks]
        self._chunk_starts: dict[int, list[int]] = {}
        raw_ids: dict[str, int] = {}
        folded_ids: dict[str, int] = {}
        for raw in dict.fromkeys(raws):
            folded = _fold_token(raw)
            wid = folded_ids.get(folded)
            if wid is None:
                wid = folded_ids[folded] = len(folded_ids)
            raw_ids[raw] = wid
        self.word_ids: list[int] = list(map(raw_ids.__getitem__, raws))
        self.words: list[str] = list(folded_ids)  # the distinct folded words, by id
        self._order: list[int] | None = None
        self._offsets: list[int] = []
        self._by_stem: dict[str, list[int]] | None = None
        self._ids: dict[str, int] = folded_ids
        self._cache: dict[Slot, tuple[list[int], set[int]]] = {}

    def __len__(self) -> int:
        return len(self.word_ids)

    def span(self, position: int) -> tuple[int, int]:
        """The offsets of a token in the original text."""
        chunk = bisect_right(self._chunk_firsts, position) - 1
        starts = self._chunk_starts.get(chunk)
        if starts is None:
            begin, end, _ = self._chunks[chunk]
            found = self._pattern.finditer(self.text, begin, end)
            starts = self._chunk_starts[chunk] = [match.start() for match in found]
        start = starts[position - self._chunks[chunk][2]]
        match = self._pattern.match(self.text, start)
        return start, match.end() if match else start

    def _positions_of(self, wid: int) -> list[int]:
        if self._order is None:
            ids = self.word_ids
            self._order = sorted(range(len(ids)), key=ids.__getitem__)  # stable: ascending
            counts = [0] * (len(self.words) + 1)
            for wid_, count in Counter(ids).items():
                counts[wid_ + 1] = count
            self._offsets = list(accumulate(counts))
        return self._order[self._offsets[wid] : self._offsets[wid + 1]]

    def _stem_index(self) -> dict[str, list[int]]:
        if self._by_stem is None:
            index: dict[str, list[int]] = {}
            for wid, word in enumerate(self.words):
                for key in stems(word):
                    bucket = index.get(key)
                    if bucket is None:
                        index[key] = [wid]
                    else:
                        bucket.append(wid)
            self._by_stem = index
        return self._by_stem

    def positions(self, slot: Slot) -> tuple[list[int], set[int]]:
        """The token positions a term's word matches at, ascending and as a set."""
        cached = self._cache.get(slot)
        if cached is not None:
            return cached
        if slot.exact:
            wid = self._ids.get(slot.keys[0])
            ids = [] if wid is None else [wid]
        else:
            index = self._stem_index()
            ids = sorted({wid for key in slot.keys for wid in index.get(key, ())})
        if len(ids) == 1:
            ordered = self._positions_of(ids[0])
        else:
            ordered = sorted(p for wid in ids for p in self._positions_of(wid))
        result = (ordered, set(ordered))
        self._cache[slot] = result
        return result


CHUNK_CHARS = 65536


def _chunks(text: str) -> list[tuple[int, int]]:
    """The text cut into pieces of about CHUNK_CHARS at line ends that no token spans (a line
    end after a hyphen may join a word's parts); one piece where there is no such line end."""
    pieces = []
    start = 0
    while len(text) - start > CHUNK_CHARS:
        cut = text.find("\n", start + CHUNK_CHARS)
        while cut != -1 and _after_hyphen(text, cut):
            cut = text.find("\n", cut + 1)
        if cut == -1:
            break
        pieces.append((start, cut + 1))
        start = cut + 1
    pieces.append((start, len(text)))
    return pieces


def _after_hyphen(text: str, line_end: int) -> bool:
    before = line_end - 1
    while before >= 0 and text[before] in " \t\r":
        before -= 1
    return before >= 0 and text[before] in _HYPHENS


def prepare(text: str | PreparedText) -> PreparedText:
    """Tokenise a text once, to match it against many terms (a 2 MB text in well under a
    second)."""
    if isinstance(text, PreparedText):
        return text
    return PreparedText(text or "")


# --- compiled terms --------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One word of a term: its candidate stems, or (exact) its folded form."""

    keys: tuple[str, ...]
    exact: bool = False


@dataclass(frozen=True)
class Term:
    """A phrase as written in the file, with its variants (synonyms) as sequences of slots."""

    text: str
    variants: tuple[tuple[Slot, ...], ...]
    exact: bool = False


def _synonym_index() -> dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]]:
    """First word -> (phrase, its group's phrases), longest phrases first."""
    index: dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]] = {}
    for group in SYNONYMS:
        phrases = tuple(tuple(words(phrase)) for phrase in group)
        for phrase in phrases:
            index.setdefault(phrase[0], []).append((phrase, phrases))
    for entries in index.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    return index


_SYNONYM_INDEX = _synonym_index()


def _variants(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """The term's word sequences with each abbreviation or long form in turn replaced by the
    other phrases of its group (at most MAX_VARIANTS, the term as written first)."""
    options: list[tuple[tuple[str, ...], ...]] = []
    index = 0
    while index < len(tokens):
        for phrase, group in _SYNONYM_INDEX.get(tokens[index], ()):
            if tuple(tokens[index : index + len(phrase)]) == phrase:
                options.append((phrase, *(other for other in group if other != phrase)))
                index += len(phrase)
                break
        else:
            options.append(((tokens[index],),))
            index += 1
    variants: list[tuple[str, ...]] = []
    for combination in product(*options):
        variants.append(tuple(word for part in combination for word in part))
        if len(variants) >= MAX_VARIANTS:
            break
    return variants


def compile_term(text: str, exact: bool = False) -> Term:
    """A phrase of a terms file, ready to match; a phrase with no words has no variants."""
    tokens = words(text)
    variants = []
    for sequence in _variants(tokens) if tokens else []:
        if exact:
            variants.append(tuple(Slot((word,), exact=True) for word in sequence))
        else:
            variants.append(tuple(Slot(stems(word)) for word in sequence))
    return Term(text=text, variants=tuple(dict.fromkeys(variants)), exact=exact)


# --- matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FoundTerm:
    """A term found: `passage` is an excerpt of the original text (whitespace collapsed, "…"
    where cut) and passage[start:end] the matched words, to be escaped and marked on a page;
    `text_start`/`text_end` are the same span's offsets in the original text."""

    term: str
    passage: str
    start: int
    end: int
    text_start: int
    text_end: int

    @property
    def matched(self) -> str:
        return self.passage[self.start : self.end]


@dataclass(frozen=True)
class TermMatch:
    """Which of a list of terms a text shows (each at its first occurrence) and which not."""

    found: list[FoundTerm]
    missing: list[str]

    @property
    def matched(self) -> bool:
        return bool(self.found)


def _first_run(prepared: PreparedText, variant: tuple[Slot, ...]) -> tuple[int, int] | None:
    """The first token positions (first, last) where the variant's words occur in order, each
    at most MAX_FILLER + 1 tokens after the one before."""
    slots = [prepared.positions(slot) for slot in variant]
    if any(not ordered for ordered, _ in slots):
        return None
    rest = [members for _, members in slots[1:]]
    steps = range(1, MAX_FILLER + 2)
    dead: set[tuple[int, int]] = set()  # (position, depth) known not to lead to a match

    def extend(position: int, depth: int) -> int | None:
        if depth == len(rest):
            return position
        if (position, depth) in dead:
            return None
        members = rest[depth]
        for step in steps:
            if position + step in members:
                last = extend(position + step, depth + 1)
                if last is not None:
                    return last
        dead.add((position, depth))
        return None

    for first in slots[0][0]:
        last = extend(first, 0)
        if last is not None:
            return first, last
    return None


def find_term(text: str | PreparedText, term: Term) -> FoundTerm | None:
    """The term's first occurrence in the text (the earliest of its variants), or None."""
    prepared = prepare(text)
    best: tuple[int, int] | None = None
    for variant in term.variants:
        run = _first_run(prepared, variant)
        if run is not None and (best is None or (run[0], -run[1]) < (best[0], -best[1])):
            best = run
    if best is None:
        return None
    return _found(prepared, term.text, prepared.span(best[0])[0], prepared.span(best[1])[1])


_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _clean(part: str) -> str:
    return _SPACE.sub(" ", _CONTROL.sub(" ", part))


def _found(prepared: PreparedText, term: str, start: int, end: int) -> FoundTerm:
    text = prepared.text
    room = max(0, PASSAGE_CHARS - (end - start)) // 2
    left, right = max(0, start - room), min(len(text), end + room)
    # cut at whitespace, not inside a word, where there is whitespace near the edge
    if left > 0:
        space = _SPACE.search(text, left, min(start, left + 20))
        left = space.end() if space else left
    if right < len(text):
        cut = max(
            text.rfind(" ", max(end, right - 20), right),
            text.rfind("\n", max(end, right - 20), right),
        )
        right = cut if cut != -1 else right
    before = _clean(text[left:start]).lstrip()
    matched = _clean(text[start:end])
    after = _clean(text[end:right]).rstrip()
    if left > 0:
        before = ELLIPSIS + before
    if right < len(text):
        after += ELLIPSIS
    passage = before + matched + after
    return FoundTerm(term, passage, len(before), len(before) + len(matched), start, end)


def match_list(text: str | PreparedText, terms: Iterable[Term]) -> TermMatch:
    prepared = prepare(text)
    found: list[FoundTerm] = []
    missing: list[str] = []
    for term in terms:
        hit = find_term(prepared, term)
        if hit is None:
            missing.append(term.text)
        else:
            found.append(hit)
    return TermMatch(found=found, missing=missing)


def match_terms(text: str | PreparedText, entry: IndicatorTerms) -> TermMatch:
    """Which of an indicator's terms the text shows, with a passage for each found."""
    return match_list(text, entry.compiled)


# --- the loaded file -------------------------------------------------------------------------


@dataclass(frozen=True)
class Element:
    """A named thing a level may require (penetapan: an enacted, signed regulation)."""

    name: str
    description: str
    terms: tuple[str, ...]
    exact_terms: tuple[str, ...]
    compiled: tuple[Term, ...]


@dataclass(frozen=True)
class IndicatorTerms:
    """One indicator's entry: its terms, the evidence kinds that fit, and per level the
    elements required (already cumulative where the instrument's criteria are)."""

    number: str
    terms: tuple[str, ...]
    exact_terms: tuple[str, ...]
    kinds: tuple[str, ...]
    required: dict[int, tuple[str, ...]]
    compiled: tuple[Term, ...]
    topic_check: bool = True  # false: a document showing none of the terms is not off-topic

    def kind_fits(self, kind: str) -> bool:
        return kind in self.kinds

    def required_at(self, level: int | Decimal | None) -> tuple[str, ...]:
        whole = _whole_level(level)
        if whole is None:
            return ()
        below = [known for known in self.required if known <= whole]
        return self.required[max(below)] if below else ()


@dataclass(frozen=True)
class EvidenceTerms:
    instrument_id: str
    instrument_version: int
    cumulative: bool
    elements: dict[str, Element]
    indicators: dict[str, IndicatorTerms]
    item_indicator: dict[str, str]  # scored item number (35.1) -> its indicator (35)
    source: str
    sha256: str

    def entry(self, number: str | Indicator) -> IndicatorTerms | None:
        """The entry of an indicator or of a scored item (a sub-item's indicator's)."""
        number = number if isinstance(number, str) else number.number
        return self.indicators.get(self.item_indicator.get(number, number))

    def required_elements(self, number: str | Indicator, level: int | Decimal | None):
        """The elements (names) a level of an indicator requires; () for none or no entry."""
        entry = self.entry(number)
        return entry.required_at(level) if entry else ()


def _whole_level(level: int | Decimal | None) -> int | None:
    if level is None:
        return None
    try:
        return math.floor(level)
    except (ArithmeticError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class ElementCheck:
    """One required element of a level: found (with its first passage) or not."""

    name: str
    description: str
    found: FoundTerm | None


def check_elements(
    texts: str | PreparedText | Sequence[str | PreparedText],
    indicator: str | Indicator,
    level: int | Decimal | None,
    terms_file: EvidenceTerms,
) -> list[ElementCheck]:
    """Each element the level requires, with where it was first found in the texts (one text,
    or all the texts linked to an answer: an element counts as present if any shows it)."""
    prepared = _prepared_all(texts)
    checks = []
    for name in terms_file.required_elements(indicator, level):
        element = terms_file.elements[name]
        hit = None
        for text in prepared:
            for term in element.compiled:
                hit = find_term(text, term)
                if hit is not None:
                    break
            if hit is not None:
                break
        checks.append(ElementCheck(name, element.description, hit))
    return checks


def missing_elements(
    texts: str | PreparedText | Sequence[str | PreparedText],
    indicator: str | Indicator,
    level: int | Decimal | None,
    terms_file: EvidenceTerms,
) -> list[str]:
    """The names of the elements the level requires that none of the texts shows."""
    return [
        check.name
        for check in check_elements(texts, indicator, level, terms_file)
        if check.found is None
    ]


def _prepared_all(texts) -> list[PreparedText]:
    if isinstance(texts, str | PreparedText):
        return [prepare(texts)]
    return [prepare(text) for text in texts]


# --- the file's schema -----------------------------------------------------------------------

Phrase = Annotated[str, Field(min_length=1, max_length=120)]
ElementName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Level = Annotated[int, Field(ge=0, le=10)]
EvidenceKind = Literal[EVIDENCE_KINDS]  # type: ignore[valid-type]


class ElementSpec(Strict):
    description: Annotated[str, Field(min_length=1)]
    terms: tuple[Phrase, ...] = ()
    exact_terms: tuple[Phrase, ...] = ()


class LevelRuleSpec(Strict):
    kind: str | None = None
    level_scale: str | None = None
    levels: dict[Level, tuple[ElementName, ...]]
    note: str = ""


class IndicatorSpec(Strict):
    terms: tuple[Phrase, ...] = ()
    exact_terms: tuple[Phrase, ...] = ()
    kinds: Annotated[tuple[EvidenceKind, ...], Field(min_length=1)]
    # false where the institution chooses the indicator's subject (a public service of its
    # choice): its terms are hints, and a document showing none of them is not off-topic
    topic_check: bool = True
    levels: dict[Level, tuple[ElementName, ...]] = {}
    note: str = ""


class TermsFileSpec(Strict):
    format: Literal["monev-evidence-terms/1"]
    instrument: Annotated[str, Field(min_length=1)]
    elements: dict[ElementName, ElementSpec] = {}
    level_rules: tuple[LevelRuleSpec, ...] = ()
    indicators: dict[ItemNumber, IndicatorSpec]


MAX_TERMS = 12


class EvidenceTermsError(InstrumentError):
    """An evidence-terms file that cannot be used, with every problem found in it."""


def _line_for(location: Location, lines: dict[Location, int]) -> int | None:
    # YAML gives indicator numbers as numbers (12, 35.1), the schema as text ("12", "35.1")
    textual = {tuple(map(str, place)): line for place, line in lines.items()}
    while location:
        if location in lines:
            return lines[location]
        if tuple(map(str, location)) in textual:
            return textual[tuple(map(str, location))]
        location = location[:-1]
    return lines.get(())


def _phrase_problems(
    place: Location, terms: tuple[str, ...], exact: tuple[str, ...], what: str
) -> list[Problem]:
    problems = []
    if not terms and not exact:
        problems.append(Problem(place, f"{what} needs at least one term (terms or exact_terms)"))
    if len(terms) + len(exact) > MAX_TERMS:
        message = f"{what} has {len(terms) + len(exact)} terms; at most {MAX_TERMS}"
        problems.append(Problem(place, message))
    seen: set[tuple[str, ...]] = set()
    for field_name, phrases in (("terms", terms), ("exact_terms", exact)):
        for index, phrase in enumerate(phrases):
            tokens = tuple(words(phrase))
            if not tokens:
                message = f"{phrase!r} has no words to match"
                problems.append(Problem((*place, field_name, index), message))
            elif (field_name, *tokens) in seen:
                message = f"{phrase!r} is listed twice"
                problems.append(Problem((*place, field_name, index), message))
            seen.add((field_name, *tokens))
    return problems


def _levels_problems(
    place: Location, levels: dict[int, tuple[str, ...]], elements: set[str], top: int
) -> list[Problem]:
    problems = []
    for level, names in levels.items():
        if not 1 <= level <= top:
            message = f"level {level} is outside the instrument's levels 1-{top}"
            problems.append(Problem((*place, level), message))
        for index, name in enumerate(names):
            if name not in elements:
                known = ", ".join(sorted(elements)) or "(none declared)"
                message = f"element {name} is not declared under elements ({known})"
                problems.append(Problem((*place, level, index), message))
    return problems


def consistency_problems(spec: TermsFileSpec, instrument: Instrument) -> list[Problem]:
    problems: list[Problem] = []
    if spec.instrument != instrument.id:
        message = f"the file is for {spec.instrument}, not for instrument {instrument.id}"
        problems.append(Problem(("instrument",), message))
    elements = set(spec.elements)
    top = instrument.scale.max
    for name, element in spec.elements.items():
        problems += _phrase_problems(
            ("elements", name), element.terms, element.exact_terms, f"element {name}"
        )
    for index, rule in enumerate(spec.level_rules):
        place = ("level_rules", index)
        applies = [
            indicator
            for indicator in instrument.indicators
            if (rule.kind is None or indicator.kind == rule.kind)
            and (rule.level_scale is None or indicator.level_scale == rule.level_scale)
        ]
        if not applies:
            message = (
                f"the rule (kind {rule.kind or 'any'}, level_scale {rule.level_scale or 'any'}) "
                f"matches no indicator of {instrument.id}"
            )
            problems.append(Problem(place, message))
        problems += _levels_problems((*place, "levels"), rule.levels, elements, top)
    known = instrument.indicators_by_number
    for number, entry in spec.indicators.items():
        place = ("indicators", number)
        if number not in known:
            message = f"indicator {number} is not an indicator of {instrument.id}"
            if number in instrument.items_by_number:
                message += " (a sub-item: give the terms on its indicator)"
            problems.append(Problem(place, message))
        problems += _phrase_problems(place, entry.terms, entry.exact_terms, f"indicator {number}")
        if len(set(entry.kinds)) != len(entry.kinds):
            problems.append(Problem((*place, "kinds"), "a kind is listed twice"))
        problems += _levels_problems((*place, "levels"), entry.levels, elements, top)
    used = {name for rule in spec.level_rules for names in rule.levels.values() for name in names}
    used |= {
        name for e in spec.indicators.values() for names in e.levels.values() for name in names
    }
    for name in sorted(elements - used):
        message = f"element {name} is required at no level (remove it or use it)"
        problems.append(Problem(("elements", name), message))
    return problems


def _required(
    indicator: Indicator, spec: TermsFileSpec, entry: IndicatorSpec, cumulative: bool, top: int
) -> dict[int, tuple[str, ...]]:
    rule = next(
        (
            rule
            for rule in spec.level_rules
            if (rule.kind is None or indicator.kind == rule.kind)
            and (rule.level_scale is None or indicator.level_scale == rule.level_scale)
        ),
        None,
    )
    own = dict(rule.levels) if rule else {}
    own.update(entry.levels)
    required: dict[int, tuple[str, ...]] = {}
    gathered: list[str] = []
    for level in range(1, top + 1):
        names = own.get(level, ())
        if cumulative:
            gathered += [name for name in names if name not in gathered]
            required[level] = tuple(gathered)
        else:
            required[level] = tuple(names)
    return required


def validate(
    data: Any, source: str, instrument: Instrument, lines: dict[Location, int] | None = None
) -> EvidenceTerms:
    """Check data read from a terms file against its instrument; raise EvidenceTermsError
    naming every problem (FILE:LINE: PLACE: what is wrong)."""
    lines = lines or {}
    if not isinstance(data, dict):
        message = "the file must be a mapping of fields"
        raise EvidenceTermsError(source, [Problem((), message, lines.get(()))])
    try:
        spec = TermsFileSpec.model_validate(data)
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            location = tuple(detail["loc"])
            message = detail["msg"].removeprefix("Value error, ")
            if detail["type"] == "extra_forbidden":
                message = "unknown field (check its spelling and the file's header comment)"
            elif detail["type"] == "missing":
                message = "required field is missing"
            problems.append(Problem(location, message, _line_for(location, lines)))
        raise EvidenceTermsError(source, problems) from None
    problems = [
        Problem(p.location, p.message, _line_for(p.location, lines))
        for p in consistency_problems(spec, instrument)
    ]
    if problems:
        raise EvidenceTermsError(source, problems)
    elements = {
        name: Element(
            name=name,
            description=element.description,
            terms=element.terms,
            exact_terms=element.exact_terms,
            compiled=_compiled(element.terms, element.exact_terms),
        )
        for name, element in spec.elements.items()
    }
    cumulative = instrument.cumulative_criteria
    top = instrument.scale.max
    indicators = {
        number: IndicatorTerms(
            number=number,
            terms=entry.terms,
            exact_terms=entry.exact_terms,
            kinds=entry.kinds,
            required=_required(
                instrument.indicators_by_number[number], spec, entry, cumulative, top
            ),
            compiled=_compiled(entry.terms, entry.exact_terms),
            topic_check=entry.topic_check,
        )
        for number, entry in spec.indicators.items()
    }
    item_indicator = {item.number: item.indicator for item in instrument.scored_items}
    return EvidenceTerms(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        cumulative=cumulative,
        elements=elements,
        indicators=indicators,
        item_indicator=item_indicator,
        source=source,
        sha256="",
    )


def _compiled(terms: Iterable[str], exact: Iterable[str]) -> tuple[Term, ...]:
    return (
        *(compile_term(phrase) for phrase in terms),
        *(compile_term(phrase, exact=True) for phrase in exact),
    )


def load_terms_text(text: str, source: str, instrument: Instrument) -> EvidenceTerms:
    try:
        data, lines = parse_yaml(text, source)
    except EvidenceTermsError:
        raise
    except InstrumentError as error:
        raise EvidenceTermsError(source, error.problems) from None
    loaded = validate(data, source, instrument, lines)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return replace(loaded, sha256=digest)


def load_terms_file(path: Path | str, instrument: Instrument) -> EvidenceTerms:
    path = Path(path)
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        message = f"cannot read the file: {error.strerror}"
        raise EvidenceTermsError(source, [Problem((), message)]) from None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8"
        raise EvidenceTermsError(source, [Problem((), message)]) from None
    return load_terms_text(text, source, instrument)


def bundled_path(instrument_id: str) -> Path:
    return BUILTIN_DIR / f"{instrument_id}.yaml"


def _instrument_key(instrument: Instrument) -> tuple:
    return (
        instrument.id,
        instrument.version,
        instrument.cumulative_criteria,
        instrument.scale.max,
        tuple((i.number, i.kind, i.level_scale) for i in instrument.indicators),
    )


def bundled_terms(instrument: Instrument | str) -> EvidenceTerms | None:
    """The terms file shipped for an instrument (an Instrument, or an id for the catalogue's
    highest version); None where none is shipped. Cached; an edited file is read again."""
    if isinstance(instrument, str):
        instrument = catalog().get(instrument)
    path = bundled_path(instrument.id)
    if not path.is_file():
        return None
    return _load_bundled(
        str(path), path.stat().st_mtime_ns, _instrument_key(instrument), instrument
    )


_BUNDLED: dict[tuple, EvidenceTerms] = {}


def _load_bundled(path: str, modified_ns: int, key: tuple, instrument: Instrument) -> EvidenceTerms:
    cache_key = (path, modified_ns, key)
    loaded = _BUNDLED.get(cache_key)
    if loaded is None:
        if len(_BUNDLED) >= 32:
            _BUNDLED.clear()
        loaded = _BUNDLED[cache_key] = load_terms_file(path, instrument)
    return loaded

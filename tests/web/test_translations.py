"""Both catalogues are complete and in step with the sources.

Indonesian is the default UI language and English the other one; a UI string that reaches a
page without a translation shows the wrong language, and a stale catalogue or .mo file hides a
new string until someone notices. These tests read the catalogues with a small PO parser (polib
is not a dependency), extract the sources' strings with Django's makemessages into a temporary
copy, and compare the compiled .mo files with the .po files they come from. Fix a failure with
`make messages` and an Indonesian translation (docs/testing.md, "Translations")."""

from __future__ import annotations

import ast
import gettext
import html
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings

import monev
from tools_support import require_tool

PACKAGE_DIR = Path(monev.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
CATALOGUE = "LC_MESSAGES/django.po"
SOURCE_SUFFIXES = {".py", ".html", ".txt"}  # what makemessages reads for the "django" domain


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def where(self) -> str:
        return ", ".join(self.references) or "?"

    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[index] for index in sorted(self.msgstr_plural)]


@dataclass
class Catalogue:
    header: dict[str, str]
    entries: dict[tuple[str | None, str], Entry]

    @property
    def nplurals(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.header.get("Plural-Forms", ""))
        return int(match.group(1)) if match else 2


def _unquote(text: str) -> str:
    # PO strings use C escapes (\n, \t, \", \\), which a Python string literal reads the same.
    return ast.literal_eval(text)


def parse_po(path: Path) -> Catalogue:
    """The active (not obsolete) entries of a .po file, keyed by (msgctxt, msgid)."""
    entries: list[Entry] = []
    current: dict = {}
    field_name: str | None = None

    def finish() -> None:
        nonlocal current, field_name
        if "msgid" in current:
            entries.append(Entry(**current))
        current, field_name = {}, None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete entries are not part of the catalogue
        elif line.startswith("#,"):
            if "msgid" in current:
                finish()
            current.setdefault("flags", set()).update(
                flag.strip() for flag in line[2:].split(",") if flag.strip()
            )
        elif line.startswith("#:"):
            if "msgid" in current:
                finish()
            current.setdefault("references", []).extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field_name is None:
                raise ValueError(f"{path}: continuation line without a keyword: {line}")
            if field_name.startswith("msgstr["):
                index = int(field_name[7:-1])
                current["msgstr_plural"][index] += _unquote(line)
            else:
                current[field_name] += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgid", "msgctxt") and "msgid" in current and "msgstr" in current:
                finish()  # a new entry without a blank line between
            if keyword.startswith("msgstr["):
                current.setdefault("msgstr_plural", {})[int(keyword[7:-1])] = _unquote(value)
            elif keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
                current[keyword] = _unquote(value)
            else:
                raise ValueError(f"{path}: unexpected line: {line}")
            field_name = keyword
    finish()

    header: dict[str, str] = {}
    by_key: dict[tuple[str | None, str], Entry] = {}
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            for header_line in entry.msgstr.splitlines():
                name, _, value = header_line.partition(":")
                header[name.strip()] = value.strip()
            continue
        assert entry.key not in by_key, f"{path}: duplicate msgid {entry.msgid!r}"
        by_key[entry.key] = entry
    return Catalogue(header, by_key)


def catalogue(language: str) -> Catalogue:
    return parse_po(LOCALE_DIR / language / CATALOGUE)


def _label(key: tuple[str | None, str]) -> str:
    context, msgid = key
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


# -- (a) Indonesian is complete -------------------------------------------------------------


def test_every_indonesian_string_is_translated():
    indonesian = catalogue("id")
    assert indonesian.header.get("Language") == "id"
    problems = []
    for entry in indonesian.entries.values():
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy (a guess, not used): {_label(entry.key)} at {entry.where}")
        elif entry.msgid_plural is not None and len(entry.msgstr_plural) != indonesian.nplurals:
            problems.append(
                f"{len(entry.msgstr_plural)} plural forms instead of {indonesian.nplurals}: "
                f"{_label(entry.key)} at {entry.where}"
            )
        elif not all(text.strip() for text in entry.translations()):
            problems.append(f"untranslated: {_label(entry.key)} at {entry.where}")
    assert not problems, "Indonesian catalogue:\n" + "\n".join(problems)


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w*)\}")


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


def test_translations_keep_the_placeholders_of_the_english_text():
    # A renamed or dropped %(name)s fails when the page is rendered in that language, not here.
    problems = []
    for language in ("id", "en"):
        for entry in catalogue(language).entries.values():
            wanted = _placeholders(entry.msgid) | _placeholders(entry.msgid_plural or "")
            for text in entry.translations():
                if not text:
                    continue  # English shows the msgid itself
                found = _placeholders(text)
                # A one-form plural may leave out a count the sentence does not need.
                if found - wanted or (entry.msgid_plural is None and found != wanted):
                    problems.append(
                        f"{language}: {_label(entry.key)} has {sorted(found)}, "
                        f"wants {sorted(wanted)}"
                    )
    assert not problems, "\n".join(problems)


# -- (b) the catalogues hold every string of the sources --------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalogue:
    """The strings the sources mark for translation now, extracted by makemessages into a
    copy of the source tree (so the real catalogues are not touched)."""
    require_tool("xgettext")
    require_tool("msguniq")
    copy = tmp_path_factory.mktemp("sources")
    for path in PACKAGE_DIR.rglob("*"):
        relative = path.relative_to(PACKAGE_DIR)
        if path.suffix in SOURCE_SUFFIXES and path.is_file() and relative.parts[0] != "locale":
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy / relative)
    (copy / "locale").mkdir()
    previous = Path.cwd()
    os.chdir(copy)
    try:
        # Only the copy's own locale directory, so nothing is written next to the real one.
        with override_settings(LOCALE_PATHS=[]):
            call_command("makemessages", locale=["id"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(previous)
    return parse_po(copy / "locale" / "id" / CATALOGUE)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_catalogue_holds_every_string_of_the_sources(extracted, language):
    present = catalogue(language).entries
    missing = [
        f"{_label(key)} at {entry.where}"
        for key, entry in extracted.entries.items()
        if key not in present
    ]
    assert not missing, (
        f"{len(missing)} UI strings are not in the {language} catalogue "
        "(run `make messages`, then translate them):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_catalogue_holds_no_string_the_sources_dropped(extracted, language):
    stale = [_label(key) for key in catalogue(language).entries if key not in extracted.entries]
    assert not stale, (
        f"the {language} catalogue holds strings no source uses any more "
        "(run `make messages`):\n" + "\n".join(stale)
    )


def test_plural_strings_are_plural_in_the_catalogues_as_in_the_sources(extracted):
    for language in ("id", "en"):
        present = catalogue(language).entries
        for key, entry in extracted.entries.items():
            if key in present:
                assert present[key].msgid_plural == entry.msgid_plural, (language, key)


# -- (c) the compiled .mo files are those of the .po files --------------------------------------


def _expected_messages(po: Catalogue) -> dict:
    """What msgfmt compiles from a catalogue, in the shape gettext's _catalog uses."""
    messages = {}
    for entry in po.entries.values():
        if "fuzzy" in entry.flags:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            if entry.msgstr:
                messages[msgid] = entry.msgstr
        elif any(entry.msgstr_plural.values()):
            for index, text in entry.msgstr_plural.items():
                messages[(msgid, index)] = text
    return messages


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_compiled_catalogue_is_not_stale(language):
    po = catalogue(language)
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)  # the header
    expected = _expected_messages(po)
    differ = sorted(
        repr(key)
        for key in compiled.keys() | expected.keys()
        if compiled.get(key) != expected.get(key)
    )
    assert not differ, (
        f"locale/{language}/LC_MESSAGES/django.mo differs from its .po for {len(differ)} "
        "messages (run `make messages`):\n" + "\n".join(differ[:40])
    )


# -- (d) English --------------------------------------------------------------------------------


def test_english_has_no_guesses_and_no_indonesian_text():
    english = catalogue("en")
    indonesian = catalogue("id").entries
    assert english.header.get("Language") == "en"
    problems = []
    for key, entry in english.entries.items():
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {_label(key)}")
            continue
        # An English msgstr is a deliberate rewording; Indonesian text there is a copy mistake.
        theirs = indonesian.get(key)
        copied = set(theirs.translations()) - {entry.msgid, entry.msgid_plural} if theirs else set()
        if copied & set(entry.translations()):
            problems.append(f"Indonesian text in the English catalogue: {_label(key)}")
    assert not problems, "\n".join(problems)


# -- pages in English show English, pages in Indonesian show Indonesian --------------------------

PAGES = [
    "/periode/",
    "/periode/{period}/",
    "/periode/{period}/tugas/",
    "/periode/{period}/matriks/",
    "/periode/{period}/audit/",
    "/periode/{period}/pengaturan/",
    "/periode/baru/",
    "/jawaban/{answer}/",
    "/data-dukung/instansi/{institution}/",
    "/pemantauan/periode/{period}/",
    "/pemantauan/periode/{period}/riwayat/",
    "/pemantauan/periode/{period}/prakiraan/",
    "/rencana/periode/{period}/",
    "/rencana/periode/{period}/what-if/",
    "/rencana/periode/{period}/upaya/",
    "/laporan/periode/{period}/",
    "/laporan/instansi/",
    "/impor/periode/{period}/",
    "/instrumen/",
    "/instrumen/spbe-2020/",
    "/instrumen/spbe-2020/indikator/1/",
    "/akun/token/",
]
# Pages another role sees: a persona's name signs that persona in for the pages after it.
MORE_PAGES = [
    "asesor_internal",
    "/periode/{period}/antrian/",
    "admin",
    "/impor/instansi/{institution}/",
    "anonymous",
    "/masuk/",
]
TAG = re.compile(r"<[^>]+>")
SPLIT = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>|[“”\"]")


def _pieces(text: str):
    for piece in SPLIT.split(text):
        piece = piece.strip(" .,:;()—–-")
        if len(piece) >= 16 and " " in piece:
            yield piece


def _telltales(*, english: bool) -> dict[str, str]:
    """Phrases only one language's pages show: pieces (16+ characters, several words) of the
    English msgids or of their Indonesian translations that the other language (or the
    instruments' own Indonesian text) does not use anywhere. Official terms kept in Indonesian
    in English (penjelasan, data dukung ...) have msgstr == msgid and so are no telltale."""
    entries = [entry for entry in catalogue("id").entries.values()]
    msgids = " ".join(f"{e.msgid} {e.msgid_plural or ''}" for e in entries).lower()
    msgstrs = " ".join(text for e in entries for text in e.translations()).lower()
    # Instruments are Indonesian data (indicator names, level criteria) in either language.
    msgids += " ".join(
        path.read_text(encoding="utf-8").lower()
        for path in (PACKAGE_DIR / "core" / "instruments").rglob("*")
        if path.is_file()
    )
    found: dict[str, str] = {}
    for entry in entries:
        translated = [text for text in entry.translations() if text and text != entry.msgid]
        if not translated:
            continue
        texts = [entry.msgid, entry.msgid_plural or ""] if english else translated
        for text in texts:
            for piece in _pieces(text):
                if piece.lower() not in (msgstrs if english else msgids):
                    found[piece] = entry.msgid
    return found


@pytest.fixture(scope="module")
def indonesian_telltales() -> dict[str, str]:
    return _telltales(english=False)


@pytest.fixture(scope="module")
def english_telltales() -> dict[str, str]:
    return _telltales(english=True)


def _visible(page: str) -> str:
    return html.unescape(TAG.sub(" ", page))


def _render_all(client, world, language: str) -> dict[str, str]:
    client.force_login(world.koordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    ids = {
        "period": world.period.pk,
        "answer": world.answer("1").pk,
        "institution": world.institution.pk,
    }
    pages = {}
    for template in PAGES + MORE_PAGES:
        if template == "anonymous":
            client.logout()  # which forgets the cookies too
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            continue
        if not template.startswith("/"):
            client.force_login(world.personas()[template])
            continue
        url = template.format(**ids)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert response["Content-Language"] == language, url
        pages[url] = response.content.decode()
    return pages


def _find(telltales: dict[str, str], pages: dict[str, str]) -> list[str]:
    found = []
    for url, page in pages.items():
        text = _visible(page)
        found += [
            f"{url}: “{phrase}” ({msgid!r})"
            for phrase, msgid in telltales.items()
            if phrase in text
        ]
    return found


@pytest.mark.django_db
def test_each_language_shows_only_its_own_interface_text(
    client, world, english_telltales, indonesian_telltales
):
    english = _render_all(client, world, "en")
    indonesian = _render_all(client, world, "id")
    for language, pages in (("en", english), ("id", indonesian)):
        for url, page in pages.items():
            assert f'<html lang="{language}"' in page, url
    # The phrases are found where they belong (so the check can see them at all) ...
    assert len(_find(english_telltales, english)) > 100
    assert len(_find(indonesian_telltales, indonesian)) > 100
    # ... and nowhere else.
    leaks = _find(indonesian_telltales, english)
    assert not leaks, "Indonesian text on English pages:\n" + "\n".join(leaks)
    leaks = _find(english_telltales, indonesian)
    assert not leaks, "English text on Indonesian pages:\n" + "\n".join(leaks)
    # The chrome every page shares, named explicitly.
    for url in english:
        for text in ("Sign out", "Main menu", "Language"):
            assert text in english[url] or url == "/masuk/", (url, text)
        for text in ("Keluar", "Menu utama", "Bahasa</"):
            assert text not in english[url], (url, text)
    # The audit history names the changed fields in the UI language too.
    audit = _visible(indonesian[f"/periode/{world.period.pk}/audit/"])
    assert "tahun:" in audit and "year:" not in audit
    assert "year:" in _visible(english[f"/periode/{world.period.pk}/audit/"])

"""The facts a regulation, decree, SOP, minutes or report states about itself, read from its text
(extracted, or from OCR): its kind, its number ("NOMOR 12 TAHUN 2024"), its title (the "TENTANG
..." text), the date it was enacted ("Ditetapkan di Bandung pada tanggal 3 Juni 2024"), the place,
the official who signed it, and the words that mark a draft (RANCANGAN, DRAFT, KONSEP).

Pure Python with no Django: regular expressions and a few rules, deterministic and fast, and
tolerant of what OCR does to a scan - spaces doubled or lost ("Juni2024"), lines broken and words
hyphenated at their ends, O for 0 and l for 1 in numbers, stray marks from stamps and signatures.
Each fact is None (or empty) when the text does not show it clearly: these are proposals that the
uploader confirms or corrects, never facts typed for them.

Where each fact is looked for:
- kind, number and title: in the heading, the first `first_pages_chars` characters, before the
  considerations ("Menimbang", "DENGAN RAHMAT TUHAN YANG MAHA ESA"); the keywords of a heading are
  read in capitals only, so that the laws cited in mixed case ("Peraturan Presiden Nomor 95 Tahun
  2018 tentang ...") are never taken for the document's own number and title;
- date, place and official: in the enactment block ("Ditetapkan di ... pada tanggal ..." and the
  signature below it), wherever it is in the text (it closes the body, which may be long; the
  first `SIGNATURE_CHARS` characters are searched), else in an SOP's identity table ("Tanggal
  Pengesahan", "Disahkan oleh"), the minutes' "Hari/Tanggal", or a "Bandung, 3 Juni 2024" line
  above a signature;
- draft markers: in the first pages, a marker word on a line of its own (a stamp, a watermark) or
  opening the heading ("RANCANGAN PERATURAN ...").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "KIND_MINUTES",
    "KIND_REGULATION",
    "KIND_REPORT",
    "KIND_SOP",
    "DocumentFacts",
    "parse_date",
    "read_facts",
]

# The values of monev.evidence.models.Evidence.Kind that a text can tell (the models module
# imports Django, which this module may not).
KIND_REGULATION = "peraturan"  # peraturan, keputusan, surat keputusan
KIND_SOP = "sop"
KIND_MINUTES = "notulen"
KIND_REPORT = "laporan"

SIGNATURE_CHARS = 400_000  # how far into a text the enactment block is looked for
MAX_TITLE_LINES = 6
MAX_TITLE_CHARS = 400

DRAFT_WORDS = ("RANCANGAN", "DRAFT", "DRAF", "KONSEP", "RAPERWAL", "RAPERBUP", "RAPERDA")


@dataclass(frozen=True)
class DocumentFacts:
    kind: str | None = None  # KIND_REGULATION, KIND_SOP, KIND_MINUTES, KIND_REPORT, or None
    number: str | None = None  # "12 TAHUN 2024", "800/Kep.123-Diskominfo/2024"
    title: str | None = None  # the TENTANG text on one line, in the case printed
    enacted_on: date | None = None
    place: str | None = None
    official: str | None = None  # the signing official's name as printed
    draft_markers: tuple[str, ...] = ()

    @property
    def is_draft(self) -> bool:
        return bool(self.draft_markers)


# --- cleaning -------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\u200b-\u200d\ufeff]")


def _lines(text: str) -> list[str]:
    """The text's lines with spaces normalised, at most one empty line in a row (a block's end),
    and words hyphenated across a line end joined again ("PEMERIN-" / "TAHAN")."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_QUOTES)
    text = _CONTROL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n\n").replace("\v", "\n").replace("\x85", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    lines: list[list[str]] = []  # each line in pieces: joining hyphenated words stays linear
    end = ""  # the last three characters of the last line
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            if lines and lines[-1]:
                lines.append([])
                end = ""
            continue
        if lines and lines[-1] and _HYPHENATED.fullmatch(end) and _same_case(end[1], line[0]):
            pieces = lines[-1]
            pieces[-1] = pieces[-1][:-1]
            pieces.append(line)
            end = (end[:-1] + line)[-3:]
            continue
        lines.append([line])
        end = line[-3:]
    while lines and not lines[-1]:
        lines.pop()
    return ["".join(pieces) for pieces in lines]


_HYPHENATED = re.compile(r"[^\W\d_]{2}-")


def _same_case(before: str, after: str) -> bool:
    return after.isalpha() and before.isupper() == after.isupper()


# --- OCR-tolerant words ---------------------------------------------------------------------

_CONFUSED = {
    "i": "[iíl1|!]",
    "l": "[l1I|i]",
    "I": "[I1l|]",
    "o": "[o0]",
    "O": "[O0Q]",
    "S": "[S5]",
    "m": "(?:m|rn)",
}


def _ocr(word: str) -> str:
    """A regular expression for `word` that also matches its usual OCR misreadings."""
    return "".join(_CONFUSED.get(ch, re.escape(ch)) for ch in word)


def _digits(token: str) -> str:
    """O/o for 0 and l/I/| for 1 in a token that is a number ("2O24" -> "2024")."""
    return token.translate(str.maketrans("OoQDIl|!", "00001111"))


_NUMERIC_SEGMENT = re.compile(r"[0-9OoQIl|]+")


def _fix_numeric_segments(number: str) -> str:
    """In "l88.45/l23/HUK/2O24", the segments that are numbers read as numbers."""
    parts = re.split(r"([/.\-])", number)
    fixed = []
    for part in parts:
        if _NUMERIC_SEGMENT.fullmatch(part) and any(ch.isdigit() for ch in part):
            part = _digits(part)
        fixed.append(part)
    return "".join(fixed)


# --- dates ----------------------------------------------------------------------------------

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan", "djanuari"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb", "pebr", "febr"), 2),
    **dict.fromkeys(("maret", "march", "mar", "mrt"), 3),
    **dict.fromkeys(("april", "apr", "apl"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "agus", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep", "spt"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
_LONG_MONTHS = [name for name in MONTHS if len(name) >= 5]


def _month(word: str) -> int | None:
    """The month a (possibly misread) month name means: "Desernber", "Ju1i", "JUNI"."""
    word = word.lower().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    word = word.replace("rn", "m").replace("0", "o").replace("1", "l").replace("|", "l")
    if word in MONTHS:
        return MONTHS[word]
    if word.replace("l", "i") in MONTHS:  # "Jul1" -> "juli" was handled; "Junl" -> "juni"
        return MONTHS[word.replace("l", "i")]
    if len(word) < 5:
        return None
    close = {MONTHS[name] for name in _LONG_MONTHS if _within_one(word, name)}
    return close.pop() if len(close) == 1 else None


def _within_one(a: str, b: str) -> bool:
    """Whether a and b differ by at most one edit (substitution, insertion or deletion)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


_ZERO_IN_NUMBER = re.compile(r"(?<=\d)[OoQ](?![^\W\d_])|(?<![^\W\d_])[OoQ](?=\d)")
# (a "|" before a number is more often a table's rule than a 1)
_ONE_IN_NUMBER = re.compile(r"(?<=\d)[Il|](?![^\W\d_])|(?<![^\W\d_|])[Il](?=\d)")
_TEXT_DATE = re.compile(
    r"(?:(?<!\d)(?P<day>[0-3]?\d)|(?<![\w|!])(?P<one>[|Il!])(?=\s))"  # "| Maret": 1 Maret
    r"\s*(?:-\s*)?(?P<month>[^\W\d_](?:[^\W\d_]|[01|]){2,11}\.?)\s*[,-]?\s*"
    r"(?P<year>(?:19|20)\d\d)(?!\d)"
)
_ENGLISH_DATE = re.compile(
    r"(?P<month>[^\W\d_]{3,9}\.?)\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*,?\s*"
    r"(?P<year>(?:19|20)\d\d)(?!\d)"
)
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?P<day>[0-3]?\d)\s*[-/.]\s*(?P<month>[01]?\d)\s*[-/.]\s*(?P<year>(?:19|20)\d\d)(?!\d)"
)


def parse_date(text: str) -> date | None:
    """The first date in `text`: "3 Juni 2024", "03-06-2024", "3Juni2024", "June 3, 2024",
    with the usual OCR misreadings of digits and month names; None when there is none."""
    text = _ZERO_IN_NUMBER.sub("0", text[:300])
    text = _ONE_IN_NUMBER.sub("1", text)
    found: list[tuple[int, date]] = []
    for pattern in (_TEXT_DATE, _ENGLISH_DATE):
        for match in pattern.finditer(text):
            month = _month(match["month"])
            number = int(match["day"]) if match["day"] else 1  # "Sabtu, | Maret 2025"
            day = _valid(int(match["year"]), month, number) if month else None
            if day:
                found.append((match.start(), day))
                break
    match = _NUMERIC_DATE.search(text)
    if match:
        day = _valid(int(match["year"]), int(match["month"]), int(match["day"]))
        if day:
            found.append((match.start(), day))
    return min(found)[1] if found else None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- kind -----------------------------------------------------------------------------------

# marks OCR puts before a line's first word (": NOTULEN", "| PERATURAN", "3 ? .NOTULA")
_JUNK = r"(?:\w?[^\w\n]+)?"
_FORM_HEADING = re.compile(
    rf"^{_JUNK}(?:SALINAN\s+)?(?:(?:RANCANGAN|DRAFT|KONSEP)\s+)?(?:SURAT\s+)?"
    rf"(?:{_ocr('PERATURAN')}|{_ocr('KEPUTUSAN')}|{_ocr('INSTRUKSI')})\b",
    re.MULTILINE,
)
_KIND_PATTERNS = [
    (KIND_REGULATION, _FORM_HEADING),
    (
        KIND_SOP,
        re.compile(
            rf"^{_JUNK}(?:STANDAR\s+OPERASIONAL\s+PROSEDUR|STANDARD\s+OPERATING\s+PROCEDURE"
            r"|SOP\b)|^\s*(?:Nomor|Nama)\s+SOP\b",
            re.MULTILINE | re.IGNORECASE,
        ),
    ),
    (
        KIND_MINUTES,
        re.compile(rf"^{_JUNK}(?:NOTULEN|NOTULA|RISALAH\s+RAPAT)\b", re.MULTILINE | re.I),
    ),
    (KIND_REPORT, re.compile(rf"^{_JUNK}{_ocr('LAPORAN')}\b", re.MULTILINE)),
]
_CONSIDERING = re.compile(r"^\s*(?:Menimbang|MENIMBANG)\b", re.MULTILINE)
_DECIDING = re.compile(r"^\s*(?:Mengingat|MENGINGAT|MEMUTUSKAN|Memutuskan)\b", re.MULTILINE)


def _kind(head: str) -> str | None:
    found = []
    for kind, pattern in _KIND_PATTERNS:
        match = pattern.search(head)
        if match:
            found.append((match.start(), kind))
    if found:
        return min(found)[1]
    if _CONSIDERING.search(head) and _DECIDING.search(head):
        return KIND_REGULATION
    return None


# --- number and title -----------------------------------------------------------------------

# Where the heading ends. "Menimbang" alone on its line is not an end: OCR reads the column of
# labels (Menimbang, Mengingat) as a block of its own, sometimes before the title's last line.
_HEADING_END = re.compile(
    r"^\s*(?:DENGAN\s+RAHMAT|Dengan\s+Rahmat|MEMUTUSKAN|Memutuskan"
    r"|(?:Menimbang|MENIMBANG|Mengingat|MENGINGAT)\b[ \t]*:?[ \t]*[^\W_])",
    re.MULTILINE,
)
# A line that neither continues nor ends a title: a label read apart from its text, or marks.
_LABEL_ONLY = re.compile(
    r"^[\W_]*(?:Menimbang|MENIMBANG|Mengingat|MENGINGAT|Memperhatikan|MEMPERHATIKAN|Menetapkan"
    r"|MENETAPKAN|KESATU|KEDUA|KETIGA|KEEMPAT|KELIMA|KEENAM|KETUJUH|KEDELAPAN|KESEMBILAN"
    r"|KESEPULUH|[a-z]\.|\d{1,2}\.)?[\W_]*$"
)
_FORM_WORDS = rf"(?:{_ocr('PERATURAN')}|{_ocr('KEPUTUSAN')}|{_ocr('INSTRUKSI')}|SURAT)"
_NUMBER_LINE = re.compile(
    rf"^{_JUNK}(?:{_FORM_WORDS}\b[^\n]{{0,200}}?\s)?"  # "PERATURAN WALI KOTA BANDUNG NOMOR 12"
    r"N\s?[O0Q]\s?M\s?[O0Q]\s?R(?![^\W\d_])\s*[:.;]?\s*(?P<rest>[^\n]*)",
    re.MULTILINE,
)
_NUMBER_LINE_LOOSE = re.compile(r"^\s*Nomor\s*:\s*(?P<rest>[^\n]+)", re.MULTILINE)
_SOP_NUMBER = re.compile(r"^\s*Nomor\s+SOP\b\s*[:.]?\s*(?P<rest>[^\n]*)", re.MULTILINE | re.I)
_TAHUN = r"[Tt]\s?[Aa4]\s?[Hh]\s?[Uu]\s?[NnMm](?![^\W\d_])"
_YEAR_NUMBER = re.compile(
    rf"^(?P<n>[0-9OoQIl|]{{1,4}})[\s.,]*{_TAHUN}[\s.,:]*(?P<y>[0-9OoQIl|]{{4}})(?!\d)"
)
_BLANK_NUMBER = re.compile(rf"\.{{3,}}|…|_{{3,}}|^\s*{_TAHUN}")
_TENTANG = re.compile(r"(?:^|\s)T\s?E\s?N\s?T\s?A\s?N\s?G\b\s*[:.]?\s*", re.MULTILINE)


def _heading(head: str) -> tuple[str, int]:
    """The part of the first pages before the considerations (where the number and title are),
    and where the form's heading starts in it ("PERATURAN WALI KOTA ...", else 0). OCR may
    put a block of the considerations before the heading: the end is looked for after it."""
    form = _FORM_HEADING.search(head)
    start = form.start() if form else 0
    end = _HEADING_END.search(head, form.end() if form else 0)
    return (head[: end.start()] if end else head), start


def _number(heading: str, start: int, head: str) -> str | None:
    match = _NUMBER_LINE.search(heading, start) or _NUMBER_LINE.search(heading)
    rest = None
    if match:
        rest = match["rest"]
        if not rest.strip():  # "NOMOR" alone: the number is on the next line
            after = heading[match.end() :].lstrip("\n").split("\n", 1)[0]
            rest = "" if _TENTANG.match(after) else after
    else:
        match = _SOP_NUMBER.search(head) or _NUMBER_LINE_LOOSE.search(heading)
        if match:
            rest = match["rest"]
            if not rest.strip() and match.re is _SOP_NUMBER:
                rest = head[match.end() :].lstrip("\n").split("\n", 1)[0]
    if rest is None:
        return None
    return _normalise_number(rest)


def _normalise_number(rest: str) -> str | None:
    tentang = _TENTANG.search(rest)
    if tentang:
        rest = rest[: tentang.start()]
    rest = rest.strip(" :;,")
    if not rest or _BLANK_NUMBER.search(rest):
        return None
    year_style = _YEAR_NUMBER.match(rest)
    if year_style:
        number = _digits(year_style["n"])
        year = _digits(year_style["y"])
        if number.isdigit() and year.isdigit() and int(number) > 0:
            return f"{int(number)} TAHUN {year}"
        return None
    rest = re.sub(r"\s*([/\-])\s*", r"\1", rest)
    rest = re.sub(r"(?<=\d)\s*\.\s*(?=\d)", ".", rest)
    token = rest.split()[0] if rest.split() else ""
    token = _fix_numeric_segments(token.strip(".,;:"))
    if not token or not any(ch.isdigit() for ch in token) or len(token) > 80:
        return None
    return token


_TITLE_STOP = re.compile(
    r"^(?:DENGAN\s+RAHMAT|Dengan\s+Rahmat|Menimbang|MENIMBANG|Mengingat|MENGINGAT|MEMUTUSKAN"
    r"|Memutuskan|Memperhatikan|MEMPERHATIKAN|BAB\s+[IVXLC\d]+\b|Pasal\s+\d"
    r"|(?:WALI\s?KOTA|WALIKOTA|BUPATI|GUBERNUR|KEPALA|MENTERI|SEKRETARIS|DIREKTUR|KETUA|PRESIDEN"
    r"|CAMAT|LURAH|INSPEKTUR|REKTOR)\b)"
)
_SOP_NAME = re.compile(r"^\s*Nama\s+SOP\b\s*[:.]?\s*(?P<rest>[^\n]*)", re.MULTILINE | re.I)
_SOP_LABELS = re.compile(
    r"^(?:Dasar\s+Hukum|Kualifikasi|Keterkaitan|Peralatan|Peringatan|Pencatatan|Nomor|Tanggal"
    r"|Disahkan|No\b|Kegiatan|Pelaksana)",
    re.IGNORECASE,
)


_LEADING_JUNK = re.compile(r"^[^\w\n]+")
_INLINE_STOP = re.compile(
    r"DENGAN\s+RAHMAT\b|\s[:|]\s*(?=(?:WALI\s?KOTA|WALIKOTA|BUPATI|GUBERNUR|KEPALA|MENTERI"
    r"|SEKRETARIS)\b)"
)


def _title(heading: str, number_end: int) -> str | None:
    match = _TENTANG.search(heading, number_end)
    if not match:
        return None
    lines = heading[match.end() :].split("\n")
    collected: list[str] = []
    blank = False
    for line in lines:
        if _LABEL_ONLY.match(line):
            blank = True
            continue
        line = _LEADING_JUNK.sub("", line)
        if _TITLE_STOP.match(line) or line.rstrip().endswith(","):
            break
        if blank and collected and not _capitals(line):
            break
        inline_stop = _INLINE_STOP.search(line)
        if inline_stop:  # OCR joined the title's last line and the next block's first
            collected.append(line[: inline_stop.start()])
            break
        collected.append(line)
        blank = False
        if len(collected) >= MAX_TITLE_LINES or sum(map(len, collected)) >= MAX_TITLE_CHARS:
            break
    return _join_title(collected)


def _join_title(lines: list[str]) -> str | None:
    text = ""
    for line in lines:
        if text.endswith("-"):
            text += line
        else:
            text = f"{text} {line}" if text else line
    # marks OCR left among the words, from the column of labels beside the heading or from
    # specks: "5 PENGEMBANGAN ...", "TATA KELOLA DATA 1 DAN", "... KOTA CIMAHI i", ": :"
    capitals = _capitals(text)
    words = [
        word
        for word in text.split()
        if any(ch.isalnum() for ch in word)
        and not (len(word) == 1 and (word.isdigit() or (capitals and not word.isupper())))
    ]
    text = " ".join(words).strip(" ,;:.")
    return text[:MAX_TITLE_CHARS] or None


def _capitals(line: str) -> bool:
    """Whether the line is written in capitals (digits and OCR's odd small letter allowed)."""
    letters = [ch for ch in line if ch.isalpha()]
    if not letters:
        return any(ch.isdigit() for ch in line)
    return sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _sop_title(head: str) -> str | None:
    match = _SOP_NAME.search(head)
    if not match:
        return None
    collected = [match["rest"]] if match["rest"].strip() else []
    following = head[match.end() :].split("\n")[1:8]
    blank = False
    for line in following:
        if not line:
            blank = True
            continue
        if _SOP_LABELS.match(line) or line.endswith(":") or len(line.split()) > 6:
            break
        wrapped = len(line.split()) <= 3 and line[:1].isupper()  # "Elektronik": the cell's end
        capitals = _capitals(line) and _capitals(collected[-1]) if collected else False
        if blank and collected and not capitals and not wrapped:
            break
        if not any(ch.isalpha() for ch in line):
            break
        collected.append(line)
        blank = False
        if len(collected) >= 3:
            break
    return _join_title(collected)


# --- enactment: date, place, official -------------------------------------------------------

_ENACTED = re.compile(
    rf"\b{_ocr('Ditetapkan')}[ \t]+d[i1l|][ \t]*:?[ \t]*(?P<place>[^\n]{{0,80}}?)[ \t]*"
    rf"(?:\n[ \t]*){{0,3}}(?P<when>(?:pada\s+)?{_ocr('tanggal')}\b[ \t]*:?[ \t]*(?P<date>[^\n]*))",
    re.IGNORECASE,
)
_ENACTED_PLACE_ONLY = re.compile(
    rf"\b{_ocr('Ditetapkan')}[ \t]+d[i1l|][ \t]*:?[ \t]*(?P<place>[^\n]*)", re.IGNORECASE
)
_SOP_DATE = re.compile(
    r"^\s*Tanggal\s+(?:Pengesahan|Penetapan|Efektif)\b\s*:?\s*(?P<date>[^\n]*(?:\n[^\n]*)?)",
    re.MULTILINE | re.IGNORECASE,
)
_MEETING_DATE = re.compile(
    r"^\s*Hari\s*[/,]?\s*(?:dan\s+)?Tanggal\b\s*:?\s*(?P<date>[^\n]*)", re.MULTILINE | re.I
)
_PLACE_DATE_LINE = re.compile(
    r"^(?P<place>[^\W\d_][^\W\d_ .'-]*(?:[ .'-]+[^\W\d_]+){0,3})\s*,\s*(?P<date>[0-3]?\d\s*"
    r"[^\W\d_]{3,11}\.?\s*(?:19|20)\d\d)[^\w\n]*$",
    re.MULTILINE,
)
_APPROVED_BY = re.compile(r"^\s*Disahkan\s+oleh\b\s*:?\s*", re.MULTILINE | re.IGNORECASE)
_ROLE_LINE = re.compile(
    r"^(?:Notulis|Notulen|Pimpinan\s+Rapat|Ketua\s+Rapat|Sekretaris\s+Rapat|Pelapor|Penyusun"
    r"|Pembuat\s+Laporan)\s*,\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_OFFICE_WORDS = re.compile(
    r"\b(?:WALI\s?KOTA|WALIKOTA|BUPATI|GUBERNUR|KEPALA|MENTERI|SEKRETARIS|DIREKTUR|KETUA|PRESIDEN"
    r"|CAMAT|LURAH|INSPEKTUR|REKTOR|DINAS|BADAN|KANTOR|BAGIAN|PLT|PLH|PJ|PIMPINAN|NOTULIS"
    r"|MENGETAHUI|MENYETUJUI|PEJABAT|KABUPATEN|KOTA|PROVINSI|DAERAH|REPUBLIK|INDONESIA)\b"
    r"|(?<!\w)a\.?\s?n\.\s",
    re.IGNORECASE,
)
_SIGNATURE_MARK = re.compile(
    r"^[\s(\[]*(?:t\s?t\s?d|TTD|Ttd|dto|cap|materai|meterai)\b[^\n]*$", re.IGNORECASE
)
_NAME_STOP = re.compile(
    r"^(?:NIP|N\s?I\s?P|NRP|Pangkat|Pembina|Penata|Diundangkan|BERITA|LEMBARAN|Salinan|Tembusan"
    r"|LAMPIRAN|Lampiran|Nama\s+SOP|Nomor|Tanggal|Dasar\s+Hukum)\b",
    re.IGNORECASE,
)
_HONORIFIC_COMMA = re.compile(r"^(H|Hj|Dr|Ir|Drs|Dra|Prof)\s?,\s")
_DEGREES_ONLY = re.compile(r"^(?:[A-Z][A-Za-z]{0,5}\.\s?)+(?:,\s*(?:[A-Z][A-Za-z]{0,5}\.\s?)+)*$")
_NAME_PARTICLES = frozenset({"bin", "binti", "van", "de", "da", "al", "el"})
_NAME_CHARS = re.compile(r"[^\W\d_]|[ .,'`-]")


def _place(raw: str) -> str | None:
    raw = re.split(r"\s(?:pada\s+)?tanggal\b", raw, maxsplit=1, flags=re.IGNORECASE)[0]
    place = raw.strip(" :;,.-_")
    if not place or len(place) > 40 or any(ch.isdigit() for ch in place):
        return None
    letters = sum(ch.isalpha() for ch in place)
    return place if letters >= 3 and letters >= 0.8 * len(place.replace(" ", "")) else None


def _enactment(lines_text: str) -> tuple[date | None, str | None, int | None]:
    """(date, place, offset just after the date) of the enactment block, else the best other
    dated anchor; the offset is where the signing official is looked for."""
    match = _ENACTED.search(lines_text)
    if match and match.start("when") - match.end("place") < 40:
        when = parse_date(match["date"])
        end = match.end()
        if when is None and not match["date"].strip():
            following = lines_text[match.end() :].lstrip("\n").split("\n", 1)[0]
            when = parse_date(following)
            if when:
                end = match.end() + lines_text[match.end() :].find(following) + len(following)
        return when, _place(match["place"]), end
    match = _ENACTED_PLACE_ONLY.search(lines_text)
    if match:
        # "Ditetapkan di Bandung" with the date's line lost: the date may follow anyway
        after = lines_text[match.end() : match.end() + 120]
        return parse_date(after), _place(match["place"]), match.end()
    match = _SOP_DATE.search(lines_text)
    if match:
        when = parse_date(match["date"])
        if when:
            return when, None, None
    match = _MEETING_DATE.search(lines_text)
    if match:
        when = parse_date(match["date"])
        if when:
            place_line = _PLACE_DATE_LINE.search(lines_text)
            place = _place(place_line["place"]) if place_line else None
            return when, place, None
    match = _PLACE_DATE_LINE.search(lines_text)
    if match:
        return parse_date(match["date"]), _place(match["place"]), match.end()
    return None, None, None


def _official(lines: list[str]) -> str | None:
    """The name under a signature block; `lines` start just below the date of enactment (or the
    line naming the role). Skips the position (lines naming an office; its last one ends with a
    comma), "ttd." and the marks a signature and a stamp leave in OCR text, and takes the first
    line that reads as a person's name."""
    lines = lines[:16]
    # the position ends at the first line ending with a comma ("KEPALA BADAN KEPEGAWAIAN DAN" /
    # "PENGEMBANGAN SUMBER DAYA" / "MANUSIA KOTA BOGOR,"), unless that line is a name whose
    # degrees continue on the next line
    written = [index for index, line in enumerate(lines) if line][:4]
    position_read = False
    for index in written:
        following = next((later for later in lines[index + 1 :] if later), "")
        if lines[index].endswith(",") and not _DEGREES_ONLY.match(following):
            lines = lines[index + 1 :]
            position_read = True
            break
    for index, line in enumerate(lines):
        if not line or _SIGNATURE_MARK.match(line) or _noise(line):
            continue
        if _NAME_STOP.match(line):
            return None
        following = next((later for later in lines[index + 1 :] if later), "")
        if line.endswith(",") and _DEGREES_ONLY.match(following):
            line = f"{line} {following}"  # "Drs. YUSUF HANDAYANI, S.T.," / "M.T."
        elif line.endswith(",") and position_read:
            line = line.rstrip(",")  # a name whose degrees OCR lost
        elif line.endswith(",") or (_OFFICE_WORDS.search(line) and not _has_degree(line)):
            continue  # the position, or a line of it
        name = _as_name(line)
        if name:
            return name
    return None


def _noise(line: str) -> bool:
    letters = sum(ch.isalpha() for ch in line)
    visible = len(line.replace(" ", ""))
    return letters < 3 or letters < 0.6 * visible


def _as_name(line: str) -> str | None:
    """`line` as a person's name ("Dr. H. ASEP SUPRIATNA, S.Sos., M.Si."), or None."""
    name = line.strip(" _-=~*'\"|[](){}")
    name = _HONORIFIC_COMMA.sub(r"\1. ", name)  # "H, Dian Pratama": OCR's comma for a dot
    if not name or len(name) > 70 or any(ch.isdigit() for ch in name):
        return None
    if _OFFICE_WORDS.search(name) and not _has_degree(name):
        return None
    if name.endswith(",") or name.endswith(":"):
        return None
    good = len(_NAME_CHARS.findall(name))
    if good < 0.95 * len(name):
        return None
    words = [w for w in re.split(r"[\s.,]+", name) if len(w) >= 2]
    single = len(words) == 1 and words[0].isupper() and len(words[0]) >= 4
    if not (len(words) >= 2 and max(map(len, words)) >= 3) and not single:
        return None
    if any(w[0].islower() and w not in _NAME_PARTICLES for w in words):
        return None  # "Ar end": what OCR makes of a signature, not a name
    return " ".join(name.split())


def _has_degree(name: str) -> bool:
    return bool(re.search(r"\b(?:S|M|Dr|Ir|Drs)\.[A-Za-z.]*", name))


def _fallback_official(text: str) -> str | None:
    """The name below "Disahkan oleh" (an SOP) or below a role ("Notulis,")."""
    for anchor in (_APPROVED_BY, _ROLE_LINE):
        match = anchor.search(text)
        if match:
            name = _official(text[match.end() : match.end() + 3000].split("\n"))
            if name:
                return name
    return None


# --- draft markers --------------------------------------------------------------------------

_MARKER_TOKEN = re.compile(r"[A-Za-z0-9]+")
_HEADING_MARKER = re.compile(
    r"^\s*(?P<word>RANCANGAN|DRAFT|DRAF|KONSEP)\s+(?:PERATURAN|KEPUTUSAN|PERUBAHAN|SURAT"
    r"|STANDAR|SOP|NOTULEN|LAPORAN|INSTRUKSI)\b",
    re.MULTILINE,
)


def _marker(token: str) -> str | None:
    if not token.isupper() and not (token[:1].isupper() and token[1:].islower()):
        return None
    word = token.upper().translate(str.maketrans("0156", "OISG"))
    if word in DRAFT_WORDS:
        return "DRAFT" if word == "DRAF" else word
    if len(word) >= 5 and token.isupper():
        for marker in ("DRAFT", "KONSEP", "RANCANGAN"):
            if _within_one(word, marker):
                return marker
    return None


def _draft_markers(lines: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for line in lines:
        heading = _HEADING_MARKER.match(line)
        if heading:
            word = "DRAFT" if heading["word"] == "DRAF" else heading["word"]
            if word not in found:
                found.append(word)
            continue
        tokens = _MARKER_TOKEN.findall(line)
        joined = "".join(tokens)
        if 1 < len(tokens) <= 9 and all(len(t) == 1 for t in tokens):
            tokens = [joined]  # "D R A F T", letter-spaced
        if not tokens or len(tokens) > 3:
            continue
        for token in tokens:
            marker = _marker(token)
            if marker and marker not in found:
                found.append(marker)
    return tuple(found)


# --- the reader -----------------------------------------------------------------------------


def read_facts(text: str, *, first_pages_chars: int = 6000) -> DocumentFacts:
    """The facts `text` states about its document (see the module's docstring for where each is
    looked for); never raises, whatever the text."""
    if not isinstance(text, str) or not text.strip():
        return DocumentFacts()
    lines = _lines(text[: max(SIGNATURE_CHARS, first_pages_chars)])
    body = "\n".join(lines)
    head = body[: max(first_pages_chars, 0)]
    kind = _kind(head)
    heading, start = _heading(head)
    number = _number(heading, start, head)
    number_match = _NUMBER_LINE.search(heading, start)
    title = _title(heading, number_match.start() if number_match else start)
    if title is None and kind == KIND_SOP:
        title = _sop_title(head)
    enacted_on, place, offset = _enactment(body)
    below = body[offset : offset + 3000] if offset is not None else None
    official = _official(below.split("\n")[1:]) if below is not None else None
    if official is None:
        official = _fallback_official(body)
    return DocumentFacts(
        kind=kind,
        number=number,
        title=title,
        enacted_on=enacted_on,
        place=place,
        official=official,
        draft_markers=_draft_markers(head.split("\n")),
    )

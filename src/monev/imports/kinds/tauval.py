"""TAUVAL interchange: the national evaluation system's exported results, read as published
results of spbe-2020.

The file is a JSON list of records::

    {"kode": ..., "tahun": ..., "nama_instansi": ..., "kategori": ..., "daerah": ...,
     "nilai": {"A2001".."A2008": the aspects 1-8, "D2001".."D2004": the domains 1-4,
               "indeks": the index}}

with the values as text with 10 decimals. Nothing in a record is taken on trust: the domains
and the index are recomputed from the aspects with the scoring engine and spbe-2020's weights,
and a record whose `indeks` or domain differs from them by more than the rounding of its values
is rejected (see INDEX_TOLERANCE). A record names its institution by `kode` (compared with the
institution's code) or by `nama_instansi` (its full name), as the published kind does.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from monev.core.engine import ScoringInputError, score_aspects
from monev.core.numbers import decimal_places, round_fraction
from monev.evaluations.models import PublishedResult
from monev.imports.kinds.base import Context, ImportKind
from monev.imports.kinds.published import (
    actor_accesses,
    apply_published,
    institution_lookup,
    name_key,
)
from monev.imports.parsing import read_json_records
from monev.imports.report import Action, Report
from monev.institutions.permissions import Access, Capability
from monev.instruments.selectors import InstrumentNotFound, instrument_get

INSTRUMENT = "spbe-2020"
SHEET = "JSON"  # where a rejection is: record n of the JSON list, shown as row n
ASPECT_KEYS = {f"A20{n:02d}": f"A{n}" for n in range(1, 9)}
DOMAIN_KEYS = {f"D20{n:02d}": f"D{n}" for n in range(1, 5)}
INDEX_KEY = "indeks"
VALUE_KEYS = (*ASPECT_KEYS, *DOMAIN_KEYS, INDEX_KEY)
TEXT_FIELDS = ("kode", "tahun", "nama_instansi", "kategori", "daerah")
MAX_TEXT = 300
SOURCE = "TAUVAL"
YEAR = re.compile(r"[0-9]{4}\Z")
NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?\Z")  # as the export writes them: no sign, no exponent

# "Beyond rounding", from the export's precision. Every value in a record is an exact value
# rounded to PLACES decimals, so each is off by at most half a unit in the last place,
# HALF_UNIT = 0.5 x 10^-10. The index recomputed here is a weighted mean of the given aspects
# (weights summing to the total), so it is off from the exact index by at most HALF_UNIT; the
# exported `indeks` is off by HALF_UNIT for its own rounding, plus HALF_UNIT more should the
# national system add up its rounded domain values (the file carries them rounded, so it may).
# A domain: HALF_UNIT from its aspects and HALF_UNIT for its own rounding. A value written with
# fewer decimals ("4.3") is the same value with its trailing zeros left out; more than PLACES
# decimals are refused.
PLACES = 10
SHOWN_PLACES = 13
HALF_UNIT = Fraction(1, 2 * 10**PLACES)
INDEX_TOLERANCE = 3 * HALF_UNIT  # 0.00000000015
DOMAIN_TOLERANCE = 2 * HALF_UNIT  # 0.0000000001

# A public record (aspects 5, 3.75, 3.75, 5, 3, 2.6666666667, 4.3, 5; indeks 4.2125000000).
# Its domain values were not published with it: these are its aspects' weighted means to 10
# decimals, as the export writes them.
SAMPLE_VALUES = {
    "A2001": "5.0000000000",
    "A2002": "3.7500000000",
    "A2003": "3.7500000000",
    "A2004": "5.0000000000",
    "A2005": "3.0000000000",
    "A2006": "2.6666666667",
    "A2007": "4.3000000000",
    "A2008": "5.0000000000",
    "D2001": "5.0000000000",
    "D2002": "4.0000000000",
    "D2003": "2.9090909091",
    "D2004": "4.5769230769",
    "indeks": "4.2125000000",
}

PROBLEMS = {
    "not_object": _("The record is not an object ({…})."),
    "duplicate": _("The key appears twice in the same object."),
    "not_text": _("The value must be text or a number."),
    "no_values": _("The record has no “nilai” object with its values."),
}


def _text(value) -> str | None:
    """A field as text; None for what is not text or a number (true, a list, an object) and
    for text a database cannot keep (a NUL, a lone surrogate)."""
    if value is None:
        return ""
    if not isinstance(value, str):  # numbers arrive as their text (parsing keeps it)
        return None
    if "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value.strip()[:MAX_TEXT]


def _key(key: str) -> str:
    return _text(key) or "?"


def _row(number: int, record) -> dict:
    """A record as a row kept between the preview and the apply: its fields as text, its
    values, and what is wrong with its structure (worded when validated)."""
    row: dict = {"_row": number, "_sheet": SHEET, "problems": [], "nilai": {}}
    row.update(dict.fromkeys(TEXT_FIELDS, ""))
    if not isinstance(record, dict):
        row["problems"].append(["", "not_object"])
        return row
    for key in getattr(record, "duplicates", ()):
        row["problems"].append([_key(key), "duplicate"])
    for name in TEXT_FIELDS:
        text = _text(record.get(name))
        if text is None:
            row["problems"].append([name, "not_text"])
            text = ""
        row[name] = text
    values = record.get("nilai")
    if not isinstance(values, dict):
        row["problems"].append(["nilai", "no_values"])
        return row
    for key in getattr(values, "duplicates", ()):
        row["problems"].append([f"nilai.{_key(key)}", "duplicate"])
    for key in VALUE_KEYS:
        if key in values:  # a missing key is named when validated
            text = _text(values[key])
            if text is None:
                row["problems"].append([f"nilai.{key}", "not_text"])
            else:
                row["nilai"][key] = text
    return row


def _shown(value: Fraction, *, at_least: int = 0) -> str:
    """A recomputed value or a difference for people: to 13 decimals (a weighted mean of
    10-decimal values with spbe-2020's weights ends there, unless it repeats), trailing zeros
    left out down to `at_least` decimals."""
    whole, _dot, decimals = format(round_fraction(value, SHOWN_PLACES), "f").partition(".")
    decimals = decimals.rstrip("0").ljust(at_least, "0")
    return f"{whole}.{decimals}" if decimals else whole


def _stored_places() -> int:
    return PublishedResult._meta.get_field("index").decimal_places


class TauvalImport(ImportKind):
    name = "tauval"
    scope = "institution"
    title = _("Results from TAUVAL (the national evaluation system)")
    description = _(
        "The JSON file the national evaluation system (TAUVAL) exports: a list of records with "
        "kode, tahun, nama_instansi and the values in “nilai” (aspects A2001-A2008, domains "
        "D2001-D2004, indeks), read as spbe-2020 results of 2021-2025. The index and the "
        "domains are recomputed from the aspects: a record that does not agree is rejected. A "
        "record names its institution by code or by full name."
    )
    capability = Capability.MANAGE_INSTITUTION
    system_needs_no_target = True
    file_format = "json"

    def example(self) -> list[dict]:
        """The example file offered beside the upload form: one record of the public sample."""
        return [
            {
                "kode": "kota-contoh",
                "tahun": "2024",
                "nama_instansi": "Pemerintah Kota Contoh",
                "kategori": "Pemerintah Kota",
                "daerah": "Jawa Barat",
                "nilai": dict(SAMPLE_VALUES),
            }
        ]

    def read(self, path) -> list:
        return read_json_records(path)

    def extract(self, records):
        rows = [_row(number, record) for number, record in enumerate(records, start=1)]
        return rows, [], {"sheet": SHEET}

    def validate(self, context: Context, rows, layout, report: Report) -> None:
        try:
            instrument = instrument_get(INSTRUMENT)
        except InstrumentNotFound:
            for row in rows:
                message = _("The instrument %(instrument)s is not available here.")
                report.reject(row["_row"], "", message % {"instrument": INSTRUMENT}, SHEET)
            return
        by_code, by_name = institution_lookup()
        accesses = actor_accesses(context)

        def manages(institution) -> bool:
            return context.is_system or accesses.get(institution.pk, Access(())).can(
                Capability.MANAGE_INSTITUTION
            )

        named = {}
        for row in rows:
            code, name = row["kode"], row["nama_instansi"]
            by_the_code = by_code.get(code.casefold()) if code else None
            by_the_name = by_name.get(name_key(name)) if name else None
            named[row["_row"]] = (by_the_code, by_the_name)
        ids = {i.pk for pair in named.values() for i in pair if i is not None}
        existing = {
            (r.institution_id, r.year, r.instrument_id): r
            for r in PublishedResult.objects.filter(
                institution__in=ids, instrument_id__in=(INSTRUMENT, "")
            )
        }
        seen: dict[tuple[int, int], int] = {}
        for row in rows:
            line = row["_row"]

            def reject(column: str, message, line=line) -> None:
                report.reject(line, column, message, SHEET)

            if row["problems"]:
                for column, code in row["problems"]:
                    reject(column, PROBLEMS[code])
                continue
            by_the_code, by_the_name = named[line]
            code, name = row["kode"], row["nama_instansi"]
            if not code and not name:
                reject(
                    "kode",
                    _("The record names no institution: “kode” and “nama_instansi” are empty."),
                )
                continue
            not_found = (
                _("No institution has the code “%(code)s” or the name “%(name)s”.")
                if context.is_system
                else _("No institution you manage has the code “%(code)s” or the name “%(name)s”.")
            )
            shown = {"code": code[:60], "name": name[:120]}
            if by_the_code and by_the_name and by_the_code.pk != by_the_name.pk:
                # Two institutions: the code of one, the name of the other. Which one the
                # record means is for a person to decide.
                if manages(by_the_code) and manages(by_the_name):
                    message = _(
                        "The code “%(code)s” is the institution “%(institution)s”, but the name "
                        "“%(name)s” is another institution's."
                    )
                    reject("nama_instansi", message % {**shown, "institution": by_the_code.name})
                elif manages(by_the_code) or manages(by_the_name):
                    message = _(
                        "The name “%(name)s” is not the name of the institution with the code "
                        "“%(code)s”."
                    )
                    reject("nama_instansi", message % shown)
                else:
                    reject("kode", not_found % shown)
                continue
            institution = by_the_code or by_the_name
            if institution is None or not manages(institution):
                reject("kode", not_found % shown)
                continue
            year = self._year(instrument, row["tahun"], reject)
            if year is None:
                continue
            values = self._values(instrument, row["nilai"], reject)
            if values is None:
                continue
            if not self._agrees(instrument, values, row["nilai"], reject):
                continue
            key = (institution.pk, year)
            if key in seen:
                message = _("The same institution and year are already in record %(row)d.")
                reject("tahun", message % {"row": seen[key]})
                continue
            seen[key] = line
            self._change(report, line, institution, year, row, values, instrument, existing)

    def _year(self, instrument, text: str, reject) -> int | None:
        if not YEAR.match(text):
            reject("tahun", _("“%(text)s” is not a year.") % {"text": text[:20]})
            return None
        year = int(text)
        if not instrument.years.covers(year):
            reject(
                "tahun",
                _(
                    "TAUVAL records are read as %(instrument)s, which covers %(first)s-%(last)s; "
                    "%(year)s is outside it."
                )
                % {
                    "instrument": instrument.id,
                    "first": instrument.years.first,
                    "last": instrument.years.last or "",
                    "year": year,
                },
            )
            return None
        return year

    def _values(self, instrument, texts: dict, reject) -> dict[str, Decimal] | None:
        """Every value as a Decimal, or None after rejecting each one that is not usable."""
        low, high = instrument.scale.min, instrument.scale.max
        values: dict[str, Decimal] = {}
        for key in VALUE_KEYS:
            column = f"nilai.{key}"
            text = texts.get(key)
            if text is None:
                reject(column, _("The value is missing."))
            elif not text:
                reject(column, _("The value is empty."))
            elif not NUMBER.match(text):
                message = _("“%(text)s” is not a decimal number such as 3.7500000000.")
                reject(column, message % {"text": text[:30]})
            elif decimal_places(Decimal(text)) > PLACES:
                message = _(
                    "“%(text)s” has more than %(places)s decimals; the export gives %(places)s."
                )
                reject(column, message % {"text": text[:30], "places": PLACES})
            elif not low <= Decimal(text) <= high:
                message = _("%(value)s is outside the scale %(low)s-%(high)s.")
                reject(column, message % {"value": text[:30], "low": low, "high": high})
            else:
                values[key] = Decimal(text)
        return values if len(values) == len(VALUE_KEYS) else None

    def _agrees(self, instrument, values: dict[str, Decimal], texts: dict, reject) -> bool:
        """Whether the domains and the index agree, to rounding, with the aspects."""
        aspects = {code: values[key] for key, code in ASPECT_KEYS.items()}
        try:
            result = score_aspects(instrument, aspects)
        except ScoringInputError as error:
            reject("nilai", str(error))
            return False
        # Each value with what it is recomputed from, for the message.
        from_aspects = {
            key: ", ".join(
                k for k, c in ASPECT_KEYS.items() if instrument.aspects_by_code[c].domain == code
            )
            for key, code in DOMAIN_KEYS.items()
        }
        checks = [
            (key, result.domain(code).score.exact, DOMAIN_TOLERANCE, from_aspects[key])
            for key, code in DOMAIN_KEYS.items()
        ]
        checks.append((INDEX_KEY, result.index.exact, INDEX_TOLERANCE, "A2001-A2008"))
        agrees = True
        for key, computed, tolerance, aspect_keys in checks:
            difference = abs(Fraction(values[key]) - computed)
            if difference > tolerance:
                agrees = False
                message = _(
                    "%(given)s differs from %(computed)s, recomputed from %(aspects)s with the "
                    "weights of %(instrument)s, by %(difference)s; rounding explains at most "
                    "%(tolerance)s."
                )
                reject(
                    f"nilai.{key}",
                    message
                    % {
                        "given": texts[key],
                        "computed": _shown(computed, at_least=PLACES),
                        "aspects": aspect_keys,
                        "instrument": instrument.id,
                        "difference": _shown(difference),
                        "tolerance": _shown(tolerance),
                    },
                )
        return agrees

    def _change(self, report, line, institution, year, row, values, instrument, existing) -> None:
        index_text = row["nilai"][INDEX_KEY]
        given = values[INDEX_KEY]
        rounding = instrument.rounding
        # What the ministry publishes: the index rounded once by the instrument's rule, and the
        # predicate read from that value (as the engine does).
        reported = round_fraction(Fraction(given), rounding.places, rounding.mode)
        predicate = instrument.predicate_for(reported).name
        places = _stored_places()
        # The index as given where the model keeps enough decimals; otherwise the published
        # (rounded) value, the exact one staying in the note.
        stored = given if decimal_places(given) <= places else reported
        stored = stored.quantize(Decimal(1).scaleb(-places))
        note = (
            f"TAUVAL kode {row['kode']}: indeks {index_text}"
            if row["kode"]
            else (f"TAUVAL: indeks {index_text}")
        )
        current = existing.get((institution.pk, year, INSTRUMENT))
        wanted = {
            "index": stored,
            "predicate": predicate,
            "source": SOURCE,
            "note": note,
            # A doubt an evaluator recorded is theirs to lift.
            "doubtful": current.doubtful if current is not None else False,
        }
        data = {
            "institution_id": institution.pk,
            "year": year,
            "instrument_id": INSTRUMENT,
            **{k: (str(v) if k == "index" else v) for k, v in wanted.items()},
        }
        subject = f"{institution.name} {year} ({INSTRUMENT})"
        shown = f"{reported} {predicate} (indeks {index_text})"
        other = existing.get((institution.pk, year, ""))
        remark = ""
        if other is not None:
            remark = str(
                _("A result of %(year)s without an instrument is stored too: %(index)s.")
                % {"year": year, "index": f"{other.index:.2f}"}
            )
        if current is None:
            report.change(line, Action.CREATE, subject, after=shown, note=remark, data=data)
            return
        if all(getattr(current, name) == value for name, value in wanted.items()):
            report.change(line, Action.UNCHANGED, subject, before=shown)
            return
        before = f"{current.index:.2f} {current.predicate}".strip()
        report.change(
            line, Action.UPDATE, subject, before=before, after=shown, note=remark, data=data
        )

    def apply(self, context: Context, report: Report) -> list[tuple[int, str, str]]:
        return apply_published(context, report)

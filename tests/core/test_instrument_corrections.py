"""Corrections to pemdi-2026 found in closer sources (issue 15, point 5): indicator 20's
official name, the official short names of indicators 2 and 6, the regulation's dates and
gazette number, IKASANDI's regulation, notes that cite only what the file holds. The
corrections raise the file's version; version 1 stays, byte for byte, for the periods pinned
to it."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest

from monev.core.loader import InstrumentError, load_file
from monev.core.model import Instrument
from monev.core.registry import BUILTIN_DIR, catalog

# The SHA-256 of pemdi-2026.yaml as every pemdi-2026@1 period recorded it.
VERSION_1_SHA256 = "1c6335cf059f2a691a931444dad100201ccec0c423c24b23106447492b3ae2ef"


def test_indicator_20_carries_its_official_name_and_keeps_the_former_one_as_an_alias(pemdi):
    indicator = pemdi.indicators_by_number["20"]
    assert indicator.name == "Tingkat Pengelolaan Kepuasan Pengguna Layanan Digital Pemerintah"
    assert (
        "Tingkat Kematangan Pengelolaan Kepuasan Pengguna Layanan Digital Pemerintah"
        in indicator.aliases
    )
    assert indicator.name not in indicator.aliases


@pytest.mark.parametrize(
    ("number", "official_short_name"),
    [
        ("2", "Manajemen Layanan Pemerintah Digital"),
        ("6", "Operasional Pemanfaatan Informasi Geospasial"),
    ],
)
def test_indicators_2_and_6_are_known_by_their_official_short_names(
    pemdi, number, official_short_name
):
    indicator = pemdi.indicators_by_number[number]
    assert official_short_name in indicator.aliases
    assert any("10.8" in source for source in indicator.sources)  # where the name comes from


def test_the_legal_basis_records_when_the_regulation_was_set_promulgated_and_gazetted(pemdi):
    basis = pemdi.legal_basis
    assert basis.regulation.startswith("Peraturan Menteri PANRB Nomor 8 Tahun 2026")
    assert (basis.enacted, basis.promulgated) == (date(2026, 6, 1), date(2026, 6, 5))
    assert basis.gazette == "Berita Negara Republik Indonesia Tahun 2026 Nomor 364"
    assert basis.source and basis.confidence is not None


@pytest.mark.parametrize("number", ["10", "11", "12"])
def test_the_ikasandi_indicators_name_the_regulation_that_defines_ikasandi(pemdi, number):
    external = pemdi.indicators_by_number[number].external
    assert external is not None and external.index.startswith("IKASANDI")
    assert external.regulation == "Peraturan BSSN Nomor 10 Tahun 2023"


def see_references(instrument: Instrument) -> list[str]:
    """The field names a note points the reader to ("lihat validation_examples")."""
    texts = [instrument.legal_basis.source]
    for note in instrument.confidence_notes:
        texts += [note.note, note.source]
    return [name for text in texts for name in re.findall(r"lihat ([a-z]+_[a-z_]+)", text)]


def test_the_notes_point_only_to_fields_the_file_has(pemdi):
    fields = set(type(pemdi).model_fields)
    assert [name for name in see_references(pemdi) if name not in fields] == []
    weights = next(n for n in pemdi.confidence_notes if n.subject == "Bobot aspek dan indikator")
    assert "validation_examples" not in weights.source
    assert "Aceh Tengah 2026" in weights.source  # the validation is still cited


def test_the_corrections_raised_the_version_and_version_1_stays_as_it_was():
    known = catalog()
    assert known.find("pemdi-2026").instrument.version == 2
    original = known.find("pemdi-2026@1")
    assert original.sha256 == VERSION_1_SHA256
    assert original.instrument.indicators_by_number["20"].name.startswith("Tingkat Kematangan")
    assert original.instrument.schedule is None


def test_version_1_is_the_file_its_periods_recorded_byte_for_byte():
    text = (BUILTIN_DIR / "pemdi-2026-v1.yaml").read_bytes()
    assert hashlib.sha256(text).hexdigest() == VERSION_1_SHA256


def test_a_regulation_promulgated_before_it_was_set_is_refused(edited, find_line):
    path = edited("pemdi-2026", ("promulgated: 2026-06-05", "promulgated: 2026-05-05"))
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    [line] = caught.value.render().splitlines()
    place = f"{path}:{find_line(path, 'promulgated:')}: legal_basis.promulgated"
    assert line == f"{place}: promulgated on 2026-05-05, before it was set on 2026-06-01"


def test_a_legal_basis_date_that_is_not_a_date_is_refused(edited):
    path = edited("pemdi-2026", ("enacted: 2026-06-01", "enacted: awal Juni"))
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    assert "legal_basis.enacted" in caught.value.render()

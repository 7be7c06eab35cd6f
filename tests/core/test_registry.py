"""Where instruments come from: the built-ins, an evaluator's own directory, id@version."""

from __future__ import annotations

import pytest

from monev.core.loader import InstrumentError
from monev.core.registry import BUILTIN_DIR, catalog, instrument_files, load_cached, resolve

BUILTIN_IDS = ["pemdi-2026", "spbe-2018", "spbe-2020"]


def copy_builtin(directory, instrument_id, *replacements, name=""):
    text = (BUILTIN_DIR / f"{instrument_id}.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (name or f"{instrument_id}.yaml")
    path.write_text(text, encoding="utf-8")
    return path


def test_the_catalog_holds_the_three_builtin_instruments():
    known = catalog()
    assert known.ids() == BUILTIN_IDS
    assert known.broken == ()
    assert all(entry.source.startswith(str(BUILTIN_DIR)) for entry in known.instruments)


@pytest.mark.parametrize("reference", ["spbe-2020", "spbe-2020@1"])
def test_an_instrument_is_found_by_id_or_by_id_and_version(reference):
    found = catalog().find(reference)
    assert (found.instrument.id, found.instrument.version) == ("spbe-2020", 1)
    assert catalog().get(reference) is found.instrument


def test_an_unknown_id_is_refused_with_the_list_of_known_ids():
    with pytest.raises(InstrumentError) as caught:
        catalog().find("spbe-2099")
    assert caught.value.render() == (
        "spbe-2099: (top level): unknown instrument 'spbe-2099'; "
        "known instruments: pemdi-2026, spbe-2018, spbe-2020"
    )


def test_an_unknown_version_of_a_known_id_is_refused():
    with pytest.raises(
        InstrumentError, match="unknown instrument 'spbe-2020@7'; known instruments"
    ):
        catalog().find("spbe-2020@7")


def test_without_a_version_the_highest_version_wins(tmp_path):
    own = tmp_path / "instruments"
    copy_builtin(own, "spbe-2020", ("version: 1\n", "version: 2\n"), name="spbe-2020-v2.yaml")
    known = catalog([own])
    assert known.find("spbe-2020").instrument.version == 2
    assert known.find("spbe-2020").source == str(own / "spbe-2020-v2.yaml")
    assert known.find("spbe-2020@1").source.startswith(str(BUILTIN_DIR))


def test_an_evaluators_own_instrument_is_listed_beside_the_builtins(tmp_path):
    own = tmp_path / "instruments"
    copy_builtin(own, "spbe-2018", ("id: spbe-2018\n", "id: spbe-2018-kota\n"), name="kota.yaml")
    known = catalog([own])
    assert known.ids() == sorted([*BUILTIN_IDS, "spbe-2018-kota"])
    assert known.broken == ()


def test_a_broken_user_file_is_reported_and_does_not_hide_the_builtins(tmp_path):
    own = tmp_path / "instruments"
    own.mkdir()
    (own / "broken.yaml").write_text("format: monev-instrument/1\nid: [\n", encoding="utf-8")
    copy_builtin(own, "spbe-2018", ("id: spbe-2018\n", "id: spbe-2018-kota\n"), name="kota.yaml")
    known = catalog([own])
    assert known.ids() == sorted([*BUILTIN_IDS, "spbe-2018-kota"])
    [error] = known.broken
    assert error.source == str(own / "broken.yaml")
    assert error.render().startswith(f"{own / 'broken.yaml'}:")
    assert "not valid YAML" in error.render()


def test_a_file_with_the_same_id_and_version_but_different_content_is_reported(tmp_path):
    own = tmp_path / "instruments"
    path = copy_builtin(
        own, "spbe-2020", ("short_name: SPBE 2020\n", "short_name: SPBE 2020 (fixed)\n")
    )
    known = catalog([own])
    [error] = known.broken
    assert error.source == str(path)
    message = error.render()
    assert message.startswith(f"{path}: version: spbe-2020 version 1 is already defined by ")
    assert str(BUILTIN_DIR / "spbe-2020.yaml") in message
    assert "raise the version of the corrected file" in message
    # The built-in keeps the id and version.
    assert known.find("spbe-2020@1").source == str(BUILTIN_DIR / "spbe-2020.yaml")
    assert known.get("spbe-2020").short_name == "SPBE 2020"


def test_an_identical_copy_of_a_builtin_is_taken_once_without_complaint(tmp_path):
    own = tmp_path / "instruments"
    copy_builtin(own, "pemdi-2026")
    known = catalog([own])
    assert known.broken == ()
    versions = [(e.instrument.id, e.instrument.version) for e in known.instruments]
    assert versions.count(("pemdi-2026", 2)) == 1  # version 1 is a built-in file of its own


def test_only_yaml_files_are_read_and_a_missing_directory_is_empty(tmp_path):
    own = tmp_path / "instruments"
    own.mkdir()
    (own / "notes.txt").write_text("not an instrument", encoding="utf-8")
    (own / "README.md").write_text("# notes", encoding="utf-8")
    assert instrument_files(own) == []
    assert instrument_files(tmp_path / "nowhere") == []
    assert catalog([own, tmp_path / "nowhere"]).ids() == BUILTIN_IDS


def test_an_edited_file_is_read_again(tmp_path):
    own = tmp_path / "instruments"
    path = copy_builtin(own, "spbe-2018")
    assert load_cached(path).instrument.short_name == "SPBE 2018"
    copy_builtin(own, "spbe-2018", ("short_name: SPBE 2018\n", "short_name: SPBE 2018 (edited)\n"))
    assert load_cached(path).instrument.short_name == "SPBE 2018 (edited)"


def test_resolve_takes_an_id_or_the_path_of_a_file(tmp_path):
    assert resolve("spbe-2018").id == "spbe-2018"
    path = copy_builtin(tmp_path, "spbe-2018", ("id: spbe-2018\n", "id: spbe-2018-mine\n"))
    assert resolve(str(path)).id == "spbe-2018-mine"


def test_resolve_reports_a_missing_file_and_an_unknown_id(tmp_path):
    with pytest.raises(InstrumentError, match="cannot read the file"):
        resolve(str(tmp_path / "nothing.yaml"))
    with pytest.raises(
        InstrumentError, match="known instruments: pemdi-2026, spbe-2018, spbe-2020"
    ):
        resolve("nothing")

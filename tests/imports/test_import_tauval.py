"""TAUVAL interchange: the national evaluation system's JSON export imported as published
results of spbe-2020, through the imports framework (preview, a reason per record, all or
nothing). The index and the domains are recomputed from the aspects; a record that does not
agree beyond the rounding of its 10-decimal values is rejected."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from import_support import preview, rejected
from openpyxl import Workbook

from api_support import BASE, Api
from monev.audit.models import AuditEvent
from monev.core.engine import score_aspects
from monev.core.numbers import round_fraction
from monev.core.registry import resolve
from monev.evaluations.models import PublishedResult
from monev.imports import services
from monev.imports.kinds.tauval import INDEX_TOLERANCE
from monev.imports.models import ImportBatch

pytestmark = pytest.mark.django_db

# The public sample record: its aspects and its `indeks`, as the issue quotes them.
SAMPLE_ASPECTS = ["5", "3.75", "3.75", "5", "3", "2.6666666667", "4.3", "5"]
SAMPLE_INDEX = "4.2125000000"


def ten(value) -> str:
    """A value as the export writes it: 10 decimals."""
    return format(Decimal(value).quantize(Decimal("1E-10")), "f")


def domains_of(aspects: list[str]) -> dict[str, str]:
    """The domain values the export carries beside the aspects (the sample's were not
    published): each domain's weighted mean of the given aspects, to 10 decimals, computed with
    the engine."""
    result = score_aspects(
        resolve("spbe-2020"), {f"A{n}": Decimal(v) for n, v in enumerate(aspects, start=1)}
    )
    return {
        f"D20{n:02d}": format(round_fraction(node.score.exact, 10), "f")
        for n, node in enumerate(result.domains, start=1)
    }


def record(
    *,
    kode="kota-contoh",
    tahun="2024",
    nama="Pemerintah Kota Contoh",
    aspects=SAMPLE_ASPECTS,
    indeks=SAMPLE_INDEX,
    **overrides,
) -> dict:
    values = {f"A20{n:02d}": ten(v) for n, v in enumerate(aspects, start=1)}
    values.update(domains_of(aspects))
    values["indeks"] = indeks
    values.update(overrides)
    return {
        "kode": kode,
        "tahun": tahun,
        "nama_instansi": nama,
        "kategori": "Pemerintah Kota",
        "daerah": "Jawa Barat",
        "nilai": values,
    }


def tauval_file(tmp_path, records, name="tauval.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")
    return path


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_refused(*args) -> str:
    err = StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("import", *map(str, args), stdout=StringIO(), stderr=err)
    assert failed.value.returncode == 1
    return err.getvalue()


# --- the facts ---------------------------------------------------------------------------


def test_the_public_sample_agrees_with_spbe_2020_weights_to_rounding():
    instrument = resolve("spbe-2020")
    result = score_aspects(
        instrument, {f"A{n}": Decimal(v) for n, v in enumerate(SAMPLE_ASPECTS, start=1)}
    )
    # 13x5 + 10x3.75 + 10x3.75 + 5x5 + 12x3 + 4.5x2.6666666667 + 27.5x4.3 + 18x5, over 100:
    # the 10-decimal aspect 2.6666666667 leaves 1.5 x 10^-12 over the exported 4.2125000000.
    assert result.index.exact == Fraction("4.2125000000015")
    assert abs(result.index.exact - Fraction(SAMPLE_INDEX)) < INDEX_TOLERANCE
    assert Fraction(15, 10**11) == INDEX_TOLERANCE


# --- the command -------------------------------------------------------------------------


def test_the_command_imports_a_file_with_the_sample_record(world, tmp_path):
    out, _err = run("tauval", tauval_file(tmp_path, [record()]))
    assert "1 new" in out and "Applied" in out
    result = PublishedResult.objects.get()
    assert (result.institution, result.year, result.instrument_id) == (
        world.institution,
        2024,
        "spbe-2020",
    )
    # The model keeps two decimals: the index as published (rounded once, half up), the
    # predicate from it; the exact indeks stays in the note.
    assert (result.index, result.predicate) == (Decimal("4.21"), "Memuaskan")
    assert result.source == "TAUVAL" and "indeks 4.2125000000" in result.note
    assert "kota-contoh" in result.note
    event = AuditEvent.objects.get(action="published_result.import")
    assert event.actor_label == "system" and set(event.after) == {"2024/spbe-2020"}


def test_the_command_refuses_a_tampered_indeks_naming_the_record_and_the_reason(world, tmp_path):
    records = [record(tahun="2023"), record(indeks="4.3125000000")]
    err = run_refused("tauval", tauval_file(tmp_path, records))
    assert "JSON row 2, column nilai.indeks" in err
    # The given value, the value recomputed from the aspects, and the difference.
    assert "4.3125000000" in err and "4.2125000000015" in err and "0.0999999999985" in err
    assert not PublishedResult.objects.exists()
    assert ImportBatch.objects.get().status == "discarded"


def test_a_second_import_of_the_same_file_changes_nothing(world, tmp_path):
    path = tauval_file(tmp_path, [record()])
    run("tauval", path)
    out, _err = run("tauval", path)
    assert "1 unchanged" in out and "Nothing to change" in out
    assert PublishedResult.objects.count() == 1


# --- beyond rounding ---------------------------------------------------------------------


def test_one_unit_in_the_tenth_decimal_is_rounding_and_two_units_are_not(world, tmp_path):
    # The recomputed index is 4.2125000000015; the tolerance is 0.00000000015.
    near = tauval_file(tmp_path, [record(indeks="4.2125000001")], "near.json")
    assert rejected(preview(None, "tauval", near)) == []
    far = tauval_file(tmp_path, [record(indeks="4.2125000002")], "far.json")
    [(row, column, message)] = rejected(preview(None, "tauval", far))
    assert (row, column) == (1, "nilai.indeks")
    assert "0.0000000001985" in message and "0.00000000015" in message


def test_a_domain_that_does_not_agree_with_the_aspects_is_rejected(world, tmp_path):
    path = tauval_file(tmp_path, [record(D2003="2.9090909093")])
    [(row, column, message)] = rejected(preview(None, "tauval", path))
    assert (row, column) == (1, "nilai.D2003")
    assert "2.9090909091," in message and "A2005, A2006" in message  # D3's aspects


def test_a_tampered_aspect_is_caught_by_its_domain_and_by_the_index(world, tmp_path):
    good = record()
    good["nilai"]["A2006"] = "3.6666666667"
    path = tauval_file(tmp_path, [good])
    assert [(r, c) for r, c, _m in rejected(preview(None, "tauval", path))] == [
        (1, "nilai.D2003"),
        (1, "nilai.indeks"),
    ]


def test_values_written_as_json_numbers_are_read_exactly_as_written(world, tmp_path):
    text = json.dumps([record()]).replace('"2.6666666667"', "2.6666666667")
    text = text.replace('"4.2125000000"', "4.2125000000")
    path = tmp_path / "angka.json"
    path.write_text(text, encoding="utf-8")
    batch = preview(None, "tauval", path)
    assert rejected(batch) == [] and batch.report["changes"][0]["action"] == "create"


# --- the records -------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["2020", "2026"])
def test_years_outside_spbe_2020_are_refused_for_this_format(world, tmp_path, year):
    path = tauval_file(tmp_path, [record(tahun=year)])
    [(row, column, message)] = rejected(preview(None, "tauval", path))
    assert (row, column) == (1, "tahun")
    assert "spbe-2020" in message and "2021-2025" in message and year in message


def test_institutions_are_matched_by_code_or_by_full_name(world, tmp_path):
    records = [
        record(tahun="2022"),
        # A code of the national system the institution does not carry: matched by its name.
        record(kode="3273", tahun="2023", nama="  pemerintah  kota contoh "),
        record(kode="KAB-LAIN", tahun="2023", nama="Kabupaten Lain (nama lama)"),
    ]
    batch = preview(None, "tauval", tauval_file(tmp_path, records))
    assert rejected(batch) == []
    assert services.import_apply(actor=None, batch_id=batch.pk).applied
    assert set(PublishedResult.objects.values_list("institution__code", "year")) == {
        ("kota-contoh", 2022),
        ("kota-contoh", 2023),
        ("kab-lain", 2023),
    }
    note = PublishedResult.objects.get(institution=world.institution, year=2023).note
    assert note.startswith("TAUVAL kode 3273")


def test_an_unmatched_record_names_its_code_and_its_name(world, tmp_path):
    path = tauval_file(tmp_path, [record(kode="9999", nama="Pemerintah Kota Entah")])
    [(row, column, message)] = rejected(preview(None, "tauval", path))
    assert (row, column) == (1, "kode")
    assert "9999" in message and "Pemerintah Kota Entah" in message


def test_a_code_and_a_name_of_two_different_institutions_are_rejected(world, tmp_path):
    path = tauval_file(tmp_path, [record(kode="kab-lain", nama="Pemerintah Kota Contoh")])
    [(row, column, message)] = rejected(preview(None, "tauval", path))
    assert (row, column) == (1, "nama_instansi")
    assert "Pemerintah Kabupaten Lain" in message


def test_records_of_institutions_the_user_does_not_manage_are_rejected(world, tmp_path):
    records = [record(), record(kode="kab-lain", nama="Pemerintah Kabupaten Lain")]
    batch = preview(
        world.admin, "tauval", tauval_file(tmp_path, records), institution_id=world.institution.pk
    )
    [(row, column, message)] = rejected(batch)
    assert (row, column) == (2, "kode") and "kab-lain" in message
    assert not services.import_apply(actor=world.admin, batch_id=batch.pk).applied
    assert not PublishedResult.objects.exists()


def test_missing_malformed_and_overprecise_values_are_rejected_each_with_its_key(world, tmp_path):
    broken = record(A2001="5,0000000000", A2002="3.75000000001", A2003="", A2004="6.0000000000")
    del broken["nilai"]["A2005"]
    path = tauval_file(tmp_path, [broken])
    assert [(r, c) for r, c, _m in rejected(preview(None, "tauval", path))] == [
        (1, "nilai.A2001"),
        (1, "nilai.A2002"),
        (1, "nilai.A2003"),
        (1, "nilai.A2004"),
        (1, "nilai.A2005"),
    ]


def test_records_that_are_not_objects_lack_values_or_repeat_a_key_are_rejected(world, tmp_path):
    good = json.dumps(record())
    repeated = good.replace('"indeks": "4.2125000000"', '"indeks": "4.2125000000", "indeks": "1"')
    text = f'[{good}, "kota-contoh", {{"kode": "kota-contoh", "tahun": "2022"}}, {repeated}]'
    path = tmp_path / "tauval.json"
    path.write_text(text, encoding="utf-8")
    assert [(r, c) for r, c, _m in rejected(preview(None, "tauval", path))] == [
        (2, ""),
        (3, "nilai"),
        (4, "nilai.indeks"),
    ]


def test_text_a_database_cannot_keep_is_rejected_not_stored(world, tmp_path):
    # A NUL and a lone surrogate: PostgreSQL's JSON refuses both, so they must not reach the
    # batch's rows.
    text = json.dumps([record(kode="kota\u0000contoh"), record(tahun="2023", nama="\ud800")])
    path = tmp_path / "tauval.json"
    path.write_text(text, encoding="utf-8")
    batch = preview(None, "tauval", path)
    assert [(r, c) for r, c, _m in rejected(batch)] == [(1, "kode"), (2, "nama_instansi")]
    assert "\\u0000" not in json.dumps(batch.rows) and "\\ud800" not in json.dumps(batch.rows)


def test_the_same_institution_and_year_twice_is_rejected(world, tmp_path):
    records = [record(), record(kode="", nama="Pemerintah Kota Contoh")]
    [(row, column, message)] = rejected(preview(None, "tauval", tauval_file(tmp_path, records)))
    assert (row, column) == (2, "tahun") and "1" in message


def test_the_predicate_is_read_from_the_index_rounded_as_published(world, tmp_path):
    instrument = resolve("spbe-2020")
    edge = ["4.195"] * 8  # index 4.195: published as 4.20 (half up), not 4.19
    path = tauval_file(tmp_path, [record(aspects=edge, indeks="4.1950000000")])
    run("tauval", path)
    result = PublishedResult.objects.get()
    assert result.index == Decimal("4.20")
    assert result.predicate == instrument.predicate_for(Decimal("4.20")).name
    assert result.predicate != instrument.predicate_for(Decimal("4.19")).name


def test_a_recorded_doubt_is_kept_and_a_changed_index_updated(world, tmp_path):
    PublishedResult.objects.create(
        institution=world.institution,
        year=2024,
        instrument_id="spbe-2020",
        index=Decimal("4.00"),
        doubtful=True,
    )
    PublishedResult.objects.create(institution=world.institution, year=2024, index=Decimal("4.2"))
    batch = preview(None, "tauval", tauval_file(tmp_path, [record()]))
    [change] = batch.report["changes"]
    assert change["action"] == "update" and change["before"].startswith("4.00")
    assert "4.20" in change["note"]  # the year's result without an instrument is named
    services.import_apply(actor=None, batch_id=batch.pk)
    result = PublishedResult.objects.get(instrument_id="spbe-2020")
    assert (result.index, result.doubtful) == (Decimal("4.21"), True)


# --- the file ----------------------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'[{"kode": "kota-contoh",}]', "line 1, column 25"),
        (b'{"data": [], "total": 0}', "“data”, “total”"),
        (b"42", "not a list"),
        (b"[]", "empty list"),
        (b"", "empty"),
        (b"[" * 100_000, "not valid JSON"),
        ("sentinel-xlsx", "binary"),
    ],
)
def test_a_file_that_is_not_a_json_list_of_records_is_refused_with_a_clear_message(
    world, tmp_path, content, expected
):
    path = tmp_path / "tauval.json"
    path.write_bytes(_xlsx_bytes() if content == "sentinel-xlsx" else content)
    with translation.override("en"), pytest.raises(CommandError, match=expected):
        run("tauval", path)
    assert not ImportBatch.objects.exists()


@translation.override("en")
def test_files_over_the_record_and_size_limits_are_refused(world, tmp_path):
    many = tmp_path / "banyak.json"
    many.write_text(json.dumps([{}] * 10_001), encoding="utf-8")
    with pytest.raises(CommandError, match=r"more than 10\.000 records"):
        run("tauval", many)
    large = tmp_path / "besar.json"
    large.write_bytes(b"[" + b" " * (5 * 1024 * 1024) + b"]")
    with pytest.raises(CommandError, match="larger than 5 MB"):
        run("tauval", large)


# --- the API -----------------------------------------------------------------------------


def _post(api: Api, path, **fields):
    url = f"{BASE}/imports/institutions/{fields.pop('institution_id')}/tauval"
    with path.open("rb") as fh:
        return api.client.post(url, {"file": fh, **fields}, headers=api.headers)


def test_the_api_previews_and_applies_a_tauval_file(world, tmp_path):
    api = Api.token(world.admin)
    response = _post(api, tauval_file(tmp_path, [record()]), institution_id=world.institution.pk)
    assert response.status_code == 201
    body = response.json()
    assert body["kind"] == "tauval" and body["can_apply"] is True
    assert body["changes"][0]["after"] == "4.21 Memuaskan (indeks 4.2125000000)"
    applied = api.post(f"/imports/{body['id']}/apply")
    assert applied.status_code == 200 and applied.json()["status"] == "applied"
    assert PublishedResult.objects.get().index == Decimal("4.21")


def test_the_api_names_the_record_of_a_tampered_indeks_and_refuses_malformed_json(world, tmp_path):
    api = Api.token(world.admin)
    tampered = tauval_file(tmp_path, [record(indeks="4.2200000000")])
    batch_id = _post(api, tampered, institution_id=world.institution.pk).json()["id"]
    response = api.post(f"/imports/{batch_id}/apply")
    assert response.status_code == 409
    [detail] = response.json()["error"]["details"]
    assert detail["location"] == "JSON!1:nilai.indeks" and "4.2200000000" in detail["message"]
    broken = tmp_path / "rusak.json"
    broken.write_bytes(b'[{"kode": ')
    response = _post(api, broken, institution_id=world.institution.pk)
    assert response.status_code == 422 and "JSON" in response.json()["error"]["message"]
    assert not PublishedResult.objects.exists()


def test_the_api_template_of_tauval_is_an_example_that_imports(world, tmp_path):
    response = Api.token(world.admin).get("/imports/templates/tauval")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    example = json.loads(response.content)
    assert example[0]["nilai"]["indeks"] == SAMPLE_INDEX
    path = tmp_path / "contoh.json"
    path.write_bytes(response.content)
    assert rejected(preview(None, "tauval", path)) == []


# --- the page ----------------------------------------------------------------------------


def test_the_institution_import_page_lists_tauval_with_its_description_and_example(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("imports:institution", args=[world.institution.pk]))
    text = page.content.decode()
    assert "TAUVAL" in text and 'accept=".json,application/json"' in text
    example = reverse("imports:template_json", args=["tauval"])
    assert example in text
    download = client.get(example)
    assert download.status_code == 200
    assert 'filename="contoh-tauval.json"' in download["Content-Disposition"]
    assert client.get(reverse("imports:template", args=["tauval"])).status_code == 404
    assert client.get(reverse("imports:template_json", args=["levels"])).status_code == 404


def test_the_page_previews_a_tauval_file_and_applies_it(client, world, tmp_path):
    client.force_login(world.admin)
    url = reverse("imports:institution_upload", args=[world.institution.pk, "tauval"])
    with tauval_file(tmp_path, [record()]).open("rb") as fh:
        response = client.post(url, {"file": fh})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    page = client.get(response.url).content.decode()
    assert "Pemerintah Kota Contoh 2024 (spbe-2020)" in page and "4.2125000000" in page
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert PublishedResult.objects.get().predicate == "Memuaskan"


def test_the_page_shows_why_a_file_is_refused_without_an_error_page(client, world, tmp_path):
    client.force_login(world.admin)
    url = reverse("imports:institution_upload", args=[world.institution.pk, "tauval"])
    path = tmp_path / "tauval.json"
    path.write_bytes(b'{"data": [{"kode": "kota-contoh"}]}')
    with path.open("rb") as fh:
        response = client.post(url, {"file": fh})
    assert response.status_code == 422
    assert "“data”" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_tampered_record_on_the_page_shows_its_row_and_reason(client, world, tmp_path):
    client.force_login(world.admin)
    url = reverse("imports:institution_upload", args=[world.institution.pk, "tauval"])
    with tauval_file(tmp_path, [record(), record(tahun="2023", indeks="4.2000000000")]).open(
        "rb"
    ) as fh:
        response = client.post(url, {"file": fh})
    page = client.get(response.url).content.decode()
    assert "nilai.indeks" in page and "4.2000000000" in page
    assert 'action="' + reverse("imports:apply", args=[ImportBatch.objects.get().pk]) not in page
    assert not PublishedResult.objects.exists()

"""The answer page: criteria beside the form, every action by capability, HTMX fragments,
conflicts shown with both versions, refusals in place with their 4xx."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from items_support import CLOSES, OPENS
from page_support import TEXT, closed, fresh, login, saved, submitted

from monev.core.numbers import exact_fraction, parse_value
from monev.evaluations import services
from monev.evaluations.models import AnswerUnit, Comment, Period
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db


def page(answer) -> str:
    return reverse("answers:detail", args=[answer.pk])


def action(answer, name: str) -> str:
    return reverse("answers:action", args=[answer.pk, name])


def test_it_shows_the_criteria_of_every_level_beside_the_answer_form(client, world):
    login(client, world, "operator")
    response = client.get(page(world.answer("1")))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kriteria" in html and "Rintisan" in html  # spbe-2020 level names beside the form
    assert '<select name="level"' in html  # whole levels: a select limited to the scale
    assert 'value="5"' in html and 'value="6"' not in html
    assert 'name="explanation"' in html and 'name="version"' in html
    assert action(world.answer("1"), "save") in html
    assert action(world.answer("1"), "verify") not in html  # not the operator's action


def test_it_preselects_the_stored_level(client, world):
    answer = saved(world, level="4")
    login(client, world, "operator")
    assert '<option value="4" selected>' in client.get(page(answer)).content.decode()


def test_it_offers_an_exact_value_input_for_an_instrument_with_partial_credit(client, world):
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
    )
    login(client, world, "koordinator")
    html = client.get(page(period.answers.first())).content.decode()
    # A text input: a fraction such as 7/6 or ten decimals are kept exactly (issue 15).
    assert 'name="level"' in html and 'inputmode="decimal"' in html
    assert "paling banyak sepuluh desimal, atau pecahan seperti 7/6" in html
    assert "Instrumen sementara" in html  # pemdi-2026 is provisional


def pemdi_answer(world, indicator: str):
    """An answer of a new pemdi-2026 period whose self-assessment is open."""
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
        milestones={"self_assessment_open": OPENS, "self_assessment_close": CLOSES},
    )
    return period.answers.get(indicator=indicator)


@pytest.mark.parametrize(("typed", "shown"), [("7/6", "7/6"), ("1,1666666667", "1.1666666667")])
def test_a_pemdi_level_typed_as_a_fraction_or_ten_decimals_is_saved_exactly(
    client, world, typed, shown
):
    answer = pemdi_answer(world, "4")
    login(client, world, "koordinator")
    data = {"level": typed, "explanation": TEXT, "version": answer.version}
    assert client.post(action(answer, "save"), data).status_code == 302
    assert exact_fraction(fresh(answer).level) == exact_fraction(parse_value(shown))
    # The form shows it back as it reads exactly, so saving again changes nothing.
    assert f'value="{shown}"' in client.get(page(answer)).content.decode()


def test_a_pemdi_level_that_is_not_a_number_is_refused_on_the_form(client, world):
    answer = pemdi_answer(world, "4")
    login(client, world, "koordinator")
    data = {"level": "7/0", "explanation": TEXT, "version": answer.version}
    response = client.post(action(answer, "save"), data)
    assert "pecahan seperti 7/6" in response.content.decode()
    assert fresh(answer).level is None


def test_it_saves_then_submits_through_ordinary_posts(client, world):
    answer = world.answer("1")
    login(client, world, "operator")
    data = {"level": "3", "explanation": TEXT, "version": answer.version}
    response = client.post(action(answer, "save"), data)
    assert response.status_code == 302 and response["Location"] == page(answer)
    answer = fresh(answer)
    assert (answer.level, answer.explanation, answer.updated_by) == (
        Decimal("3"),
        TEXT,
        world.operator,
    )
    # A level without evidence is a readiness error: the page asks for a confirmation first.
    response = client.post(action(answer, "submit"), {"version": answer.version})
    assert response.status_code == 422
    assert "Centang kotak" in response.content.decode()
    assert fresh(answer).status == "draft"
    confirmed = {"version": answer.version, "confirm_readiness_errors": "on"}
    response = client.post(action(answer, "submit"), confirmed, follow=True)
    assert fresh(answer).status == "submitted"
    assert "Jawaban diajukan" in response.content.decode()


def test_it_returns_the_refreshed_panel_to_htmx(client, world):
    answer = world.answer("1")
    login(client, world, "operator")
    response = client.post(
        action(answer, "save"),
        {"level": "2", "explanation": TEXT, "version": answer.version},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="answer-panel"') and "<html" not in html
    assert "Jawaban disimpan" in html
    assert 'name="version" value="2"' in html  # the next save carries the new version


def test_it_shows_a_stale_save_beside_the_other_persons_version(client, world):
    answer = world.answer("1")
    login(client, world, "operator")
    client.get(page(answer))  # the operator opens the page at version 1 ...
    services.answer_save(  # ... the koordinator saves meanwhile
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=1,
        level=Decimal("4"),
        explanation="Versi koordinator: ada Perwal dan SOP.",
    )
    mine = "Versi operator: hanya ada draf kebijakan."
    response = client.post(
        action(answer, "save"), {"level": "2", "explanation": mine, "version": 1}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Versi koordinator: ada Perwal dan SOP." in html  # their version is shown
    assert html.count(mine) >= 2  # what the operator typed: shown, and still in the form
    assert f">\n{mine}</textarea>" in html or f">{mine}</textarea>" in html
    assert 'name="version" value="2"' in html  # saving again is a deliberate overwrite
    assert fresh(answer).explanation == "Versi koordinator: ada Perwal dan SOP."
    response = client.post(
        action(answer, "save"), {"level": "2", "explanation": mine, "version": 2}
    )
    assert response.status_code == 302 and fresh(answer).explanation == mine


def test_it_refuses_a_save_after_the_deadline_with_409_and_the_message(client, world):
    answer = world.answer("1")
    services.milestone_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        kind="self_assessment_close",
        due_at=timezone.now() - timedelta(hours=1),
    )
    login(client, world, "operator")
    data = {"level": "3", "explanation": TEXT, "version": answer.version}
    response = client.post(action(answer, "save"), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Penilaian mandiri ditutup pada" in html
    assert TEXT in html  # the text typed is kept in the form
    assert fresh(answer).level is None


def test_it_shows_invalid_input_in_place_with_422(client, world):
    answer = world.answer("1")
    login(client, world, "operator")
    response = client.post(
        action(answer, "save"), {"level": "7", "explanation": TEXT, "version": 1}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "field-invalid" in html and TEXT in html
    response = client.post(action(answer, "submit"), {"version": 1})  # nothing filled in
    assert response.status_code == 422
    assert "Pilih tingkat" in response.content.decode()


def test_it_shows_an_invalid_transition_in_place_with_409(client, world):
    answer = saved(world)
    login(client, world, "asesor_internal")
    response = client.post(action(answer, "verify"), {"version": answer.version})
    assert response.status_code == 409
    assert "Hanya jawaban yang diajukan" in response.content.decode()


def test_it_requires_a_note_to_return_an_answer(client, world):
    answer = submitted(world)
    login(client, world, "asesor_internal")
    response = client.post(action(answer, "return"), {"version": answer.version, "note": " "})
    assert response.status_code == 422
    assert fresh(answer).status == "submitted"


def test_it_lets_the_koordinator_reopen_a_final_answer_with_a_reason(client, world):
    answer = closed(world)
    login(client, world, "koordinator")
    assert action(answer, "reopen") in client.get(page(answer)).content.decode()
    data = {"version": answer.version, "reason": "Data dukung SK baru terbit."}
    assert client.post(action(answer, "reopen"), data).status_code == 302
    answer = fresh(answer)
    assert answer.reopened and answer.status == "returned"
    html = client.get(page(answer)).content.decode()
    assert "Data dukung SK baru terbit." in html  # in the comments and the history


def test_it_records_assessor_passes_and_the_institutions_response(client, world):
    answer = closed(world)
    login(client, world, "asesor_eksternal")
    data = {
        "stage": "document_review",
        "level": "2",
        "notes": "SOP belum ada.",
        "version_document_review": 0,
    }
    assert client.post(action(answer, "assess"), data).status_code == 302
    stale = client.post(action(answer, "assess"), {**data, "level": "3"})
    assert stale.status_code == 409  # version_document_review 0 is stale now
    assert "SOP belum ada." in stale.content.decode()
    client.force_login(world.koordinator)
    data = {"response": "SOP sudah ditetapkan, lihat data dukung 3.", "version": 1}
    assert client.post(action(answer, "respond"), data).status_code == 302
    html = client.get(page(answer)).content.decode()
    assert "SOP sudah ditetapkan" in html and "Penilaian dokumen" in html


def test_it_changes_the_responsible_units_and_adds_comments(client, world):
    answer = world.answer("1")
    login(client, world, "koordinator")
    units = {"units": [world.unit_a.pk, world.unit_b.pk]}
    assert client.post(action(answer, "units"), units).status_code == 302
    assert set(AnswerUnit.objects.filter(answer=answer).values_list("unit_id", flat=True)) == {
        world.unit_a.pk,
        world.unit_b.pk,
    }
    response = client.post(
        action(answer, "comment"), {"body": "Mohon unggah SK."}, headers={"HX-Request": "1"}
    )
    assert response.status_code == 200 and "Mohon unggah SK." in response.content.decode()
    assert client.post(action(answer, "comment"), {"body": ""}).status_code == 422


def test_it_shows_the_answers_history_newest_first(client, world):
    answer = submitted(world)
    login(client, world, "pimpinan")
    html = client.get(page(answer)).content.decode()
    assert html.index(">Diajukan</th>") < html.index(">Jawaban disimpan</th>")
    assert "koordinator (Koordinator)" in html  # who
    assert "— → 3" in html  # before -> after


def test_it_answers_404_for_an_unknown_action_or_answer(client, world):
    login(client, world, "koordinator")
    assert client.post(action(world.answer("1"), "nope")).status_code == 404
    assert client.get(reverse("answers:detail", args=[999999])).status_code == 404


def _more_data(world, answer):
    """More units, unit links, comments, passes and history on the same answer."""
    units = Unit.objects.bulk_create(
        [Unit(institution=world.institution, code=f"U{n}", name=f"Dinas {n}") for n in range(20)]
    )
    AnswerUnit.objects.bulk_create([AnswerUnit(answer=answer, unit=u) for u in units])
    Comment.objects.bulk_create([Comment(answer=answer, body=f"Komentar {n}") for n in range(15)])
    for n in range(3):
        services.comment_add(actor=world.koordinator, answer_id=answer.pk, body=f"Catatan {n}")


@pytest.mark.parametrize(
    ("role", "queries"),
    # + the evidence section: linked evidence, the library to link from, readiness checks
    # (whose file queries run whether or not anything is linked, so the count is the same
    # with evidence); the window read with the units' deadline extensions
    [("koordinator", 19), ("operator", 20), ("asesor_eksternal", 18), ("pimpinan", 18)],
)
def test_it_renders_the_answer_page_in_constant_queries(
    client, world, role, queries, django_assert_num_queries
):
    answer = saved(world)
    login(client, world, role)
    with django_assert_num_queries(queries):
        assert client.get(page(answer)).status_code == 200
    _more_data(world, answer)
    with django_assert_num_queries(queries):
        assert client.get(page(answer)).status_code == 200


def test_it_keeps_other_periods_out_of_the_answer_page(client, world):
    assert Period.objects.count() == 1

"""The period pages: list, overview (index at every stage), unit to-do, review queue and
period creation."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from page_support import TEXT, login, saved, submitted

from monev.evaluations import selectors, services
from monev.evaluations.models import Answer, AnswerUnit, Comment, Period
from monev.institutions.clock import today_for
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db


def url(name: str, world) -> str:
    return reverse(f"evaluations:{name}", args=[world.period.pk])


def grow(world, units: int = 30):
    """More units, every answer linked to all of them, comments on every answer."""
    new = Unit.objects.bulk_create(
        [
            Unit(institution=world.institution, code=f"X{n:02}", name=f"Dinas {n}")
            for n in range(units)
        ]
    )
    answers = list(world.period.answers.all())
    AnswerUnit.objects.bulk_create(
        [AnswerUnit(answer=a, unit=u) for a in answers for u in [*new, world.unit_a]],
        ignore_conflicts=True,
    )
    Comment.objects.bulk_create([Comment(answer=a, body="Cek data dukung.") for a in answers])


def test_it_links_each_period_to_its_pages_by_role(client, world):
    login(client, world, "operator")
    html = client.get(reverse("evaluations:periods")).content.decode()
    assert url("overview", world) in html and url("todo", world) in html
    assert url("queue", world) not in html
    assert reverse("evaluations:create") not in html  # operators do not create periods
    client.force_login(world.asesor_internal)
    html = client.get(reverse("evaluations:periods")).content.decode()
    assert url("queue", world) in html and url("todo", world) not in html
    client.force_login(world.koordinator)
    assert (
        reverse("evaluations:create") in client.get(reverse("evaluations:periods")).content.decode()
    )


def test_it_shows_the_index_at_every_stage_with_target_and_gap(client, world):
    services.period_set_target(
        actor=world.koordinator, period_id=world.period.pk, target=Decimal("4.62")
    )
    submitted(world, "1")
    saved(world, "2", level="4")
    login(client, world, "koordinator")
    html = client.get(url("overview", world)).content.decode()
    expected = selectors.period_overview(
        *selectors.period_for_user(world.koordinator, world.period.pk)
    )
    self_score = expected.scores["self"].result
    assert f"{self_score.index.reported}".replace(".", ",") in html
    assert self_score.predicate.name in html
    assert "2 dari 47" in html and "0 dari 47" in html  # two items have a self-assessed value
    assert "Target indeks" in html and "di bawah target" in html
    assert "Penilaian mandiri" in html and "Terverifikasi" in html and "Sementara (asesor)" in html


def test_it_lists_every_indicator_with_status_units_comments_and_flags(client, world):
    saved(world, "1")
    services.comment_add(actor=world.koordinator, answer_id=world.answer("1").pk, body="Cek.")
    login(client, world, "koordinator")
    html = client.get(url("overview", world)).content.decode()
    assert html.count('href="/jawaban/') == 47
    assert "Dinas A" in html and "Dinas B" in html
    assert "Belum ada unit penanggung jawab" in html  # indicators 11-47 have no unit yet
    assert "Draf" in html


def test_it_filters_the_indicators_by_status_and_unit(client, world):
    submitted(world, "1")
    login(client, world, "koordinator")
    html = client.get(url("overview", world), {"status": "submitted"}).content.decode()
    assert html.count('href="/jawaban/') == 1
    html = client.get(url("overview", world), {"unit": world.unit_b.pk}).content.decode()
    assert html.count('href="/jawaban/') == 5
    html = client.get(url("overview", world), {"status": "nope", "unit": "x"}).content.decode()
    assert html.count('href="/jawaban/') == 47


def test_it_shows_an_operator_only_their_units_rows_but_the_whole_index(client, world):
    login(client, world, "operator")
    html = client.get(url("overview", world)).content.decode()
    assert html.count('href="/jawaban/') == 5
    assert "0 dari 47" in html


def test_it_shows_milestones_ahead_with_the_days_left(client, world):
    # Noon of the day ten days ahead in the site's time zone: "now + 10 days and an hour" is
    # eleven calendar days away when run in the last hour of a day.
    noon = datetime.combine(today_for(world.institution) + timedelta(days=10), time(12))
    services.milestone_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        kind="evidence_deadline",
        due_at=timezone.make_aware(noon),
    )
    login(client, world, "pimpinan")
    html = client.get(url("overview", world)).content.decode()
    assert "Tenggat unggah data dukung" in html and "10 hari lagi" in html


def test_it_flags_a_provisional_instrument(client, world):
    period = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
    )
    login(client, world, "koordinator")
    html = client.get(reverse("evaluations:overview", args=[period.pk])).content.decode()
    assert "Instrumen sementara" in html


@pytest.mark.parametrize(("role", "queries"), [("koordinator", 9), ("operator", 11)])
def test_it_renders_the_overview_in_constant_queries(
    client, world, role, queries, django_assert_num_queries
):
    # session, user, period + institution, memberships, milestones, answers with comment
    # counts, their unit links, their passes, the period's evidence links; an operator's rows
    # are narrowed, so the whole period's answers and passes are read once more for the index.
    login(client, world, role)
    with django_assert_num_queries(queries):
        assert client.get(url("overview", world)).status_code == 200
    grow(world)
    saved(world, "1")
    with django_assert_num_queries(queries):
        assert client.get(url("overview", world)).status_code == 200


def test_it_lists_what_the_operators_unit_still_owes_with_the_deadline(client, world):
    submitted(world, "1")
    login(client, world, "operator")
    html = client.get(url("todo", world)).content.decode()
    assert html.count('href="/jawaban/') == 4  # indicators 2-5; 1 is submitted
    assert "Tenggat penilaian mandiri" in html and "2099" in html


def test_it_renders_the_todo_in_constant_queries(client, world, django_assert_num_queries):
    login(client, world, "operator")
    # 11: the 10th reads the unit's open action items of the period's plan (monev.planning),
    # the 11th the operator's units, named on the page.
    with django_assert_num_queries(11):
        client.get(url("todo", world))
    grow(world)
    with django_assert_num_queries(11):
        client.get(url("todo", world))


def test_it_queues_submitted_answers_for_the_internal_assessor(
    client, world, django_assert_num_queries
):
    submitted(world, "1")
    login(client, world, "asesor_internal")
    # + the answers' evidence (the overview's flags) and the units' deadline extensions
    with django_assert_num_queries(10):
        html = client.get(url("queue", world)).content.decode()
    assert html.count('href="/jawaban/') == 1
    grow(world)
    submitted(world, "7")
    with django_assert_num_queries(10):
        html = client.get(url("queue", world)).content.decode()
    assert html.count('href="/jawaban/') == 2


def test_it_queues_final_answers_for_the_external_assessor(client, world):
    saved(world, "1")
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    login(client, world, "asesor_eksternal")
    html = client.get(url("queue", world)).content.decode()
    assert html.count('href="/jawaban/') == 47


def test_it_creates_a_period_carrying_over_the_previous_answers(client, world):
    saved(world, "1")
    login(client, world, "koordinator")
    form = client.get(reverse("evaluations:create")).content.decode()
    assert "spbe-2020@1" in form and "pemdi-2026@2" in form and "Pemerintah Kota Contoh" in form
    assert "Kabupaten Lain" not in form
    data = {
        "institution": world.institution.pk,
        "year": 2026,
        "kind": "evaluasi",
        "instrument": "spbe-2020@1",
        "target": "4.62",
        "carry_over_from": world.period.pk,
    }
    response = client.post(reverse("evaluations:create"), data)
    period = Period.objects.get(year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:settings", args=[period.pk])
    assert period.target == Decimal("4.62") and period.previous == world.period
    carried = Answer.objects.get(period=period, indicator="1")
    assert (carried.level, carried.explanation) == (Decimal("3"), TEXT)


def test_it_refuses_a_duplicate_or_invalid_period_in_place(client, world):
    login(client, world, "koordinator")
    data = {
        "institution": world.institution.pk,
        "year": 2025,
        "kind": "pemantauan",
        "instrument": "spbe-2020@1",
    }
    response = client.post(reverse("evaluations:create"), data)
    assert response.status_code == 409
    assert "sudah memiliki periode" in response.content.decode()
    response = client.post(reverse("evaluations:create"), {**data, "year": "dua ribu"})
    assert response.status_code == 422
    assert Period.objects.count() == 1


def test_it_renders_the_period_list_in_constant_queries(client, world, django_assert_num_queries):
    login(client, world, "koordinator")
    with django_assert_num_queries(4):
        client.get(reverse("evaluations:periods"))
    for year in (2021, 2022, 2023):
        services.period_create(
            actor=world.koordinator,
            institution_id=world.institution.pk,
            year=year,
            kind="evaluasi",
            instrument="spbe-2020",
        )
    with django_assert_num_queries(4):
        html = client.get(reverse("evaluations:periods")).content.decode()
    assert html.count("/tugas/") == 4

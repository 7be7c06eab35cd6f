"""The period's audit trail: paginated, newest first, exportable as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from page_support import login, saved, submitted

from monev.audit.models import AuditEvent
from monev.evaluations import services
from monev.evaluations.models import AnswerUnit
from monev.evaluations.services.answers import assignment_fingerprint

pytestmark = pytest.mark.django_db


def test_it_lists_the_periods_events_newest_first(client, world):
    submitted(world, "1")
    login(client, world, "asesor_internal")
    html = client.get(reverse("evaluations:audit", args=[world.period.pk])).content.decode()
    assert html.index(">Diajukan</th>") < html.index(">Jawaban disimpan</th>")
    assert html.index(">Jawaban disimpan</th>") < html.index(">Periode dibuat</th>")
    assert "koordinator (Koordinator)" in html
    assert reverse("answers:detail", args=[world.answer("1").pk]) in html


def test_it_paginates_in_constant_queries(client, world, django_assert_num_queries):
    login(client, world, "koordinator")
    page = reverse("evaluations:audit", args=[world.period.pk])
    with django_assert_num_queries(7):
        client.get(page)
    for n in range(60):
        services.comment_add(actor=world.koordinator, answer_id=world.answer("1").pk, body=f"K{n}")
    with django_assert_num_queries(7):
        html = client.get(page).content.decode()
    assert "Halaman 1 dari 2" in html and html.count("<time") == 50
    assert client.get(page, {"page": 2}).content.decode().count("<time") == 11


def test_it_exports_every_event_as_csv(client, world, django_assert_num_queries):
    saved(world, "1")
    services.answer_reopen(
        actor=world.koordinator,
        answer_id=world.answer("1").pk,
        expected_version=world.answer("1").version,
        reason="SK baru",
    )
    login(client, world, "admin")
    with django_assert_num_queries(6):
        response = client.get(reverse("evaluations:audit_csv", args=[world.period.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    # Oldest first, as `monev audit export` writes it: an auditor re-checks the chain in order.
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == AuditEvent.objects.filter(period_id=world.period.pk).count() == 3
    assert rows[-1]["action"] == "answer.reopen" and rows[-1]["reason"] == "SK baru"
    assert rows[-1]["indicator"] == "1" and rows[0]["action"] == "period.create"
    assert rows[-1]["indicator_label"] == "1. Arsitektur SPBE"
    assert rows[0]["indicator_label"] == ""  # the period's own event names no answer


def test_it_names_each_answers_indicator_by_number_and_short_name(client, world):
    """spbe-2020's indicators 1 and 11 are both "Arsitektur SPBE": the number tells them apart."""
    saved(world, "1")
    saved(world, "11")
    login(client, world, "koordinator")
    html = client.get(reverse("evaluations:audit", args=[world.period.pk])).content.decode()
    for number in ("1", "11"):
        link = reverse("answers:detail", args=[world.answer(number).pk])
        assert f'<a href="{link}">{number}. Arsitektur SPBE</a>' in html


def test_a_matrix_change_names_its_answers_by_their_indicators(client, world):
    pairs = AnswerUnit.objects.filter(answer__period=world.period).values_list(
        "answer_id", "unit_id"
    )
    services.period_assign_matrix(
        actor=world.koordinator,
        period_id=world.period.pk,
        assignments={world.answer("11").pk: {world.unit_a.pk, world.unit_b.pk}},
        expected_fingerprint=assignment_fingerprint(list(pairs)),
    )
    login(client, world, "koordinator")
    html = client.get(reverse("evaluations:audit", args=[world.period.pk])).content.decode()
    assert '<span class="muted">11. Arsitektur SPBE:</span>' in html

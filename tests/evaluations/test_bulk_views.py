"""The bulk actions page (/periode/ID/tindakan-massal/): only the koordinator and the admin;
a preview that changes nothing and names what it would skip and why; a confirmation that
applies with the previewed versions (one audit event per answer, one reason); the result; bad
input shown in place with 422; an extension that lets the unit's operator save again after
the period's close; the same number of queries for many answers as for few."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from page_support import TEXT, login, submitted

from monev.audit.models import AuditEvent
from monev.evaluations import services
from monev.evaluations.models import Answer, AnswerUnit, Comment, DeadlineExtension, Milestone
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db

Status = Answer.Status
REASON = "Bukti baru dari Diskominfo"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response) -> str:
    """The page's HTML with its entities read ("unit's", not "unit&#x27;s")."""
    return unescape(response.content.decode())


def page(world) -> str:
    return reverse("evaluations:bulk", args=[world.period.pk])


def form(world, action="return", **fields) -> dict:
    data = {
        "step": "preview",
        "action": action,
        "scope": "unit",
        "unit_id": world.unit_a.pk,
        "reason": REASON,
    }
    return {**data, **fields}


def close_self_assessment_yesterday(world) -> None:
    """The period's close passed (the world's closes in 2099), answers not yet locked."""
    yesterday = timezone.now() - timedelta(days=1)
    Milestone.objects.filter(period=world.period, kind="self_assessment_close").update(
        due_at=yesterday
    )


def statuses(world, *numbers: str) -> list[str]:
    return [world.answer(n).status for n in numbers]


def until_fields(days: int) -> dict:
    day = timezone.localdate() + timedelta(days=days)
    return {"until_date": day.isoformat(), "until_time": "23:59"}


# --- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("koordinator", 200),
        ("admin", 200),
        ("operator", 403),
        ("operator_b", 403),
        ("asesor_internal", 403),
        ("asesor_eksternal", 403),
        ("pimpinan", 403),
        ("outsider", 404),
    ],
)
def test_only_the_koordinator_and_admin_open_the_page_and_see_its_tab(client, world, role, status):
    login(client, world, role)
    assert client.get(page(world)).status_code == status
    if role != "outsider":
        overview = client.get(reverse("evaluations:overview", args=[world.period.pk]))
        assert (page(world) in overview.content.decode()) == (status == 200)


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(page(world))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("operator", 403),
        ("operator_b", 403),
        ("asesor_internal", 403),
        ("asesor_eksternal", 403),
        ("pimpinan", 403),
        ("outsider", 404),
    ],
)
@pytest.mark.parametrize("step", ["preview", "apply"])
def test_other_roles_can_neither_preview_nor_apply(client, world, role, status, step):
    submitted(world, "1")
    login(client, world, role)
    response = client.post(page(world), form(world, step=step, versions=""))
    assert response.status_code == status
    assert statuses(world, "1") == [Status.SUBMITTED]
    assert not AuditEvent.objects.filter(action="answer.return").exists()


# --- preview, confirm, result --------------------------------------------------------------


def test_the_preview_lists_what_would_change_and_what_is_skipped_and_changes_nothing(client, world):
    submitted(world, "1")
    submitted(world, "2")
    english(login(client, world, "koordinator"))
    response = client.post(page(world), form(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 answers would change." in html and "3 answers are left as they are." in html
    assert "Only a submitted or verified answer can be returned." in html
    one, two = world.answer("1"), world.answer("2")
    assert f'name="versions" value="{one.pk}:{one.version},{two.pk}:{two.version}"' in html
    assert 'name="step" value="apply"' in html
    assert statuses(world, "1", "2") == [Status.SUBMITTED, Status.SUBMITTED]
    assert not AuditEvent.objects.filter(action="answer.return").exists()
    assert not Comment.objects.exists()


def test_a_preview_by_get_shows_the_form_prefilled_from_the_query(client, world):
    login(client, world, "koordinator")
    response = client.get(page(world), {"action": "reopen", "aspect": "A2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'value="reopen"[^>]* checked>', html)
    assert not re.search(r'value="return"[^>]* checked>', html)
    assert '<option value="A2" selected>' in html


def test_confirming_returns_each_answer_with_one_audit_event_and_the_shared_reason(client, world):
    submitted(world, "1")
    submitted(world, "2")
    english(login(client, world, "koordinator"))
    one, two = world.answer("1"), world.answer("2")
    versions = f"{one.pk}:{one.version},{two.pk}:{two.version}"
    response = client.post(page(world), form(world, step="apply", versions=versions))
    assert response.status_code == 302
    assert statuses(world, "1", "2") == [Status.RETURNED, Status.RETURNED]
    events = AuditEvent.objects.filter(action="answer.return")
    assert sorted(events.values_list("answer_id", flat=True)) == sorted([one.pk, two.pk])
    assert {e.reason for e in events} == {REASON}
    assert len({e.after["bulk"] for e in events}) == 1
    result = client.get(response["Location"])
    html = result.content.decode()
    assert "2 answers changed." in html and "3 answers left as they were." in html
    assert "Only a submitted or verified answer can be returned." in html
    assert reverse("evaluations:audit", args=[world.period.pk]) in html
    assert events.first().after["bulk"] in html
    audit = client.get(reverse("evaluations:audit", args=[world.period.pk])).content.decode()
    assert audit.count(REASON) >= 2


def test_reopening_an_aspect_after_the_close_lets_its_answers_be_edited(client, world):
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    login(client, world, "admin")
    data = form(world, action="reopen", scope="aspect", aspect="A2", unit_id="")
    preview = client.post(page(world), data)
    assert preview.status_code == 200
    versions = ",".join(
        f"{a.pk}:{a.version}" for a in Answer.objects.filter(indicator__in=["11", "12", "13", "14"])
    )
    response = client.post(page(world), {**data, "step": "apply", "versions": versions})
    assert response.status_code == 302
    for number in ("11", "12", "13", "14"):
        answer = world.answer(number)
        assert (answer.status, answer.reopened) == (Status.RETURNED, True)
    assert statuses(world, "1") == [Status.FINAL]
    assert AuditEvent.objects.filter(action="answer.reopen", reason=REASON).count() == 4


def test_a_selection_of_ticked_answers_is_the_scope(client, world):
    for number in ("1", "7", "20"):
        submitted(world, number)
    login(client, world, "koordinator")
    seven, twenty = world.answer("7"), world.answer("20")
    data = form(world, scope="answers", unit_id="", answer_ids=[seven.pk, twenty.pk])
    html = client.post(page(world), data).content.decode()
    assert f'id="answer-{seven.pk}" name="answer_ids" value="{seven.pk}" checked' in html
    versions = f"{seven.pk}:{seven.version},{twenty.pk}:{twenty.version}"
    assert client.post(page(world), {**data, "step": "apply", "versions": versions}).status_code
    assert statuses(world, "1", "7", "20") == [Status.SUBMITTED, Status.RETURNED, Status.RETURNED]


def test_an_answer_changed_after_the_preview_is_reported_as_skipped_not_overwritten(client, world):
    submitted(world, "1")
    submitted(world, "2")
    english(login(client, world, "koordinator"))
    one, two = world.answer("1"), world.answer("2")
    versions = f"{one.pk}:{one.version},{two.pk}:{two.version}"
    services.answer_verify(  # meanwhile, the internal assessor verifies answer 2
        actor=world.asesor_internal, answer_id=two.pk, expected_version=two.version
    )
    response = client.post(page(world), form(world, step="apply", versions=versions))
    html = client.get(response["Location"]).content.decode()
    assert "1 answer changed." in html
    assert "Changed by Asesor_Internal since the preview; left as they saved it." in html
    assert statuses(world, "1", "2") == [Status.RETURNED, Status.VERIFIED]


def test_a_result_no_longer_kept_points_to_the_audit_trail(client, world):
    english(login(client, world, "koordinator"))
    response = client.get(page(world), {"bulk_id": "0123456789ab"})
    assert response.status_code == 200
    assert "no longer kept" in response.content.decode()


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reason": "  "}, "reason", "This field is required."),
        ({"unit_id": "999999"}, "unit_id", "Select a valid choice."),
        ({"scope": "aspect", "aspect": "Z9"}, "aspect", "Select a valid choice."),
        ({"scope": "aspect", "aspect": ""}, "aspect", "Choose an aspect."),
        ({"scope": "answers", "unit_id": ""}, "answer_ids", "Tick at least one answer"),
        ({"action": "extend"}, "until_date", "Give the date the unit's self-assessment closes."),
        (
            {"action": "extend", "scope": "aspect", "aspect": "A1", **until_fields(10)},
            None,
            "choose a unit",
        ),
        ({"action": "extend", **until_fields(-2)}, "until_date", "Choose a later date."),
    ],
)
@pytest.mark.parametrize("step", ["preview", "apply"])
def test_bad_input_shows_the_form_again_with_the_message_and_422(
    client, world, fields, field, message, step
):
    submitted(world, "1")
    close_self_assessment_yesterday(world)
    english(login(client, world, "koordinator"))
    data = form(world, step=step, versions="", **fields)
    response = client.post(page(world), data)
    html = text(response)
    assert response.status_code == 422
    assert message in html
    if field:
        assert "field-invalid" in html or f'id="{field}-errors"' in html
    if data["reason"].strip():
        assert REASON in html  # nothing typed is lost
    assert statuses(world, "1") == [Status.SUBMITTED]
    assert not DeadlineExtension.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="answer.", after__has_key="bulk")


def test_a_unit_responsible_for_no_answer_is_refused_with_422(client, world):
    empty = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    english(login(client, world, "koordinator"))
    response = client.post(page(world), form(world, unit_id=empty.pk))
    assert response.status_code == 422
    assert "There is no answer in this scope." in response.content.decode()


def test_nothing_to_change_offers_no_confirmation(client, world):
    english(login(client, world, "koordinator"))
    html = client.post(page(world), form(world)).content.decode()  # all drafts: none returns
    assert "Nothing would change" in html and 'value="apply"' not in html


# --- an extension --------------------------------------------------------------------------


def test_an_extension_lets_the_units_operator_save_again_after_the_close(client, world):
    close_self_assessment_yesterday(world)
    answer = world.answer("1")
    operator = login(type(client)(), world, "operator")
    save = reverse("answers:action", args=[answer.pk, "save"])
    data = {"level": "3", "explanation": TEXT, "version": answer.version}
    assert operator.post(save, data).status_code == 409  # the deadline passed

    english(login(client, world, "koordinator"))
    extend = form(world, action="extend", reason="Banjir di kantor", **until_fields(10))
    preview = client.post(page(world), extend)
    assert preview.status_code == 200
    assert "5 answers would change." in preview.content.decode()
    response = client.post(page(world), {**extend, "step": "apply", "versions": ""})
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get(period=world.period, unit=world.unit_a)
    assert timezone.localtime(extension.until).date() == timezone.localdate() + timedelta(10)
    events = AuditEvent.objects.filter(action="answer.extend_deadline")
    assert events.count() == 5 and {e.reason for e in events} == {"Banjir di kantor"}
    assert "stays open until" in client.get(response["Location"]).content.decode()

    assert operator.post(save, data).status_code == 302
    assert world.answer("1").level == Decimal(3)
    other = world.answer("6")  # unit B: not extended
    operator_b = login(type(client)(), world, "operator_b")
    refused = operator_b.post(
        reverse("answers:action", args=[other.pk, "save"]),
        {"level": "3", "explanation": TEXT, "version": other.version},
    )
    assert refused.status_code == 409


def test_the_audit_trail_names_the_extension(client, world):
    close_self_assessment_yesterday(world)
    english(login(client, world, "koordinator"))
    extend = form(world, action="extend", step="apply", versions="", **until_fields(10))
    client.post(page(world), extend)
    audit = client.get(reverse("evaluations:audit", args=[world.period.pk])).content.decode()
    assert "Deadline extended (the unit&#x27;s extension)" in audit
    assert "A unit&#x27;s deadline extended" in audit


# --- queries -------------------------------------------------------------------------------


def grow(world) -> Unit:
    """A unit responsible for 30 answers (unit A has 5), all submitted, and more units."""
    big = Unit.objects.create(institution=world.institution, code="C", name="Dinas C")
    Unit.objects.bulk_create(
        Unit(institution=world.institution, code=f"U{n:02}", name=f"Dinas {n}") for n in range(10)
    )
    answers = list(world.period.answers.order_by("position"))[10:40]
    AnswerUnit.objects.bulk_create(AnswerUnit(answer=a, unit=big) for a in answers)
    for answer in [world.answer(str(n)) for n in (1, 2)] + answers:
        submitted(world, answer.indicator)
    return big


def versions_of(unit) -> str:
    answers = Answer.objects.filter(unit_links__unit=unit, status=Status.SUBMITTED)
    return ",".join(f"{a.pk}:{a.version}" for a in answers)


# session, user; period + institution, memberships (the page's permission); the answers,
# their units, the institution's units, the extensions, the self-assessment window
PAGE_QUERIES = 9
# the page's 9, and the service's: period + institution, memberships, the unit, the answers
# in scope, their units, the window, the extensions
PREVIEW_QUERIES = 16
# session, user; period, memberships; the form's choices (answers, units, links, extensions,
# window); a savepoint; the service: period, memberships, the unit, the answers locked, their
# units, window, extensions, the update, the comments, the chain head (get, lock), the events,
# the head saved; released; the session saved (savepoint, update, released)
APPLY_QUERIES = 27


def test_the_page_runs_the_same_queries_for_many_answers_as_for_few(
    client, world, django_assert_num_queries
):
    login(client, world, "koordinator")
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(page(world))
    grow(world)
    with django_assert_num_queries(PAGE_QUERIES):
        client.get(page(world))


# An extension changes no answer and writes no comment: its row is read (locked) and saved.
@pytest.mark.parametrize("action", ["reopen", "return", "extend"])
def test_preview_and_apply_run_the_same_queries_for_30_answers_as_for_5(
    client, world, django_assert_num_queries, action
):
    big = grow(world)
    login(client, world, "koordinator")
    extra = {}
    if action == "extend":  # after the period's close: the extension's date must be later
        close_self_assessment_yesterday(world)
        extra = until_fields(10)
    for unit in (world.unit_a, big):
        data = form(world, action, unit_id=unit.pk, **extra)
        with django_assert_num_queries(PREVIEW_QUERIES):
            assert client.post(page(world), data).status_code == 200
    for unit in (world.unit_a, big):
        versions = "" if action == "extend" else versions_of(unit)
        data = form(world, action, unit_id=unit.pk, step="apply", versions=versions, **extra)
        with django_assert_num_queries(APPLY_QUERIES):
            assert client.post(page(world), data).status_code == 302
    events = AuditEvent.objects.filter(action__startswith="answer.", after__has_key="bulk")
    assert events.count() == (5 + 30 if action == "extend" else 2 + 30)

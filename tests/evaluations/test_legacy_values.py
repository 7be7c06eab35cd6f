"""The Indonesian values stored before evaluations.0005_english_values: API clients may still
send them (deprecated) and old links still work; events recorded with them in the audit trail
(never rewritten) show the same labels as events recorded since."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from items_support import build_pemdi
from page_support import login, submitted

from api_support import Api
from monev.assignments import selectors as assignment_selectors
from monev.audit.services import audit_record
from monev.evaluations import history, legacy, services
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement
from monev.evaluations.selectors import ITEM_STATUS_LABELS

pytestmark = pytest.mark.django_db
Stage, Status = AssessorPass.Stage, Answer.Status


def closed(world) -> Answer:
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    return world.answer("1")


def test_every_old_value_names_a_value_stored_now():
    assert set(legacy.ANSWER_STATUSES.values()) == set(Status.values) - {Status.DRAFT}
    assert set(legacy.STAGES.values()) == set(Stage.values) - {Stage.FINAL}
    assert set(legacy.REASONS.values()) == set(ItemJudgement.Reason.values)
    assert set(ItemJudgement.Status.values) < set(legacy.ITEM_STATUSES.values())
    assert legacy.current("dokumen") == "document_review" == legacy.current("document_review")
    assert legacy.current("final") == "final" and legacy.current(None) is None
    assert legacy.current_action("assessment.visitasi") == "assessment.visitation"
    assert legacy.current_action("answer.submit") == "answer.submit"


# --- the API: new values out, old values still taken in ----------------------------------------


def test_the_api_takes_an_old_stage_name_and_answers_with_the_new_one(world):
    answer = closed(world)
    external = Api.token(world.asesor_eksternal)
    saved = external.ok("put", f"/answers/{answer.pk}/passes/dokumen", {"level": "3"})
    assert saved["stage"] == "document_review"
    assert AssessorPass.objects.get(answer=answer).stage == Stage.DOCUMENT
    detail = external.ok("get", f"/answers/{answer.pk}")
    assert detail["status"] == "final_self"
    assert [p["stage"] for p in detail["passes"]] == ["document_review"]


def test_the_item_api_takes_old_statuses_reasons_and_stage(world):
    pemdi = build_pemdi(world)
    answer = pemdi.answer("2")
    body = {
        "version": 0,
        "items": [
            {"level": 1, "position": 0, "status": "diterima"},
            {"level": 1, "position": 1, "status": "revisi", "reason_kind": "tidak_tepat"},
        ],
    }
    sheet = Api.session(world.asesor_eksternal).ok(
        "put", f"/answers/{answer.pk}/items?stage=dokumen", body
    )
    assert sheet["stage"] == "document_review"
    items = sheet["levels"][0]["items"]
    assert [(i["status"], i["reason_kind"]) for i in items] == [
        ("accepted", ""),
        ("revision", "not_appropriate"),
    ]
    stored = ItemJudgement.objects.filter(answer=answer).order_by("position")
    assert [(j.stage, j.status, j.reason_kind) for j in stored] == [
        ("document_review", "accepted", ""),
        ("document_review", "revision", "not_appropriate"),
    ]
    cleared = {"version": 1, "items": [{"level": 1, "position": 0, "status": "belum"}]}
    Api.session(world.asesor_eksternal).ok(
        "put", f"/answers/{answer.pk}/items?stage=document_review", cleared
    )
    assert ItemJudgement.objects.filter(answer=answer).count() == 1


def test_the_api_still_refuses_a_value_that_is_neither_old_nor_new(world):
    answer = closed(world)
    external = Api.token(world.asesor_eksternal)
    assert external.put(f"/answers/{answer.pk}/passes/tahap1", {"level": "3"}).status_code == 422
    queue = external.get("/assessor/queue", stage="sidang")
    assert queue.status_code == 422


def test_the_queue_filters_by_an_old_stage_name_in_the_api_and_on_the_page(world):
    closed(world)
    external = Api.token(world.asesor_eksternal)
    everything = external.ok("get", "/assessor/queue")
    old = external.ok("get", "/assessor/queue?stage=dokumen")
    assert old["items"] and old["items"] == everything["items"]
    assert {item["stage"] for item in old["items"]} == {"document_review"}
    rows = assignment_selectors.assessor_queue(world.asesor_eksternal, stage="interviu").rows
    assert rows == []


def test_an_old_status_link_still_filters_the_overview(client, world):
    submitted(world, "1")
    login(client, world, "koordinator")
    page = reverse("evaluations:overview", args=[world.period.pk])
    html = client.get(page, {"status": "diajukan"}).content.decode()
    assert html.count('href="/jawaban/') == 1


# --- the audit trail: old events are never rewritten, and read as new ones ---------------------


def _old_event(world, answer: Answer, action: str, before: dict, after: dict):
    """An event as it was recorded before the values became English."""
    with transaction.atomic():
        return audit_record(
            actor=world.koordinator,
            action=action,
            obj=answer,
            institution_id=world.institution.pk,
            period_id=world.period.pk,
            answer_id=answer.pk,
            before=before,
            after=after,
        )


def test_an_old_audit_event_shows_the_labels_of_the_new_values(world):
    answer = world.answer("1")
    old = _old_event(
        world, answer, "answer.submit", {"status": "draft"}, {"status": "diajukan", "version": 2}
    )
    new = _old_event(
        world, answer, "answer.submit", {"status": "draft"}, {"status": "submitted", "version": 2}
    )
    assert old.after["status"] == "diajukan"  # the record stays as it was
    label = str(Status.SUBMITTED.label)
    draft = str(Status.DRAFT.label)
    first = history.changes_of(old)[0]
    assert (first.field, first.before, first.after) == (
        str(history.FIELD_LABELS["status"]),
        draft,
        label,
    )
    assert history.changes_of(old) == history.changes_of(new)

    pass_before = {}
    pass_after = {"stage": "dokumen", "level": "2.00", "version": 1}
    old_pass = _old_event(world, answer, "assessment.dokumen", pass_before, pass_after)
    assert history.action_label(old_pass.action) == history.action_label(
        "assessment.document_review"
    )
    assert history.action_label("assessment.document_review") != "assessment.document_review"
    stage = next(c for c in history.changes_of(old_pass) if c.after == str(Stage.DOCUMENT.label))
    assert stage.before == "—"


def test_an_old_item_judgement_event_shows_its_statuses_and_reasons_in_words(world):
    answer = world.answer("1")
    items = {"1.1": "diterima", "1.2": "revisi (tidak_tepat)", "1.3": "revisi (lainnya: Belum SK)"}
    event = _old_event(
        world, answer, "assessment.items", {"items": {"1.1": None}}, {"items": items}
    )
    change = next(
        c for c in history.changes_of(event) if c.field == str(history.FIELD_LABELS["items"])
    )
    accepted = str(ITEM_STATUS_LABELS["accepted"])
    revision = str(ITEM_STATUS_LABELS["revision"])
    wrong = str(ItemJudgement.Reason.NOT_APPROPRIATE.label)
    assert change.before == "1.1: —"
    assert change.after == (
        f"1.1: {accepted}; 1.2: {revision} ({wrong}); "
        f"1.3: {revision} ({ItemJudgement.Reason.OTHER.label}: Belum SK)"
    )


def test_the_answer_page_shows_an_old_event_by_its_labels(client, world):
    answer = world.answer("1")
    _old_event(world, answer, "answer.submit", {"status": "draft"}, {"status": "diajukan"})
    login(client, world, "koordinator")
    html = client.get(reverse("answers:detail", args=[answer.pk])).content.decode()
    assert "Draf → Diajukan" in html

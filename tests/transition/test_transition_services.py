"""Crosswalk suggestions: made from the previous spbe-2020 period for the pemdi-2026 one,
idempotently; accepted through the evidence and answer services (never copying a level);
rejected with a reason; refused to anyone but the coordinator; safe against a concurrent edit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from transition_support import (
    build_transition,
    fill_old,
    more_old_evidence,
    new_period,
    transition_fixture,  # noqa: F401  (the `transition` fixture)
)

from monev.audit.models import AuditEvent
from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Answer, Period
from monev.evidence.models import EvidenceLink
from monev.lib.errors import (
    Conflict,
    DeadlinePassed,
    Forbidden,
    InvalidInput,
    InvalidTransition,
    NotFound,
)
from monev.transition import selectors, services
from monev.transition.models import CrosswalkSuggestion

State = CrosswalkSuggestion.State
PERWAL = "Perwal 12/2024 tentang SPBE"
TIM = "Keputusan Wali Kota 100/2024 tentang Tim Koordinasi SPBE"
AUDIT = "Laporan audit keamanan informasi 2025"
ARSITEKTUR = "Dokumen Arsitektur SPBE 2023-2027"


def generate(t):
    return services.suggestions_generate(actor=t.world.koordinator, period_id=t.new.pk)


def by_indicator(t) -> dict[str, dict[str, list[CrosswalkSuggestion]]]:
    grouped: dict[str, dict[str, list]] = {}
    for row in CrosswalkSuggestion.objects.filter(period=t.new).select_related(
        "evidence", "source_answer"
    ):
        grouped.setdefault(row.indicator, {"evidence": [], "answer": []})[row.kind].append(row)
    return grouped


def one(t, indicator: str, kind: str, **match) -> CrosswalkSuggestion:
    rows = CrosswalkSuggestion.objects.filter(period=t.new, indicator=indicator, kind=kind)
    if "title" in match:
        rows = rows.filter(evidence__title=match["title"])
    if "old" in match:
        rows = rows.filter(source_answer__indicator=match["old"])
    (row,) = rows
    return row


# --- generation ----------------------------------------------------------------------------


def test_the_source_is_the_previous_period_under_the_older_instrument(transition):
    assert transition.new.previous_id == transition.old.pk
    source, crosswalk = selectors.transition_source(transition.new)
    assert source == transition.old
    assert crosswalk.source_instrument == "spbe-2020" and crosswalk.is_judgement


def test_it_suggests_counterpart_evidence_and_penjelasan_per_new_indicator(transition):
    result = generate(transition)
    assert (result.created, result.total) == (18, 18)
    assert result.source_period_id == transition.old.pk
    grouped = by_indicator(transition)
    # Pemdi 1 <- spbe-2020 1, 2, 11, 12, 13 (partly 10, 19)
    first = grouped["1"]
    assert sorted(r.evidence.title for r in first["evidence"]) == sorted([PERWAL, TIM, ARSITEKTUR])
    assert sorted(r.source_answer.indicator for r in first["answer"]) == ["1", "10", "13", "2"]
    perwal = one(transition, "1", "evidence", title=PERWAL)
    assert perwal.source_indicators == ["1", "13"] and not perwal.partly
    assert perwal.source_levels == [
        {"indicator": "1", "level": 2},
        {"indicator": "13", "level": 3},
    ]
    assert one(transition, "1", "evidence", title=TIM).partly  # 10 is only a partial counterpart
    assert one(transition, "1", "answer", old="10").partly
    assert not one(transition, "4", "evidence", title=TIM).partly  # 10 is a main one of Pemdi 4
    # Pemdi 8, 11, 12 are "new": only partial counterparts (22).
    for number in ("8", "11", "12"):
        assert one(transition, number, "evidence", title=AUDIT).partly
    assert not one(transition, "10", "evidence", title=AUDIT).partly
    assert set(grouped) == {"1", "3", "4", "8", "10", "11", "12"}
    assert all(r.state == State.PENDING for r in CrosswalkSuggestion.objects.all())
    event = AuditEvent.objects.get(action="transition.generate")
    assert event.period_id == transition.new.pk and event.after["created"] == 18


def test_generating_again_adds_only_what_is_new_and_keeps_decisions(transition):
    generate(transition)
    accepted = one(transition, "3", "answer", old="25")
    services.suggestion_accept(
        actor=transition.world.koordinator,
        suggestion_id=accepted.pk,
        expected_version=transition.new_answer("3").version,
    )
    rejected = one(transition, "8", "evidence", title=AUDIT)
    services.suggestion_reject(
        actor=transition.world.koordinator, suggestion_id=rejected.pk, reason="Bukan PDP."
    )
    again = generate(transition)
    assert (again.created, again.total) == (0, 18)
    assert CrosswalkSuggestion.objects.count() == 18
    accepted.refresh_from_db()
    rejected.refresh_from_db()
    assert accepted.state == State.ACCEPTED and rejected.state == State.REJECTED
    more_old_evidence(transition, count=7)
    third = generate(transition)
    assert third.created > 0 and third.total == 18 + third.created


def test_evidence_already_linked_to_the_new_answer_is_not_suggested(transition):
    EvidenceLink.objects.create(
        answer=transition.new_answer("10"), evidence=transition.evidence[AUDIT], level=1
    )
    generate(transition)
    assert not CrosswalkSuggestion.objects.filter(
        indicator="10", evidence=transition.evidence[AUDIT]
    ).exists()


# --- accepting -----------------------------------------------------------------------------


def test_accepting_evidence_links_it_at_level_one_unless_told(transition):
    generate(transition)
    world = transition.world
    perwal = one(transition, "1", "evidence", title=PERWAL)
    services.suggestion_accept(actor=world.koordinator, suggestion_id=perwal.pk)
    tim = one(transition, "1", "evidence", title=TIM)
    services.suggestion_accept(actor=world.koordinator, suggestion_id=tim.pk, level=3)
    answer = transition.new_answer("1")
    links = set(EvidenceLink.objects.filter(answer=answer).values_list("evidence__title", "level"))
    assert links == {(PERWAL, 1), (TIM, 3)}
    assert answer.level is None  # the old levels (2, 3) are never carried
    perwal.refresh_from_db()
    assert (perwal.state, perwal.level, perwal.decided_by) == (State.ACCEPTED, 1, world.koordinator)
    assert perwal.decided_at is not None
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-4:] == ["evidence.link", "transition.accept"] * 2


def test_accepting_a_level_outside_the_scale_is_refused_and_nothing_changes(transition):
    generate(transition)
    perwal = one(transition, "1", "evidence", title=PERWAL)
    with pytest.raises(InvalidInput):
        services.suggestion_accept(
            actor=transition.world.koordinator, suggestion_id=perwal.pk, level=9
        )
    perwal.refresh_from_db()
    assert perwal.state == State.PENDING
    assert not EvidenceLink.objects.filter(answer=transition.new_answer("1")).exists()


def test_accepting_penjelasan_adds_it_as_a_draft_with_its_origin_and_never_the_level(transition):
    generate(transition)
    world = transition.world
    answer = transition.new_answer("1")
    answer = evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal("2"),
        explanation="Sudah ada RAN Pemdi daerah.",
    )
    row = one(transition, "1", "answer", old="13")
    services.suggestion_accept(
        actor=world.koordinator, suggestion_id=row.pk, expected_version=answer.version
    )
    answer.refresh_from_db()
    assert answer.explanation == (
        "Sudah ada RAN Pemdi daerah.\n\n"
        "[Dari SPBE 2020 (2025), indikator 13]\n"
        "Rencana dan anggaran SPBE terpadu dalam RKPD 2025."
    )
    assert answer.level == Decimal("2")  # unchanged: not the old 4
    assert answer.status == Answer.Status.DRAFT
    event = AuditEvent.objects.filter(action="answer.save").latest("seq")
    assert event.answer_id == answer.pk
    assert AuditEvent.objects.latest("seq").action == "transition.accept"


def test_a_level_cannot_be_sent_with_a_penjelasan_suggestion(transition):
    generate(transition)
    row = one(transition, "3", "answer", old="25")
    with pytest.raises(InvalidInput):
        services.suggestion_accept(
            actor=transition.world.koordinator,
            suggestion_id=row.pk,
            level=3,
            expected_version=transition.new_answer("3").version,
        )


def test_accept_all_of_an_indicator_saves_the_penjelasan_once(transition):
    generate(transition)
    answer = transition.new_answer("1")
    count = services.suggestions_accept_indicator(
        actor=transition.world.koordinator,
        period_id=transition.new.pk,
        indicator="1",
        level=2,
        expected_version=answer.version,
    )
    assert count == 7
    answer.refresh_from_db()
    assert answer.version == 2  # one save for the four penjelasan
    for origin in ("indikator 1]", "indikator 2]", "indikator 13]", "indikator 10]"):
        assert f"[Dari SPBE 2020 (2025), {origin}" in answer.explanation
    assert answer.level is None
    assert set(EvidenceLink.objects.filter(answer=answer).values_list("level", flat=True)) == {2}
    assert not CrosswalkSuggestion.objects.filter(indicator="1", state=State.PENDING).exists()
    with pytest.raises(InvalidInput):
        services.suggestions_accept_indicator(
            actor=transition.world.koordinator, period_id=transition.new.pk, indicator="1"
        )


# --- rejecting -----------------------------------------------------------------------------


def test_rejecting_keeps_the_reason_and_changes_nothing_else(transition):
    generate(transition)
    row = one(transition, "11", "evidence", title=AUDIT)
    services.suggestion_reject(
        actor=transition.world.koordinator, suggestion_id=row.pk, reason="  Bukan kriptografi. "
    )
    row.refresh_from_db()
    assert (row.state, row.reason, row.level) == (State.REJECTED, "Bukan kriptografi.", None)
    assert not EvidenceLink.objects.filter(answer=transition.new_answer("11")).exists()
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.reason) == ("transition.reject", "Bukan kriptografi.")
    with pytest.raises(InvalidTransition):
        services.suggestion_accept(actor=transition.world.koordinator, suggestion_id=row.pk)
    with pytest.raises(InvalidTransition):
        services.suggestion_reject(actor=transition.world.koordinator, suggestion_id=row.pk)


def test_a_suggestion_of_another_period_is_not_found_through_this_one(transition):
    generate(transition)
    row = one(transition, "11", "evidence", title=AUDIT)
    with pytest.raises(NotFound):
        services.suggestion_reject(
            actor=transition.world.koordinator, suggestion_id=row.pk, period_id=transition.old.pk
        )


# --- permissions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "error"),
    [
        ("operator", Forbidden),
        ("asesor_internal", Forbidden),
        ("asesor_eksternal", Forbidden),
        ("pimpinan", Forbidden),
        ("admin", Forbidden),  # manages periods but may neither edit answers nor link evidence
        ("outsider", NotFound),
    ],
)
def test_only_the_coordinator_handles_suggestions(transition, persona, error):
    world = transition.world
    user = world.personas()[persona]
    with pytest.raises(error):
        services.suggestions_generate(actor=user, period_id=transition.new.pk)
    generate(transition)
    row = one(transition, "3", "answer", old="25")
    version = transition.new_answer("3").version
    with pytest.raises(error):
        services.suggestion_accept(actor=user, suggestion_id=row.pk, expected_version=version)
    with pytest.raises(error):
        services.suggestion_reject(actor=user, suggestion_id=row.pk)
    with pytest.raises(error):
        services.suggestions_accept_indicator(
            actor=user, period_id=transition.new.pk, indicator="3", expected_version=version
        )
    row.refresh_from_db()
    assert row.state == State.PENDING
    assert transition.new_answer("3").explanation == ""


# --- concurrency and deadlines -------------------------------------------------------------


def test_an_answer_edited_in_between_answers_conflict_and_nothing_is_lost(transition):
    generate(transition)
    world = transition.world
    answer = transition.new_answer("3")
    seen = answer.version  # the coordinator opens the transition page
    evaluation_services.answer_save(  # meanwhile the operator writes the penjelasan
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=None,
        explanation="Pelatihan AI untuk 92% ASN (2026).",
    )
    row = one(transition, "3", "answer", old="25")
    with pytest.raises(Conflict) as raised:
        services.suggestion_accept(
            actor=world.koordinator, suggestion_id=row.pk, expected_version=seen
        )
    assert raised.value.extra["current"]["explanation"] == "Pelatihan AI untuk 92% ASN (2026)."
    answer.refresh_from_db()
    assert answer.explanation == "Pelatihan AI untuk 92% ASN (2026)."
    row.refresh_from_db()
    assert row.state == State.PENDING
    assert not AuditEvent.objects.filter(action="transition.accept").exists()
    with pytest.raises(InvalidInput):  # and without a version at all
        services.suggestion_accept(actor=world.koordinator, suggestion_id=row.pk)
    services.suggestion_accept(
        actor=world.koordinator, suggestion_id=row.pk, expected_version=answer.version
    )
    answer.refresh_from_db()
    assert answer.explanation.startswith("Pelatihan AI untuk 92% ASN (2026).\n\n[Dari SPBE 2020")


def test_after_the_self_assessment_closed_nothing_is_accepted(transition):
    generate(transition)
    world = transition.world
    evaluation_services.period_close_self_assessment(
        actor=world.koordinator, period_id=transition.new.pk
    )
    row = one(transition, "1", "evidence", title=PERWAL)
    with pytest.raises(DeadlinePassed):
        services.suggestion_accept(actor=world.koordinator, suggestion_id=row.pk)
    row.refresh_from_db()
    assert row.state == State.PENDING


# --- when there is nothing to carry over ---------------------------------------------------


def test_no_suggestions_when_the_previous_period_used_the_same_instrument(world):
    fill_old(world)
    same = new_period(world, previous=world.period, instrument="spbe-2020")
    assert selectors.transition_source(same) == (None, None)
    assert not selectors.transition_offered(same)
    with pytest.raises(InvalidInput):
        services.suggestions_generate(actor=world.koordinator, period_id=same.pk)
    assert not CrosswalkSuggestion.objects.exists()


def test_no_suggestions_when_no_crosswalk_leads_from_the_older_instrument(world):
    older = new_period(world, previous=None, instrument="spbe-2018", year=2019)
    Period.objects.filter(pk=world.period.pk).update(previous=older)
    world.period.refresh_from_db()
    assert not selectors.transition_offered(world.period)
    with pytest.raises(InvalidInput):
        services.suggestions_generate(actor=world.koordinator, period_id=world.period.pk)
    # Nor for a pemdi-2026 period whose previous is that spbe-2018 one.
    pemdi = new_period(world, previous=older, year=2026)
    assert selectors.transition_source(pemdi) == (None, None)


def test_without_previous_the_latest_earlier_period_under_the_older_instrument_is_used(world):
    fill_old(world)
    pemdi = new_period(world, previous=None)
    assert selectors.source_period(pemdi) == world.period
    result = services.suggestions_generate(actor=world.koordinator, period_id=pemdi.pk)
    assert result.created == 18


def test_the_fixture_builder_is_reusable(world):
    t = build_transition(world)
    assert t.new.instrument_id == "pemdi-2026" and t.old.instrument_id == "spbe-2020"

"""Stored scores: exactly the engine's, at the furthest stage, and never stale - whatever
changed the answers or the assessor passes, the next read shows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from benchmarking_support import document_review, evaluator, institutions, round_for
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monev.benchmarking import scores, selectors
from monev.benchmarking.models import PeriodScore
from monev.evaluations import services, stages
from monev.evaluations.models import Answer, AssessorPass
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.selectors import ScoreStage, stage_scores
from monev.evaluations.selectors import stage_values as cycle_stage_values

pytestmark = pytest.mark.django_db


def _engine(period, stage):
    """The index the period's own pages show at a stage (monev.evaluations.selectors)."""
    answers = list(period.answers.order_by("position"))
    passes = {}
    for p in AssessorPass.objects.filter(answer__period=period):
        passes.setdefault(p.answer_id, {})[p.stage] = p
    values = [cycle_stage_values(a, passes.get(a.pk, {})) for a in answers]
    return stage_scores(instrument_of(period), values, [a.indicator for a in answers])[stage]


def _ranking_row(user, institution, **filters):
    ranking = selectors.ranking(user, **filters)
    return next(r for r in ranking.rows if r.institution.pk == institution.pk)


def _save(world, indicator, level):
    answer = world.answer(indicator)
    return services.answer_save(
        actor=world.koordinator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation="Penjelasan.",
    )


def test_the_stored_score_is_the_engines_at_each_stage(world):
    national = evaluator("nasional")
    for n, answer in enumerate(world.period.answers.order_by("position")):
        _save(world, answer.indicator, str(1 + n % 5))
    row = _ranking_row(national, world.institution, year=2025, instrument_id="spbe-2020")
    expected = _engine(world.period, ScoreStage.SELF)
    assert row.stage == stages.SELF
    assert row.index == expected.result.index.reported
    stored = PeriodScore.objects.get(period=world.period)
    assert stored.index_exact == scores.exact_str(expected.result.index.exact)
    assert stored.aspects == {a.code: str(a.score.reported) for a in expected.result.aspects}
    assert stored.predicate == str(expected.result.predicate.name)
    assert (stored.given, stored.total) == (47, 47)

    # Every answer verified (as the cycle does), then judged at the document review.
    Answer.objects.filter(period=world.period).update(
        status=Answer.Status.FINAL, verified_level=Decimal(3)
    )
    world.period.answers.filter(indicator="1").update(verified_level=Decimal(2))
    row = _ranking_row(national, world.institution, year=2025, instrument_id="spbe-2020")
    assert row.stage == stages.VERIFIED
    assert row.index == _engine(world.period, ScoreStage.VERIFIED).result.index.reported
    document_review(world.period, "4")
    AssessorPass.objects.filter(answer=world.answer("2"), stage="document_review").update(
        level=Decimal("1")
    )
    row = _ranking_row(national, world.institution, year=2025, instrument_id="spbe-2020")
    assert row.stage == stages.DOCUMENT
    assert row.index == _engine(world.period, ScoreStage.PROVISIONAL).result.index.reported


def test_an_incomplete_stage_is_not_the_headline(world):
    """Document-review judgements on some answers only: the ranking stays on the verified
    levels, which every answer has."""
    Answer.objects.filter(period=world.period).update(
        status=Answer.Status.FINAL, level=Decimal(2), verified_level=Decimal(2)
    )
    AssessorPass.objects.create(answer=world.answer("1"), stage="document_review", level=Decimal(5))
    row = _ranking_row(evaluator("n"), world.institution, year=2025)
    assert row.stage == stages.VERIFIED and row.index == Decimal("2.00")


def test_an_answer_saved_through_the_services_shows_on_the_next_view(world):
    national = evaluator("nasional")
    _save(world, "1", "3")
    first = _ranking_row(national, world.institution, year=2025).index
    _save(world, "1", "5")
    second = _ranking_row(national, world.institution, year=2025).index
    assert second > first
    assert second == _engine(world.period, ScoreStage.SELF).result.index.reported


def test_changes_that_bypass_updated_at_are_seen_too(world):
    """Closing the self-assessment uses bulk_update (no updated_at); a pass deleted leaves
    no row to date; a level written by hand changes no version: all change the stamp."""
    national = evaluator("nasional")
    Answer.objects.filter(period=world.period).update(level=Decimal(2), verified_level=Decimal(2))
    document_review(world.period, "4")
    assert _ranking_row(national, world.institution, year=2025).index == Decimal("4.00")
    AssessorPass.objects.filter(answer__period=world.period).delete()
    row = _ranking_row(national, world.institution, year=2025)
    assert (row.stage, row.index) == (stages.VERIFIED, Decimal("2.00"))
    Answer.objects.filter(period=world.period).update(verified_level=None, level=Decimal(3))
    assert _ranking_row(national, world.institution, year=2025).index == Decimal("3.00")
    stamp = PeriodScore.objects.get(period=world.period).stamp
    services.period_close_self_assessment(actor=world.koordinator, period_id=world.period.pk)
    selectors.ranking(national, year=2025)
    assert PeriodScore.objects.get(period=world.period).stamp != stamp


def test_only_stale_periods_are_recomputed(django_assert_num_queries):
    members = institutions(6)
    periods = round_for(members)
    national = evaluator("nasional")
    selectors.ranking(national)  # stores all six
    computed = dict(PeriodScore.objects.values_list("period_id", "computed_at"))
    Answer.objects.filter(period=periods[0], indicator="1").update(level=Decimal(1), version=9)
    with CaptureQueriesContext(connection) as stale_read:
        selectors.ranking(national)
    after = dict(PeriodScore.objects.values_list("period_id", "computed_at"))
    assert [p for p in after if after[p] != computed[p]] == [periods[0].pk]
    with CaptureQueriesContext(connection) as fresh_read:
        selectors.ranking(national)
    assert len(stale_read) > len(fresh_read)  # the recomputation's few queries


def test_refresh_all_recomputes_every_period():
    round_for(institutions(3))
    assert scores.refresh_all() == 3
    assert PeriodScore.objects.count() == 3


def test_the_refresh_command(capsys):
    from django.core.management import call_command

    round_for(institutions(2))
    call_command("refresh_scores")
    assert "2 period scores recomputed" in capsys.readouterr().out


def test_unchanged_tables_skip_the_check_and_a_change_elsewhere_recomputes_nothing():
    members = institutions(4)
    periods = round_for(members[:3])
    other = round_for(members[3:], year=2024)[0]
    national = evaluator("nasional")
    selectors.ranking(national, year=2025)
    with CaptureQueriesContext(connection) as fast:
        selectors.ranking(national, year=2025)
    confirmed = set(
        PeriodScore.objects.filter(period__in=periods).values_list("confirmed", flat=True)
    )
    assert confirmed == {scores.table_stamp()}
    computed = dict(PeriodScore.objects.values_list("period_id", "computed_at"))
    Answer.objects.filter(period=other, indicator="1").update(level=Decimal(5), version=7)
    with CaptureQueriesContext(connection) as checked:
        selectors.ranking(national, year=2025)
    assert len(checked) == len(fast) + 3  # two period stamps, one confirmation
    assert dict(
        PeriodScore.objects.filter(period__in=periods).values_list("period_id", "computed_at")
    ) == {p.pk: computed[p.pk] for p in periods}
    confirmed = set(
        PeriodScore.objects.filter(period__in=periods).values_list("confirmed", flat=True)
    )
    assert confirmed == {scores.table_stamp()}


def test_a_score_is_not_confirmed_once_its_period_changed():
    """The confirmation names the stamp it found: a score stored meanwhile from other inputs
    keeps its own table stamp and is checked again on the next read."""
    (period,) = round_for(institutions(1))
    national = evaluator("nasional")
    selectors.ranking(national, year=2025)
    stored = PeriodScore.objects.get(period=period)
    PeriodScore.objects.filter(pk=stored.pk).update(stamp="older", confirmed="older")
    Answer.objects.filter(period=period, indicator="2").update(version=5)
    selectors.ranking(national, year=2025)
    fresh = PeriodScore.objects.get(period=period)
    assert fresh.stamp not in ("older", stored.stamp) and fresh.confirmed == scores.table_stamp()


def test_the_ranking_page_shows_a_saved_answer_on_the_next_view(world):
    from django.test import Client

    client = Client()
    client.force_login(evaluator("nasional"))
    url = "/evaluasi-nasional/peringkat/?year=2025&instrument=spbe-2020"
    _save(world, "1", "1")
    assert "1,00" in client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    for answer in world.period.answers.order_by("position"):
        _save(world, answer.indicator, "4")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "4,00" in html and "1,00" not in html

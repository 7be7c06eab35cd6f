"""The leader's one-minute view (reports.leader, /laporan/periode/ID/pimpinan/): the index now
against the target and last year with why they differ, three sentences, the plan's biggest
gains, the units behind schedule; who may see it; where a pimpinan lands; constant queries;
and the one-page PDF stating the same figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from leader_support import grow, published, ready, summary_of
from pdf_support import pdf_text

from monev.evaluations import services
from monev.evaluations.models import Answer, AssessorPass, Period, PublishedResult
from monev.institutions.access import access_for
from monev.institutions.clock import set_clock
from monev.institutions.models import Role
from monev.planning import services as planning_services
from monev.reports.leader import TOP_GAINS, step_gain
from monev.reports.pdf import period_summary_pdf
from people_support import grant

pytestmark = pytest.mark.django_db

# The institution's clock (monev.institutions.clock) stands on this day: a week after the
# evidence deadline the plan's due dates run up to, long before the self-assessment closes.
STORY_DAY = datetime(2025, 8, 25, 3, 0, tzinfo=UTC)


@pytest.fixture
def on_story_day(world):
    set_clock(world.institution, STORY_DAY)
    world.period.institution.refresh_from_db()
    return world


def page(client, world, user=None):
    client.force_login(user or world.pimpinan)
    response = client.get(reverse("reports:leader", args=[world.period.pk]))
    assert response.status_code == 200
    return response.content.decode()


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the figures ------------------------------------------------------------------------------


def test_the_screen_shows_the_index_the_target_and_last_years_result(client, on_story_day):
    world = on_story_day
    ready(world)
    html = page(client, world)
    assert '<strong class="leader-big" data-figure="index">2,87</strong>' in html
    assert '<strong class="leader-big" data-figure="target">3,20</strong>' in html
    assert '<strong class="leader-big" data-figure="last-year">2,75</strong>' in html
    assert "Baik" in html  # the predicate of the index now and of the target
    assert "0,33" in html  # the gap to the target, exact
    assert "+0,12" in html  # since last year (same instrument)
    assert reverse("reports:summary_pdf", args=[world.period.pk]) in html  # its printable twin


def test_the_headline_is_the_dashboards(on_story_day):
    world = on_story_day
    ready(world)
    head = summary_of(world).headline
    assert (head.stage, head.index, head.predicate) == ("self", Decimal("2.87"), "Baik")
    assert head.gap.shortfall == Fraction(33, 100)
    assert (head.last_year.source, head.last_year.index, head.change) == (
        "published",
        Decimal("2.75"),
        Decimal("0.12"),
    )


def test_the_gap_is_split_into_the_aspects_it_lies_in_exactly(on_story_day):
    world = on_story_day
    ready(world)
    head = summary_of(world).headline
    parts = head.gap_parts
    assert parts and all(p.share > 0 for p in parts)
    assert [p.share for p in parts] == sorted((p.share for p in parts), reverse=True)
    # With every aspect below the target, the parts add up to the whole gap.
    assert sum(p.share for p in parts) == head.gap.shortfall


# --- why the figures differ -------------------------------------------------------------------


def codes(summary) -> list[str]:
    return [d.code for d in summary.headline.differences]


def test_it_explains_that_last_years_published_result_is_at_another_stage(client, on_story_day):
    world = on_story_day
    ready(world)
    summary = summary_of(world)
    assert codes(summary) == ["not_final", "stage"]
    assert "published" in summary.headline.differences[1].text
    assert 'data-difference="stage"' in page(client, world)


def test_it_explains_that_last_year_was_measured_with_another_instrument(client, on_story_day):
    world = on_story_day
    ready(world)
    PublishedResult.objects.filter(institution=world.institution).delete()
    published(world, "2.60", instrument="spbe-2018")
    summary = summary_of(world)
    assert codes(summary) == ["not_final", "stage", "instrument"]
    assert "SPBE 2018" in summary.headline.differences[2].text
    assert summary.headline.change is None  # not compared across instruments
    assert "measured with SPBE 2018 and is not compared directly" in summary.sentences[0]
    assert 'data-difference="instrument"' in page(client, world)


def test_a_previous_period_on_another_instrument_is_named_with_its_stage(on_story_day):
    world = on_story_day
    ready(world)
    pemdi = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="pemdi-2026",
        carry_over_from=world.period.pk,
        milestones={"self_assessment_open": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    Answer.objects.filter(period=pemdi).update(level=Decimal("3"))
    world.period = pemdi
    summary = summary_of(world)
    last = summary.headline.last_year
    assert (last.source, last.year, last.stage) == ("period", 2025, "self")
    assert codes(summary) == ["not_final", "instrument"]  # both self-assessed: same stage


def test_a_final_result_against_a_published_one_needs_no_explanation(on_story_day):
    world = on_story_day
    ready(world)
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage=AssessorPass.Stage.FINAL, level=Decimal(3))
        for a in world.period.answers.all()
    )
    summary = summary_of(world)
    assert (summary.headline.stage, summary.headline.index) == ("final", Decimal("3.00"))
    assert codes(summary) == []


def test_it_says_how_many_indicators_have_no_value_yet(on_story_day):
    world = on_story_day
    ready(world, with_plan=False)
    Answer.objects.filter(period=world.period, indicator__in=["1", "2"]).update(level=None)
    summary = summary_of(world)
    assert "incomplete" in codes(summary)
    assert "2 of the 47 indicators have no value" in summary.headline.differences[1].text


# --- the three sentences ----------------------------------------------------------------------


def test_the_three_sentences_say_where_we_stand_the_gap_and_what_is_next(on_story_day):
    world = on_story_day
    ready(world)
    summary = summary_of(world)
    where, gap, next_ = summary.sentences
    assert where == (
        "The Indeks SPBE stands at 2.87 (Baik, Self-assessed): +0.12 against 2.75 in 2024."
    )
    assert gap.startswith("The index is 0.33 below the target 3.20, most of it in ")
    steps = len(summary.open_steps)
    assert f"; the plan's {steps} open steps would add " in gap and gap.endswith(".")
    behind = len(summary.behind)
    closes = date(2099, 1, 1)  # the world's self-assessment closes
    with translation.override("en"):
        day = date_format(closes, "DATE_FORMAT")
    days = (closes - date(2025, 8, 25)).days
    assert next_ == (
        f"Next: Self-assessment closes on {day}, in {days} days; "
        f"{behind} units are behind schedule, with {summary.behind_overdue} overdue items."
    )


def test_the_page_shows_the_sentences_in_the_ui_language(client, on_story_day):
    world = on_story_day
    ready(world)
    html = page(client, world)
    for sentence in summary_of(world, language="id").sentences:
        assert escape(sentence) in html


def test_the_sentences_say_when_there_is_no_target_no_plan_and_nothing_behind(on_story_day):
    world = on_story_day
    ready(world, with_plan=False)
    world.period.milestones.filter(kind="evidence_deadline").delete()
    Period.objects.filter(pk=world.period.pk).update(target=None)
    _where, gap, next_ = summary_of(world).sentences
    assert gap == "No target index is set for this period; no plan has been computed yet."
    assert next_.endswith("; no unit is behind schedule.")


# --- the biggest gains ------------------------------------------------------------------------


def test_it_lists_the_ten_biggest_gains_with_their_units_and_due_dates(client, on_story_day):
    world = on_story_day
    ready(world)
    summary = summary_of(world)
    assert len(summary.steps) > TOP_GAINS
    gains = [step.gain for step in summary.steps]
    assert gains == sorted(gains, reverse=True) and gains[0] > gains[-1]
    assert [s.gain for s in summary.gains] == gains[:TOP_GAINS]
    html = page(client, world)
    assert html.count('<li class="leader-gain') == TOP_GAINS
    for step in summary.gains:
        item = step.item
        assert f'id="gain-{item.pk}"' in html
        assert f'<time datetime="{item.due_date:%Y-%m-%d}">' in html
        assert step.overdue  # due by the evidence deadline, a week ago on the story's day
    assert "Dinas A" in html or "Dinas B" in html


def test_a_steps_gain_is_its_weight_share_times_the_levels_it_climbs(on_story_day):
    world = on_story_day
    ready(world)
    summary = summary_of(world)
    step = next(s for s in summary.steps if s.item.answer.indicator == "1")
    # Indicator 1 weighs 1.3 of 100; each step climbs one level.
    climb = step.item.to_level - Fraction(step.item.from_level)
    assert step.gain == Fraction(13, 1000) * climb
    assert step_gain(summary.instrument, step.item) == step.gain


def test_a_done_step_stays_in_the_list_marked_done(client, on_story_day):
    world = on_story_day
    ready(world)
    top = summary_of(world).gains[0].item
    planning_services.action_item_complete(actor=world.koordinator, item_id=top.pk)
    summary = summary_of(world)
    assert summary.gains[0].item.pk == top.pk and summary.gains[0].done
    assert not summary.gains[0].overdue and summary.done == 1
    assert f'class="leader-gain done" id="gain-{top.pk}"' in page(client, world)


def test_without_a_plan_it_says_so_and_links_to_the_plan_page(client, on_story_day):
    world = on_story_day
    ready(world, with_plan=False)
    html = page(client, world)
    assert 'id="no-plan"' in html
    assert f'href="{reverse("planning:plan", args=[world.period.pk])}"' in html
    assert "leader-gain" not in html


def test_an_operator_sees_only_their_units_steps_and_dues(on_story_day):
    world = on_story_day
    ready(world)
    summary = summary_of(world, world.operator)
    assert summary.steps and {s.item.unit_id for s in summary.steps} == {world.unit_a.pk}
    assert [b.name for b in summary.behind] == ["Dinas A"]
    assert [u.pk for u in summary.scope_units] == [world.unit_a.pk]


# --- units behind schedule --------------------------------------------------------------------


def test_units_behind_schedule_come_from_the_deadline_view(client, on_story_day):
    world = on_story_day
    ready(world)
    summary = summary_of(world)
    owing = {g.name: g.overdue for g in summary.deadlines.units if g.overdue}
    assert {b.name: b.overdue for b in summary.behind} == owing
    assert [b.overdue for b in summary.behind] == sorted(owing.values(), reverse=True)
    unit_a = next(b for b in summary.behind if b.unit and b.unit.pk == world.unit_a.pk)
    assert unit_a.actions == sum(1 for s in summary.steps if s.item.unit_id == world.unit_a.pk)
    html = page(client, world)
    assert reverse("planning:deadlines", args=[world.period.pk]) in html
    assert "Dinas A" in html


# --- who sees it ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pimpinan", 200),
        ("koordinator", 200),
        ("operator", 200),
        ("asesor_internal", 200),
        ("admin", 200),
        ("outsider", 404),
    ],
)
def test_who_may_open_it(client, world, persona, status):
    ready(world)
    client.force_login(world.personas()[persona])
    response = client.get(reverse("reports:leader", args=[world.period.pk]))
    assert response.status_code == status
    if status == 404:
        assert world.institution.name not in response.content.decode()


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("reports:leader", args=[world.period.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_it_is_a_tab_of_the_period(client, world):
    client.force_login(world.koordinator)
    overview = client.get(reverse("evaluations:overview", args=[world.period.pk]))
    assert reverse("reports:leader", args=[world.period.pk]) in overview.content.decode()
    html = page(client, world)
    tab = f'<a href="{reverse("reports:leader", args=[world.period.pk])}" aria-current="page">'
    assert tab in html


# --- where a pimpinan lands -------------------------------------------------------------------


def test_a_pimpinan_lands_on_it_after_signing_in(client, world, password):
    response = client.post("/masuk/", {"username": "pimpinan", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:leader", args=[world.period.pk])
    assert response.status_code == 200


def test_a_pimpinan_lands_on_the_latest_period(client, world):
    newer = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="spbe-2020",
        milestones={"self_assessment_open": datetime(2026, 1, 1, tzinfo=UTC)},
    )
    client.force_login(world.pimpinan)
    assert client.get("/")["Location"] == reverse("reports:leader", args=[newer.pk])


def test_other_roles_still_land_on_their_periods(client, world):
    grant(world.asesor_internal, world.institution, Role.PIMPINAN)  # pimpinan and more
    for user in (world.koordinator, world.operator, world.asesor_internal):
        client.force_login(user)
        assert client.get("/")["Location"] == "/periode/"


def test_a_pimpinan_of_two_institutions_chooses_on_the_period_list(client, world):
    grant(world.pimpinan, world.other_institution, Role.PIMPINAN)
    client.force_login(world.pimpinan)
    assert client.get("/")["Location"] == "/periode/"


def test_a_pimpinan_without_a_period_lands_on_the_period_list(client, world):
    world.period.delete()
    client.force_login(world.pimpinan)
    assert client.get("/")["Location"] == "/periode/"


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["pimpinan", "operator"])
def test_the_page_runs_as_many_queries_however_much_data(
    client, on_story_day, persona, django_assert_num_queries
):
    world = on_story_day
    ready(world)
    client.force_login(world.personas()[persona])
    url = reverse("reports:leader", args=[world.period.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    before = len(summary_of(world).steps)
    grow(world)
    assert len(summary_of(world).steps) > before
    with django_assert_num_queries(len(small)):
        assert client.get(url).status_code == 200
    assert len(small) <= 25, f"{len(small)} queries"


# --- the printable twin -----------------------------------------------------------------------


def test_the_one_page_pdf_states_the_same_figures_and_sentences(on_story_day):
    world = on_story_day
    ready(world)
    access = access_for(world.pimpinan, world.institution.pk)
    (text,) = pdf_text(period_summary_pdf(world.period, access))
    text = flat(text)
    for figure in ("2,87", "3,20", "2,75", "0,33"):
        assert figure in text
    summary = summary_of(world, language="id")
    for sentence in summary.sentences:
        assert flat(sentence) in text
    for step in summary.gains:
        assert step.item.label[:20] in text


def test_the_one_page_pdf_stays_one_page_on_pemdi_with_every_note_and_a_plan(on_story_day):
    world = on_story_day
    ready(world)
    pemdi = services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="pemantauan",
        instrument="pemdi-2026",
        target=Decimal("4.00"),
        carry_over_from=world.period.pk,
        milestones={"self_assessment_open": datetime(2025, 8, 1, tzinfo=UTC)},
    )
    Answer.objects.filter(period=pemdi).update(level=Decimal("2"))
    Answer.objects.filter(period=pemdi, position__lte=3).update(level=None)
    planning_services.plan_create(actor=world.koordinator, period_id=pemdi.pk)
    world.period = pemdi
    summary = summary_of(world, language="id")
    assert len(summary.gains) == TOP_GAINS
    assert codes(summary) == ["not_final", "incomplete", "instrument"]
    access = access_for(world.pimpinan, world.institution.pk)
    (text,) = pdf_text(period_summary_pdf(pemdi, access))
    assert "Halaman 1 dari 1" in text

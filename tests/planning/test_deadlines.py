"""The deadline view (/rencana/periode/ID/tenggat/ and GET /api/v1/periods/ID/deadlines): the
milestones with days left and since, what each unit owes with its due date and the overdue
marked, sorted by date or unit name; an operator's own units; permissions per role; constant
query counts; reachable from the overview and the period's tabs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from planning_support import planned, ready

from api_support import Api
from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Answer, AnswerUnit
from monev.institutions.models import Unit
from monev.planning.deadlines import Kind, deadline_view
from monev.planning.models import ActionItem

pytestmark = pytest.mark.django_db

PERSONAS = [
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
]


def url(world, **query) -> str:
    return reverse("planning:deadlines", args=[world.period.pk])


def today():
    return timezone.localdate()


def milestone(world, kind: str, days: int) -> None:
    """A milestone `days` from today (negative: past), at noon in Jakarta."""
    day = today() + timedelta(days=days)
    when = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)
    evaluation_services.milestone_set(
        actor=world.koordinator, period_id=world.period.pk, kind=kind, due_at=when
    )


def scene(world):
    """Levels 2 everywhere (no evidence: readiness errors), a plan; unit B's actions due
    before unit A's, one of B's overdue; the evidence deadline in 10 days, mentoring 5 days
    ago."""
    ready(world)
    plan = planned(world, "2.20")
    items = list(plan.items.order_by("position"))
    for item in items:
        unit_a = item.unit_id == world.unit_a.pk
        item.due_date = today() + timedelta(days=20 if unit_a else 3)
    b_items = [i for i in items if i.unit_id == world.unit_b.pk]
    assert b_items and len(b_items) < len(items)
    b_items[0].due_date = today() - timedelta(days=2)
    ActionItem.objects.bulk_update(items, ["due_date"])
    milestone(world, "evidence_deadline", 10)
    milestone(world, "mentoring", -5)
    return plan, b_items[0]


# --- the selector ----------------------------------------------------------------------------


def test_it_lists_what_each_unit_owes_with_dates_and_marks_the_overdue(world):
    _plan, late = scene(world)
    access = _access(world, world.koordinator)
    view = deadline_view(world.period, access)
    by_code = {g.unit.code if g.unit else None: g for g in view.units}
    assert set(by_code) == {"A", "B", None}  # None: the answers no unit answers for
    unit_b = by_code["B"]
    kinds = {d.kind for d in unit_b.dues}
    assert kinds == {Kind.ANSWER, Kind.READINESS, Kind.ACTION}
    overdue = [d for d in unit_b.dues if d.overdue]
    assert [d.item.pk for d in overdue] == [late.pk] and overdue[0].days == -2
    assert unit_b.dues[0].item.pk == late.pk  # soonest (overdue) first
    assert [d.due for d in unit_b.dues] == sorted(d.due for d in unit_b.dues)
    readiness = next(d for d in unit_b.dues if d.kind == Kind.READINESS)
    assert readiness.errors == 1 and readiness.days == 10  # no_evidence, at the deadline
    entries = {entry.milestone.kind: entry for entry in view.timeline}
    assert entries["mentoring"].passed and entries["mentoring"].days == -5
    assert entries["evidence_deadline"].next and entries["evidence_deadline"].days == 10
    assert [e.day for e in view.timeline] == sorted(e.day for e in view.timeline)


def test_it_sorts_units_by_due_date_or_by_name(world):
    scene(world)
    access = _access(world, world.koordinator)
    by_due = [g.unit.code if g.unit else None for g in deadline_view(world.period, access).units]
    assert by_due.index("B") < by_due.index("A")  # B's overdue action comes first
    by_name = deadline_view(world.period, access, sort="unit").units
    assert [g.unit.code if g.unit else None for g in by_name] == ["A", "B", None]


def test_a_units_extension_moves_its_answers_due_date(world):
    from monev.evaluations.models import DeadlineExtension

    scene(world)
    milestone(world, "self_assessment_close", 1)
    DeadlineExtension.objects.create(
        period=world.period,
        unit=world.unit_a,
        until=timezone.now() + timedelta(days=14),
        reason="Banjir",
        granted_at=timezone.now(),
    )
    view = deadline_view(world.period, _access(world, world.koordinator))
    due = {
        g.unit.code: {d.due for d in g.dues if d.kind == Kind.ANSWER} for g in view.units if g.unit
    }
    assert due["A"] == {today() + timedelta(days=14)}
    assert due["B"] == {today() + timedelta(days=1)}


def _access(world, user):
    from monev.institutions.access import access_for

    return access_for(user, world.institution.pk)


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_the_timeline_and_the_dues_with_links(client, world):
    _plan, late = scene(world)
    client.force_login(world.koordinator)
    response = client.get(url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 hari lalu" in html and "10 hari lagi" in html
    assert 'aria-current="step"' in html
    assert "2 hari terlambat" in html  # the overdue action
    assert f"#action-item-{late.pk}" in html
    answer = Answer.objects.get(period=world.period, indicator="1")
    assert reverse("answers:detail", args=[answer.pk]) in html
    assert reverse("evidence:readiness", args=[world.period.pk]) in html
    assert html.index("Dinas B") < html.index("Dinas A")
    by_name = client.get(url(world), {"sort": "unit"}).content.decode()
    assert by_name.index("Dinas A") < by_name.index("Dinas B")


def test_a_bad_sort_is_said_and_the_view_stays(client, world):
    scene(world)
    client.force_login(world.koordinator)
    response = client.get(url(world), {"sort": "tanggal"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Urutan tidak dikenal" in html and "Dinas A" in html


def test_an_operator_sees_only_their_unit(client, world):
    scene(world)
    client.force_login(world.operator)
    html = client.get(url(world)).content.decode()
    assert "Dinas A" in html and "Dinas B" not in html
    assert "Tanpa unit penanggung jawab" not in html


@pytest.mark.parametrize("role", [*PERSONAS, "outsider", "anonymous"])
def test_the_page_answers_by_role(client, world, role):
    scene(world)
    if role != "anonymous":
        client.force_login(world.personas()[role])
    expected = {"outsider": 404, "anonymous": 302}.get(role, 200)
    assert client.get(url(world)).status_code == expected


def test_it_is_one_click_from_the_overview_and_a_tab_of_the_period(client, world):
    scene(world)
    client.force_login(world.pimpinan)
    overview = client.get(reverse("evaluations:overview", args=[world.period.pk]))
    html = overview.content.decode()
    assert "data-deadlines-link" in html and url(world) in html
    page = client.get(url(world)).content.decode()
    assert f'href="{url(world)}" aria-current="page"' in page
    plan = reverse("planning:plan", args=[world.period.pk])
    assert f'href="{plan}" aria-current' not in page


# --- the API ---------------------------------------------------------------------------------


def test_the_api_gives_the_same_view(world):
    _plan, late = scene(world)
    api = Api.token(world.koordinator)
    body = api.ok("get", f"/periods/{world.period.pk}/deadlines")
    assert body["sort"] == "due" and body["today"] == today().isoformat()
    timeline = {m["kind"]: m for m in body["timeline"]}
    assert timeline["mentoring"]["days"] == -5 and timeline["evidence_deadline"]["next"] is True
    codes = [u["unit"]["code"] if u["unit"] else None for u in body["units"]]
    assert codes.index("B") < codes.index("A")
    unit_b = body["units"][codes.index("B")]
    first = unit_b["dues"][0]
    assert first["kind"] == "action" and first["action_item_id"] == late.pk
    assert first["overdue"] is True and first["days"] == -2
    assert unit_b["overdue"] == 1 and unit_b["with_readiness_errors"] == 5
    by_name = api.ok("get", f"/periods/{world.period.pk}/deadlines?sort=unit")
    assert [u["unit"]["code"] for u in by_name["units"][:2]] == ["A", "B"]
    assert api.get(f"/periods/{world.period.pk}/deadlines", sort="x").status_code == 422


@pytest.mark.parametrize("role", [*PERSONAS, "outsider", "anonymous"])
def test_the_api_answers_by_role(world, role):
    scene(world)
    api = Api.anonymous() if role == "anonymous" else Api.token(world.personas()[role])
    response = api.get(f"/periods/{world.period.pk}/deadlines")
    assert response.status_code == {"outsider": 404, "anonymous": 401}.get(role, 200)
    if role in ("operator", "operator_b"):
        own = "A" if role == "operator" else "B"
        assert {u["unit"]["code"] for u in response.json()["units"]} == {own}


# --- constant queries ------------------------------------------------------------------------


def grow(world, units: int = 12) -> None:
    """More units answering more indicators, a bigger plan."""
    new = Unit.objects.bulk_create(
        Unit(institution=world.institution, code=f"X{n:02}", name=f"Dinas X{n}")
        for n in range(units)
    )
    answers = list(world.period.answers.order_by("position")[10:30])
    AnswerUnit.objects.bulk_create(
        AnswerUnit(answer=a, unit=new[i % units]) for i, a in enumerate(answers)
    )
    plan = planned(world, "3.20", locked=[])
    ActionItem.objects.filter(plan=plan).update(due_date=today() + timedelta(days=4))


def test_the_page_and_the_api_read_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    scene(world)
    client.force_login(world.koordinator)
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/deadlines"
    # session, user, period, memberships; milestones, answers, unit links, evidence links,
    # versions, the files' other evidence, extensions, open actions
    with django_assert_num_queries(12):
        small = client.get(url(world))
    with django_assert_num_queries(12):
        api.get(path)
    before = ActionItem.objects.filter(plan__status="active").count()
    grow(world)
    assert ActionItem.objects.filter(plan__status="active").count() > before
    with django_assert_num_queries(12):
        large = client.get(url(world))
    with django_assert_num_queries(12):
        body = api.get(path).json()
    assert len(large.content) > len(small.content)
    assert len(body["units"]) > 10

"""A new period starts from its instrument's default schedule (issue 15, point 6): pemdi-2026
periods get the 2026 national schedule in their own year, in the deployment's time zone, from
the service, the page and the API, without the milestones already past when the period is
created; milestones given explicitly replace it; spbe-2020 keeps starting without milestones.
The schedule's milestones are ordinary milestones, editable per period."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from api_support import Api
from monev.audit.models import AuditEvent
from monev.core.model import MILESTONE_KINDS
from monev.evaluations import services
from monev.evaluations.models import Milestone, Period

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
BEFORE_2026 = datetime(2026, 5, 1, tzinfo=WIB)  # a period created before the 2026 cycle


def national(year: int) -> dict[str, datetime]:
    return {
        "self_assessment_open": datetime(year, 8, 1, 0, 0, tzinfo=WIB),
        "evidence_deadline": datetime(year, 9, 15, 23, 59, tzinfo=WIB),
        "self_assessment_close": datetime(year, 9, 15, 23, 59, tzinfo=WIB),
        "document_review": datetime(year, 9, 20, 23, 59, tzinfo=WIB),
        "interview": datetime(year, 9, 30, 23, 59, tzinfo=WIB),
        "visitation": datetime(year, 10, 30, 23, 59, tzinfo=WIB),
        "announcement": datetime(year, 12, 15, 23, 59, tzinfo=WIB),
    }


NATIONAL_2026 = national(2026)


def next_year() -> int:
    """A year whose schedule lies wholly ahead, for the page and the API (no clock to set)."""
    return timezone.localdate().year + 1


def create(world, instrument="pemdi-2026", year=2026, now=BEFORE_2026, **options) -> Period:
    return services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=year,
        kind="evaluasi",
        instrument=instrument,
        now=now,
        **options,
    )


def due(period: Period) -> dict[str, datetime]:
    return {m.kind: m.due_at for m in period.milestones.all()}


def test_the_application_knows_every_milestone_kind_a_schedule_may_name():
    assert set(MILESTONE_KINDS) == set(Milestone.Kind.values)


def test_a_new_pemdi_period_starts_from_the_national_schedule(world):
    period = create(world)
    assert due(period) == NATIONAL_2026
    interview = period.milestones.get(kind="interview")
    assert "21" in interview.title and "30 September" in interview.title
    event = AuditEvent.objects.get(action="period.create", period_id=period.pk)
    assert event.after["schedule"] == "pemdi-2026@2"
    assert set(event.after["milestones"]) == set(NATIONAL_2026)


def test_the_schedule_is_placed_in_the_periods_own_year(world):
    period = create(world, year=2028)
    assert due(period)["self_assessment_open"] == datetime(2028, 8, 1, 0, 0, tzinfo=WIB)
    assert due(period)["announcement"] == datetime(2028, 12, 15, 23, 59, tzinfo=WIB)


def test_milestones_already_past_when_the_period_is_created_are_left_out(world):
    # Created on 16 September 2026: the self-assessment is over, so nothing locks the
    # answers at once; the assessors' stages still ahead are kept.
    period = create(world, now=datetime(2026, 9, 16, 9, 0, tzinfo=WIB))
    assert set(due(period)) == {"document_review", "interview", "visitation", "announcement"}
    late = create(world, year=2027, now=datetime(2028, 1, 2, tzinfo=WIB))
    assert due(late) == {}
    event = AuditEvent.objects.get(action="period.create", period_id=late.pk)
    assert "schedule" not in event.after


def test_the_schedule_uses_the_deployments_time_zone(world, settings):
    settings.TIME_ZONE = "Asia/Makassar"  # WITA, an hour ahead of WIB
    period = create(world)
    wita = ZoneInfo("Asia/Makassar")
    assert due(period)["self_assessment_open"] == datetime(2026, 8, 1, 0, 0, tzinfo=wita)
    assert due(period)["self_assessment_close"] == datetime(2026, 9, 15, 23, 59, tzinfo=wita)


def test_milestones_given_explicitly_replace_the_schedule(world):
    given = datetime(2026, 7, 31, 16, 0, tzinfo=WIB)
    period = create(world, milestones={"self_assessment_close": given})
    assert due(period) == {"self_assessment_close": given}
    event = AuditEvent.objects.get(action="period.create", period_id=period.pk)
    assert "schedule" not in event.after


def test_a_period_can_start_without_the_schedule(world):
    assert due(create(world, use_schedule=False)) == {}


def test_spbe_2020_periods_still_start_without_milestones(world):
    period = create(world, instrument="spbe-2020")
    assert due(period) == {}
    event = AuditEvent.objects.get(action="period.create", period_id=period.pk)
    assert "schedule" not in event.after


def test_the_schedules_milestones_are_edited_per_period(world):
    period = create(world)
    other = services.period_create(
        actor=world.outsider,
        institution_id=world.other_institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
        now=BEFORE_2026,
    )
    moved = datetime(2026, 10, 2, 23, 59, tzinfo=WIB)
    services.milestone_set(
        actor=world.koordinator, period_id=period.pk, kind="interview", due_at=moved
    )
    assert due(period)["interview"] == moved
    assert due(other)["interview"] == NATIONAL_2026["interview"]


def test_the_api_creates_a_pemdi_period_on_the_national_schedule(world):
    year = next_year()
    body = {
        "institution_id": world.institution.pk,
        "year": year,
        "kind": "evaluasi",
        "instrument": "pemdi-2026",
    }
    api = Api.token(world.koordinator)
    data = api.ok("post", "/periods", body, status=201)
    assert due(Period.objects.get(pk=data["id"])) == national(year)
    overview = api.ok("get", f"/periods/{data['id']}")
    assert {m["kind"] for m in overview["milestones"]} == set(NATIONAL_2026)


def test_the_api_can_create_a_period_without_the_schedule_or_with_its_own_milestones(world):
    api = Api.token(world.koordinator)
    body = {"institution_id": world.institution.pk, "kind": "evaluasi", "instrument": "pemdi-2026"}
    year = next_year()
    bare = api.ok("post", "/periods", {**body, "year": year, "use_schedule": False}, status=201)
    assert due(Period.objects.get(pk=bare["id"])) == {}
    own = {"announcement": "2027-01-20T10:00:00+07:00"}
    data = api.ok("post", "/periods", {**body, "year": year + 1, "milestones": own}, status=201)
    assert due(Period.objects.get(pk=data["id"])) == {
        "announcement": datetime(2027, 1, 20, 10, 0, tzinfo=WIB)
    }


def test_the_page_creates_a_pemdi_period_on_the_national_schedule(client, world):
    client.force_login(world.koordinator)
    form = client.get(reverse("evaluations:create")).content.decode()
    assert 'name="use_schedule"' in form and "checked" in form
    data = {
        "institution": world.institution.pk,
        "year": next_year(),
        "kind": "evaluasi",
        "instrument": "pemdi-2026@2",
        "use_schedule": "on",
    }
    response = client.post(reverse("evaluations:create"), data, follow=True)
    period = Period.objects.get(year=next_year())
    assert due(period) == national(next_year())
    assert "7 tahapan dari jadwal bawaan instrumen" in response.content.decode()


def test_the_page_can_create_a_period_without_the_schedule(client, world):
    client.force_login(world.koordinator)
    data = {
        "institution": world.institution.pk,
        "year": next_year(),
        "kind": "evaluasi",
        "instrument": "pemdi-2026@2",
    }  # the box unticked: the browser sends nothing for it
    client.post(reverse("evaluations:create"), data)
    assert due(Period.objects.get(year=next_year())) == {}


def test_the_page_offers_the_newest_version_of_each_instrument(client, world):
    client.force_login(world.koordinator)
    form = client.get(reverse("evaluations:create")).content.decode()
    assert "pemdi-2026@2" in form and "pemdi-2026@1" not in form


def test_a_period_pinned_to_pemdi_2026_version_1_keeps_its_file_and_opens(world):
    period = create(world, instrument="pemdi-2026@1")
    assert period.instrument_reference == "pemdi-2026@1"
    # The SHA-256 every pemdi-2026@1 period recorded before version 2 existed.
    assert period.instrument_sha256.startswith("1c6335cf059f2a69")
    assert due(period) == {}  # version 1 has no schedule
    overview = Api.token(world.koordinator).ok("get", f"/periods/{period.pk}")
    assert overview["instrument"]["reference"] == "pemdi-2026@1"
    names = {row["indicator"]: row["name"] for row in overview["answers"]}
    assert names["20"].startswith("Tingkat Kematangan Pengelolaan")

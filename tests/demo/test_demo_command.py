"""`monev demo`: Pemerintah Kota Bandung (DEMO) at Triwulan II 2025, loaded through the services,
idempotent, with logins printed every time and a reset that never touches other data."""

from __future__ import annotations

import csv
import stat
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from monev.accounts.models import User
from monev.audit.models import AuditEvent
from monev.audit.services import audit_verify
from monev.demo import data, loader
from monev.evaluations import selectors
from monev.evaluations.models import Answer, Comment, Milestone, Period, PublishedResult
from monev.institutions.access import access_for
from monev.institutions.models import Institution, Membership, Role, Unit

pytestmark = pytest.mark.django_db

REFERENCE_CSV = Path(__file__).parents[1] / "fixtures" / "published-indices.csv"


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, str]:
    lines = output.split("Demo logins", 1)[1].splitlines()[1:]
    return {line.split()[-2]: line.split()[-1] for line in lines if line.strip()}


def demo_period() -> Period:
    return Period.objects.get(institution__code=data.INSTITUTION["code"])


def test_it_loads_the_demo_and_prints_a_working_login_for_every_role(data_dir):
    output = run_demo("--if-empty")
    assert "DEMO" in output
    logins = printed_logins(output)
    assert set(logins) == set(loader.demo_usernames())
    for username, password in logins.items():
        assert User.objects.get(username=username).check_password(password)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)


def test_it_keeps_the_passwords_in_a_file_only_the_owner_reads(data_dir):
    output = run_demo()
    path = data_dir / loader.LOGINS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert {x.username: x.password for x in loader.read_logins(data_dir)} == printed_logins(output)


def test_it_labels_the_demo_clearly(data_dir):
    run_demo()
    assert not Institution.objects.filter(is_demo=False).exists()
    assert all("(DEMO)" in name for name in Institution.objects.values_list("name", flat=True))
    institution = Institution.objects.get(code=data.INSTITUTION["code"])
    assert institution.name == "Pemerintah Kota Bandung (DEMO)"
    assert all("DEMO" in user.full_name for user in User.objects.all())


def test_it_has_about_thirty_perangkat_daerah_and_an_operator_for_a_few(data_dir):
    run_demo()
    names = set(Unit.objects.values_list("short_name", flat=True))
    assert 28 <= len(names) <= 40
    for expected in ("Diskominfo", "Bappelitbang", "BKPSDM", "BKAD", "Inspektorat", "Satpol PP"):
        assert expected in names
    operator_units = Membership.objects.filter(user__username="operator").values_list(
        "unit__short_name", flat=True
    )
    assert sorted(operator_units) == ["BKAD", "BKPSDM", "Bappelitbang"]


def test_it_assigns_indicators_to_the_units_that_hold_the_evidence(data_dir):
    run_demo()
    period = demo_period()

    def units_of(number: str) -> set[str]:
        answer = period.answers.get(indicator=number)
        return set(answer.units.values_list("short_name", flat=True))

    assert {"Bagian Hukum", "Bagian Organisasi", "Diskominfo"} <= units_of("1")
    assert units_of("29") == {"Inspektorat", "Diskominfo"}
    assert units_of("32") == {"Bappelitbang"}
    assert "BKAD" in units_of("34")
    assert units_of("36") == {"BKPSDM"}
    assert not period.answers.filter(unit_links__isnull=True).exists()


def test_it_creates_the_2025_monitoring_period_with_its_milestones(data_dir):
    run_demo()
    period = demo_period()
    assert (period.year, period.kind, period.instrument_id) == (2025, "pemantauan", "spbe-2020")
    assert period.target == Decimal("4.62")
    dates = {m.kind: timezone.localtime(m.due_at, data.WIB).date() for m in period.milestones.all()}
    assert dates["self_assessment_open"] == date(2025, 7, 1)
    assert dates["mentoring"] == date(2025, 8, 6)
    assert dates["evidence_deadline"] == date(2025, 8, 18)
    closes = period.milestones.get(kind=Milestone.Kind.SELF_ASSESSMENT_CLOSE).due_at
    assert closes == period.milestones.get(kind=Milestone.Kind.EVIDENCE_DEADLINE).due_at
    for kind in ("document_review", "interview", "announcement"):
        assert kind in dates
    assert [dates[f"triwulan_{q}"] for q in (1, 2, 3, 4)] == [
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]


def test_its_self_assessed_index_is_exactly_3_with_audit_the_weakest_aspect(data_dir):
    run_demo()
    period = demo_period()
    koordinator = User.objects.get(username="koordinator")
    overview = selectors.period_overview(period, access_for(koordinator, period.institution_id))
    score = overview.scores[selectors.ScoreStage.SELF]
    assert score.complete and score.given == 47
    assert score.result.index.reported == Decimal("3.00")
    assert score.result.index.exact == 3
    assert score.result.weakest_aspects(1)[0].code == "A6"
    assert all(row.answer.explanation for row in overview.rows)


def test_its_answers_are_in_every_workflow_state_with_a_returned_one_explained(data_dir):
    run_demo()
    period = demo_period()
    counts = {s: period.answers.filter(status=s).count() for s in Answer.Status.values}
    assert counts[Answer.Status.SUBMITTED] > 0
    assert counts[Answer.Status.VERIFIED] > 0
    assert counts[Answer.Status.DRAFT] > 0
    assert counts[Answer.Status.RETURNED] == 1
    assert counts[Answer.Status.FINAL] == 0  # as it stood at Triwulan II
    returned = period.answers.get(status=Answer.Status.RETURNED)
    assert Comment.objects.filter(answer=returned, body=data.RETURN_NOTE).exists()
    assert all(a.verified_level == a.level for a in period.answers.filter(status="verified"))


def test_it_writes_through_the_services_so_the_audit_trail_is_real_and_verifies(data_dir):
    run_demo()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "period.create",
        "milestone.set",
        "period.assign_matrix",
        "answer.save",
        "answer.submit",
        "answer.verify",
        "answer.return",
        "answer.comment",
    } <= actions
    checked, breaks = audit_verify()
    assert checked == AuditEvent.objects.count() and breaks == []
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


def test_it_loads_the_published_history_with_sources_and_doubts(data_dir):
    run_demo()
    results = {
        r.year: r
        for r in PublishedResult.objects.filter(institution__code=data.INSTITUTION["code"])
    }
    assert sorted(results) == [2019, 2020, 2021, 2022, 2023, 2024]
    assert results[2019].instrument_id == "spbe-2018"
    assert {results[y].instrument_id for y in (2021, 2022, 2023, 2024)} == {"spbe-2020"}
    assert results[2024].index == Decimal("4.59") and results[2024].predicate == "Memuaskan"
    assert results[2020].doubtful and "2020" in results[2020].note
    assert not any(results[y].doubtful for y in (2019, 2021, 2022, 2023, 2024))
    assert all(r.source.startswith("http") for r in results.values())


def test_its_published_history_matches_the_reference_file():
    with REFERENCE_CSV.open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["institution"] == data.PUBLISHED_NAME]
    reference = {int(r["year"]): r for r in rows}
    for item in data.PUBLISHED_HISTORY:
        row = reference[item.year]
        assert Decimal(row["index"]) == item.index
        assert row["predicate"] == item.predicate
        assert row["source_url"] == item.source
        if row["note"]:
            assert row["note"] in item.note


def test_it_does_not_load_twice_and_prints_the_same_logins(data_dir):
    first = run_demo("--if-empty")
    events = AuditEvent.objects.count()
    second = run_demo("--if-empty")
    third = run_demo()
    assert "already loaded" in second and "already loaded" in third
    assert printed_logins(first) == printed_logins(second) == printed_logins(third)
    institutions = Institution.objects.count()
    assert institutions > 1 and AuditEvent.objects.count() == events
    run_demo("--if-empty")
    assert Institution.objects.count() == institutions


def test_it_does_not_load_into_a_database_with_data_when_asked_if_empty(data_dir):
    User.objects.create_user(username="someone", password="x")
    output = run_demo("--if-empty")
    assert "not loaded again" in output
    assert not Institution.objects.exists()


def test_it_refuses_to_take_over_an_account_that_is_not_the_demos(data_dir):
    User.objects.create_user(username="koordinator", password="x")
    with pytest.raises(CommandError, match="koordinator"):
        run_demo()
    assert not Institution.objects.exists()
    assert User.objects.get(username="koordinator").check_password("x")


def test_it_makes_new_passwords_when_the_logins_file_is_lost(data_dir):
    run_demo()
    (data_dir / loader.LOGINS_FILE).unlink()
    output = run_demo()
    logins = printed_logins(output)
    assert User.objects.get(username="pimpinan").check_password(logins["pimpinan"])


def test_it_resets_the_demo_and_keeps_other_data(data_dir):
    run_demo()
    demo_institutions = Institution.objects.filter(is_demo=True).count()
    other = Institution.objects.create(code="kota-lain", name="Kota Lain", kind="kota")
    someone = User.objects.create_user(username="someone", password="x")
    Membership.objects.create(user=someone, institution=other, role=Role.KOORDINATOR)
    old = printed_logins(run_demo())
    new = printed_logins(run_demo("--reset"))
    assert old["koordinator"] != new["koordinator"]
    assert Institution.objects.filter(is_demo=True).count() == demo_institutions
    assert Institution.objects.filter(pk=other.pk).exists()
    assert User.objects.filter(pk=someone.pk).exists()
    assert audit_verify()[1] == []


def test_it_refuses_to_reset_when_a_demo_user_belongs_to_other_data(data_dir):
    run_demo()
    other = Institution.objects.create(code="kota-lain", name="Kota Lain", kind="kota")
    pimpinan = User.objects.get(username="pimpinan")
    Membership.objects.create(user=pimpinan, institution=other, role=Role.PIMPINAN)
    demo_institutions = Institution.objects.filter(is_demo=True).count()
    with pytest.raises(CommandError, match="pimpinan"):
        run_demo("--reset")
    assert Institution.objects.filter(is_demo=True).count() == demo_institutions
    assert Membership.objects.filter(user=pimpinan, institution=other).exists()


def test_it_refuses_to_load_a_demo_that_no_longer_tells_its_story(data_dir, monkeypatch):
    drifted = {**data.ANSWERS, "29": data.DemoAnswer(3, "Audit dilakukan.")}
    monkeypatch.setattr(data, "ANSWERS", drifted)
    with pytest.raises(loader.DemoDrift):
        loader.load(data_dir)
    assert not Institution.objects.exists() and not AuditEvent.objects.exists()
    assert not (data_dir / loader.LOGINS_FILE).exists()

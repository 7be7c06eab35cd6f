"""Reminders by email: which items are due on which day, one email per operator per run,
never the same item twice a day, the koordinator's digest, skipped recipients, a failing
backend retried by the next run, and `monev remind`.

The world's plan (target 2.10 from level 2 everywhere, evidence deadline 18 Aug 2025) has
action items due: unit A: 1 on 25 Jul, 2 on 28 Jul, 3 on 31 Jul, 5 on 4 Aug; unit B: 6 on
7 Aug, 8 on 10 Aug, 9 on 13 Aug, 10 on 17 Aug.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from planning_support import NOW, planned, ready

from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Answer
from monev.planning import reminders, services
from monev.planning.models import ActionItem, ReminderSent

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def at(day: int, month: int = 7, hour: int = 9) -> datetime:
    """`hour` o'clock in Jakarta (UTC+7) on that day of 2025."""
    return datetime(2025, month, day, hour - 7, 0, tzinfo=UTC)


JUL_28 = at(28)  # item 1 overdue, 2 due today, 3 in 3 days, 5 in 7 days; unit B: nothing


@pytest.fixture
def planned_world(world, settings):
    settings.EMAIL_BACKEND = LOCMEM
    settings.MONEV_REMINDER_LEAD_DAYS = [7, 3, 1]
    settings.MONEV_BASE_URL = "https://monev.example.go.id"
    settings.LANGUAGE_CODE = "en"  # English msgids: the assertions do not depend on the catalogue
    for user in (world.operator, world.operator_b, world.koordinator, world.outsider):
        user.email = f"{user.username}@example.go.id"
        user.save(update_fields=["email"])
    ready(world)
    world.plan = planned(world, "2.10")
    world.items = {i.answer.indicator: i for i in ActionItem.objects.filter(plan=world.plan)}
    return world


def emails_to(user) -> list:
    return [m for m in mail.outbox if m.to == [user.email]]


def one_email_to(user):
    found = emails_to(user)
    assert len(found) == 1, [m.subject for m in mail.outbox]
    return found[0]


def reminded(user, day: date, kind=ReminderSent.Kind.ACTION_ITEM) -> set[str]:
    return set(
        ReminderSent.objects.filter(recipient=user, day=day, kind=kind).values_list(
            "subject_key", flat=True
        )
    )


def keys(world, *numbers) -> set[str]:
    return {str(world.items[n].pk) for n in numbers}


def section(body: str, title: str) -> str:
    """The lines of one section of a reminder (up to the next blank line)."""
    return body.split(f"\n{title}\n", 1)[1].split("\n\n", 1)[0]


def set_close(world, when: datetime) -> None:
    evaluation_services.milestone_set(
        actor=world.koordinator,
        period_id=world.period.pk,
        kind="self_assessment_close",
        due_at=when,
    )


# --- selection -------------------------------------------------------------------------------


def test_it_reminds_the_overdue_the_due_today_and_those_due_in_a_lead_day(planned_world):
    world = planned_world
    result = reminders.remind(JUL_28)
    assert result.sent == {"reminder": 1, "digest": 1} and not result.failed
    message = one_email_to(world.operator)
    assert message.from_email and message.subject == (
        "Monev SPBE: 4 items need your unit's attention (1 overdue)"
    )
    body = message.body
    overdue, today, soon = (section(body, t) for t in ("OVERDUE", "DUE TODAY", "DUE SOON"))
    assert "indicator 1, raise the level from 2 to 3" in overdue
    assert "Due 25 July 2025: 3 days late" in overdue
    assert "indicator 2," in today and "Due today, 28 July 2025" in today
    assert "indicator 3," in soon and "Due 31 July 2025: in 3 days" in soon
    assert "indicator 5," in soon and "Due 4 August 2025: in 7 days" in soon
    assert soon.index("indicator 3,") < soon.index("indicator 5,")
    assert "Dinas A · Pemerintah Kota Contoh" in body
    item = world.items["1"]
    assert (
        f"https://monev.example.go.id/periode/{world.period.pk}/tugas/#action-item-{item.pk}"
        in overdue
    )
    assert emails_to(world.operator_b) == []  # unit B's next item is 10 days away
    assert reminded(world.operator, date(2025, 7, 28)) == keys(world, "1", "2", "3", "5")


def test_it_leaves_out_items_done_superseded_or_between_lead_days(planned_world):
    world = planned_world
    services.action_item_complete(actor=world.operator, item_id=world.items["1"].pk, now=JUL_28)
    reminders.remind(at(29))  # 2 overdue, 3 in 2 days (no), 5 in 6 days (no)
    assert reminded(world.operator, date(2025, 7, 29)) == keys(world, "2")
    assert "indicator 1," not in one_email_to(world.operator).body
    mail.outbox.clear()
    planned(world, "2.10")  # a new plan supersedes the old one's items
    reminders.remind(at(30))
    assert str(world.items["2"].pk) not in reminded(world.operator, date(2025, 7, 30))


def test_it_reminds_answers_not_submitted_by_the_deadline_to_each_responsible_unit(
    planned_world,
):
    world = planned_world
    set_close(world, at(4, month=8, hour=23))  # the self-assessment closes in 7 days
    evaluation_services.answer_assign_units(
        actor=world.koordinator,
        answer_id=world.answer("6").pk,
        unit_ids=[world.unit_a.pk, world.unit_b.pk],
    )
    first = world.answer("1")
    evaluation_services.answer_submit(
        actor=world.operator, answer_id=first.pk, expected_version=first.version, now=JUL_28
    )
    reminders.remind(JUL_28, lead_days=[7])
    answers_a = reminded(world.operator, date(2025, 7, 28), ReminderSent.Kind.ANSWER)
    assert answers_a == {str(world.answer(n).pk) for n in ("2", "3", "4", "5", "6")}
    body = one_email_to(world.operator).body
    assert body.count("Answer to indicator 6: not yet submitted") == 1
    assert "Due 4 August 2025: in 7 days" in section(body, "DUE SOON")
    assert f"https://monev.example.go.id/jawaban/{world.answer('2').pk}/" in body
    answers_b = reminded(world.operator_b, date(2025, 7, 28), ReminderSent.Kind.ANSWER)
    assert answers_b == {str(world.answer(n).pk) for n in ("6", "7", "8", "9", "10")}

    mail.outbox.clear()
    reminders.remind(at(6, month=8), lead_days=[7])  # past the deadline: every day
    body = one_email_to(world.operator_b).body
    assert "Answer to indicator 7: not yet submitted" in section(body, "OVERDUE")


def test_it_says_when_an_answer_was_returned(planned_world):
    world = planned_world
    set_close(world, at(28, hour=23))
    answer = world.answer("2")
    answer = evaluation_services.answer_submit(
        actor=world.operator, answer_id=answer.pk, expected_version=answer.version, now=NOW
    )
    evaluation_services.answer_return(
        actor=world.asesor_internal,
        answer_id=answer.pk,
        expected_version=answer.version,
        note="Lengkapi data dukung.",
        now=NOW,
    )
    assert world.answer("2").status == Answer.Status.RETURNED
    reminders.remind(JUL_28)
    today = section(one_email_to(world.operator).body, "DUE TODAY")
    assert "Answer to indicator 2: returned by the assessor, revise and submit it" in today


# --- once a day ------------------------------------------------------------------------------


def test_it_never_reminds_the_same_item_to_the_same_user_twice_a_day(planned_world):
    world = planned_world
    reminders.remind(JUL_28)
    assert len(mail.outbox) == 2  # the operator's reminder, the koordinator's digest
    again = reminders.remind(at(28, hour=15))
    assert again.sent == {} and len(mail.outbox) == 2
    # An item that becomes due for someone else the same day is new for them, and only it.
    services.action_item_reassign(
        actor=world.koordinator, item_id=world.items["3"].pk, unit_id=world.unit_b.pk
    )
    reminders.remind(at(28, hour=16))
    assert len(mail.outbox) == 3
    body = one_email_to(world.operator_b).body
    assert "indicator 3," in body and "indicator 1," not in body
    assert ReminderSent.objects.filter(day=date(2025, 7, 28)).count() == 4 + 1 + 1


def test_it_reminds_again_the_next_day_while_an_item_is_overdue(planned_world):
    world = planned_world
    reminders.remind(JUL_28)
    mail.outbox.clear()
    reminders.remind(at(29))  # 1 and 2 overdue; 3 in 2 days, 5 in 6 days: not reminded
    assert reminded(world.operator, date(2025, 7, 29)) == keys(world, "1", "2")
    overdue = section(one_email_to(world.operator).body, "OVERDUE")
    assert "Due 25 July 2025: 4 days late" in overdue and "Due 28 July 2025: 1 day late" in overdue
    assert len(emails_to(world.koordinator)) == 1  # and a new digest
    mail.outbox.clear()
    reminders.remind(at(30))  # 3 in 1 day
    assert reminded(world.operator, date(2025, 7, 30)) == keys(world, "1", "2", "3")


def test_it_counts_the_day_in_the_servers_time_zone(planned_world):
    world = planned_world
    # 27 Jul 20:00 UTC is already 28 Jul 03:00 in Jakarta.
    reminders.remind(datetime(2025, 7, 27, 20, 0, tzinfo=UTC))
    assert reminded(world.operator, date(2025, 7, 28)) == keys(world, "1", "2", "3", "5")


# --- the digest ------------------------------------------------------------------------------


def test_it_sends_the_koordinator_a_digest_per_unit_once_a_day(planned_world):
    world = planned_world
    reminders.remind(at(5, month=8))
    message = one_email_to(world.koordinator)
    assert message.subject == "Monev SPBE: daily summary, 5 August 2025"
    body = message.body
    assert "== Pemerintah Kota Contoh Pemantauan 2025 ==" in body
    # unit A: 1, 2, 3, 5 overdue; unit B: 6 (7 Aug), 8 (10 Aug), 9 (13 Aug; 8 days: not soon)
    assert "- Dinas A: actions overdue 4, due soon 0; answers not submitted 5" in body
    assert "- Dinas B: actions overdue 0, due soon 2; answers not submitted 5" in body
    others = Answer.objects.filter(period=world.period).count() - 10
    assert (
        f"- (no responsible unit): actions overdue 0, due soon 0; answers not submitted {others} "
        in body
    )
    assert body.index("Dinas A:") < body.index("Dinas B:") < body.index("(no responsible unit)")
    assert "Deadline 1 January 2099" in body  # the self-assessment close
    assert f"https://monev.example.go.id/rencana/periode/{world.period.pk}/" in body
    assert emails_to(world.outsider) == []  # nothing to do in the other institution
    assert reminded(world.koordinator, date(2025, 8, 5), ReminderSent.Kind.DIGEST) == {
        str(world.institution.pk)
    }
    mail.outbox.clear()
    reminders.remind(at(5, month=8, hour=18))
    assert emails_to(world.koordinator) == []


def test_it_counts_answers_past_the_deadline_in_the_digest(planned_world):
    world = planned_world
    set_close(world, at(1, month=8, hour=23))
    reminders.remind(at(5, month=8))
    body = one_email_to(world.koordinator).body
    assert "answers not submitted 5 (past the deadline 5)" in body
    assert "Deadline 1 August 2025: passed 4 days ago" in body


# --- recipients ------------------------------------------------------------------------------


def test_it_skips_and_counts_users_without_an_email_address_and_inactive_users(planned_world):
    world = planned_world
    world.operator.email = ""
    world.operator.save(update_fields=["email"])
    world.operator_b.is_active = False
    world.operator_b.save(update_fields=["is_active"])
    result = reminders.remind(at(7, month=8))  # unit B's item 6 due today
    assert [u.username for u in result.outbox.no_email] == ["operator"]
    assert result.sent == {"digest": 1}
    assert [m.to for m in mail.outbox] == [[world.koordinator.email]]
    assert not ReminderSent.objects.exclude(recipient=world.koordinator).exists()


def test_it_includes_demo_institutions(planned_world):
    world = planned_world
    world.institution.is_demo = True
    world.institution.save(update_fields=["is_demo"])
    assert reminders.remind(JUL_28).sent == {"reminder": 1, "digest": 1}


def test_it_reads_a_constant_number_of_queries_as_items_grow(
    planned_world, django_assert_num_queries
):
    world = planned_world
    with django_assert_num_queries(10):
        few = reminders.compose(JUL_28)
    set_close(world, at(4, month=8, hour=23))
    with django_assert_num_queries(10):
        many = reminders.compose(JUL_28)
    assert len(many.emails) > len(few.emails)


# --- sending ---------------------------------------------------------------------------------


class FailingBackend(EmailBackend):
    """The locmem backend, failing for the operator's address."""

    def send_messages(self, messages):
        if any("operator@" in address for m in messages for address in m.to):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_it_rolls_back_a_failed_recipient_so_the_next_run_retries(planned_world, settings):
    world = planned_world
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    result = reminders.remind(JUL_28)
    assert [(e.user.username, error) for e, error in result.failed] == [
        ("operator", "OSError: 550 mailbox unavailable")
    ]
    assert result.sent == {"digest": 1}
    assert reminded(world.operator, date(2025, 7, 28)) == set()
    assert ReminderSent.objects.filter(recipient=world.koordinator).count() == 1

    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox.clear()
    retry = reminders.remind(at(28, hour=10))
    assert retry.sent == {"reminder": 1} and [m.to for m in mail.outbox] == [[world.operator.email]]
    assert reminded(world.operator, date(2025, 7, 28)) == keys(world, "1", "2", "3", "5")


def test_it_sends_nothing_another_run_sent_meanwhile(planned_world):
    outbox = reminders.compose(JUL_28)
    reminders.remind(JUL_28)
    result = reminders.send(outbox, JUL_28)
    assert len(result.raced) == 2 and result.sent == {} and len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 4 + 1


def test_it_reads_the_lead_days_from_the_environment(monkeypatch):
    from monev.settings import _lead_days

    monkeypatch.setenv("MONEV_REMINDER_LEAD_DAYS", "1, 14,3")
    assert _lead_days() == [14, 3, 1]
    monkeypatch.delenv("MONEV_REMINDER_LEAD_DAYS")
    assert _lead_days() == [7, 3, 1]
    monkeypatch.setenv("MONEV_REMINDER_LEAD_DAYS", "seven")
    with pytest.raises(ImproperlyConfigured, match="MONEV_REMINDER_LEAD_DAYS"):
        _lead_days()


# --- the command -----------------------------------------------------------------------------


def remind(*args) -> str:
    out = StringIO()
    call_command("remind", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_says_how_many_emails_of_each_kind_it_sent(planned_world):
    world = planned_world
    world.operator_b.email = ""
    world.operator_b.save(update_fields=["email"])
    output = remind("--now", "2025-07-28T09:00+07:00", "--lead-days", "10,7,3,1")
    assert output.splitlines() == [
        "Reminders for 2025-07-28 (lead days: 10, 7, 3, 1).",
        "Sent 1 reminder email(s) to unit operators and 1 digest(s) to koordinators.",
        "Skipped 1 recipient(s) without an email address: operator_b.",  # item 6 in 10 days
    ]
    assert len(mail.outbox) == 2
    assert remind("--now", "2025-07-28T10:00").splitlines()[1] == (
        "Sent 0 reminder email(s) to unit operators and 0 digest(s) to koordinators."
    )


def test_the_command_uses_the_lead_days_setting(planned_world, settings):
    settings.MONEV_REMINDER_LEAD_DAYS = [10]
    output = remind("--now", "2025-07-28T09:00+07:00")
    assert output.startswith("Reminders for 2025-07-28 (lead days: 10).")
    assert "indicator 6," in one_email_to(planned_world.operator_b).body


def test_the_command_with_dry_run_sends_and_records_nothing(planned_world):
    output = remind("--dry-run", "--now", "2025-07-28T09:00+07:00", "-v", "2")
    lines = output.splitlines()
    assert lines[:3] == [
        "Reminders for 2025-07-28 (lead days: 7, 3, 1).",
        "Dry run: nothing is sent or recorded.",
        "Would send a reminder to operator <operator@example.go.id>: "
        "4 item(s): 1 overdue, 1 due today, 2 due soon",
    ]
    assert "Subject: Monev SPBE: 4 items need your unit's attention (1 overdue)" in output
    assert "Would send a digest to koordinator <koordinator@example.go.id>: " in output
    assert lines[-1] == (
        "Would send 1 reminder email(s) to unit operators and 1 digest(s) to koordinators."
    )
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_the_command_fails_loudly_when_an_email_fails(planned_world, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    with pytest.raises(CommandError, match="1 email\\(s\\) could not be sent"):
        remind("--now", "2025-07-28T09:00+07:00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "yesterday"], "--now: not an ISO date and time"),
        (["--lead-days", "7,x"], "--lead-days: not whole numbers"),
        (["--lead-days", "-1"], "--lead-days: days cannot be negative"),
        (["--lead-days", ","], "--lead-days: give at least one"),
    ],
)
def test_the_command_refuses_bad_options(world, args, message):
    with pytest.raises(CommandError, match=message):
        remind(*args)

"""Reminders by email: which units' operators hear about which overdue or soon-due items, the
koordinator's daily digest, and sending them so that nothing is sent twice in a day
(docs/planning.md, "Reminders")."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from monev.evaluations.models import Answer, AnswerUnit, Milestone, Period
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.models import Membership, Role, Unit
from monev.lib.public_url import public_base, public_url
from monev.planning.models import ActionItem, Plan, ReminderSent

logger = logging.getLogger(__name__)

REMINDER = "reminder"  # an email to a unit's operator
DIGEST = "digest"  # an email to a koordinator
OPEN_ANSWER = (Answer.Status.DRAFT, Answer.Status.RETURNED)


def parse_lead_days(text: str) -> tuple[int, ...]:
    """ "7,3,1" -> (7, 3, 1): whole days from 0 up, largest first. ValueError otherwise."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise ValueError("give at least one number of days, e.g. 7,3,1")
    try:
        days = {int(part) for part in parts}
    except ValueError:
        raise ValueError(f"not whole numbers of days: {text!r}") from None
    if any(day < 0 for day in days):
        raise ValueError(f"days cannot be negative: {text!r}")
    return tuple(sorted(days, reverse=True))


def lead_days_setting() -> tuple[int, ...]:
    return tuple(sorted(set(settings.MONEV_REMINDER_LEAD_DAYS), reverse=True))


def absolute_url(path: str) -> str:
    return public_url(path)


def is_remindable(days: int, lead_days: Sequence[int]) -> bool:
    """Overdue (days < 0), due today (0), or due in exactly one of the lead days."""
    return days <= 0 or days in lead_days


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# --- what is due ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One item to remind a unit of."""

    kind: str  # ReminderSent.Kind
    key: str  # the action item's or answer's id
    unit: Unit
    period: Period
    number: str  # the indicator (or sub-item) number
    name: str  # its name in the instrument
    due: date
    days: int  # due - today: negative when overdue
    url: str
    from_level: Decimal | None = None  # action items
    to_level: int | None = None
    returned: bool = False  # answers sent back by the assessor

    @property
    def late(self) -> int:
        return -self.days

    @property
    def record(self) -> tuple[str, str]:
        return (self.kind, self.key)


class _Names:
    """Indicator names per instrument, each instrument loaded once per run."""

    def __init__(self):
        self._instruments = {}

    def __call__(self, period: Period, number: str) -> str:
        reference = period.instrument_reference
        if reference not in self._instruments:
            try:
                self._instruments[reference] = instrument_of(period)
            except Exception:  # an instrument file gone: remind without names
                logger.warning("reminders: instrument %s not found", reference)
                self._instruments[reference] = None
        instrument = self._instruments[reference]
        item = instrument.items_by_number.get(number) if instrument else None
        return item.name if item is not None else ""


def _horizon(today: date, lead_days: Sequence[int]) -> date:
    return today + timedelta(days=max(lead_days, default=0))


def due_action_items(today: date, lead_days: Sequence[int], names=None) -> list[Due]:
    """Open action items of active plans, with a unit, overdue or due on a reminder day."""
    names = names or _Names()
    items = (
        ActionItem.objects.filter(
            status=ActionItem.Status.OPEN,
            plan__status=Plan.Status.ACTIVE,
            unit__isnull=False,
            due_date__isnull=False,
            due_date__lte=_horizon(today, lead_days),
        )
        .select_related("plan__period__institution", "answer", "unit")
        .order_by("due_date", "pk")
    )
    dues = []
    for item in items:
        days = (item.due_date - today).days
        if not is_remindable(days, lead_days):
            continue
        period = item.plan.period
        path = reverse("evaluations:todo", args=[period.pk]) + f"#action-item-{item.pk}"
        dues.append(
            Due(
                kind=ReminderSent.Kind.ACTION_ITEM,
                key=str(item.pk),
                unit=item.unit,
                period=period,
                number=item.answer.indicator,
                name=names(period, item.answer.indicator),
                due=item.due_date,
                days=days,
                url=absolute_url(path),
                from_level=item.from_level,
                to_level=item.to_level,
            )
        )
    return dues


def _answer_deadline(period_ref: str = "period_id"):
    """The period's answer deadline: the self-assessment close, else the evidence deadline."""

    def of(kind):
        return Subquery(
            Milestone.objects.filter(period=OuterRef(period_ref), kind=kind).values("due_at")[:1]
        )

    return Coalesce(of(Milestone.Kind.SELF_ASSESSMENT_CLOSE), of(Milestone.Kind.EVIDENCE_DEADLINE))


def _open_answers(before: datetime | None, institution_ids: Iterable[int] | None = None):
    """Answers not yet submitted whose period has a deadline (before `before`, if given)."""
    answers = (
        Answer.objects.filter(status__in=OPEN_ANSWER)
        .annotate(due_at=_answer_deadline())
        .filter(due_at__isnull=False)
    )
    if before is not None:
        answers = answers.filter(due_at__lt=before)
    if institution_ids is not None:
        answers = answers.filter(period__institution_id__in=list(institution_ids))
    return answers


def due_answers(today: date, lead_days: Sequence[int], names=None) -> list[Due]:
    """Answers still draft or returned, overdue or due on a reminder day: one per unit."""
    names = names or _Names()
    before = _start_of(_horizon(today, lead_days) + timedelta(days=1))
    answers = {
        answer.pk: answer
        for answer in _open_answers(before).select_related("period__institution")
        if is_remindable((timezone.localdate(answer.due_at) - today).days, lead_days)
    }
    links = (
        AnswerUnit.objects.filter(answer__in=_open_answers(before).values("pk"))
        .select_related("unit")
        .order_by("answer__period_id", "answer__position", "unit__code")
    )
    dues = []
    for link in links:
        answer = answers.get(link.answer_id)
        if answer is None:
            continue
        due = timezone.localdate(answer.due_at)
        dues.append(
            Due(
                kind=ReminderSent.Kind.ANSWER,
                key=str(answer.pk),
                unit=link.unit,
                period=answer.period,
                number=answer.indicator,
                name=names(answer.period, answer.indicator),
                due=due,
                days=(due - today).days,
                url=absolute_url(reverse("answers:detail", args=[answer.pk])),
                returned=answer.status == Answer.Status.RETURNED,
            )
        )
    return dues


def _operators(unit_ids: Iterable[int]) -> dict[int, list]:
    """Each unit's active operators."""
    by_unit: dict[int, list] = {}
    memberships = (
        Membership.objects.filter(role=Role.OPERATOR, unit_id__in=list(unit_ids))
        .filter(user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for membership in memberships:
        by_unit.setdefault(membership.unit_id, []).append(membership.user)
    return by_unit


def _sent_on(day: date) -> set[tuple[str, int, str]]:
    return set(
        ReminderSent.objects.filter(day=day).values_list("kind", "recipient_id", "subject_key")
    )


# --- the digest ----------------------------------------------------------------------------


@dataclass
class DigestRow:
    unit: Unit | None  # None: items with no responsible unit
    overdue: int = 0  # action items
    soon: int = 0  # action items due from today within the longest lead time
    unsubmitted: int = 0  # answers draft or returned
    unsubmitted_overdue: int = 0  # of those, past the deadline


@dataclass
class DigestPeriod:
    period: Period
    deadline: date | None
    days_left: int | None
    url: str
    plan_url: str
    rows: list[DigestRow] = field(default_factory=list)

    @property
    def days_passed(self) -> int | None:
        return -self.days_left if self.days_left is not None else None


def digest_periods(
    institution_ids: Iterable[int], today: date, lead_days: Sequence[int]
) -> dict[int, list[DigestPeriod]]:
    """Per institution, its periods with work left, each with one row per unit (code order,
    the items without a unit last). Four queries whatever the number of institutions."""
    institution_ids = list(institution_ids)
    horizon = _horizon(today, lead_days)
    rows: dict[tuple[int, int | None], DigestRow] = {}

    def row(period_id, unit_id):
        return rows.setdefault((period_id, unit_id), DigestRow(unit=None))

    items = ActionItem.objects.filter(
        status=ActionItem.Status.OPEN,
        plan__status=Plan.Status.ACTIVE,
        plan__period__institution_id__in=institution_ids,
        due_date__isnull=False,
        due_date__lte=horizon,
    ).values_list("plan__period_id", "unit_id", "due_date")
    for period_id, unit_id, due in items:
        if due < today:
            row(period_id, unit_id).overdue += 1
        else:
            row(period_id, unit_id).soon += 1
    start = _start_of(today)
    answers = _open_answers(None, institution_ids).values_list(
        "period_id", "unit_links__unit_id", "due_at"
    )
    for period_id, unit_id, due_at in answers:
        counts = row(period_id, unit_id)
        counts.unsubmitted += 1
        if due_at < start:
            counts.unsubmitted_overdue += 1
    if not rows:
        return {}
    units = Unit.objects.in_bulk({unit_id for _p, unit_id in rows if unit_id is not None})
    periods = (
        Period.objects.filter(pk__in={period_id for period_id, _u in rows})
        .annotate(deadline_at=_answer_deadline("pk"))
        .select_related("institution")
        .order_by("institution__name", "-year", "kind")
    )
    by_period: dict[int, list[DigestRow]] = {}
    for (period_id, unit_id), counts in rows.items():
        counts.unit = units.get(unit_id) if unit_id is not None else None
        by_period.setdefault(period_id, []).append(counts)
    digest: dict[int, list[DigestPeriod]] = {}
    for period in periods:
        deadline = timezone.localdate(period.deadline_at) if period.deadline_at else None
        entry = DigestPeriod(
            period=period,
            deadline=deadline,
            days_left=(deadline - today).days if deadline else None,
            url=absolute_url(reverse("evaluations:overview", args=[period.pk])),
            plan_url=absolute_url(reverse("planning:plan", args=[period.pk])),
        )
        entry.rows = sorted(
            by_period[period.pk], key=lambda r: (r.unit is None, r.unit.code if r.unit else "")
        )
        digest.setdefault(period.institution_id, []).append(entry)
    return digest


# --- composing -----------------------------------------------------------------------------


@dataclass
class Email:
    kind: str  # REMINDER or DIGEST
    user: object
    records: list[tuple[str, str]]  # (ReminderSent kind, subject key) written when sent
    subject: str
    body: str
    summary: str  # one line for the command's output

    def message(self, connection=None) -> EmailMessage:
        return EmailMessage(
            subject=self.subject,
            body=self.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.user.email],
            connection=connection,
        )


@dataclass
class Outbox:
    day: date
    lead_days: tuple[int, ...]
    emails: list[Email] = field(default_factory=list)
    no_email: list = field(default_factory=list)  # recipients skipped: no email address

    def count(self, kind: str) -> int:
        return sum(1 for email in self.emails if email.kind == kind)


def _render(template: str, context: dict) -> str:
    return render_to_string(template, context).strip()


def _subject(template: str, context: dict) -> str:
    return " ".join(_render(template, context).split())  # one line, no header injection


def _reminder_email(user, dues: list[Due], today: date) -> Email:
    overdue = [d for d in dues if d.days < 0]
    today_ = [d for d in dues if d.days == 0]
    soon = [d for d in dues if d.days > 0]
    context = {
        "user": user,
        "today": today,
        "overdue": overdue,
        "due_today": today_,
        "soon": soon,
        "count": len(dues),
        "overdue_count": len(overdue),
        "base_url": public_base(),
    }
    return Email(
        kind=REMINDER,
        user=user,
        records=[d.record for d in dues],
        subject=_subject("planning/email/reminder_subject.txt", context),
        body=_render("planning/email/reminder.txt", context) + "\n",
        summary=(
            f"{len(dues)} item(s): {len(overdue)} overdue, {len(today_)} due today, "
            f"{len(soon)} due soon"
        ),
    )


def _digest_email(user, institutions: list, today: date, lead_days) -> Email:
    context = {
        "user": user,
        "today": today,
        "institutions": institutions,  # [(institution, [DigestPeriod])]
        "soon_days": max(lead_days, default=0),
        "base_url": public_base(),
    }
    return Email(
        kind=DIGEST,
        user=user,
        records=[(ReminderSent.Kind.DIGEST, str(i.pk)) for i, _periods in institutions],
        subject=_subject("planning/email/digest_subject.txt", context),
        body=_render("planning/email/digest.txt", context) + "\n",
        summary=", ".join(str(i) for i, _periods in institutions),
    )


def _order(due: Due):
    return (due.days, str(due.period.institution), due.period.year, due.unit.code, due.number)


def compose(now: datetime | None = None, lead_days: Sequence[int] | None = None) -> Outbox:
    """Every email a run would send now: one reminder per operator with items not reminded
    today, one digest per koordinator with institutions not digested today. Nothing written."""
    now = now or timezone.now()
    lead_days = tuple(sorted(set(lead_days), reverse=True)) if lead_days else lead_days_setting()
    today = timezone.localdate(now)
    outbox = Outbox(day=today, lead_days=lead_days)
    sent = _sent_on(today)
    skipped: dict[int, object] = {}
    with translation.override(settings.LANGUAGE_CODE):
        names = _Names()
        dues = due_action_items(today, lead_days, names) + due_answers(today, lead_days, names)
        operators = _operators({d.unit.pk for d in dues})
        per_user: dict[int, tuple[object, dict]] = {}
        for due in dues:
            for user in operators.get(due.unit.pk, []):
                if (due.kind, user.pk, due.key) in sent:
                    continue
                _user, items = per_user.setdefault(user.pk, (user, {}))
                items.setdefault(due.record, due)  # an answer of two of the user's units: once
        for user, items in sorted(per_user.values(), key=lambda pair: pair[0].username):
            if not user.email:
                skipped[user.pk] = user
                continue
            ordered = sorted(items.values(), key=_order)
            outbox.emails.append(_reminder_email(user, ordered, today))

        coordinators = list(
            Membership.objects.filter(role=Role.KOORDINATOR, user__is_active=True)
            .select_related("user", "institution")
            .order_by("user__username", "institution__name")
        )
        digest = digest_periods({m.institution_id for m in coordinators}, today, lead_days)
        per_coordinator: dict[int, tuple[object, list]] = {}
        for membership in coordinators:
            user, institution = membership.user, membership.institution
            if institution.pk not in digest:
                continue
            if (ReminderSent.Kind.DIGEST, user.pk, str(institution.pk)) in sent:
                continue
            _user, institutions = per_coordinator.setdefault(user.pk, (user, []))
            institutions.append((institution, digest[institution.pk]))
        for user, institutions in per_coordinator.values():
            if not user.email:
                skipped[user.pk] = user
                continue
            outbox.emails.append(_digest_email(user, institutions, today, lead_days))
    outbox.no_email = sorted(skipped.values(), key=lambda user: user.username)
    return outbox


# --- sending -------------------------------------------------------------------------------


@dataclass
class Result:
    outbox: Outbox
    sent: Counter = field(default_factory=Counter)  # per email kind
    failed: list[tuple[Email, str]] = field(default_factory=list)
    raced: list[Email] = field(default_factory=list)  # another run sent them meanwhile


def _deliver(email: Email, connection, day: date, now: datetime) -> None:
    """Record and send in one transaction: a failure to send leaves no record."""
    with transaction.atomic():
        ReminderSent.objects.bulk_create(
            [
                ReminderSent(kind=kind, recipient=email.user, subject_key=key, day=day, sent_at=now)
                for kind, key in email.records
            ]
        )
        if connection.send_messages([email.message(connection)]) != 1:
            raise RuntimeError("the email backend did not send the message")


def send(outbox: Outbox, now: datetime | None = None) -> Result:
    """Send the outbox, each recipient on their own: one failing does not stop the others,
    and a recipient whose email failed is tried again by the next run."""
    now = now or timezone.now()
    result = Result(outbox=outbox)
    if not outbox.emails:
        return result
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # the server is down: every email fails below, and is retried
        logger.warning("reminders: cannot connect to the email server: %s", error)
    try:
        for email in outbox.emails:
            try:
                _deliver(email, connection, outbox.day, now)
            except IntegrityError:
                result.raced.append(email)
            except Exception as error:  # any backend failure: rolled back, retried next run
                logger.warning("reminders: email to %s failed: %s", email.user.email, error)
                result.failed.append((email, f"{type(error).__name__}: {error}"))
            else:
                result.sent[email.kind] += 1
    finally:
        try:
            connection.close()
        except Exception as error:
            logger.warning("reminders: closing the email connection failed: %s", error)
    return result


def remind(
    now: datetime | None = None, lead_days: Sequence[int] | None = None, *, dry_run=False
) -> Result:
    """Compose and (unless `dry_run`) send today's reminders and digests."""
    now = now or timezone.now()
    outbox = compose(now, lead_days)
    if dry_run:
        return Result(outbox=outbox)
    return send(outbox, now)

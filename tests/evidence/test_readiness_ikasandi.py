"""The IKASANDI rule (pemdi-2026 10, 11, 12): a linked "Hasil IKASANDI (BSSN)" evidence item
dated no more than 12 calendar months before the evidence deadline (else today): missing,
undated and too old are errors; the month arithmetic at month ends."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from monev.evaluations import services
from monev.evaluations.models import Answer, Milestone
from monev.evidence.models import Evidence, EvidenceLink
from monev.evidence.readiness import answer_readiness, months_before, period_readiness

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2026, 9, 15, 5, 0, tzinfo=UTC)  # 15 September 2026 in Jakarta too


@pytest.fixture
def period(world):
    return services.period_create(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        year=2026,
        kind="evaluasi",
        instrument="pemdi-2026",
        milestones={"evidence_deadline": DEADLINE},
    )


def claimed(period, indicator="10", level="2.50") -> Answer:
    answer = Answer.objects.get(period=period, indicator=indicator)
    answer.level = Decimal(level)
    answer.save(update_fields=["level"])
    return answer


def ikasandi(world, answer, date, *, kind="hasil_ikasandi", level=1) -> Evidence:
    item = Evidence.objects.create(
        institution=world.institution,
        title="Hasil IKASANDI area keamanan siber",
        kind=kind,
        document_date=date,
    )
    EvidenceLink.objects.create(answer=answer, evidence=item, level=level)
    return item


def ikasandi_checks(answer, now=None):
    checks = answer_readiness(answer.pk, now=now).checks
    return [c for c in checks if c.code.startswith("ikasandi")]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 9, 15), 12, dt.date(2025, 9, 15)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 3, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), 12, dt.date(2027, 2, 28)),
        (dt.date(2025, 2, 28), 12, dt.date(2024, 2, 28)),
        (dt.date(2026, 1, 31), 2, dt.date(2025, 11, 30)),
        (dt.date(2026, 12, 31), 12, dt.date(2025, 12, 31)),
        (dt.date(2026, 1, 15), 1, dt.date(2025, 12, 15)),
        (dt.date(2024, 3, 31), 13, dt.date(2023, 2, 28)),
        (dt.date(2026, 5, 31), 0, dt.date(2026, 5, 31)),
    ],
)
def test_months_before_counts_calendar_months_and_cuts_short_at_month_ends(day, months, expected):
    assert months_before(day, months) == expected


def test_a_fresh_result_passes(world, period):
    answer = claimed(period)
    ikasandi(world, answer, dt.date(2026, 1, 10))
    assert ikasandi_checks(answer) == []


def test_exactly_12_months_passes_and_one_day_more_fails(world, period):
    answer = claimed(period)
    item = ikasandi(world, answer, dt.date(2025, 9, 15))
    assert ikasandi_checks(answer) == []
    item.document_date = dt.date(2025, 9, 14)
    item.save(update_fields=["document_date"])
    (check,) = ikasandi_checks(answer)
    assert check.code == "ikasandi_too_old" and check.severity == "error"
    assert check.evidence_ids == (item.pk,)
    with translation.override("id"):
        assert check.message == (
            "Hasil IKASANDI bertanggal 14 September 2025 lebih tua dari 12 bulan pada tenggat "
            "15 September 2026."
        )


def test_the_message_names_the_dates_as_people_write_them(world, period):
    answer = claimed(period, "11")
    ikasandi(world, answer, dt.date(2025, 3, 3))
    (check,) = ikasandi_checks(answer)
    with translation.override("id"):
        assert check.message == (
            "Hasil IKASANDI bertanggal 3 Maret 2025 lebih tua dari 12 bulan pada tenggat "
            "15 September 2026."
        )


def test_at_a_month_end_deadline(world, period):
    Milestone.objects.filter(period=period).update(due_at=datetime(2028, 2, 29, 5, tzinfo=UTC))
    answer = claimed(period)
    item = ikasandi(world, answer, dt.date(2027, 2, 28))
    assert ikasandi_checks(answer) == []
    item.document_date = dt.date(2027, 2, 27)
    item.save(update_fields=["document_date"])
    assert [c.code for c in ikasandi_checks(answer)] == ["ikasandi_too_old"]


def test_without_a_deadline_today_is_the_reference(world, period):
    Milestone.objects.filter(period=period).delete()
    answer = claimed(period)
    ikasandi(world, answer, dt.date(2025, 6, 1))
    today = datetime(2026, 6, 1, 5, tzinfo=UTC)
    assert ikasandi_checks(answer, now=today) == []
    (check,) = ikasandi_checks(answer, now=datetime(2026, 6, 2, 5, tzinfo=UTC))
    with translation.override("id"):
        assert check.message.endswith("lebih tua dari 12 bulan pada hari ini (2 Juni 2026).")


def test_an_undated_result_is_an_error(world, period):
    answer = claimed(period, "12")
    item = ikasandi(world, answer, None)
    (check,) = ikasandi_checks(answer)
    assert check.code == "ikasandi_no_date" and check.evidence_ids == (item.pk,)
    assert check.severity == "error"


def test_no_linked_result_is_an_error(world, period):
    answer = claimed(period)
    # A report is not an IKASANDI result, however fresh; a result of another institution's
    # answer is not linked here.
    ikasandi(world, answer, dt.date(2026, 1, 10), kind="laporan")
    (check,) = ikasandi_checks(answer)
    assert check.code == "ikasandi_missing"
    with translation.override("id"):
        assert "Belum ada hasil IKASANDI (BSSN) yang ditautkan" in check.message
    assert not answer_readiness(answer.pk).ready


def test_an_old_result_next_to_a_fresh_one_passes(world, period):
    answer = claimed(period)
    ikasandi(world, answer, dt.date(2024, 1, 10))
    ikasandi(world, answer, dt.date(2026, 2, 1), level=2)
    assert ikasandi_checks(answer) == []


def test_only_the_indicators_that_need_it_and_only_when_a_level_is_claimed(world, period):
    unclaimed = Answer.objects.get(period=period, indicator="10")
    assert ikasandi_checks(unclaimed) == []
    other = claimed(period, "1")
    assert ikasandi_checks(other) == []
    spbe = world.answer("1")
    spbe.level = 2
    spbe.save(update_fields=["level"])
    assert ikasandi_checks(spbe) == []


def test_the_period_readiness_carries_the_checks(world, period):
    for number in ("10", "11", "12"):
        claimed(period, number)
    checks = period_readiness(period.pk)
    codes = {
        Answer.objects.get(pk=pk).indicator: [c.code for c in found if c.code.startswith("ika")]
        for pk, found in checks.items()
    }
    assert codes["10"] == codes["11"] == codes["12"] == ["ikasandi_missing"]
    assert codes["1"] == []

"""Exact values end to end (issue 15): an item judgement of 1 accepted out of 3 at level 1 is
7/6, stored exactly and combined unrounded into the index; values typed with ten decimals or
as fractions are kept as given; whole-level instruments refuse them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from items_support import A, R, build_pemdi, decide, judge

from api_support import Api
from monev.audit.models import AuditEvent
from monev.core.numbers import ExactDecimal, exact_fraction, parse_value
from monev.evaluations import selectors, services
from monev.evaluations.fields import exact_value
from monev.evaluations.models import Answer, AssessorPass
from monev.evaluations.period_instrument import instrument_of
from monev.institutions.access import access_for
from monev.lib.errors import InvalidInput

SEVEN_SIXTHS = Fraction(7, 6)


@pytest.fixture
def pemdi(world):
    return build_pemdi(world)


def provisional_index(pemdi) -> Fraction:
    """The document-review index as the period overview computes it from the stored answers
    and passes (indicators without a pass count at the scale minimum)."""
    world = pemdi.world
    access = access_for(world.koordinator, world.institution)
    overview = selectors.period_overview(pemdi.period, access)
    return overview.scores["provisional"].result.index.exact


def test_one_of_three_level_1_items_accepted_stores_and_aggregates_exactly_seven_sixths(pemdi):
    # Indicator 4 has three items at level 1 (a 2026 assessor record: 1 + 1/3 x 0.5 = 7/6).
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    stored = AssessorPass.objects.get(answer=pemdi.answer("4"), stage="document_review")
    assert isinstance(stored.computed_level, ExactDecimal)
    assert stored.computed_level == SEVEN_SIXTHS and stored.level == SEVEN_SIXTHS
    assert not stored.differs
    # Indicator 4 weighs 5 of the index's 100; every other indicator counts at 1.
    assert provisional_index(pemdi) == 1 + (SEVEN_SIXTHS - 1) * 5 / 100


def test_the_value_column_holds_ten_places_and_its_companion_the_fraction(pemdi):
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    row = AssessorPass.objects.filter(answer=pemdi.answer("4")).values_list(
        "computed_level", "computed_level_fraction"
    )
    [(column, fraction)] = list(row)
    assert (column, fraction) == (Decimal("1.1666666667"), "7/6")
    assert exact_value(column, fraction) == SEVEN_SIXTHS


def test_a_value_written_to_the_column_alone_is_not_mistaken_for_its_old_fraction(pemdi):
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    AssessorPass.objects.filter(answer=pemdi.answer("4")).update(level=Decimal("1.30"))
    stored = AssessorPass.objects.get(answer=pemdi.answer("4"))
    assert stored.level == Decimal("1.30") and stored.computed_level == SEVEN_SIXTHS


def test_terminating_values_read_back_as_before_and_ten_decimals_as_given(pemdi):
    answer = pemdi.answer("1")
    AssessorPass.objects.create(answer=answer, stage="document_review", level=Decimal("3"))
    AssessorPass.objects.create(answer=answer, stage="interview", level=Decimal("1.1666666667"))
    levels = {p.stage: p.level for p in AssessorPass.objects.filter(answer=answer)}
    assert str(levels["document_review"]) == "3.00"
    assert str(levels["interview"]) == "1.1666666667"
    assert type(levels["interview"]) is Decimal and levels["interview"] != SEVEN_SIXTHS


@pytest.mark.parametrize("text", ["7/6", "1.1666666667"])
def test_an_assessor_may_enter_an_exact_value_which_is_kept_as_given(pemdi, text):
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    services.assessor_pass_save(
        actor=pemdi.world.asesor_eksternal,
        answer_id=pemdi.answer("4").pk,
        stage="document_review",
        level=parse_value(text),
        notes="Dinilai langsung.",
        expected_version=1,
    )
    stored = AssessorPass.objects.get(answer=pemdi.answer("4"))
    assert exact_fraction(stored.level) == exact_fraction(parse_value(text))
    # 1.1666666667 is not 7/6: entered, it differs from the items' value; 7/6 does not.
    assert stored.differs == (text != "7/6")


def test_a_whole_level_instrument_refuses_a_fraction_with_a_clear_message(world):
    answer = world.answer("13")
    with pytest.raises(InvalidInput) as caught:
        services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=parse_value("7/6"),
            explanation="",
        )
    assert str(caught.value.message) == (
        "value 7/6 is not a whole level; spbe-2020 takes whole levels 1-5"
    )


def test_a_save_limited_to_the_level_field_writes_its_fraction_too(pemdi):
    answer = pemdi.answer("4")
    answer.level = parse_value("7/6")
    answer.save(update_fields=["level"])
    assert Answer.objects.values_list("level_fraction", flat=True).get(pk=answer.pk) == "7/6"
    assert Answer.objects.get(pk=answer.pk).level == SEVEN_SIXTHS


def test_the_api_takes_a_fraction_and_answers_two_places_with_the_exact_value(pemdi):
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    api = Api.session(pemdi.world.asesor_eksternal)
    path = f"/answers/{pemdi.answer('4').pk}"
    saved = api.ok(
        "put", f"{path}/passes/document_review", {"level": "7/6", "notes": "Dinilai.", "version": 1}
    )
    assert (saved["level"], saved["level_exact"]) == ("1.17", "1.16666666666666666667")
    assert saved["differs"] is False
    sheet = api.ok("get", f"{path}/items?stage=document_review")
    assert (sheet["computed_level"], sheet["computed_level_exact"]) == (
        "1.17",
        "1.16666666666666666667",
    )


def test_the_api_refuses_a_fraction_for_a_whole_level_instrument(world):
    answer = world.answer("13")
    response = Api.session(world.koordinator).put(
        f"/answers/{answer.pk}", {"level": "7/6", "version": answer.version}
    )
    assert response.status_code == 422
    assert "not a whole level" in response.content.decode()
    assert Answer.objects.get(pk=answer.pk).level is None


def test_the_api_refuses_what_is_neither_a_decimal_nor_a_fraction(pemdi):
    answer = pemdi.answer("4")
    response = Api.session(pemdi.world.koordinator).put(
        f"/answers/{answer.pk}", {"level": "7/0", "version": answer.version}
    )
    assert response.status_code == 422


# --- the index through the stored answers equals exact arithmetic from the judgements ---------

# Indicators judged by items (their items per level are read from the instrument file), and
# the item rule's bands as the 2026 assessors' values show them.
JUDGED = ("1", "2", "4", "20")
F = Fraction
BANDS = {
    1: (F(1), F(3, 2)),
    2: (F(3, 2), F(5, 2)),
    3: (F(5, 2), F(7, 2)),
    4: (F(7, 2), F(4)),
    5: (F(4), F(5)),
}


def exact_from_judgements(counts: dict[int, int], statuses: dict[int, list[str]]) -> Fraction:
    """The item rule with equal weights, written out independently of monev.core.items: the
    first level not wholly accepted sets the band; accepted items above it do not count."""
    for level in range(1, 6):
        accepted = sum(status == A for status in statuses[level])
        if accepted < counts[level]:
            low, high = BANDS[level]
            return low + Fraction(accepted, counts[level]) * (high - low)
    return Fraction(5)


statuses_strategy = st.sampled_from([A, R, "pending"])


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_index_through_stored_answers_equals_exact_arithmetic_from_the_judgements(pemdi, data):
    instrument = instrument_of(pemdi.period)
    expected = Fraction(0)
    for number in JUDGED:
        indicator = instrument.indicators_by_number[number]
        counts = {level: len(indicator.evidence_items_at(level)) for level in range(1, 6)}
        statuses = {
            level: data.draw(st.lists(statuses_strategy, min_size=count, max_size=count))
            for level, count in counts.items()
        }
        judge(
            pemdi,
            number,
            [
                decide(level, position, status)
                for level, row in statuses.items()
                for position, status in enumerate(row)
            ],
        )
        expected += indicator.weight * (exact_from_judgements(counts, statuses) - 1)
    assert provisional_index(pemdi) == 1 + expected / 100


def test_the_audit_history_records_an_exact_value_as_its_fraction(pemdi):
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    event = AuditEvent.objects.filter(action="assessment.items").get()
    assert (event.after["level"], event.after["computed_level"]) == ("7/6", "7/6")


def test_a_snapshot_keeps_seven_sixths_and_scores_it_again_unrounded(pemdi):
    from monev.core.numbers import exact_str
    from monev.monitoring.selectors.scores import period_state, scores_of_levels

    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, R), decide(1, 2, R)])
    levels, scores = period_state(pemdi.period)
    assert levels["4"]["provisional"] == "7/6"
    again = scores_of_levels(instrument_of(pemdi.period), levels)
    assert again == scores
    assert again["provisional"]["exact"] == exact_str(provisional_index(pemdi))

"""Recording external results: the conversion end to end into the answers and every stage's
score, the default until a value arrives, the history rule, validation messages, permission
refusals, audit events, read-only answers and the planner leaving imported indicators alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from external_support import answer, evaluator, pemdi_period, set_province

from monev.audit.models import AuditEvent
from monev.evaluations import selectors as evaluation_selectors
from monev.evaluations import services as evaluation_services
from monev.evaluations.models import Answer
from monev.evidence.models import Evidence
from monev.external import selectors, services
from monev.external.models import ExternalResult
from monev.institutions.access import access_for
from monev.lib.errors import Forbidden, InvalidInput, NotFound
from monev.planning import services as planning_services

pytestmark = pytest.mark.django_db

IMPORTED = ("5", "6", "7", "18")


def record(actor, institution, indicator="5", year=2025, **fields):
    return services.result_record(
        actor, institution_id=institution.pk, indicator=indicator, data_year=year, **fields
    )


@pytest.fixture
def period(world):
    return pemdi_period(world)


def test_a_new_pemdi_period_takes_the_default_for_every_imported_indicator(world, period):
    for number in IMPORTED:
        a = answer(period, number)
        assert (a.level, a.verified_level, a.status) == (1, 1, Answer.Status.VERIFIED)
        assert "Nilai bawaan 1" in a.explanation
    assert answer(period, "1").level is None  # scored from evidence: untouched
    statuses = selectors.period_external(period, evaluation_selectors.instrument_of(period))
    assert [s.indicator.number for s in statuses] == ["5", "6", "7", "18"]
    assert all(s.waiting and s.value == 1 for s in statuses)
    events = AuditEvent.objects.filter(action="answer.external_value", period_id=period.pk)
    assert events.count() == 4 and {e.actor_label for e in events} == {"system"}


@pytest.mark.parametrize(("sdi", "expected"), [("68.75", "3.75"), ("25", "2.00"), ("0", "1.00")])
def test_sdi_converts_into_indicator_5_end_to_end(world, period, sdi, expected):
    result = record(world.koordinator, world.institution, source_value=Decimal(sdi))
    assert result.value == Decimal(expected)
    assert result.method == "linear_bands" and result.index_name.startswith("Evaluasi/Indeks")
    a = answer(period, "5")
    assert a.level == a.verified_level == Decimal(expected)
    assert "Indeks SDI" in a.explanation
    # Every stage read from the answers sees it: the overview's self and verified scores.
    overview = evaluation_selectors.period_overview(
        period, access_for(world.koordinator, world.institution.pk)
    )
    row = next(r for r in overview.rows if r.answer.indicator == "5")
    assert row.values["self"] == row.values["verified"] == Decimal(expected)


def test_sdi_interoperability_sjig_and_the_statistics_index(world, period):
    record(world.koordinator, world.institution, indicator="18", source_value=Decimal("68.75"))
    record(world.koordinator, world.institution, indicator="6", source_value=Decimal("3.2"))
    stats = record(
        world.koordinator,
        world.institution,
        indicator="7",
        value=Decimal("2.60"),
        source_note="Hasil EPSS 2025, BPS",
    )
    assert answer(period, "18").level == Decimal("3.75")
    assert answer(period, "6").level == Decimal("3.20")
    assert stats.source_value is None and stats.method == "entered"
    assert answer(period, "7").level == Decimal("2.60")


def test_history_is_kept_and_the_rule_picks_the_newest_data_year(world, period):
    first = record(world.koordinator, world.institution, year=2024, source_value=Decimal("25"))
    assert answer(period, "5").level == Decimal("2.00")
    record(world.koordinator, world.institution, year=2025, source_value=Decimal("68.75"))
    assert answer(period, "5").level == Decimal("3.75")
    # A correction of the older year is recorded, but the newer year's value stays in use.
    record(world.koordinator, world.institution, year=2024, source_value=Decimal("50"))
    assert answer(period, "5").level == Decimal("3.75")
    # A correction within the newest year supersedes.
    record(world.koordinator, world.institution, year=2025, source_value=Decimal("75"))
    assert answer(period, "5").level == Decimal("4.00")
    # A data year after the period's year is not used by it.
    record(world.koordinator, world.institution, year=2027, source_value=Decimal("100"))
    assert answer(period, "5").level == Decimal("4.00")
    assert ExternalResult.objects.filter(institution=world.institution).count() == 5
    first.refresh_from_db()
    assert first.value == Decimal("2.00")  # never overwritten
    view = selectors.institution_external(world.koordinator, world.institution.pk, year=2026)
    sdi = view.indicators[0]
    assert len(sdi.results) == 5 and sdi.current.source_value == Decimal("75")


def test_a_result_reaches_the_periods_created_later(world):
    record(world.koordinator, world.institution, source_value=Decimal("68.75"))
    period = pemdi_period(world)
    assert answer(period, "5").level == Decimal("3.75")
    assert answer(period, "6").level == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"source_value": Decimal("100.5")}, "Nilai Indeks SDI harus antara 0 dan 100"),
        ({"source_value": Decimal("-1")}, "Nilai Indeks SDI harus antara 0 dan 100"),
        ({}, "Isi nilai Indeks SDI."),
        ({"indicator": "99", "source_value": Decimal(1)}, "Indikator 99 tidak ada"),
        ({"indicator": "1", "source_value": Decimal(1)}, "tidak dinilai dari indeks instansi lain"),
        ({"indicator": "7", "value": Decimal("2.5")}, "butuh sumbernya"),
        ({"indicator": "7", "source_note": "BPS"}, "tidak punya konversi yang diketahui"),
        ({"indicator": "7", "value": Decimal("6"), "source_note": "BPS"}, "antara 1 dan 5"),
        ({"year": 1999, "source_value": Decimal(1)}, "Tahun data"),
        (
            {"source_value": Decimal("68.75"), "value": Decimal("3")},
            "mengikuti Indeks SDI",
        ),
        ({"source_value": Decimal(1), "source_url": "not a link"}, "alamat web"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(world, period, fields, message):
    with translation.override("id"), pytest.raises(InvalidInput) as error:
        record(world.koordinator, world.institution, **fields)
    texts = [str(error.value.message)] + [d["message"] for d in error.value.details]
    assert any(message in text for text in texts), texts
    assert not ExternalResult.objects.exists()
    assert answer(period, "5").level == 1


def test_evidence_of_another_institution_is_refused(world, period):
    other = Evidence.objects.create(
        institution=world.other_institution, title="SDI", kind="laporan"
    )
    with pytest.raises(InvalidInput):
        record(world.koordinator, world.institution, source_value=Decimal(1), evidence_id=other.pk)
    own = Evidence.objects.create(institution=world.institution, title="SDI 2025", kind="laporan")
    result = record(
        world.koordinator, world.institution, source_value=Decimal(1), evidence_id=own.pk
    )
    assert result.evidence == own


def test_who_may_record(world, period):
    set_province(world)
    for user in (world.operator, world.asesor_internal, world.asesor_eksternal, world.pimpinan):
        with pytest.raises(Forbidden):
            record(user, world.institution, source_value=Decimal(50))
    with pytest.raises(NotFound):
        record(world.outsider, world.institution, source_value=Decimal(50))
    elsewhere = evaluator("eval-jatim", "provinsi", "Jawa Timur")
    with pytest.raises(NotFound):
        record(elsewhere, world.institution, source_value=Decimal(50))
    assert not ExternalResult.objects.exists()
    record(
        evaluator("eval-jateng", "provinsi", "Jawa Tengah"),
        world.institution,
        source_value=Decimal(50),
    )
    record(evaluator("eval-pusat", "nasional"), world.institution, source_value=Decimal(60))
    assert ExternalResult.objects.count() == 2


def test_recording_leaves_audit_events(world, period):
    result = record(world.koordinator, world.institution, source_value=Decimal("68.75"))
    event = AuditEvent.objects.get(action="external_result.record")
    assert event.actor == world.koordinator and event.object_id == str(result.pk)
    assert event.after["source_value"] == "68.75" and event.after["value"] == "3.75"
    changed = AuditEvent.objects.filter(action="answer.external_value").order_by("-seq").first()
    assert changed.after["external_result"] == result.pk and changed.after["level"] == "3.75"


def test_imported_answers_are_read_only_for_the_institution(world, period):
    a = answer(period, "5")
    with translation.override("id"), pytest.raises(InvalidInput) as error:
        evaluation_services.answer_save(
            actor=world.koordinator,
            answer_id=a.pk,
            expected_version=a.version,
            level=Decimal(4),
            explanation="x",
        )
    assert str(error.value.message) == (
        "Nilai indikator ini berasal dari Indeks SDI (Bappenas); catat nilainya di Nilai eksternal."
    )
    with pytest.raises(InvalidInput):
        evaluation_services.answer_return(
            actor=world.asesor_internal, answer_id=a.pk, expected_version=a.version, note="x"
        )
    other = answer(period, "1")
    evaluation_services.answer_save(
        actor=world.koordinator,
        answer_id=other.pk,
        expected_version=other.version,
        level=Decimal("2.50"),
        explanation="ok",
    )


def test_the_planner_never_raises_an_imported_indicator(world, period):
    plan = planning_services.plan_create(
        actor=world.koordinator, period_id=period.pk, target=Decimal("2.00")
    )
    stepped = {item.answer.indicator for item in plan.items.select_related("answer")}
    assert stepped and not stepped & set(IMPORTED)
    assert set(IMPORTED) <= set(plan.parameters["locked"])
    with pytest.raises(InvalidInput):
        planning_services.plan_create(
            actor=world.koordinator, period_id=period.pk, target=Decimal("2.00"), forced={"5": 3}
        )


def test_a_final_answer_stays_final_when_a_late_value_arrives(world, period):
    evaluation_services.period_close_self_assessment(actor=world.koordinator, period_id=period.pk)
    record(world.koordinator, world.institution, source_value=Decimal("68.75"))
    a = answer(period, "5")
    assert a.status == Answer.Status.FINAL and a.level == Decimal("3.75")


@pytest.mark.parametrize("text", ["\u0663", "6\u0668,75", "1e3", "NaN", "Infinity"])
def test_a_typed_number_takes_ascii_digits_only_and_no_exponent(text):
    with pytest.raises(InvalidInput, match=r"not a number|bukan angka"):
        services.parse_number(text, "value")


def test_a_typed_number_reads_a_decimal_comma():
    assert services.parse_number(" 68,75 ", "value") == Decimal("68.75")

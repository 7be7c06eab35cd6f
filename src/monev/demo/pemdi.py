"""Loading the second demo institution: Kabupaten Lombok Timur in its first Indeks Pemdi cycle
(pemdi_data.py tells the story). Like the first, everything about its periods goes through the
services, with `now` inside the moment each step happened, so its audit trail is a real one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from monev.accounts.models import User
from monev.demo import documents, scans
from monev.demo import pemdi_data as data
from monev.demo.data import at
from monev.evaluations import services
from monev.evaluations.models import Answer, AssessorPass, ItemJudgement, Period
from monev.evaluations.services.answers import assignment_fingerprint
from monev.evidence import services as evidence_services
from monev.institutions.clock import set_clock
from monev.institutions.models import Institution, Membership, Unit
from monev.instruments.selectors import instrument_catalog

Stage, Reason = AssessorPass.Stage, ItemJudgement.Reason


def load_pemdi_demo(assessor: User, logins: list) -> tuple[Period, list[int]]:
    """Create Lombok Timur, its 2025 SPBE and 2026 Pemdi periods, and the evaluators; append
    the new logins to `logins`. Returns the 2026 period and the stored files to extract."""
    from monev.demo.loader import Login

    institution = Institution.objects.create(**data.INSTITUTION, is_demo=True)
    set_clock(institution, data.STORY_MOMENT)
    Unit.objects.bulk_create(
        [
            Unit(institution=institution, code=code, name=name, short_name=short)
            for code, name, short in data.UNITS
        ]
    )
    units = {unit.code: unit for unit in institution.units.all()}
    users = {}
    for spec in data.USERS:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=spec.username,
            password=password,
            full_name=spec.full_name,
            email=f"{spec.username}@demo.monev.invalid",
        )
        for code in spec.units or (None,):
            Membership.objects.create(
                user=user,
                institution=institution,
                role=spec.role,
                unit=units[code] if code else None,
            )
        users[spec.username] = user
        logins.append(Login(spec.username, password, spec.label))
    for spec in data.EVALUATORS:
        password = secrets.token_urlsafe(12)
        User.objects.create_user(
            username=spec.username,
            password=password,
            full_name=spec.full_name,
            email=f"{spec.username}@demo.monev.invalid",
            evaluator_scope=spec.scope,
            evaluator_province=spec.province,
        )
        logins.append(Login(spec.username, password, spec.label))
    stored: list[tuple[int, int]] = []
    previous = _previous_period(institution, users, units, stored)
    period = _pemdi_period(institution, previous, users, units, stored)
    _external_values(institution)
    _document_review(period, assessor)
    check_pemdi(period, users["koordinator.lotim"])
    return period, [file_id for file_id, _evidence_id in stored]


def _previous_period(institution, users, units, stored) -> Period:
    """2025 under SPBE 2020: every level given, final; a few documents linked."""
    koordinator = users["koordinator.lotim"]
    period = services.period_create(
        actor=koordinator,
        institution_id=institution.pk,
        year=data.PREVIOUS_YEAR,
        kind=data.PREVIOUS_KIND,
        instrument=data.PREVIOUS_INSTRUMENT,
    )
    instrument = instrument_catalog().find(data.PREVIOUS_INSTRUMENT).instrument
    numbers = [item.number for item in instrument.scored_items]
    clock = _clock(at(2025, 7, 7, 9, 0))
    opens, closes = at(2025, 7, 1, 8, 0), at(2025, 8, 29, 23, 59)
    services.milestone_set(
        actor=koordinator,
        period_id=period.pk,
        kind="self_assessment_open",
        due_at=opens,
        title="Penilaian mandiri dibuka",
    )
    services.milestone_set(
        actor=koordinator,
        period_id=period.pk,
        kind="self_assessment_close",
        due_at=closes,
        title="Penilaian mandiri ditutup",
    )
    answers = {a.indicator: a for a in period.answers.all()}
    for number, level in zip(numbers, data.PREVIOUS_LEVELS, strict=True):
        answers[number] = services.answer_save(
            actor=koordinator,
            answer_id=answers[number].pk,
            expected_version=answers[number].version,
            level=Decimal(level),
            explanation=data.PREVIOUS_EXPLANATIONS.get(number, ""),
            now=next(clock),
        )
    moment = at(2025, 8, 1, 10, 0)
    for title, kind, unit, number, date, lines, links in data.PREVIOUS_EVIDENCE:
        moment += dt.timedelta(minutes=11)
        stored.append(
            _upload(koordinator, institution, units[unit], title, kind, number, date, lines)
        )
        evidence_id = stored[-1][1]
        for indicator, levels in links.items():
            evidence_services.evidence_link(
                actor=koordinator,
                answer_id=answers[indicator].pk,
                evidence_id=evidence_id,
                levels=levels,
                now=moment,
            )
    services.period_close_self_assessment(actor=koordinator, period_id=period.pk, now=closes)
    return period


def _pemdi_period(institution, previous, users, units, stored) -> Period:
    koordinator = users["koordinator.lotim"]
    period = services.period_create(
        actor=koordinator,
        institution_id=institution.pk,
        year=data.YEAR,
        kind=data.KIND,
        instrument=data.INSTRUMENT,
        target=data.TARGET,
        carry_over_from=previous.pk,  # a different instrument: the link only, no baseline
    )
    for kind, due_at, title in sorted(data.MILESTONES, key=lambda m: m[1]):
        services.milestone_set(
            actor=koordinator, period_id=period.pk, kind=kind, due_at=due_at, title=title
        )
    answers = {a.indicator: a for a in period.answers.all()}
    services.period_assign_matrix(
        actor=koordinator,
        period_id=period.pk,
        assignments={
            answers[number].pk: {units[code].pk for code in codes}
            for number, codes in data.ASSIGNMENTS.items()
        },
        expected_fingerprint=assignment_fingerprint([]),
    )
    clock = _clock(at(2026, 8, 10, 9, 0))
    for number, level in data.SELF_LEVELS.items():
        answers[number] = services.answer_save(
            actor=koordinator,
            answer_id=answers[number].pk,
            expected_version=answers[number].version,
            level=Decimal(level),
            explanation=data.SELF_EXPLANATIONS.get(number, ""),
            now=next(clock),
        )
    moment = at(2026, 9, 1, 10, 0)
    for spec in data.EVIDENCE:
        moment += dt.timedelta(minutes=13)
        stored.append(
            _upload(
                koordinator,
                institution,
                units[spec.unit],
                spec.title,
                spec.kind,
                spec.number,
                spec.date,
                spec.lines,
                scan=spec.scan,
            )
        )
        for indicator, levels in spec.links.items():
            evidence_services.evidence_link(
                actor=koordinator,
                answer_id=answers[indicator].pk,
                evidence_id=stored[-1][1],
                levels=levels,
                now=moment,
            )
    _crosswalk_suggestions(period, koordinator)
    clock = _clock(at(2026, 9, 12, 9, 0))
    for number in data.SELF_LEVELS:
        answer = Answer.objects.get(pk=answers[number].pk)
        answer = services.answer_submit(
            actor=koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            now=next(clock),
        )
        services.answer_verify(
            actor=users["asesor.internal.lotim"],
            answer_id=answer.pk,
            expected_version=answer.version,
            now=next(clock),
        )
    services.period_close_self_assessment(
        actor=koordinator, period_id=period.pk, now=at(2026, 9, 15, 23, 59)
    )
    return period


def check_pemdi(period: Period, koordinator: User) -> None:
    """The Pemdi story holds: SDI 68.75 became 3.75 for indicator 5, and the document review
    gives the index and predicate pemdi_data names under the Pemdi bands. DemoDrift otherwise."""
    from monev.demo.loader import DemoDrift
    from monev.evaluations import selectors
    from monev.institutions.access import access_for

    sdi = period.answers.get(indicator=data.SDI["indicator"])
    if sdi.level != data.SDI["expected"]:
        raise DemoDrift(f"SDI {data.SDI['value']} became {sdi.level}, not {data.SDI['expected']}")
    overview = selectors.period_overview(period, access_for(koordinator, period.institution_id))
    result = overview.scores[selectors.ScoreStage.PROVISIONAL].result
    if result is None or (result.index.reported, result.predicate.name) != (
        data.DOCUMENT_INDEX,
        data.DOCUMENT_PREDICATE,
    ):
        found = f"{result.index.reported} {result.predicate.name}" if result else "none"
        raise DemoDrift(f"the Pemdi document review gives {found}, not {data.DOCUMENT_INDEX}")


def _external_values(institution: Institution) -> None:
    """Bappenas' Indeks SDI arrives, recorded by the national evaluator from Bappenas' file;
    the geospatial, statistics and interoperability values have not arrived (default 1)."""
    from monev.external.services import result_record

    evaluator = User.objects.get(username=data.EVALUATORS[0].username)
    result_record(
        evaluator,
        institution_id=institution.pk,
        indicator=data.SDI["indicator"],
        data_year=data.SDI["year"],
        source_value=data.SDI["value"],
        source_note=data.SDI_SOURCE,
        now=at(2026, 9, 18, 10, 0),
    )


def _document_review(period: Period, assessor: User) -> None:
    """The national evaluator assigns the external assessor, who judges the evidence item by
    item (the value follows from the items) and enters one value directly."""
    from monev.assignments import services as assignment_services
    from monev.evaluations.services.items import ItemDecision, items_judge

    evaluator = User.objects.get(username=data.EVALUATORS[0].username)
    assignment_services.assignment_set(
        evaluator, period_id=period.pk, assessor_id=assessor.pk, aspects=data.ASSESSOR_ASPECTS
    )
    answers = {a.indicator: a.pk for a in period.answers.all()}
    for indicator, levels in data.ITEM_REVIEW.items():
        decisions = [
            ItemDecision(level, position, status, *_reason(reason))
            for level, items in levels.items()
            for position, (status, reason) in enumerate(items)
        ]
        items_judge(
            actor=assessor,
            answer_id=answers[indicator],
            stage=Stage.DOCUMENT,
            decisions=decisions,
            expected_version=0,
        )
    # Indicators scored by other agencies: the assessor takes the value that applies (the
    # converted SDI, or the default 1 while BIG's, BPS' and the interoperability values wait).
    for answer in period.answers.filter(indicator__in=data.IMPORTED_NOTES):
        services.assessor_pass_save(
            actor=assessor,
            answer_id=answer.pk,
            stage=Stage.DOCUMENT,
            level=answer.level,
            notes=data.IMPORTED_NOTES[answer.indicator],
            expected_version=0,
        )
    for indicator, (level, note) in data.ENTERED_VALUES.items():
        existing = AssessorPass.objects.get(answer_id=answers[indicator], stage=Stage.DOCUMENT)
        services.assessor_pass_save(
            actor=assessor,
            answer_id=answers[indicator],
            stage=Stage.DOCUMENT,
            level=level,
            notes=note,
            expected_version=existing.version,
        )


def _reason(reason: str) -> tuple[str, str]:
    """(reason kind, reason text) of a revision: the assessors' two usual reasons by name."""
    if not reason:
        return ("", "")
    if reason == data.NOT_UPLOADED:
        return (Reason.NOT_UPLOADED, "")
    if reason == data.WRONG_DOC:
        return (Reason.NOT_APPROPRIATE, "")
    return (Reason.OTHER, reason)


def _crosswalk_suggestions(period: Period, koordinator: User) -> None:
    """Last year's evidence and penjelasan proposed through the crosswalk (a judgement): the
    koordinator takes some, refuses one, and leaves the rest for the page to show."""
    from monev.transition import services as transition_services
    from monev.transition.models import CrosswalkSuggestion

    transition_services.suggestions_generate(actor=koordinator, period_id=period.pk)
    moment = at(2026, 9, 5, 10, 0)
    for indicator in data.CROSSWALK_ACCEPTED:
        answer = Answer.objects.get(period=period, indicator=indicator)
        transition_services.suggestions_accept_indicator(
            actor=koordinator,
            period_id=period.pk,
            indicator=indicator,
            expected_version=answer.version,
            now=moment,
        )
        moment += dt.timedelta(minutes=9)
    for indicator, reason in data.CROSSWALK_REJECTED.items():
        for suggestion in CrosswalkSuggestion.objects.filter(
            period=period, indicator=indicator, state="pending"
        ):
            transition_services.suggestion_reject(
                actor=koordinator, suggestion_id=suggestion.pk, reason=reason
            )


def _upload(
    actor, institution, unit, title, kind, number, date, lines, *, scan: bool = False
) -> tuple[int, int]:
    """(stored file id, evidence id) of a one-page PDF (or its scan) uploaded through the
    service."""
    content = scans.scanned_pdf(list(lines)) if scan else documents.pdf(lines)
    evidence = evidence_services.evidence_upload(
        actor=actor,
        institution_id=institution.pk,
        uploaded=SimpleUploadedFile(title[:60].replace(" ", "-") + ".pdf", content),
        title=title,
        kind=kind,
        unit_id=unit.pk,
        document_number=number,
        document_date=date,
    )
    return evidence.versions.get().file_id, evidence.pk


def _clock(start: dt.datetime):
    moment = start
    while True:
        yield moment
        moment += dt.timedelta(minutes=6)

"""The progress of a round: each institution at the furthest stage it has reached, counted
by kind and by province, in a sortable, paginated table with due dates."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from benchmarking_support import document_review, evaluator, institutions, round_for
from django.utils import timezone

from monev.benchmarking import selectors
from monev.benchmarking.selectors import round_progress
from monev.evaluations.models import Answer, AssessorPass, Milestone

pytestmark = pytest.mark.django_db


def _stage(user, institution):
    progress = selectors.progress(user, year=2025, instrument_id="spbe-2020", sort="name")
    return next(r.stage for r in progress.rows if r.institution.pk == institution.pk)


def test_every_stage_is_derived_from_the_answers_and_the_passes():
    members = institutions(2)
    (period,) = round_for(members[:1], status=Answer.Status.DRAFT, levels=[None])
    national = evaluator("n")
    assert _stage(national, members[1]) == "not_started"  # no period at all
    assert _stage(national, members[0]) == "not_started"  # nothing entered
    answers = Answer.objects.filter(period=period)
    answers.filter(indicator="1").update(level=Decimal(2))
    assert _stage(national, members[0]) == "self_assessment"
    answers.update(status=Answer.Status.FINAL, level=Decimal(2))
    assert _stage(national, members[0]) == "submitted"
    answers.update(verified_level=Decimal(2))
    assert _stage(national, members[0]) == "verified"
    document_review(period)
    assert _stage(national, members[0]) == "document_review"
    first = answers.get(indicator="1")
    AssessorPass.objects.create(answer=first, stage="interview", level=Decimal(3))
    assert _stage(national, members[0]) == "interview"
    AssessorPass.objects.create(answer=first, stage="visitation", level=Decimal(3))
    assert _stage(national, members[0]) == "visitation"
    AssessorPass.objects.bulk_create(
        AssessorPass(answer=a, stage="final", level=Decimal(3)) for a in answers
    )
    assert _stage(national, members[0]) == "final"


def test_counts_by_kind_and_province_and_the_table():
    members = institutions(8)
    periods = round_for(members[:6], status=Answer.Status.FINAL)
    Milestone.objects.create(
        period=periods[0],
        kind="self_assessment_close",
        due_at=timezone.now() + timedelta(days=3),
    )
    Milestone.objects.create(
        period=periods[0], kind="interview", due_at=timezone.now() + timedelta(days=9)
    )
    progress = selectors.progress(evaluator("n"), year=2025, instrument_id="spbe-2020")
    assert progress.total == 8
    assert progress.counts["submitted"] == 6 and progress.counts["not_started"] == 2
    assert sum(progress.by_kind["kabupaten"].values()) == 2
    assert progress.by_province[""]["submitted"] == 1  # the pusat with a period
    assert list(progress.by_province)[-1] == ""  # central agencies last
    by_due = selectors.progress(evaluator("m"), year=2025, instrument_id="spbe-2020", sort="due")
    assert by_due.rows[0].institution.pk == members[0].pk
    assert by_due.rows[0].next_due[0] == "self_assessment_close"
    kota = selectors.progress(evaluator("k"), year=2025, instrument_id="spbe-2020", kind="kota")
    assert {r.institution.kind for r in kota.rows} == {"kota"}
    assert kota.total == 8  # the counts stay over the whole scope


def test_the_table_is_paginated(monkeypatch):
    monkeypatch.setattr(round_progress, "PROGRESS_PAGE", 3)
    members = institutions(7)
    round_for(members)
    national = evaluator("n")
    pages = [selectors.progress(national, year=2025, sort="name", page=n).rows for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert selectors.progress(national, year=2025, page=99).page == 3
    names = [r.institution.name for p in pages for r in p]
    assert names == sorted(names, key=str.lower)

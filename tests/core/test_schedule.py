"""Schedule templates as instrument data (issue 15, point 6): pemdi-2026 carries the 2026
national schedule as the default milestones of a new period, relative to the period's year;
spbe-2020 has none. The loader refuses a schedule that cannot be placed in every year or runs
its stages out of order."""

from __future__ import annotations

from datetime import datetime

import pytest

from monev.core.loader import InstrumentError, load_file
from monev.core.model import MILESTONE_KINDS


def local(*parts: int) -> datetime:
    # The core gives wall-clock times; the application places them in the deployment's zone.
    return datetime(*parts)  # noqa: DTZ001


def moments(instrument, year: int) -> dict[str, datetime]:
    return {kind: moment for kind, moment, _title in instrument.schedule.on(year)}


def test_pemdi_2026_carries_the_2026_national_schedule(pemdi):
    assert moments(pemdi, 2026) == {
        # evidence upload 1 August - 15 September: the self-assessment in the national system
        "self_assessment_open": local(2026, 8, 1, 0, 0),
        "evidence_deadline": local(2026, 9, 15, 23, 59),
        "self_assessment_close": local(2026, 9, 15, 23, 59),
        "document_review": local(2026, 9, 20, 23, 59),  # first-stage results
        "interview": local(2026, 9, 30, 23, 59),  # interviews 21-30 September
        "visitation": local(2026, 10, 30, 23, 59),  # site visits 1-30 October
        "announcement": local(2026, 12, 15, 23, 59),  # November to mid-December
    }
    assert pemdi.schedule.confidence.value == "medium"
    assert "10.8" in pemdi.schedule.source


def test_the_schedule_follows_the_periods_year(pemdi):
    later = moments(pemdi, 2028)
    assert later["self_assessment_open"] == local(2028, 8, 1, 0, 0)
    assert later["announcement"] == local(2028, 12, 15, 23, 59)


def test_every_window_of_the_national_schedule_is_named_in_its_milestones_titles(pemdi):
    titles = {kind: title for kind, _moment, title in pemdi.schedule.on(2026)}
    assert "21" in titles["interview"] and "30 September" in titles["interview"]
    assert "1" in titles["visitation"] and "30 Oktober" in titles["visitation"]
    assert "November" in titles["announcement"] and "Desember" in titles["announcement"]


def test_spbe_2020_has_no_default_schedule(spbe2020, spbe2018):
    assert spbe2020.schedule is None
    assert spbe2018.schedule is None


def test_a_schedule_names_only_milestone_kinds_the_application_knows(pemdi):
    assert {entry.kind for entry in pemdi.schedule.milestones} <= set(MILESTONE_KINDS)


def problems(path) -> list[str]:
    with pytest.raises(InstrumentError) as caught:
        load_file(path)
    return caught.value.render().splitlines()


def test_an_unknown_milestone_kind_is_refused(edited, find_line):
    path = edited("pemdi-2026", ("kind: visitation", "kind: site_visit"))
    [line] = problems(path)
    assert line.startswith(f"{path}:{find_line(path, 'kind: site_visit')}: schedule.milestones")
    assert "visitation" in line  # the message lists the kinds that exist


def test_a_day_that_does_not_exist_in_every_year_is_refused(edited, find_line):
    path = edited(
        "pemdi-2026",
        ("{kind: document_review, month: 9, day: 20", "{kind: document_review, month: 2, day: 29"),
    )
    [line] = problems(path)
    assert line == (
        f"{path}:{find_line(path, 'kind: document_review')}: schedule.milestones[3]: "
        "29 February does not exist in every year"
    )
    path = edited(
        "pemdi-2026",
        ("{kind: visitation, month: 10, day: 30", "{kind: visitation, month: 9, day: 31"),
        name="b.yaml",
    )
    assert problems(path)[0].endswith("31 September does not exist in every year")


def test_a_kind_given_twice_is_refused(edited):
    path = edited("pemdi-2026", ("kind: evidence_deadline", "kind: interview"))
    assert any("interview is given twice" in line for line in problems(path))


def test_stages_out_of_order_are_refused(edited, find_line):
    path = edited(
        "pemdi-2026", ("{kind: interview, month: 9, day: 30", "{kind: interview, month: 9, day: 10")
    )
    lines = problems(path)
    assert lines[0] == (
        f"{path}:{find_line(path, 'kind: interview')}: schedule.milestones[4]: interview "
        "(10 September) comes before document_review (20 September); the stages run in order: "
        "self-assessment and evidence, document review, interview, site visit, announcement"
    )


def test_a_self_assessment_that_closes_when_it_opens_is_refused(edited):
    path = edited(
        "pemdi-2026",
        (
            "{kind: self_assessment_open, month: 8, day: 1, at: start",
            "{kind: self_assessment_open, month: 9, day: 15, at: end",
        ),
    )
    assert any(
        line.endswith(
            "self_assessment_close (15 September) must come after "
            "self_assessment_open (15 September)"
        )
        for line in problems(path)
    )


def test_a_milestone_may_fall_in_the_following_year(edited, pemdi):
    path = edited(
        "pemdi-2026",
        (
            "{kind: announcement, month: 12, day: 15",
            "{kind: announcement, year_offset: 1, month: 3, day: 31",
        ),
    )
    instrument = load_file(path).instrument
    assert moments(instrument, 2026)["announcement"] == local(2027, 3, 31, 23, 59)

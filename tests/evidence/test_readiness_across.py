"""The readiness of every answer at once (/data-dukung/periode/ID/kesiapan/, its .xlsx and
GET /api/v1/periods/ID/readiness): grouped by unit and indicator, filtered by severity and
unit, an operator's own units only, permissions per role, constant query counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from api_support import Api
from monev.evaluations.models import Answer, AnswerUnit
from monev.evidence.models import Evidence, EvidenceLink, EvidenceVersion, StoredFile
from monev.institutions.models import Unit

pytestmark = pytest.mark.django_db

_serial = count(1)
PERSONAS = [
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
]


def claim(world, indicator: str, level) -> Answer:
    answer = world.answer(indicator)
    answer.level = Decimal(str(level))
    answer.save(update_fields=["level"])
    return answer


def report_item(world, title: str, unit=None) -> Evidence:
    """A dated report with a readable PDF: it raises nothing by itself."""
    sha = hashlib.sha256(b"across %d" % next(_serial)).hexdigest()
    file = StoredFile.objects.create(
        sha256=sha,
        size=1000,
        kind="pdf",
        content_type="application/pdf",
        storage_name=f"evidence/{sha}",
        text_status="done",
    )
    item = Evidence.objects.create(
        institution=world.institution,
        title=title,
        kind=Evidence.Kind.REPORT,
        unit=unit or world.unit_a,
        document_date=dt.date(2025, 3, 1),
    )
    EvidenceVersion.objects.create(evidence=item, number=1, file=file, original_name="f.pdf")
    return item


def app_link(world, title: str) -> Evidence:
    """An application link without access notes: a warning."""
    return Evidence.objects.create(
        institution=world.institution,
        title=title,
        kind=Evidence.Kind.APP_LINK,
        unit=world.unit_b,
        url="https://app.contoh.go.id",
    )


def link(answer: Answer, item: Evidence, *levels: int) -> None:
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(answer=answer, evidence=item, level=level) for level in levels]
    )


def scene(world) -> dict[str, Answer]:
    """Answer 1 (unit A): level 2 with nothing linked - an error. Answer 6 (unit B): level 2
    with an application link lacking access notes - a warning. Answer 2 (unit A): level 2,
    fully supported - nothing. Answer 12 (no unit): level 1 with nothing - an error."""
    one = claim(world, "1", 2)
    six = claim(world, "6", 2)
    link(six, app_link(world, "Aplikasi e-Office"), 1, 2)
    two = claim(world, "2", 2)
    link(two, report_item(world, "Laporan TIK 2025"), 1, 2)
    twelve = claim(world, "12", 1)
    return {"1": one, "6": six, "2": two, "12": twelve}


def get(client, world, **query):
    return client.get(reverse("evidence:readiness", args=[world.period.pk]), query)


def answer_url(answer: Answer) -> str:
    return reverse("answers:detail", args=[answer.pk])


# --- the page -------------------------------------------------------------------------------


def test_it_lists_every_error_and_warning_by_unit_with_links(client, world):
    answers = scene(world)
    client.force_login(world.koordinator)
    response = get(client, world)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-readiness-errors="2"' in html and 'data-readiness-warnings="1"' in html
    assert html.index("Dinas A") < html.index("Dinas B")
    for number in ("1", "6", "12"):
        assert answer_url(answers[number]) in html
    assert answer_url(answers["2"]) not in html  # ready: not listed
    assert "Aplikasi e-Office" in html  # the warning's message names the item


def test_an_answer_of_two_units_is_listed_under_both_and_counted_once(client, world):
    answers = scene(world)
    AnswerUnit.objects.create(answer=answers["1"], unit=world.unit_b)
    client.force_login(world.koordinator)
    html = get(client, world).content.decode()
    assert html.count(answer_url(answers["1"])) == 2
    assert 'data-readiness-errors="2"' in html


def test_it_filters_by_severity_and_unit(client, world):
    answers = scene(world)
    client.force_login(world.koordinator)
    errors = get(client, world, severity="error").content.decode()
    assert answer_url(answers["1"]) in errors and answer_url(answers["6"]) not in errors
    warnings = get(client, world, severity="warning").content.decode()
    assert answer_url(answers["6"]) in warnings and answer_url(answers["1"]) not in warnings
    unit_b = get(client, world, unit_id=world.unit_b.pk).content.decode()
    assert answer_url(answers["6"]) in unit_b and answer_url(answers["1"]) not in unit_b


def test_a_bad_severity_is_said_in_the_ui_language_and_the_list_stays(client, world):
    answers = scene(world)
    client.force_login(world.koordinator)
    response = get(client, world, severity="semua")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tingkat keparahan tidak dikenal" in html
    assert answer_url(answers["1"]) in html and answer_url(answers["6"]) in html


def test_an_operator_sees_only_their_units_answers(client, world):
    answers = scene(world)
    client.force_login(world.operator)
    html = get(client, world).content.decode()
    assert answer_url(answers["1"]) in html
    assert answer_url(answers["6"]) not in html and answer_url(answers["12"]) not in html
    assert "Dinas B" not in html
    # Another unit named in the filter shows nothing of it.
    html = get(client, world, unit_id=world.unit_b.pk).content.decode()
    assert answer_url(answers["6"]) not in html


@pytest.mark.parametrize("role", [*PERSONAS, "outsider", "anonymous"])
def test_the_page_and_its_workbook_answer_by_role(client, world, role):
    scene(world)
    if role != "anonymous":
        client.force_login(world.personas()[role])
    expected = {"outsider": 404, "anonymous": 302}.get(role, 200)
    assert get(client, world).status_code == expected
    download = reverse("evidence:readiness_xlsx", args=[world.period.pk])
    assert client.get(download).status_code == expected


def test_the_data_dukung_tab_is_current_and_the_dashboard_links_here(client, world):
    scene(world)
    client.force_login(world.pimpinan)
    html = get(client, world).content.decode()
    library = reverse("evidence:library", args=[world.institution.pk])
    assert f'href="{library}?period_id={world.period.pk}" aria-current="page"' in html
    dashboard = client.get(reverse("monitoring:dashboard", args=[world.period.pk]))
    assert reverse("evidence:readiness", args=[world.period.pk]) in dashboard.content.decode()


# --- the workbook -----------------------------------------------------------------------------


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_opens_with_one_row_per_check_and_the_same_filters(client, world):
    answers = scene(world)
    evil = Unit.objects.create(institution=world.institution, code="Z", name="=HYPERLINK(1)")
    AnswerUnit.objects.create(answer=answers["12"], unit=evil)
    client.force_login(world.koordinator)
    download = reverse("evidence:readiness_xlsx", args=[world.period.pk])
    book = workbook(client.get(download))
    sheet = book["Kesiapan Data Dukung"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode Unit", "Unit", "No. Indikator")
    codes = [(row[0], row[2], row[7]) for row in rows[1:]]
    assert ("A", "1", "no_evidence") in codes and ("B", "6", "link_without_access_notes") in codes
    assert ("Z", "12", "no_evidence") in codes
    assert any(row[1] == "=HYPERLINK(1)" for row in rows[1:])  # text, not a formula
    first = next(row for row in rows[1:] if row[2] == "1")
    assert first[9].endswith(answer_url(answers["1"]))
    assert "Keterangan" in book.sheetnames
    only_errors = workbook(client.get(download, {"severity": "error"}))
    severities = {row[6] for row in only_errors.active.iter_rows(min_row=2, values_only=True)}
    assert severities == {"Kesalahan"}
    assert client.get(download, {"severity": "x"}).status_code == 422


def test_an_operators_workbook_holds_only_their_units(client, world):
    scene(world)
    client.force_login(world.operator_b)
    book = workbook(client.get(reverse("evidence:readiness_xlsx", args=[world.period.pk])))
    units = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert units == {"B"}


# --- the API ----------------------------------------------------------------------------------


def test_the_api_gives_the_same_list(world):
    answers = scene(world)
    api = Api.token(world.koordinator)
    body = api.ok("get", f"/periods/{world.period.pk}/readiness")
    assert body["totals"] == {
        "errors": 2,
        "warnings": 1,
        "answers_with_errors": 2,
        "answers_with_warnings": 1,
    }
    units = [(u["unit"]["code"] if u["unit"] else None) for u in body["units"]]
    assert units == ["A", "B", None]
    first = body["units"][0]["answers"][0]
    assert first["answer_id"] == answers["1"].pk and first["checks"][0]["code"] == "no_evidence"
    assert first["checks"][0]["severity"] == "error"
    warned = api.ok("get", f"/periods/{world.period.pk}/readiness?severity=warning")
    assert [u["unit"]["code"] for u in warned["units"]] == ["B"]
    assert warned["download_url"].endswith("readiness.xlsx?severity=warning")
    bad = api.get(f"/periods/{world.period.pk}/readiness", severity="all")
    assert bad.status_code == 422
    download = api.get(f"/periods/{world.period.pk}/readiness.xlsx")
    assert load_workbook(io.BytesIO(download.content)).sheetnames[0] == "Kesiapan Data Dukung"


@pytest.mark.parametrize("role", [*PERSONAS, "outsider", "anonymous"])
def test_the_api_answers_by_role(world, role):
    scene(world)
    api = Api.anonymous() if role == "anonymous" else Api.token(world.personas()[role])
    response = api.get(f"/periods/{world.period.pk}/readiness")
    assert response.status_code == {"outsider": 404, "anonymous": 401}.get(role, 200)
    if role in ("operator", "operator_b"):
        own = "A" if role == "operator" else "B"
        assert {u["unit"]["code"] for u in response.json()["units"]} == {own}


# --- constant queries -----------------------------------------------------------------------


def grow(world, units: int = 12) -> None:
    """More units sharing answers, more claims, more evidence with files."""
    new = Unit.objects.bulk_create(
        Unit(institution=world.institution, code=f"X{n:02}", name=f"Dinas X{n}")
        for n in range(units)
    )
    answers = list(world.period.answers.order_by("position")[10:30])
    AnswerUnit.objects.bulk_create(
        AnswerUnit(answer=a, unit=u) for i, a in enumerate(answers) for u in new[i % units :][:2]
    )
    for n, answer in enumerate(answers):
        answer.level = Decimal(1 + n % 4)
        answer.save(update_fields=["level"])
        if n % 2:
            link(answer, report_item(world, f"Laporan {n}"), 1)
            link(answer, app_link(world, f"Aplikasi {n}"), 1)


def test_the_page_the_workbook_and_the_api_read_a_fixed_number_of_queries(
    client, world, django_assert_num_queries
):
    scene(world)
    client.force_login(world.koordinator)
    url = reverse("evidence:readiness", args=[world.period.pk])
    download = reverse("evidence:readiness_xlsx", args=[world.period.pk])
    api = Api.session(world.koordinator)
    path = f"/periods/{world.period.pk}/readiness"
    # session, user, period, memberships; milestones, answers, unit links, links, versions,
    # the files' other evidence
    with django_assert_num_queries(10):
        small = client.get(url)
    with django_assert_num_queries(10):
        client.get(download)
    with django_assert_num_queries(10):
        api.get(path)
    grow(world)
    with django_assert_num_queries(10):
        large = client.get(url)
    with django_assert_num_queries(10):
        client.get(download)
    with django_assert_num_queries(10):
        body = api.get(path).json()
    assert len(large.content) > len(small.content)
    assert len(body["units"]) > 3

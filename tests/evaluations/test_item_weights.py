"""Item weights (issue 15): where the 2026 assessor records show a level's items are not equal
but no source gives their weights (indicator 4: 2 of 3 level-1 items accepted -> 1.30 published,
equal shares 1.33; indicator 20: 2 of 4 -> 1.30, equal shares 1.25), the file says the weights
are unknown; the value computed with equal weights is still shown, with that said, beside the
assessor's value."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from items_support import A, R, build_pemdi, decide, judge

from api_support import Api
from monev.evaluations import services


@pytest.fixture
def pemdi(world):
    return build_pemdi(world)


def enter(pemdi, indicator: str, level: str):
    current = pemdi.answer(indicator).passes.get(stage="document_review")
    return services.assessor_pass_save(
        actor=pemdi.world.asesor_eksternal,
        answer_id=pemdi.answer(indicator).pk,
        stage="document_review",
        level=Decimal(level),
        notes="Nilai dari hasil penilaian asesor 2026.",
        expected_version=current.version,
    )


def answer_page(client, pemdi, indicator: str) -> str:
    client.force_login(pemdi.world.koordinator)
    url = reverse("answers:detail", args=[pemdi.answer(indicator).pk])
    response = client.get(url, {"stage": "document_review"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("indicator", "judged", "computed", "published"),
    [
        ("4", [A, A, R], "1,33", "1.30"),
        ("20", [A, A, R, R], "1,25", "1.30"),
    ],
)
def test_the_page_shows_the_computed_value_with_weights_unknown_beside_the_assessors(
    client, pemdi, indicator, judged, computed, published
):
    judge(pemdi, indicator, [decide(1, n, status) for n, status in enumerate(judged)])
    assessor_pass = enter(pemdi, indicator, published)
    assert assessor_pass.differs
    html = answer_page(client, pemdi, indicator)
    assert f'class="computed-value">{computed}<' in html
    assert (
        '<span class="weights-unknown">Bobot butir tingkat 1 belum diketahui: nilai dihitung '
        "dengan bobot sama dan dapat berbeda dari nilai asesor.</span>"
    ) in html
    # ... and beside the assessor's value, both shown as differing.
    shown = published.replace(".", ",")
    assert f"Nilai dihitung dari butir: {computed} — nilai asesor: {shown}" in html


def test_the_api_says_which_levels_weights_are_unknown(pemdi):
    judge(pemdi, "4", [decide(1, 0, A), decide(1, 1, A), decide(1, 2, R)])
    enter(pemdi, "4", "1.30")
    sheet = Api.session(pemdi.world.koordinator).ok(
        "get", f"/answers/{pemdi.answer('4').pk}/items?stage=document_review"
    )
    assert sheet["weights_known"] is False and sheet["weights_unknown_level"] == 1
    assert sheet["computed_level"] == "1.33" and sheet["entered_level"] == "1.30"
    assert sheet["differs"] is True


def test_unknown_weights_are_not_mentioned_where_they_do_not_change_the_value(client, pemdi):
    # Every level-1 item accepted: the weights do not matter; level 2 weighs equally.
    judge(pemdi, "4", [decide(1, n, A) for n in range(3)] + [decide(2, 0, A), decide(2, 1, R)])
    assert pemdi.answer("4").passes.get().computed_level == Fraction(2)
    html = answer_page(client, pemdi, "4")
    assert 'class="weights-unknown"' not in html


def test_an_indicator_with_equal_weights_shows_no_note(client, pemdi):
    judge(pemdi, "2", [decide(1, 0, A), decide(1, 1, R)])
    html = answer_page(client, pemdi, "2")
    assert 'class="weights-unknown"' not in html

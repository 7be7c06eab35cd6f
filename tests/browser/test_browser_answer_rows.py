"""The answer tables (the review queue, the overview, the to-do list) on a phone: each row a
short block - the number beside the indicator's name, status and level on the next line, a cell
named by its column where its value alone says too little - while a laptop keeps the table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from browser_support import DESKTOP, PHONE, assert_fits_the_viewport, sign_in

from monev.evaluations import services

# Where the parts of the review queue's row of indicator 11 stand.
ROW_BOXES = """() => {
  const row = [...document.querySelectorAll("table.answer-rows tbody tr")]
    .find(tr => tr.querySelector("th").textContent.trim() === "11");
  const box = el => el.getBoundingClientRect();
  const level = row.querySelector("td[data-label]");
  return {
    display: getComputedStyle(row).display,
    number: box(row.querySelector("th")).top,
    name: box(row.querySelector("a")).top,
    nameBottom: box(row.querySelector("a")).bottom,
    status: box(row.querySelector("td:nth-of-type(2)")).top,
    level: box(level).top,
    levelLabel: getComputedStyle(level, "::before").content,
  };
}"""


@pytest.fixture
def submitted(world):
    for number in ("1", "11"):
        answer = world.answer(number)
        answer = services.answer_save(
            actor=world.koordinator,
            answer_id=answer.pk,
            expected_version=answer.version,
            level=Decimal(3),
            explanation="Diisi untuk uji peramban.",
        )
        services.answer_submit(
            actor=world.koordinator, answer_id=answer.pk, expected_version=answer.version
        )
    return world


def open_queue(page, world, password, viewport) -> dict:
    page.set_viewport_size(viewport)
    sign_in(page, "asesor_internal", password)
    page.goto(f"/periode/{world.period.pk}/antrian/")
    page.get_by_role("rowheader", name="11", exact=True).wait_for()
    return page.evaluate(ROW_BOXES)


def test_on_a_phone_a_queue_row_is_a_short_block(page, submitted, password):
    boxes = open_queue(page, submitted, password, PHONE)
    assert boxes["display"] == "flex"
    assert abs(boxes["number"] - boxes["name"]) < 8  # the number beside the name
    assert boxes["status"] >= boxes["nameBottom"] - 1  # status and level on the next line
    assert abs(boxes["level"] - boxes["status"]) < 8  # ... side by side
    assert "Tingkat" in boxes["levelLabel"]  # the level named by its column
    assert_fits_the_viewport(page, "the review queue on a phone")


def test_on_a_laptop_the_queue_keeps_its_table(page, submitted, password):
    boxes = open_queue(page, submitted, password, DESKTOP)
    assert boxes["display"] == "table-row"
    assert abs(boxes["number"] - boxes["status"]) < 8  # one line of columns
    assert boxes["levelLabel"] in ("none", "normal")  # no column names inside the cells

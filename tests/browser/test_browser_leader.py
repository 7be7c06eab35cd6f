"""The pimpinan's journey in the browser: signing in on a phone lands on the leader's view
of the institution's latest period, which reads without scrolling sideways at 390 px."""

from __future__ import annotations

import re
from decimal import Decimal

from browser_support import give_levels, indonesian, sign_in
from playwright.sync_api import expect

from monev.evaluations.models import Period
from monev.planning import services as planning_services

PHONE = {"width": 390, "height": 844}


def test_a_pimpinan_lands_on_the_leaders_view_and_it_fits_a_phone(page, world, password):
    give_levels(world, {str(n): "2" if n <= 10 else "3" for n in range(1, 48)})
    Period.objects.filter(pk=world.period.pk).update(target=Decimal("3.20"))
    planning_services.plan_create(actor=world.koordinator, period_id=world.period.pk)
    page.set_viewport_size(PHONE)

    sign_in(page, "pimpinan", password)

    expect(page).to_have_url(re.compile(rf"/laporan/periode/{world.period.pk}/pimpinan/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(indonesian("Leader's view"))
    expect(page.locator("[data-figure=index]")).to_have_text("2,87")
    expect(page.locator(".leader-sentences p")).to_have_count(3)
    expect(page.locator("li.leader-gain")).to_have_count(10)
    summary = page.get_by_role("link", name=indonesian("Print it: the one-page summary (PDF)"))
    expect(summary).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

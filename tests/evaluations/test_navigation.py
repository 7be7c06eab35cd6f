"""The period's tabs (monev.evaluations.navigation): the evaluation's own, and those the apps
above it register; every tab a template asks for is there, for every role."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monev.evaluations import navigation
from monev.institutions.access import access_for

TEMPLATES = Path(navigation.__file__).resolve().parents[1] / "templates" / "evaluations"


def asked_tabs() -> set[str]:
    text = "".join(
        (TEMPLATES / name).read_text(encoding="utf-8")
        for name in ("_period_nav.html", "period_list.html")
    )
    return set(re.findall(r"\btabs\.(\w+)", text))


@pytest.mark.parametrize("role", ["koordinator", "operator", "pimpinan", "admin"])
def test_every_tab_the_templates_ask_for_is_decided_for_every_role(world, role):
    user = world.personas()[role]
    tabs = navigation.period_tabs(world.period, access_for(user, world.institution.pk))
    assert asked_tabs() <= set(tabs)


def test_the_tabs_of_the_apps_above_evaluations_follow_their_rules(world):
    def tabs(role):
        access = access_for(world.personas()[role], world.institution.pk)
        return navigation.period_tabs(world.period, access)

    koordinator, operator, admin = tabs("koordinator"), tabs("operator"), tabs("admin")
    for shown in (koordinator, operator, admin):
        assert shown["evidence"] and shown["plan"] and shown["dashboard"] and shown["reports"]
    assert koordinator["imports"] and operator["imports"] and not admin["imports"]
    assert admin["institution_imports"] and not koordinator["institution_imports"]
    assert koordinator["transition"] and not operator["transition"]
    assert koordinator["matrix"] and not operator["matrix"]


def test_someone_outside_the_institution_gets_no_tab(world):
    tabs = navigation.period_tabs(world.period, access_for(world.outsider, world.institution.pk))
    assert not any(tabs.values())

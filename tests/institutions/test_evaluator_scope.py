"""Evaluator scope: the people who run the evaluation of many institutions see them without
a membership in each - nationally, or for one province and its kabupaten/kota."""

from __future__ import annotations

import pytest

from monev.institutions.access import access_for, institutions_in_scope
from monev.institutions.models import Institution
from monev.institutions.permissions import Capability
from people_support import make_user


@pytest.fixture
def regions(db):
    def make(code, kind, province):
        return Institution.objects.create(code=code, name=code, kind=kind, province=province)

    return {
        "jabar": make("prov-jabar", "provinsi", "Jawa Barat"),
        "bandung": make("kota-bandung", "kota", "Jawa Barat"),
        "garut": make("kab-garut", "kabupaten", "Jawa Barat"),
        "medan": make("kota-medan", "kota", "Sumatera Utara"),
        "kemen": make("kemen-x", "pusat", "Jawa Barat"),
    }


def _scoped(username, scope, province=""):
    user = make_user(username)
    user.evaluator_scope = scope
    user.evaluator_province = province
    user.save()
    return user


def test_a_national_evaluator_sees_every_institution(regions):
    user = _scoped("nasional", "nasional")
    assert set(institutions_in_scope(user)) == set(regions.values())
    assert access_for(user, regions["medan"].pk).can(Capability.MANAGE_ASSESSORS)


def test_a_province_evaluator_sees_the_province_and_its_regions_but_not_central_agencies(regions):
    user = _scoped("jabar", "provinsi", "Jawa Barat")
    seen = set(institutions_in_scope(user))
    assert seen == {regions["jabar"], regions["bandung"], regions["garut"]}
    assert access_for(user, regions["bandung"].pk).can(Capability.VIEW)
    assert not access_for(user, regions["medan"].pk)
    assert not access_for(user, regions["kemen"].pk)


def test_an_evaluator_may_not_edit_answers_or_assess(regions):
    access = access_for(_scoped("nasional", "nasional"), regions["garut"].pk)
    assert not access.can(Capability.EDIT_ANSWER)
    assert not access.can(Capability.ASSESS)
    assert not access.can(Capability.MANAGE_PERIOD)


def test_a_user_without_scope_sees_only_their_memberships(regions):
    assert not institutions_in_scope(make_user("nobody")).exists()
    assert not access_for(make_user("nobody2"), regions["garut"].pk)


def test_deciding_access_costs_one_query_for_a_user_without_scope(
    regions, django_assert_num_queries
):
    user = make_user("plain")
    with django_assert_num_queries(1):
        access_for(user, regions["garut"].pk)

"""The claim and its evidence: a decimal claim stands for its whole level, and a claim of level 1
or more needs evidence linked at that level or below."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from monev.core.evidence_rules import claimed_level, lacks_evidence


def test_a_decimal_claim_stands_for_its_whole_level():
    assert claimed_level(Decimal("2.50")) == 2
    assert claimed_level(Decimal("2.99")) == 2
    assert claimed_level(Decimal("0.75")) == 0
    assert claimed_level(3) == 3
    assert claimed_level(None) is None


def test_a_claim_without_evidence_at_or_below_it_lacks_evidence():
    assert lacks_evidence(Decimal("2"), [])
    assert lacks_evidence(Decimal("2"), {3, 4})  # linked only above the claim
    assert lacks_evidence(Decimal("2.50"), {3})  # 2.50 claims level 2
    assert not lacks_evidence(Decimal("2"), {2})
    assert not lacks_evidence(Decimal("2.50"), {1, 5})


def test_no_claim_or_a_claim_below_level_1_needs_no_evidence():
    assert not lacks_evidence(None, [])
    assert not lacks_evidence(Decimal("0"), [])
    assert not lacks_evidence(Decimal("0.99"), [])


levels = st.decimals(min_value=0, max_value=5, places=2)


@given(level=levels, linked=st.sets(st.integers(min_value=1, max_value=5), max_size=5))
def test_evidence_is_lacking_exactly_when_every_link_is_above_the_whole_level(level, linked):
    whole = math.floor(level)
    expected = whole >= 1 and all(lv > whole for lv in linked)
    assert lacks_evidence(level, linked) is expected
    assert lacks_evidence(level, iter(linked)) is expected  # any iterable of levels

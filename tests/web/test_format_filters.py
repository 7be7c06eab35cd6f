from decimal import Decimal

from django.utils import translation

from monev.web.templatetags.monev_format import signed


def test_a_change_is_signed_and_written_with_the_languages_decimal_separator():
    with translation.override("id"):
        assert signed(Decimal("0.22")) == "+0,22"
        assert signed(Decimal("-0.05")) == "-0,05"
        assert signed(Decimal("0")) == "0,00"
    with translation.override("en"):
        assert signed(Decimal("0.22")) == "+0.22"


def test_no_change_known_is_shown_as_nothing():
    assert signed(None) == ""

"""What every view asks of a request or a form (monev.lib.http)."""

from __future__ import annotations

from django import forms
from django.test import RequestFactory

from monev.lib.errors import InvalidInput
from monev.lib.http import invalid, is_htmx


class Sample(forms.Form):
    title = forms.CharField()
    count = forms.IntegerField()


def test_a_request_is_htmx_only_when_it_says_so():
    factory = RequestFactory()
    assert is_htmx(factory.get("/", headers={"HX-Request": "true"}))
    assert not is_htmx(factory.get("/"))


def test_a_forms_problems_become_one_invalid_input_with_a_detail_per_message():
    form = Sample({"title": "", "count": "x"})
    assert not form.is_valid()
    error = invalid(form)
    assert isinstance(error, InvalidInput)
    assert error.status == 422
    assert {d["location"] for d in error.details} == {"title", "count"}
    assert all(isinstance(d["message"], str) and d["message"] for d in error.details)

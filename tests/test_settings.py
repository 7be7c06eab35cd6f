"""Configuration from the environment fails loudly on values it cannot read."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from monev.lib.environment import envbool, envint, envlist, envsecret


def test_it_reads_booleans_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("MONEV_X", "yes")
    assert envbool("MONEV_X", False) is True
    monkeypatch.setenv("MONEV_X", "0")
    assert envbool("MONEV_X", True) is False
    monkeypatch.setenv("MONEV_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="MONEV_X must be true or false"):
        envbool("MONEV_X", False)


def test_it_uses_the_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("MONEV_X", raising=False)
    assert envbool("MONEV_X", True) is True
    monkeypatch.setenv("MONEV_X", "")
    assert envint("MONEV_X", 7) == 7
    assert envlist("MONEV_X", ["a"]) == ["a"]


def test_it_refuses_a_number_that_is_not_whole(monkeypatch):
    monkeypatch.setenv("MONEV_X", "1.5")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("MONEV_X", 0)


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.delenv("MONEV_K", raising=False)
    monkeypatch.setenv("MONEV_K_FILE", str(secret))
    assert envsecret("MONEV_K") == "s3cret"
    monkeypatch.setenv("MONEV_K_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot read"):
        envsecret("MONEV_K")

"""The hostile corpus (make_fixtures.HOSTILE), built once per test run."""

from __future__ import annotations

import pytest
from make_fixtures import build_hostile


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory):
    """name -> path of every file in make_fixtures.HOSTILE."""
    return build_hostile(tmp_path_factory.mktemp("hostile"))

from __future__ import annotations

import pytest
from operations_support import EmptyDeployments


@pytest.fixture
def deployments(tmp_path):
    made = EmptyDeployments(tmp_path)
    yield made
    made.remove_all()

"""`monev cycle snapshot-due`: a snapshot for every Triwulan checkpoint that has passed
without one; running it again changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from monitoring_support import at, fill, milestone

from monev.monitoring.models import Snapshot

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("cycle", "snapshot-due", *args, stdout=out)
    return out.getvalue()


def test_it_snapshots_passed_checkpoints_once(world):
    fill(world, "3", range(1, 6))
    milestone(world, "triwulan_1", at(2025, 3, 31))
    milestone(world, "triwulan_2", at(2025, 6, 30))
    milestone(world, "triwulan_4", at(2099, 12, 31))
    output = run()
    assert "Triwulan I of" in output and "Triwulan II of" in output
    snapshots = list(Snapshot.objects.order_by("checkpoint"))
    assert [s.checkpoint for s in snapshots] == ["triwulan_1", "triwulan_2"]
    assert all(s.kind == "checkpoint" for s in snapshots)
    assert run() == "No checkpoint is due for a snapshot.\n"
    assert Snapshot.objects.count() == 2


def test_it_names_the_checkpoints_due_without_taking_them_on_a_dry_run(world):
    milestone(world, "triwulan_1", at(2025, 3, 31))
    assert "Due:" in run("--dry-run")
    assert not Snapshot.objects.exists()


def test_it_leaves_close_due_as_it_was(world):
    out = StringIO()
    call_command("cycle", "close-due", "--dry-run", stdout=out)
    assert out.getvalue()

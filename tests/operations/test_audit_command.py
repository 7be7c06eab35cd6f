"""`monev audit verify` passes on the demo and names the chain and event of any tampering;
`monev audit export` writes one period's events as CSV."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connection

from monev.audit.models import AuditEvent
from monev.demo import loader
from monev.evaluations.models import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    loader.load(tmp_path)
    return Period.objects.get(institution__code="demo-kota-bandung")


def verify() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit", "verify", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def edit_in_the_database(event: AuditEvent, column: str, value: str) -> None:
    """Change a row behind the application's back, as someone with database access could."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608
            [value, event.pk],
        )


def test_it_passes_on_the_demo_and_counts_events_per_chain(demo):
    out, err = verify()
    chain = f"institution:{demo.institution_id}"
    count = AuditEvent.objects.filter(chain=chain).count()
    assert count > 50
    line = next(line for line in out.splitlines() if line.startswith(chain))
    assert str(count) in line and "ok" in line and "Kota Bandung" in line
    total = AuditEvent.objects.count()  # the demo's second institution has its own chain
    assert f"{total} events checked in 2 chain(s)" in out
    assert err == ""


def test_it_passes_on_an_empty_database():
    out, _ = verify()
    assert "0 events checked" in out


def test_it_fails_naming_the_chain_and_event_after_a_row_is_edited(demo):
    event = AuditEvent.objects.filter(action="answer.verify").order_by("seq")[2]
    edit_in_the_database(event, "reason", "tidak pernah terjadi")
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=out, stderr=err)
    assert raised.value.returncode == 1
    assert f"chain {event.chain}, event #{event.seq} (answer.verify" in err.getvalue()
    assert "content changed" in err.getvalue()
    assert "1 break(s)" in out.getvalue()


def test_it_fails_when_an_event_is_deleted(demo):
    event = AuditEvent.objects.filter(action="answer.submit").order_by("seq")[0]
    AuditEvent.objects.filter(pk=event.pk).delete()
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert f"event #{event.seq}" in err.getvalue() and "missing" in err.getvalue()


def test_it_exits_with_status_1_from_the_command_line(demo, capsys):
    event = AuditEvent.objects.filter(action="answer.save").first()
    edit_in_the_database(event, "after", json.dumps({"level": "5"}))
    with pytest.raises(SystemExit) as raised:
        ManagementUtility(["monev", "audit", "verify"]).execute()
    assert raised.value.code == 1
    assert f"event #{event.seq}" in capsys.readouterr().err


def test_it_exports_a_periods_events_as_csv(demo, tmp_path):
    path = tmp_path / "audit.csv"
    out = StringIO()
    call_command("audit", "export", "--period", str(demo.pk), "--out", str(path), stdout=out)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == AuditEvent.objects.filter(period_id=demo.pk).count()
    assert f"{len(rows)} events" in out.getvalue()
    returned = next(r for r in rows if r["action"] == "answer.return")
    assert returned["indicator"] == "13" and returned["reason"].startswith("Bukti")
    assert returned["indicator_label"] == "13. Rencana dan Anggaran SPBE"  # number, short name
    assert json.loads(returned["after"])["status"] == "returned"
    assert [int(r["seq"]) for r in rows] == sorted(int(r["seq"]) for r in rows)


def test_it_keeps_spreadsheet_formulas_out_of_the_export(demo, tmp_path):
    event = AuditEvent.objects.filter(period_id=demo.pk).first()
    AuditEvent.objects.filter(pk=event.pk).update(reason="=HYPERLINK(1)")
    path = tmp_path / "audit.csv"
    call_command("audit", "export", "--period", str(demo.pk), "--out", str(path), stdout=StringIO())
    assert "'=HYPERLINK(1)" in path.read_text(encoding="utf-8-sig")


def test_it_explains_an_unknown_period_or_folder(demo, tmp_path):
    with pytest.raises(CommandError, match="no period with id 999999"):
        call_command("audit", "export", "--period", "999999", "--out", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command(
            "audit", "export", "--period", str(demo.pk), "--out", str(tmp_path / "no" / "x.csv")
        )

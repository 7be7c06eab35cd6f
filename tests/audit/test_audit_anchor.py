"""`monev audit anchor` keeps every chain's head (sequence number and hash) outside the
database. Deleting the newest events together with the chain head, or rewriting a chain from
some event on with fresh hashes, leaves a chain that verifies by itself; against the anchor,
`monev audit verify` notices it."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from audit_support import make_history
from django.core.management import call_command
from django.core.management.base import CommandError

from monev.audit.chain import event_hash
from monev.audit.models import AuditEvent, ChainHead
from monev.audit.services import audit_verify, hashed_fields


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(*args: str) -> str:
    """stdout and stderr of an `audit` command that must exit 1."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", *args, stdout=out, stderr=err)
    assert raised.value.returncode == 1
    return out.getvalue() + err.getvalue() + str(raised.value)


def chain_of(world) -> str:
    return f"institution:{world.institution.pk}"


def truncate(chain: str, keep: int) -> None:
    """Delete the events after #keep and set the chain head back to #keep, as someone with
    database access could: the shorter chain is consistent in itself."""
    AuditEvent.objects.filter(chain=chain, seq__gt=keep).delete()
    last = AuditEvent.objects.get(chain=chain, seq=keep)
    ChainHead.objects.filter(key=chain).update(last_seq=last.seq, last_hash=last.hash)


def rewrite_from(chain: str, seq: int, reason: str) -> None:
    """Change event #seq and recompute every hash after it, and the head: a consistent forgery."""
    prev_hash = None
    for event in AuditEvent.objects.filter(chain=chain, seq__gte=seq).order_by("seq"):
        if event.seq == seq:
            event.reason = reason
        else:
            event.prev_hash = prev_hash
        event.hash = event_hash(hashed_fields(event), event.prev_hash)
        event.save()
        prev_hash = event.hash
    ChainHead.objects.filter(key=chain).update(last_hash=prev_hash)


def test_verify_fails_when_the_newest_events_and_the_chain_head_are_deleted_after_an_anchor(
    world,
):
    make_history(world)
    chain = chain_of(world)
    anchored = ChainHead.objects.get(key=chain).last_seq
    run("anchor")
    truncate(chain, anchored - 2)
    assert audit_verify()[1] == []  # the chain alone cannot tell

    output = failing("verify")

    assert f"chain {chain}, event #{anchored}" in output
    assert f"the chain ends at event #{anchored - 2}" in output
    assert "newest events were deleted" in output


def test_verify_fails_when_a_chain_is_rewritten_with_fresh_hashes_before_the_anchored_head(
    world,
):
    make_history(world)
    chain = chain_of(world)
    anchored = ChainHead.objects.get(key=chain).last_seq
    run("anchor")
    rewrite_from(chain, 2, "tidak pernah terjadi")
    assert audit_verify()[1] == []

    output = failing("verify")

    assert f"chain {chain}, event #{anchored}" in output
    assert "its hash differs from the anchor's" in output


def test_verify_fails_when_an_anchored_chain_is_gone_entirely(world):
    make_history(world)
    chain = chain_of(world)
    run("anchor")
    AuditEvent.objects.filter(chain=chain).delete()
    ChainHead.objects.filter(key=chain).delete()

    output = failing("verify")

    assert f"chain {chain}" in output and "has no events" in output


def test_verify_passes_with_events_added_after_the_anchor(world):
    make_history(world, ("1",))
    run("anchor")
    make_history(world, ("2", "3"))

    out, err = run("verify")

    assert "Audit trail intact" in out
    assert "every anchored head is still there" in out
    assert err == ""


def test_anchor_writes_every_chains_head_and_prints_it_for_the_log(world, settings):
    make_history(world)

    out, err = run("anchor")

    written = settings.MONEV_AUDIT_ANCHOR.read_text()
    assert out.strip() == written.strip()  # one line on stdout, for a log or a mail
    anchor = json.loads(written)
    assert anchor["format"] == "monev-audit-anchor"
    assert anchor["at"]
    heads = {head.key: head for head in ChainHead.objects.all()}
    assert set(anchor["chains"]) == set(heads)
    for key, head in heads.items():
        assert anchor["chains"][key] == {"seq": head.last_seq, "hash": head.last_hash}
    assert str(settings.MONEV_AUDIT_ANCHOR) in err


def test_anchor_refuses_to_move_back_over_a_truncated_chain(world, settings):
    make_history(world)
    run("anchor")
    before = settings.MONEV_AUDIT_ANCHOR.read_text()
    truncate(chain_of(world), 1)

    output = failing("anchor")

    assert "newest events were deleted" in output
    assert "not written" in output
    assert settings.MONEV_AUDIT_ANCHOR.read_text() == before


def test_verify_without_an_anchor_says_what_it_cannot_detect_and_passes(world, settings):
    make_history(world)

    out, _err = run("verify")

    assert "Audit trail intact" in out
    assert f"No audit anchor at {settings.MONEV_AUDIT_ANCHOR}" in out
    assert "monev audit anchor" in out


@pytest.mark.parametrize("content", ["", "not json", '{"format": "something else"}'])
def test_a_damaged_anchor_fails_verify(world, settings, content):
    make_history(world)
    settings.MONEV_AUDIT_ANCHOR.write_text(content)

    output = failing("verify")

    assert "cannot be used" in output and str(settings.MONEV_AUDIT_ANCHOR) in output


def test_verify_against_a_copy_kept_elsewhere_when_the_anchor_file_is_gone(
    world, settings, tmp_path
):
    make_history(world)
    kept_elsewhere = tmp_path / "from-the-log.json"
    out, _err = run("anchor")
    kept_elsewhere.write_text(out)  # e.g. the line shipped to a remote log
    settings.MONEV_AUDIT_ANCHOR.unlink()  # who truncates the chain can delete the file too
    truncate(chain_of(world), 1)

    output = failing("verify", "--anchor", str(kept_elsewhere))

    assert "newest events were deleted" in output


def test_verify_explains_an_anchor_file_that_does_not_exist(world, tmp_path):
    with pytest.raises(CommandError, match=r"no-such-anchor\.json"):
        call_command("audit", "verify", "--anchor", str(tmp_path / "no-such-anchor.json"))

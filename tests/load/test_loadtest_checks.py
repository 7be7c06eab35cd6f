"""The load test's own pieces that decide its verdict: the PDFs it uploads are real evidence,
and its checks notice a lost write, a half-written file and a missed target. (The load test
itself runs with `make loadtest`, not here.)"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from loadtest import report, verify
from loadtest.pdf import tiny_pdf

from monev.evaluations import services as evaluation_services
from monev.evidence import services as evidence_services
from monev.evidence.sniff import sniff
from monev.evidence.text_extraction import extract_text


def test_the_uploaded_pdfs_are_accepted_as_pdf_with_their_text(tmp_path):
    path = tmp_path / "laporan.pdf"
    path.write_bytes(tiny_pdf(["Laporan arsitektur (SPBE)", "Unit 4"]))
    assert sniff(path).kind == "pdf"
    extraction = extract_text(str(path), "pdf")
    assert extraction.status == "done"
    assert "Laporan arsitektur (SPBE)" in extraction.text


def _save(world, level: str, text: str):
    answer = world.answer("1")
    return evaluation_services.answer_save(
        actor=world.operator,
        answer_id=answer.pk,
        expected_version=answer.version,
        level=Decimal(level),
        explanation=text,
    )


def test_an_acknowledged_save_is_found_and_a_never_made_one_is_reported_lost(world):
    saved = _save(world, "3", "Perwal 12/2024 unik-1")
    acknowledged = {
        "kind": "save",
        "answer": saved.pk,
        "version": saved.version,
        "level": "3.00",
        "explanation": "Perwal 12/2024 unik-1",
    }
    assert verify.acknowledged_writes([acknowledged])["problems"] == []

    lost = {**acknowledged, "version": saved.version + 1, "explanation": "never stored"}
    problems = verify.acknowledged_writes([acknowledged, lost])["problems"]
    assert problems and all(f"answer {saved.pk}" in p for p in problems)


def test_a_save_acknowledged_with_other_content_than_stored_is_reported(world):
    saved = _save(world, "3", "Perwal 12/2024 unik-2")
    different = {
        "kind": "save",
        "answer": saved.pk,
        "version": saved.version,
        "level": "4",
        "explanation": "Perwal 12/2024 unik-2",
    }
    assert verify.acknowledged_writes([different])["problems"] == [
        f"save of answer {saved.pk} v{saved.version} differs"
    ]


def test_an_acknowledged_upload_is_found_and_its_blob_verified(world, isolated_files):
    content = tiny_pdf(["Laporan unik 7"])
    evidence = evidence_services.evidence_upload(
        actor=world.operator,
        institution_id=world.institution.pk,
        uploaded=SimpleUploadedFile("laporan.pdf", content),
        unit_id=world.unit_a.pk,
        title="Laporan",
        kind="laporan",
    )
    sha256 = hashlib.sha256(content).hexdigest()
    entry = {"kind": "upload", "evidence": evidence.pk, "sha256": sha256, "sent_sha256": sha256}
    assert verify.acknowledged_writes([entry])["problems"] == []
    checked = verify.storage()
    assert checked["problems"] == []
    assert checked["stored_file_rows"] == checked["blobs"] == 1

    other = hashlib.sha256(b"other").hexdigest()
    lost = {**entry, "sha256": other, "sent_sha256": other}
    assert verify.acknowledged_writes([lost])["problems"] == [
        f"lost upload: evidence {evidence.pk} {other[:12]}"
    ]


def test_a_half_written_blob_in_storage_is_reported(world, isolated_files):
    content = tiny_pdf(["Laporan unik 8"])
    sha256 = hashlib.sha256(content).hexdigest()
    blob = isolated_files / "evidence" / sha256[:2] / sha256[2:4] / sha256
    blob.parent.mkdir(parents=True)
    blob.write_bytes(content[:100])  # cut short, as a crash mid-write would leave it
    (isolated_files / "incoming" / "tmpupload").write_bytes(b"partial")

    checked = verify.storage()
    assert checked["problems"] == [
        f"half-written or foreign file in storage: {blob.relative_to(isolated_files / 'evidence')}"
    ]
    assert checked["blobs_without_row"] == 1
    assert checked["temp_dir_leftovers"] == 1


def _phase(save_p95: float, failures: int = 0, problems: list | None = None) -> dict:
    rows = [
        {"name": "PUT answer save", "method": "PUT", "count": 10, "failures": failures,
         "rps": 1.0, "p50": 50.0, "p95": save_p95, "p99": save_p95, "max": save_p95},
        {"name": "All requests", "method": "", "count": 10, "failures": failures,
         "rps": 1.0, "p50": 50.0, "p95": save_p95, "p99": save_p95, "max": save_p95},
    ]  # fmt: skip
    return {
        "phase": "steady",
        "users": 2,
        "duration_s": 10.0,
        "load_average": {"mean": 1.0, "max": 1.0},
        "cpu_seconds": {"server": 1.0},
        "requests": rows,
        "journal": {"counts": {"save": 10}, "failures_outside_outage": 0, "failure_samples": []},
        "writes": {"checked": {"save": 10}, "problems": problems or []},
        "storage": dict.fromkeys(
            ["stored_file_rows", "blobs", "blobs_without_row", "temp_dir_leftovers"], 0
        )
        | {"temp_dir_leftover_bytes": 0, "problems": []},
        "audit": {"command": "monev audit verify", "exit_status": 0, "output": "", "problems": []},
        "jobs": {"statuses": {}, "files_pending_text": 0, "problems": []},
        "fault": None,
    }


def test_the_report_passes_only_when_every_target_is_met():
    dataset = {"done": {}}
    assert report.render([_phase(120.0)], dataset, command="x")[1] is True
    text, passed = report.render([_phase(450.0)], dataset, command="x")
    assert not passed
    assert "p95 of saves under 300 ms: NOT MET" in text
    assert report.render([_phase(120.0, failures=1)], dataset, command="x")[1] is False
    assert report.render([_phase(120.0, problems=["lost save"])], dataset, command="x")[1] is False

"""Readiness checks: each check raised where an assessor would reject the evidence, and not
raised where the evidence is fine; the per-level checklist; constant queries for a period; the
overview's evidence count and no_evidence flag."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from itertools import count

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from monev.evaluations import selectors
from monev.evaluations.models import Answer, Milestone
from monev.evidence import readiness, services
from monev.evidence.models import Evidence, EvidenceLink, EvidenceVersion, FileText, StoredFile
from monev.evidence.readiness import CHECKS, Severity, answer_readiness, period_readiness
from monev.institutions.access import access_for

_serial = count(1)


# --- building data through the ORM (files need no bytes for these checks) -----------------------


def stored(kind="pdf", *, size=1000, status="done", text=None, pages=None) -> StoredFile:
    sha = hashlib.sha256(b"file %d" % next(_serial)).hexdigest()
    file = StoredFile.objects.create(
        sha256=sha,
        size=size,
        kind=kind,
        content_type="application/pdf" if kind == "pdf" else f"image/{kind}",
        storage_name=f"evidence/{sha}",
        text_status=status,
        page_count=pages,
    )
    if text is not None:
        FileText.objects.create(file=file, text=text)
    return file


def evidence(world, title="Perwal Arsitektur SPBE", kind="peraturan", *, file="new", **fields):
    """An evidence item with one version (a new done PDF unless `file` is given or None)."""
    defaults = {"document_number": "12/2024", "document_date": dt.date(2024, 3, 1)}
    if kind not in ("peraturan", "sop"):
        defaults = {"document_date": dt.date(2024, 3, 1)}
    if kind == "tautan":
        defaults = {"url": "https://app.example.go.id", "access_notes": "user uji / sandi uji"}
    item = Evidence.objects.create(
        institution=world.institution,
        title=title,
        kind=kind,
        unit=world.unit_a,
        **{**defaults, **fields},
    )
    if file == "new":
        file = stored("png" if kind == "tangkapan_layar" else "pdf")
    if file is not None:
        EvidenceVersion.objects.create(evidence=item, number=1, file=file, original_name="f")
    return item


def link(answer: Answer, item: Evidence, *levels: int) -> None:
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(answer=answer, evidence=item, level=level) for level in levels]
    )


def claim(world, indicator: str, level) -> Answer:
    answer = world.answer(indicator)
    answer.level = Decimal(str(level))
    answer.save(update_fields=["level"])
    return answer


def codes(answer: Answer, **kw) -> list[str]:
    return [check.code for check in answer_readiness(answer.pk, **kw).checks]


def check(answer: Answer, code: str):
    (found,) = [c for c in answer_readiness(answer.pk).checks if c.code == code]
    return found


def fully_supported(world, indicator="1", level=3, kind="peraturan") -> Answer:
    """A claim with good evidence at every level up to it: no checks at all."""
    answer = claim(world, indicator, level)
    for n in range(1, level + 1):
        link(answer, evidence(world, f"Bukti tingkat {n}", kind), n)
    return answer


# --- the claim and its levels ------------------------------------------------------------------


def test_it_raises_nothing_for_a_claim_with_good_evidence_at_every_level(world):
    answer = fully_supported(world)
    result = answer_readiness(answer.pk)
    assert result.checks == [] and result.ready
    assert result.claimed == 3


def test_it_raises_nothing_for_an_answer_without_a_level(world):
    assert codes(world.answer("1")) == []


def test_it_flags_a_claimed_level_without_evidence_at_or_below_it(world):
    answer = claim(world, "1", 3)
    link(answer, evidence(world, "Perwal baru"), 4)
    found = check(answer, "no_evidence")
    assert found.severity == Severity.ERROR and found.level == 3
    assert not answer_readiness(answer.pk).ready


def test_it_counts_a_decimal_claim_as_its_whole_level(world):
    answer = claim(world, "1", "1.17")
    link(answer, evidence(world, "Draf Perwal", document_number="", document_date=None), 1)
    assert codes(answer) == []
    answer = claim(world, "2", "2.5")
    link(answer, evidence(world, "Perwal Peta Rencana"), 3)
    assert "no_evidence" in codes(answer)
    assert check(answer, "no_evidence").level == 2


def test_it_names_the_levels_below_the_claim_that_have_no_evidence(world):
    answer = claim(world, "1", 4)
    link(answer, evidence(world, "Perwal"), 2, 4)
    found = check(answer, "level_gap")
    assert found.severity == Severity.WARNING
    assert found.levels == (1, 3)
    with translation.override("en"):
        assert "level(s) 1, 3" in found.message and "claimed level 4" in found.message
    assert "no_evidence" not in codes(answer)


def test_it_flags_evidence_linked_only_above_the_claimed_level(world):
    answer = fully_supported(world, level=2)
    above = evidence(world, "Laporan reviu", "laporan")
    link(answer, above, 4, 5)
    found = check(answer, "linked_above_claim")
    assert found.evidence_ids == (above.pk,) and found.levels == (4, 5)
    # Linked at a claimed level too: it supports the claim.
    link(answer, above, 2)
    assert "linked_above_claim" not in codes(answer)


# --- policy indicators --------------------------------------------------------------------------


def test_it_flags_a_regulation_without_a_number_on_a_policy_indicator(world):
    answer = claim(world, "1", 2)
    item = evidence(world, "Perwal", document_number="")
    link(answer, item, 1, 2)
    found = check(answer, "policy_no_number")
    assert found.severity == Severity.ERROR
    assert found.evidence_ids == (item.pk,) and found.levels == (2,)


def test_it_flags_a_regulation_without_a_date_on_a_policy_indicator(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "SOP", "sop", document_date=None), 1, 2)
    assert codes(answer) == ["policy_no_date"]


def test_it_accepts_a_regulation_without_number_or_date_at_level_1_only(world):
    answer = claim(world, "1", 1)
    link(answer, evidence(world, "Draf Perwal", document_number="", document_date=None), 1)
    assert codes(answer) == []


def test_it_does_not_ask_a_number_of_evidence_for_other_indicators_or_kinds(world):
    service = claim(world, "32", 1)  # layanan
    link(service, evidence(world, "Perwal", document_number="", document_date=None), 1, 2)
    assert [c for c in codes(service) if c.startswith("policy")] == []
    policy = claim(world, "1", 2)
    link(policy, evidence(world, "Notulen", "notulen", document_date=None), 1, 2)
    assert codes(policy) == []


def test_it_flags_a_regulation_whose_title_reads_as_a_draft(world):
    answer = claim(world, "1", 2)
    item = evidence(world, "RANCANGAN Peraturan Wali Kota tentang Arsitektur SPBE")
    link(answer, item, 1, 2)
    found = check(answer, "policy_draft")
    assert found.severity == Severity.ERROR and found.levels == (2,)
    with translation.override("en"):
        assert "\u201cRANCANGAN\u201d in its title" in found.message
        assert "level 1 only" in found.message


@pytest.mark.parametrize("title", ["draf_perwal_spbe", "Perwal (Draft 2)", "Konsep Perwal"])
def test_it_reads_draft_words_as_whole_words_in_any_case(world, title):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Bukti tingkat 1"), 1)
    link(answer, evidence(world, title), 2)
    assert codes(answer) == ["policy_draft"]


@pytest.mark.parametrize("title", ["Perwal Konsepsi Arsitektur", "Perwal Drafting Tim", "Perwal"])
def test_it_does_not_read_longer_words_as_draft_words(world, title):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Bukti tingkat 1"), 1)
    link(answer, evidence(world, title), 2)
    assert codes(answer) == []


def test_it_flags_a_regulation_whose_text_heading_reads_as_a_draft(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Bukti tingkat 1"), 1)
    text = "WALI KOTA CONTOH\nRANCANGAN\nPERATURAN WALI KOTA CONTOH NOMOR ... TAHUN 2024"
    link(answer, evidence(world, "Perwal Arsitektur", file=stored(text=text)), 2)
    found = check(answer, "policy_draft")
    with translation.override("en"):
        assert "in its text" in found.message


def test_it_ignores_draft_words_deep_in_the_text_of_a_signed_regulation(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Bukti tingkat 1"), 1)
    body = "PERATURAN WALI KOTA CONTOH NOMOR 12 TAHUN 2024 " + "menimbang bahwa " * 100
    text = body + "konsep arsitektur yang dibahas dalam rancangan sebelumnya"
    assert len(body) > readiness.DRAFT_HEAD
    link(answer, evidence(world, "Perwal Arsitektur", file=stored(text=text)), 2)
    assert codes(answer) == []


def test_it_accepts_a_draft_linked_at_level_1_only(world):
    answer = claim(world, "1", 1)
    link(answer, evidence(world, "Rancangan Perwal", document_number=""), 1)
    assert codes(answer) == []


# --- dates --------------------------------------------------------------------------------------


def test_it_flags_a_document_dated_after_the_evidence_deadline(world):
    Milestone.objects.create(
        period=world.period,
        kind=Milestone.Kind.EVIDENCE_DEADLINE,
        due_at=dt.datetime(2025, 6, 30, 12, tzinfo=dt.UTC),
    )
    answer = claim(world, "11", 1)
    late = evidence(world, "Notulen", "notulen", document_date=dt.date(2025, 7, 2))
    link(answer, late, 1)
    found = check(answer, "dated_after_deadline")
    assert found.severity == Severity.ERROR and found.evidence_ids == (late.pk,)
    with translation.override("en"):
        assert "2025-07-02" in found.message and "2025-06-30" in found.message
    on_time = claim(world, "12", 1)
    link(on_time, evidence(world, "Notulen", "notulen", document_date=dt.date(2025, 6, 30)), 1)
    assert codes(on_time) == []


def test_it_falls_back_to_the_self_assessment_close_as_the_deadline(world):
    Milestone.objects.filter(period=world.period, kind=Milestone.Kind.SELF_ASSESSMENT_CLOSE).update(
        due_at=dt.datetime(2025, 5, 31, 12, tzinfo=dt.UTC)
    )
    answer = claim(world, "11", 1)
    link(answer, evidence(world, "Laporan", "laporan", document_date=dt.date(2025, 6, 1)), 1)
    assert codes(answer) == ["dated_after_deadline"]


def test_it_flags_a_document_dated_after_today(world):
    answer = claim(world, "11", 1)  # the deadline is in 2099
    link(answer, evidence(world, "Laporan", "laporan", document_date=dt.date(2031, 1, 1)), 1)
    now = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)
    assert codes(answer, now=now) == ["dated_in_future"]
    assert codes(answer, now=dt.datetime(2031, 1, 2, tzinfo=dt.UTC)) == []


@pytest.mark.parametrize("kind", ["laporan", "notulen", "tangkapan_layar"])
def test_it_flags_a_record_of_practice_dated_long_before_the_period(world, kind):
    answer = claim(world, "11", 1)  # the period is 2025: older than 1 January 2020 is flagged
    link(answer, evidence(world, "Lama", kind, document_date=dt.date(2019, 12, 31)), 1)
    found = check(answer, "dated_long_before")
    assert found.severity == Severity.WARNING
    recent = claim(world, "12", 1)
    link(recent, evidence(world, "Baru", kind, document_date=dt.date(2020, 1, 1)), 1)
    assert codes(recent) == []


def test_it_accepts_an_old_regulation_still_in_force(world):
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Draf"), 1)
    link(answer, evidence(world, "Perwal 2010", document_date=dt.date(2010, 1, 4)), 2)
    assert codes(answer) == []


# --- the same file, files ----------------------------------------------------------------------


def test_it_flags_the_same_file_described_differently_in_two_evidence_items(world):
    file = stored()
    first = evidence(world, "Perwal 12/2024", file=file)
    second = evidence(world, "Perwal SPBE", file=file, document_number="13/2024")
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Draf"), 1)
    link(answer, first, 2)
    found = check(answer, "conflicting_claims")
    assert found.severity == Severity.WARNING
    assert found.evidence_ids == (first.pk, second.pk)
    with translation.override("en"):
        assert "\u201cPerwal SPBE\u201d" in found.message and "document number" in found.message
    # Both linked to the answer: said once.
    link(answer, second, 2)
    assert codes(answer).count("conflicting_claims") == 1


def test_it_accepts_the_same_file_described_alike_or_only_in_an_old_version(world):
    file = stored()
    first = evidence(world, "Perwal", file=file)
    evidence(world, "Perwal (salinan)", file=file)  # same number, date and kind
    replaced = evidence(world, "Perwal lama", file=file, document_number="1/2019")
    EvidenceVersion.objects.create(evidence=replaced, number=2, file=stored(), original_name="f")
    answer = claim(world, "1", 2)
    link(answer, evidence(world, "Draf"), 1)
    link(answer, first, 2)
    assert codes(answer) == []


def test_it_flags_an_empty_file(world):
    answer = claim(world, "11", 1)
    link(answer, evidence(world, "Laporan", "laporan", file=stored(size=0)), 1)
    assert check(answer, "file_empty").severity == Severity.ERROR


def test_it_flags_a_file_whose_text_could_not_be_read(world):
    answer = claim(world, "11", 1)
    link(answer, evidence(world, "Laporan", "laporan", file=stored(status="failed")), 1)
    assert check(answer, "file_unreadable").severity == Severity.WARNING


def test_it_flags_a_scanned_pdf_without_a_text_layer(world):
    answer = claim(world, "11", 1)
    link(answer, evidence(world, "Laporan", "laporan", file=stored(status="no_text_layer")), 1)
    found = check(answer, "no_text_layer")
    assert found.severity == Severity.WARNING
    with translation.override("en"):
        assert "cannot search it" in found.message


def test_it_notes_that_text_extraction_is_not_finished(world):
    answer = claim(world, "11", 1)
    link(answer, evidence(world, "Laporan", "laporan", file=stored(status="pending")), 1)
    assert check(answer, "extraction_pending").severity == Severity.INFO
    assert answer_readiness(answer.pk).ready  # a note does not stop the submission


# --- services and links -------------------------------------------------------------------------


def test_it_flags_a_service_claimed_above_level_1_with_one_screenshot(world):
    answer = claim(world, "32", 3)
    shot = evidence(world, "Halaman masuk", "tangkapan_layar")
    link(answer, shot, 1, 2, 3)
    found = check(answer, "single_screenshot")
    assert found.severity == Severity.WARNING and found.evidence_ids == (shot.pk,)
    link(answer, evidence(world, "Fitur unggah", "tangkapan_layar"), 2)
    assert codes(answer) == []


def test_it_counts_each_page_of_a_pdf_of_screenshots(world):
    answer = claim(world, "32", 2)
    pages = stored(pages=3)
    link(answer, evidence(world, "Tangkapan layar fitur", "tangkapan_layar", file=pages), 1, 2)
    assert codes(answer) == []


def test_it_accepts_one_screenshot_for_level_1_or_other_indicators(world):
    service = claim(world, "32", 1)
    link(service, evidence(world, "Halaman masuk", "tangkapan_layar"), 1)
    assert codes(service) == []
    other = claim(world, "11", 2)
    link(other, evidence(world, "Tangkapan layar", "tangkapan_layar"), 1, 2)
    assert codes(other) == []


def test_it_flags_an_application_link_without_access_notes(world):
    answer = claim(world, "32", 1)
    item = evidence(world, "Aplikasi", "tautan", file=None, access_notes="  ")
    link(answer, item, 1)
    found = check(answer, "link_without_access_notes")
    assert found.severity == Severity.WARNING and found.evidence_ids == (item.pk,)
    noted = claim(world, "33", 1)
    link(noted, evidence(world, "Aplikasi", "tautan", file=None), 1)
    assert codes(noted) == []


# --- every check, the checklist, the messages ---------------------------------------------------


def test_it_orders_checks_by_severity_then_code(world):
    answer = claim(world, "1", 3)
    link(answer, evidence(world, "Laporan", "laporan", file=stored(status="pending")), 1)
    link(answer, evidence(world, "Perwal", document_number="", file=stored(size=0)), 3)
    assert codes(answer) == ["policy_no_number", "file_empty", "level_gap", "extraction_pending"]


def test_every_check_has_a_severity_and_a_message_with_its_values(world):
    assert set(CHECKS) == {
        "no_evidence",
        "level_gap",
        "linked_above_claim",
        "policy_no_number",
        "policy_no_date",
        "policy_draft",
        "dated_after_deadline",
        "dated_in_future",
        "dated_long_before",
        "conflicting_claims",
        "file_empty",
        "file_unreadable",
        "no_text_layer",
        "extraction_pending",
        "single_screenshot",
        "link_without_access_notes",
        "ikasandi_missing",
        "ikasandi_no_date",
        "ikasandi_too_old",
        "off_topic",
        "facts_contradict_text",
        "missing_element",
    }
    assert {severity for severity, _message in CHECKS.values()} == set(Severity.ORDER)


def test_it_lists_per_level_what_the_instrument_expects_and_what_is_present(world):
    answer = claim(world, "1", 2)
    draft = evidence(world, "Draf Perwal", document_number="")
    link(answer, draft, 1)
    result = answer_readiness(answer.pk)
    assert [entry.level for entry in result.checklist] == [1, 2, 3, 4, 5]
    first, second = result.checklist[:2]
    assert first.expected.startswith("Draf/rancangan peraturan")
    assert "bernomor" in second.expected
    assert (first.present, first.evidence, first.claimed) == (True, [draft], True)
    assert (second.present, second.claimed) == (False, True)
    assert result.checklist[2].claimed is False
    assert first.name  # the level's name in the indicator's scale
    assert result.evidence == {draft.pk: draft}


def test_it_answers_not_found_for_an_unknown_answer_or_period(world):
    from monev.lib.errors import NotFound

    with pytest.raises(NotFound):
        answer_readiness(999_999)
    with pytest.raises(NotFound):
        period_readiness(999_999)


# --- a whole period -----------------------------------------------------------------------------


def grow(world, answers=("1", "2", "3", "11", "32"), items=4) -> None:
    for indicator in answers:
        answer = claim(world, indicator, 3)
        for n in range(items):
            text = "RANCANGAN PERWAL" if n == 0 else "isi"
            item = evidence(world, f"{indicator}-{n}", file=stored(text=text))
            EvidenceVersion.objects.create(
                evidence=item, number=2, file=stored(), original_name="g"
            )
            link(answer, item, *{1 + n % 3, 2})


def test_it_checks_a_whole_period_in_constant_queries(world):
    with CaptureQueriesContext(connection) as small:
        period_readiness(world.period.pk)
    grow(world)
    with CaptureQueriesContext(connection) as large:
        result = period_readiness(world.period.pk)
    # period, milestones, links with evidence, latest versions with files and text heads,
    # the institution's evidence sharing those files, the answers
    assert len(large.captured_queries) == 6
    assert len(small.captured_queries) == 6  # the same with nothing linked yet
    assert len(result) == Answer.objects.filter(period=world.period).count()
    for answer_id, checks in result.items():
        assert [c.code for c in checks] == [c.code for c in answer_readiness(answer_id).checks]


def test_it_checks_one_answer_in_constant_queries(world, django_assert_num_queries):
    answer_id = world.answer("1").pk
    grow(world, answers=("1",), items=2)
    # the answer with its period, milestones, links with evidence, latest versions with files
    # and text heads, the institution's evidence sharing those files
    with django_assert_num_queries(5):
        small = answer_readiness(answer_id)
    grow(world, answers=("1",), items=12)
    with django_assert_num_queries(5):
        large = answer_readiness(answer_id)
        _ = [(entry.expected, entry.evidence) for entry in large.checklist]
        _ = [check.message for check in large.checks]
    assert len(large.evidence) > len(small.evidence)


# --- the period overview ------------------------------------------------------------------------


def test_the_overview_counts_evidence_and_flags_a_claim_without_any(world):
    shared = evidence(world, "Perwal")
    supported = claim(world, "1", 2)
    link(supported, shared, 1, 2)
    link(supported, evidence(world, "Notulen", "notulen"), 2)
    unsupported = claim(world, "2", 2)
    link(unsupported, shared, 3)
    overview = selectors.period_overview(
        world.period, access_for(world.koordinator, world.institution.pk)
    )
    rows = {row.answer.indicator: row for row in overview.rows}
    assert rows["1"].evidence_count == 2
    assert rows["2"].evidence_count == 1
    assert rows["3"].evidence_count == 0
    assert "no_evidence" not in [flag.code for flag in rows["1"].flags]
    assert "no_evidence" in [flag.code for flag in rows["2"].flags]
    assert "no_evidence" not in [flag.code for flag in rows["3"].flags]  # no level claimed


# --- end to end through the services ------------------------------------------------------------


def text_pdf(line: str) -> bytes:
    """A one-page PDF whose text layer holds `line`."""
    content = b"BT /F1 11 Tf 56 780 Td (%s) Tj ET" % line.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def test_it_reads_an_uploaded_draft_after_its_text_is_extracted(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    pdf = SimpleUploadedFile("perwal.pdf", text_pdf("RANCANGAN PERATURAN WALI KOTA CONTOH"))
    with django_capture_on_commit_callbacks(execute=True):
        item = services.evidence_upload(
            actor=world.operator,
            institution_id=world.institution.pk,
            uploaded=pdf,
            title="Perwal Arsitektur SPBE",
            kind="peraturan",
            unit_id=world.unit_a.pk,
            document_number="12/2024",
            document_date=dt.date(2024, 3, 1),
        )
    assert item.versions.get().file.text_status == "done"
    answer = world.answer("1")
    services.evidence_link(
        actor=world.operator, answer_id=answer.pk, evidence_id=item.pk, levels=[2]
    )
    claim(world, "1", 2)
    result = answer_readiness(answer.pk)
    assert [c.code for c in result.checks] == ["policy_draft", "level_gap"]
    with translation.override("en"):
        assert "in its text" in result.checks[0].message

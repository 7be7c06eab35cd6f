"""Evidence services: upload stored once by content, duplicates pointed out, versions,
descriptions without lost updates, links to answer levels, permissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from monev.audit.models import AuditEvent
from monev.evidence import services
from monev.evidence.models import Evidence, EvidenceLink, StoredFile
from monev.evidence.storage import blob_name
from monev.lib.errors import Conflict, Forbidden, InvalidInput, NotFound

FIXTURES = Path(__file__).parent / "fixtures"


def upload(name: str, content: bytes | None = None, *, filename: str | None = None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(filename or name, data)


def create(world, user=None, name="good.pdf", unit=None, **kw):
    user = user or world.operator
    unit = unit if unit is not None else world.unit_a
    defaults = {"title": "Perwal Arsitektur SPBE", "kind": "peraturan"}
    return services.evidence_upload(
        actor=user,
        institution_id=world.institution.pk,
        uploaded=upload(name),
        unit_id=unit.pk if unit else None,
        **{**defaults, **kw},
    )


@pytest.fixture(autouse=True)
def tasks_in_process(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_it_stores_an_upload_by_its_content_and_records_it(world):
    evidence = create(world, document_number="12/2024")
    version = evidence.versions.get()
    stored = version.file
    assert (stored.kind, stored.content_type) == ("pdf", "application/pdf")
    assert stored.storage_name == blob_name(stored.sha256)
    assert default_storage.exists(stored.storage_name)
    assert version.original_name == "good.pdf" and version.number == 1
    event = AuditEvent.objects.get(action="evidence.upload")
    assert event.after["sha256"] == stored.sha256


def test_it_points_to_where_the_same_file_already_is(world):
    first = create(world)
    with pytest.raises(Conflict) as conflict:
        create(world, title="Salinan")
    assert conflict.value.extra["existing"] == [{"id": first.pk, "title": first.title}]
    assert StoredFile.objects.count() == 1 and Evidence.objects.count() == 1


def test_it_stores_the_bytes_once_and_a_row_per_institution(world):
    from monev.institutions.models import Unit

    create(world)
    other_unit = Unit.objects.create(institution=world.other_institution, code="X", name="X")
    services.evidence_upload(
        actor=world.outsider,
        institution_id=world.other_institution.pk,
        uploaded=upload("good.pdf"),
        title="Perwal lain",
        kind="peraturan",
        unit_id=other_unit.pk,
    )
    # Each institution its own row (text, status), so an upload tells nothing about the other.
    rows = StoredFile.objects.order_by("pk")
    assert [row.institution_id for row in rows] == [
        world.institution.pk,
        world.other_institution.pk,
    ]
    assert len({row.storage_name for row in rows}) == 1 and Evidence.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "code"),
    [("exe_renamed.pdf", "executable"), ("empty.pdf", "empty"), ("bomb.docx", "zip_bomb")],
)
def test_it_refuses_files_by_their_content(world, name, code):
    with pytest.raises(InvalidInput) as refused:
        create(world, name=name)
    assert refused.value.details[0]["code"] == code
    assert not StoredFile.objects.exists()


def test_it_refuses_a_file_over_the_limit(world, settings):
    settings.MONEV_UPLOAD_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as refused:
        create(world)
    assert refused.value.details[0]["code"] == "too_large"


def test_it_sanitises_the_file_name(world):
    evidence = services.evidence_upload(
        actor=world.operator,
        institution_id=world.institution.pk,
        uploaded=upload("good.pdf", filename="../../etc/passwd.pdf"),
        title="x",
        kind="lainnya",
        unit_id=world.unit_a.pk,
    )
    assert evidence.versions.get().original_name == "passwd.pdf"


def test_it_keeps_operators_to_their_own_unit(world):
    with pytest.raises(Forbidden):
        create(world, unit=world.unit_b)
    evidence = create(world)
    with pytest.raises(NotFound):  # unit B's operator cannot even see unit A's evidence
        services.evidence_update(
            actor=world.operator_b, evidence_id=evidence.pk, expected_version=1, title="x"
        )
    for user in (world.pimpinan, world.asesor_internal, world.asesor_eksternal):
        with pytest.raises(Forbidden):
            create(world, user=user)


def test_it_keeps_old_versions_and_requires_a_change_note(world):
    evidence = create(world)
    with pytest.raises(InvalidInput):
        services.evidence_add_version(
            actor=world.operator,
            evidence_id=evidence.pk,
            expected_version=1,
            uploaded=upload("scan.pdf"),
            change_note=" ",
        )
    version = services.evidence_add_version(
        actor=world.operator,
        evidence_id=evidence.pk,
        expected_version=1,
        uploaded=upload("scan.pdf"),
        change_note="Sudah ditandatangani",
    )
    assert version.number == 2
    assert list(evidence.versions.values_list("number", flat=True)) == [2, 1]
    with pytest.raises(InvalidInput):  # the same file as the current version
        services.evidence_add_version(
            actor=world.operator,
            evidence_id=evidence.pk,
            expected_version=2,
            uploaded=upload("scan.pdf"),
            change_note="lagi",
        )


def test_it_refuses_a_stale_description_and_shows_the_other(world):
    evidence = create(world)
    services.evidence_update(
        actor=world.koordinator,
        evidence_id=evidence.pk,
        expected_version=1,
        document_number="12/2024",
    )
    with pytest.raises(Conflict) as conflict:
        services.evidence_update(
            actor=world.operator, evidence_id=evidence.pk, expected_version=1, title="lama"
        )
    assert conflict.value.extra["current"]["document_number"] == "12/2024"


def test_it_links_evidence_to_answer_levels_and_unlinks_it(world):
    evidence = create(world)
    answer = world.answer("1")
    levels = services.evidence_link(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[1, 2]
    )
    assert levels == [1, 2]
    assert services.evidence_link(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[3]
    ) == [1, 2, 3]
    with pytest.raises(InvalidInput):
        services.evidence_link(
            actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[6]
        )
    services.evidence_unlink(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, level=3
    )
    assert set(EvidenceLink.objects.values_list("level", flat=True)) == {1, 2}
    services.evidence_unlink(actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk)
    assert not EvidenceLink.objects.exists()


def test_it_refuses_links_across_institutions_or_outside_the_operators_answers(world):
    evidence = create(world)
    with pytest.raises(NotFound):  # answer 6 belongs to unit B
        services.evidence_link(
            actor=world.operator,
            answer_id=world.answer("6").pk,
            evidence_id=evidence.pk,
            levels=[1],
        )
    with pytest.raises(NotFound):
        services.evidence_link(
            actor=world.outsider,
            answer_id=world.answer("1").pk,
            evidence_id=evidence.pk,
            levels=[1],
        )


def test_it_records_link_evidence_with_access_notes(world):
    evidence = services.evidence_create_link(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        url="https://sakip.bandung.go.id",
        title="Aplikasi SAKIP",
        access_notes="akun: asesor",
    )
    assert evidence.kind == "tautan" and evidence.url.startswith("https://")
    with pytest.raises(InvalidInput):
        services.evidence_create_link(
            actor=world.koordinator,
            institution_id=world.institution.pk,
            url="javascript:alert(1)",
            title="x",
        )


def actions() -> list[str]:
    events = AuditEvent.objects.filter(action__startswith="evidence.").order_by("pk")
    return list(events.values_list("action", flat=True))


def test_it_sets_exactly_the_levels_with_an_audit_event_each(world):
    evidence = create(world)
    answer = world.answer("1")
    services.evidence_link(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[1, 2, 3]
    )
    before = AuditEvent.objects.count()  # the events of setting the levels come after
    levels = services.evidence_set_levels(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[4, 2]
    )
    assert levels == [2, 4]
    assert sorted(EvidenceLink.objects.values_list("level", flat=True)) == [2, 4]
    events = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(e.action, e.after["levels"]) for e in events] == [
        ("evidence.link", [1, 2, 3, 4]),
        ("evidence.unlink", [2, 3, 4]),
        ("evidence.unlink", [2, 4]),
    ]


def test_it_sets_levels_all_or_nothing(world):
    evidence = create(world)
    answer = world.answer("1")
    services.evidence_link(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[1]
    )
    before = actions()
    with pytest.raises(InvalidInput):  # 9 is not a level of the indicator
        services.evidence_set_levels(
            actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[2, 9]
        )
    assert list(EvidenceLink.objects.values_list("level", flat=True)) == [1]
    assert actions() == before


@pytest.mark.parametrize(("persona", "error"), [("pimpinan", Forbidden), ("operator_b", NotFound)])
def test_it_refuses_to_set_levels_without_the_right_to_edit_the_answer(world, persona, error):
    evidence = create(world)
    answer = world.answer("1")  # unit A's
    services.evidence_link(
        actor=world.operator, answer_id=answer.pk, evidence_id=evidence.pk, levels=[1]
    )
    before = actions()
    with pytest.raises(error):
        services.evidence_set_levels(
            actor=getattr(world, persona),
            answer_id=answer.pk,
            evidence_id=evidence.pk,
            levels=[2],
        )
    assert list(EvidenceLink.objects.values_list("level", flat=True)) == [1]
    assert actions() == before


def upload_and_link(world, user, levels, answer="1", unit=None):
    return services.evidence_upload_and_link(
        actor=user,
        answer_id=world.answer(answer).pk,
        institution_id=world.institution.pk,
        uploaded=upload("good.pdf"),
        levels=levels,
        title="Perwal Arsitektur SPBE",
        kind="peraturan",
        unit_id=(unit or world.unit_a).pk,
    )


def test_it_uploads_and_links_in_one_step(world):
    evidence = upload_and_link(world, world.operator, [1, 2])
    assert evidence.versions.get().file.kind == "pdf"
    links = EvidenceLink.objects.filter(evidence=evidence, answer=world.answer("1"))
    assert sorted(links.values_list("level", flat=True)) == [1, 2]
    assert actions() == ["evidence.upload", "evidence.link"]


@pytest.mark.parametrize(
    ("persona", "levels", "error"),
    [
        ("operator_b", [1], NotFound),  # may upload for unit B, not edit unit A's answer
        ("operator", [9], InvalidInput),  # not a level of the indicator
    ],
)
def test_upload_and_link_leaves_nothing_behind_when_the_link_is_refused(
    world, persona, levels, error
):
    from monev.evidence.models import EvidenceVersion
    from monev.evidence.search import search
    from monev.institutions.access import access_for

    user = getattr(world, persona)
    unit = world.unit_b if persona == "operator_b" else world.unit_a
    with pytest.raises(error):
        upload_and_link(world, user, levels, unit=unit)
    # The upload itself succeeded before the link was refused: all of it is rolled back (a
    # newly written blob stays unreferenced until `monev evidence gc`).
    assert not Evidence.objects.exists()
    assert not EvidenceVersion.objects.exists() and not StoredFile.objects.exists()
    assert not EvidenceLink.objects.exists() and actions() == []
    access = access_for(world.koordinator, world.institution.pk)
    assert search(access, world.institution.pk, "Arsitektur") == []
    # Nothing was left to refuse the same file next time.
    assert upload_and_link(world, world.operator, [1]).title == "Perwal Arsitektur SPBE"

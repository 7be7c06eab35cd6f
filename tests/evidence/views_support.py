"""Helpers for the evidence page and API tests: personas, fixture files, uploads through the
real multipart path, and evidence made through the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from monev.evidence import services

FIXTURES = Path(__file__).parent / "fixtures"

ROLES = [
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
    "outsider",
    "anonymous",
]
MEMBERS = {
    "koordinator",
    "operator",
    "operator_b",
    "asesor_internal",
    "asesor_eksternal",
    "pimpinan",
    "admin",
}
MANAGERS = {"koordinator", "operator", "operator_b", "admin"}


def login(client, world, role: str):
    if role != "anonymous":
        client.force_login(world.personas()[role])
    return client


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def file(name: str, content: bytes | None = None, *, as_name: str | None = None):
    """A file for client.post(): a fixture's bytes (or `content`) under a name."""
    data = fixture_bytes(name) if content is None else content
    return SimpleUploadedFile(as_name or name, data)


def png(seed: int = 0) -> bytes:
    """A distinct tiny PNG per seed (the same signature, different trailing bytes)."""
    return fixture_bytes("good.png") + bytes([seed % 256]) * (1 + seed // 256)


def make_evidence(world, *, user=None, name="good.pdf", content=None, unit=None, **fields):
    user = user or world.koordinator
    unit = unit if unit is not None else world.unit_a
    values = {"title": fields.pop("title", name), "kind": fields.pop("kind", "peraturan")}
    return services.evidence_upload(
        actor=user,
        institution_id=world.institution.pk,
        uploaded=file(name, content),
        unit_id=unit.pk,
        **values,
        **fields,
    )


def upload_url(world) -> str:
    return reverse("evidence:upload", args=[world.institution.pk])


def library_url(world) -> str:
    return reverse("evidence:library", args=[world.institution.pk])


@pytest.fixture
def tasks_in_process(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def queries(callable_) -> int:
    """How many SQL queries `callable_()` runs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def many_evidence(world, count: int, *, start: int = 0, link_to=None, unit=None):
    """`count` distinct evidence items (tiny PNGs), optionally linked to an answer."""
    from monev.evidence import services as evidence_services

    made = []
    for n in range(start, start + count):
        item = make_evidence(
            world,
            name="good.png",
            content=png(n + 1),
            title=f"Bukti {n}",
            kind="tangkapan_layar",
            unit=unit,
        )
        if link_to is not None:
            evidence_services.evidence_link(
                actor=world.koordinator, answer_id=link_to.pk, evidence_id=item.pk, levels=[1, 2]
            )
        made.append(item)
    return made

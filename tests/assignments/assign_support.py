"""Evaluators over the shared `world`: Kota Contoh (Jawa Barat) and Kabupaten Lain (Jawa
Tengah), a national evaluator, the evaluator of Jawa Barat, and an outside assessor."""

from __future__ import annotations

from dataclasses import dataclass

from monev.accounts.models import User
from monev.institutions.models import Institution, Membership


def make_user(username: str) -> User:
    # Not imported from the shared conftest: another directory's conftest may shadow it.
    return User.objects.create_user(
        username=username, password="correct-horse-battery-staple", full_name=username.title()
    )


def grant(user, institution, role: str, unit=None) -> Membership:
    return Membership.objects.create(user=user, institution=institution, role=role, unit=unit)


@dataclass
class Evaluators:
    world: object  # the shared `world` fixture (tests/conftest.py)
    national: User
    jabar: User  # the evaluator of Jawa Barat
    assessor: User  # an external assessor with no membership yet


def make_evaluators(world) -> Evaluators:
    from monev.assignments.models import AssessorAssignment

    # These tests make, count and remove assignments: they start from none.
    AssessorAssignment.objects.filter(period=world.period).delete()
    Institution.objects.filter(pk=world.institution.pk).update(province="Jawa Barat")
    Institution.objects.filter(pk=world.other_institution.pk).update(province="Jawa Tengah")
    world.institution.refresh_from_db()
    world.other_institution.refresh_from_db()
    national = make_user("eval.nasional")
    national.evaluator_scope = "nasional"
    national.save()
    jabar = make_user("eval.jabar")
    jabar.evaluator_scope, jabar.evaluator_province = "provinsi", "Jawa Barat"
    jabar.save()
    return Evaluators(
        world=world, national=national, jabar=jabar, assessor=make_user("asesor.luar")
    )


def make_institutions(
    count: int, *, province: str = "Jawa Barat", start: int = 0, year: int = 2026
):
    """`count` kabupaten of `province`, each with a pemdi-2026 evaluation of `year` whose
    answers are all final mandiri (waiting for the external assessors)."""
    from monev.evaluations import services as evaluation_services
    from monev.evaluations.models import Answer

    created = []
    for number in range(start, start + count):
        institution = Institution.objects.create(
            code=f"kab-{number}",
            name=f"Kabupaten {number:03d}",
            kind="kabupaten",
            province=province,
        )
        period = evaluation_services.period_create(
            actor=None,
            institution_id=institution.pk,
            year=year,
            kind="evaluasi",
            instrument="pemdi-2026",
        )
        created.append((institution, period))
    Answer.objects.filter(period__in=[p for _i, p in created]).update(status=Answer.Status.FINAL)
    return created

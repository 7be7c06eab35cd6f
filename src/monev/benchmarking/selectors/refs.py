"""What the round pages read of institutions and periods: tuples, not model instances,
one query for a whole round."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from monev.evaluations.models import Period
from monev.institutions.models import Institution


@dataclass(frozen=True, slots=True)
class InstitutionRef:
    """What the round pages show of an institution (a tuple, not a model: 615 a page)."""

    pk: int
    code: str
    name: str
    kind: str
    province: str

    FIELDS = ("id", "code", "name", "kind", "province")


@dataclass(frozen=True, slots=True)
class PeriodRef:
    """What the round pages need of a period, without a model instance per period."""

    pk: int
    institution_id: int
    kind: str
    instrument_id: str
    instrument_version: int
    instrument_sha256: str

    FIELDS = ("id", "institution_id", "kind", "instrument_id", "instrument_version")

    @property
    def instrument_reference(self) -> str:
        return f"{self.instrument_id}@{self.instrument_version}"


def chosen_periods(round_qs) -> dict[int, tuple[PeriodRef, InstitutionRef]]:
    """One period per institution: the evaluasi where there is one, else the pemantauan;
    with its institution. One query."""
    chosen: dict[int, tuple[PeriodRef, InstitutionRef]] = {}
    institution_fields = [f"institution__{name}" for name in InstitutionRef.FIELDS]
    rows = round_qs.values_list(
        *PeriodRef.FIELDS, "instrument_sha256", *institution_fields
    ).order_by("institution_id", "kind")  # evaluasi < pemantauan
    width = len(PeriodRef.FIELDS) + 1
    for row in rows:
        if row[1] not in chosen:
            chosen[row[1]] = (PeriodRef(*row[:width]), InstitutionRef(*row[width:]))
    return chosen


def round_queryset(institutions: QuerySet[Institution], year: int, instrument_id: str):
    return Period.objects.filter(
        institution__in=institutions, year=year, instrument_id=instrument_id
    )

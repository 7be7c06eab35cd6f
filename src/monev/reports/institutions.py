"""The evaluator's recap over many institutions ("Rekap Instansi"): for one year and one
instrument, one row per institution x indicator with the level at the institution's headline
stage, and a ranking by index.

Built for a national round (615 institutions x 47 indicators in well under 3 s): four queries
however many institutions - their periods, every answer's levels, every assessor pass, and
(for a user) their memberships - as plain tuples, then the engine scores each institution from
its levels. The workbook is streamed (write-only).

Which institutions: those the user may VIEW (their memberships), or every institution for the
command line (Access.system_viewer()). Where an institution has both an evaluasi and a
pemantauan period that year, the evaluasi (the ministry's round) is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from monev.core.engine import Result, score_items
from monev.core.model import Instrument
from monev.evaluations.fields import exact_value
from monev.evaluations.models import Answer, AssessorPass, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.stages import instrument_headline, stage_values
from monev.institutions.models import Institution, Membership
from monev.institutions.permissions import Access, Capability
from monev.lib.errors import InvalidInput
from monev.reports.common import SCORE_STAGE_NAMES, item_names
from monev.reports.workbook import Book, Column, indicator_level_column, level_column

KIND_NAMES = {"pusat": "Pusat", "provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}
HEADLINE_NOTE = (
    "Tahap yang dipakai untuk instansi ini: tahap terjauh yang semua indikatornya sudah "
    "bernilai (Final, Sementara, Terverifikasi, Penilaian Mandiri); bila belum ada, Penilaian "
    "Mandiri bila ada nilainya."
)


@dataclass
class InstitutionScore:
    institution: Institution
    period: Period
    instrument: Instrument
    stage: str | None = None  # the headline stage; None when no level is given at all
    levels: dict[str, Decimal | None] = field(default_factory=dict)  # at the headline stage
    given: int = 0
    result: Result | None = None
    rank: int | None = None

    @property
    def stage_name(self) -> str:
        return SCORE_STAGE_NAMES[self.stage] if self.stage else ""

    @property
    def total(self) -> int:
        return len(self.instrument.scored_items)


@dataclass
class InstitutionsRecap:
    year: int
    instrument_id: str
    rows: list[InstitutionScore]  # ranked: best index first, unscored last

    @property
    def ranked(self) -> list[InstitutionScore]:
        return [row for row in self.rows if row.rank is not None]


def viewable_institution_ids(user) -> list[int]:
    """The institutions in which the user holds VIEW (one query)."""
    grouped: dict[int, list] = {}
    for membership in Membership.objects.filter(user=user).only(
        "institution_id", "role", "unit_id"
    ):
        grouped.setdefault(membership.institution_id, []).append(membership)
    return [i for i, ms in grouped.items() if Access(ms).can(Capability.VIEW)]


def _periods(year: int, instrument_id: str, institution_ids: list[int] | None) -> list[Period]:
    """One period per institution: the evaluasi where there is one, else the pemantauan."""
    periods = Period.objects.filter(year=year, instrument_id=instrument_id).select_related(
        "institution"
    )
    if institution_ids is not None:
        periods = periods.filter(institution_id__in=institution_ids)
    chosen: dict[int, Period] = {}
    for period in periods.order_by("institution_id", "kind"):  # evaluasi < pemantauan
        chosen.setdefault(period.institution_id, period)
    return list(chosen.values())


def competition_ranks(values: list) -> list[int]:
    """The ranks of values sorted best first: equal values share a rank (1, 2, 2, 4). The
    Peringkat sheet and the ranking pages (monev.benchmarking) both rank this way."""
    ranks, previous, rank = [], None, 0
    for position, value in enumerate(values, start=1):
        if value != previous:
            rank, previous = position, value
        ranks.append(rank)
    return ranks


def _rank(rows: list[InstitutionScore]) -> list[InstitutionScore]:
    """Best reported index first; equal indices share a rank (1, 2, 2, 4); unscored last."""
    scored = sorted(
        (r for r in rows if r.result is not None),
        key=lambda r: (-r.result.index.reported, r.institution.name, r.institution.pk),
    )
    for row, rank in zip(
        scored, competition_ranks([r.result.index.reported for r in scored]), strict=True
    ):
        row.rank = rank
    unscored = sorted(
        (r for r in rows if r.result is None), key=lambda r: (r.institution.name, r.institution.pk)
    )
    return scored + unscored


def institutions_recap(access_or_user, year: int, instrument_id: str) -> InstitutionsRecap:
    """The recap over the institutions `access_or_user` may view: a user, or
    Access.system_viewer() for all of them."""
    if isinstance(access_or_user, Access):
        if not access_or_user.can(Capability.VIEW):
            return InstitutionsRecap(year, instrument_id, [])
        institution_ids = None
    else:
        institution_ids = viewable_institution_ids(access_or_user)
    periods = _periods(year, instrument_id, institution_ids)
    if not periods:
        return InstitutionsRecap(year, instrument_id, [])
    by_id = {p.pk: p for p in periods}
    answers: dict[int, dict[str, tuple]] = {p.pk: {} for p in periods}
    # Each value column with its exact companion (monev.evaluations.fields): 7/6 stays 7/6.
    for period_id, number, level, level_fraction, verified, verified_fraction in (
        Answer.objects.filter(period_id__in=by_id)
        .values_list(
            "period_id",
            "indicator",
            "level",
            "level_fraction",
            "verified_level",
            "verified_level_fraction",
        )
        .order_by()
    ):
        answers[period_id][number] = (
            exact_value(level, level_fraction),
            exact_value(verified, verified_fraction),
        )
    passes: dict[tuple[int, str], dict[str, Decimal]] = {}
    for period_id, number, stage, level, level_fraction in (
        AssessorPass.objects.filter(answer__period_id__in=by_id)
        .values_list("answer__period_id", "answer__indicator", "stage", "level", "level_fraction")
        .order_by()
    ):
        value = exact_value(level, level_fraction)
        passes.setdefault((period_id, number), {})[stage] = value
    instruments: dict[str, Instrument] = {}
    rows = []
    for period in periods:
        reference = f"{period.instrument_reference}:{period.instrument_sha256}"
        instrument = instruments.get(reference) or instruments.setdefault(
            reference, instrument_of(period)
        )
        values = {
            number: stage_values(level, verified, passes.get((period.pk, number), {}))
            for number, (level, verified) in answers[period.pk].items()
        }
        row = InstitutionScore(period.institution, period, instrument)
        row.stage = instrument_headline(instrument, values)
        if row.stage is not None:
            row.levels = {number: v[row.stage] for number, v in values.items()}
            given = {n: level for n, level in row.levels.items() if level is not None}
            row.given = len(given)
            row.result = score_items(instrument, given, missing="min")
        rows.append(row)
    return InstitutionsRecap(year, instrument_id, _rank(rows))


def check_arguments(year, instrument_id) -> tuple[int, str]:
    """The year and instrument id asked for, or InvalidInput naming what is wrong."""
    problems = []
    try:
        year = int(str(year).strip())
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        problems.append({"location": "year", "message": str(_("Give a year, e.g. 2025."))})
    instrument_id = str(instrument_id or "").strip()
    if not instrument_id:
        problems.append(
            {"location": "instrument", "message": str(_("Give an instrument id, e.g. spbe-2020."))}
        )
    if problems:
        raise InvalidInput(_("The year or the instrument is missing or wrong."), details=problems)
    return year, instrument_id


# --- the workbook ------------------------------------------------------------------------------

LEVEL_COLUMNS = (
    Column("Kode Instansi", 16, "Kode instansi di Monev SPBE."),
    Column("Instansi", 34, "Nama instansi."),
    Column("Jenis", 11, "Pusat, provinsi, kabupaten atau kota."),
    Column("Provinsi", 18, "Provinsi instansi (bila tercatat)."),
    Column("No. Indikator", 10, "Nomor indikator dalam instrumen."),
    Column("Indikator", 40, "Nama indikator."),
    Column("Aspek", 26, "Aspek indikator."),
    indicator_level_column(
        "Tingkat",
        "Tingkat indikator pada tahap yang dipakai untuk instansi ini; kosong bila belum bernilai.",
    ),
    Column("Tahap", 24, HEADLINE_NOTE),
)

RANKING_COLUMNS = (
    Column(
        "Peringkat",
        10,
        "Peringkat menurut indeks yang dibulatkan; indeks sama, peringkat "
        "sama. Instansi tanpa nilai tidak diperingkat.",
        "0",
    ),
    Column("Kode Instansi", 16, "Kode instansi di Monev SPBE."),
    Column("Instansi", 34, "Nama instansi."),
    Column("Jenis", 11, "Pusat, provinsi, kabupaten atau kota."),
    Column("Provinsi", 18, "Provinsi instansi (bila tercatat)."),
    level_column(
        "Indeks",
        "Indeks yang dihitung mesin penilaian dari tingkat pada tahap yang "
        "dipakai; indikator tanpa nilai dihitung dengan nilai minimum skala.",
    ),
    Column("Predikat", 16, "Predikat menurut indeks yang dibulatkan."),
    Column("Tahap", 24, HEADLINE_NOTE),
    Column("Terisi", 9, "Jumlah indikator yang bernilai pada tahap itu.", "0"),
    Column("Jumlah Indikator", 10, "Jumlah indikator (dan sub-indikator) instrumen.", "0"),
    Column(
        "Periode",
        12,
        "Jenis periode yang dipakai: evaluasi, atau pemantauan bila tidak ada evaluasi tahun itu.",
    ),
)


def _provisional(instrument_id: str) -> bool:
    from monev.core.loader import InstrumentError
    from monev.instruments.selectors import instrument_catalog

    try:
        return instrument_catalog().find(instrument_id).instrument.provisional
    except InstrumentError:  # an instrument no longer known: nothing to flag
        return False


def build(recap: InstitutionsRecap, *, now: datetime | None = None) -> bytes:
    book = Book(
        f"Rekap Instansi {recap.instrument_id} {recap.year}",
        subject=f"{recap.instrument_id} {recap.year}",
        description=f"{len(recap.rows)} instansi",
        provisional=_provisional(recap.instrument_id),
    )
    book.sheet(
        "Peringkat",
        RANKING_COLUMNS,
        (
            [
                row.rank,
                row.institution.code,
                row.institution.name,
                KIND_NAMES.get(row.institution.kind, row.institution.kind),
                row.institution.province,
                row.result.index.reported if row.result else None,
                row.result.predicate.name if row.result else "",
                row.stage_name,
                row.given,
                row.total,
                row.period.kind,
            ]
            for row in recap.rows
        ),
        about="Satu baris per instansi, urut peringkat indeks.",
        freeze="D2",
    )
    level_rows = []
    names_of: dict[int, list] = {}
    for row in sorted(recap.rows, key=lambda r: (r.institution.name, r.institution.pk)):
        instrument = row.instrument
        names = names_of.get(id(instrument))
        if names is None:
            names = names_of[id(instrument)] = [
                (item.number, item_names(instrument, item)) for item in instrument.scored_items
            ]
        institution = row.institution
        head = [
            institution.code,
            institution.name,
            KIND_NAMES.get(institution.kind, institution.kind),
            institution.province,
        ]
        stage = row.stage_name
        for number, item in names:
            level_rows.append(
                [*head, number, item.indicator, item.aspect, row.levels.get(number), stage]
            )
    book.sheet(
        "Tingkat per Indikator",
        LEVEL_COLUMNS,
        level_rows,
        about="Satu baris per instansi x indikator, dalam urutan instrumen.",
        freeze="C2",
        streamed=True,
    )
    return book.to_bytes()

"""The score recap ("Rekap Nilai"): the index and predicate at every stage, the domain and
aspect scores at every stage, every indicator's level at every stage, and the same per
Triwulan from the period's snapshots. The scores are the engine's, computed from the answers
(never stored) and always cover the whole period; an operator's indicator sheet lists only
their units' indicators, as their pages do."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

from monev.core.engine import gap_to_target
from monev.core.numbers import round_fraction
from monev.evaluations.models import Period
from monev.evaluations.selectors import period_overview
from monev.evaluations.stages import ScoreStage
from monev.institutions.permissions import Access
from monev.monitoring.selectors import snapshots_of
from monev.reports.common import (
    SCORE_STAGE_NAMES,
    STAGE_HEADERS,
    item_names,
    levels_by_stage,
)
from monev.reports.workbook import (
    DATETIME_FORMAT,
    Book,
    Column,
    indicator_level_column,
    level_column,
    local_datetime,
)

STAGE_NOTE = (
    "Tahap: Penilaian Mandiri (tingkat instansi), Terverifikasi (setelah asesor internal), "
    "Sementara (penilaian asesor eksternal terakhir: visitasi, interviu atau dokumen), Final. "
    "Indikator tanpa nilai pada suatu tahap dihitung dengan nilai minimum skala; kolom Terisi "
    "menyebutkan berapa yang bernilai."
)


def _share(weight: Fraction, total: Fraction) -> Decimal:
    return round_fraction(weight * 100 / total, 2, "half_up")


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _index_sheet(book: Book, period: Period, scores) -> None:
    columns = (
        Column("Tahap", 30, STAGE_NOTE, wrap=True),
        level_column(
            "Indeks",
            "Indeks yang dihitung mesin penilaian, dibulatkan seperti yang diumumkan kementerian.",
        ),
        Column("Predikat", 16, "Predikat menurut indeks yang dibulatkan."),
        Column("Terisi", 9, "Jumlah indikator yang bernilai pada tahap ini.", "0"),
        Column("Jumlah Indikator", 10, "Jumlah indikator (dan sub-indikator) instrumen.", "0"),
        level_column("Sasaran", "Indeks sasaran periode."),
        level_column(
            "Kekurangan dari Sasaran",
            "Sasaran dikurangi indeks tepat (0 bila sasaran tercapai), dua desimal.",
        ),
    )
    rows = []
    for stage in ScoreStage.ORDER:
        score = scores[stage]
        result = score.result
        gap = gap_to_target(result, period.target) if result and period.target else None
        rows.append(
            [
                SCORE_STAGE_NAMES[stage],
                result.index.reported if result else None,
                result.predicate.name if result else "",
                score.given,
                score.total,
                period.target,
                round_fraction(gap.shortfall, 2, "half_up") if gap else None,
            ]
        )
    book.sheet("Indeks", columns, rows, about="Indeks dan predikat per tahap.")


def _stage_columns() -> list[Column]:
    return [
        level_column(SCORE_STAGE_NAMES[stage], f"Nilai pada tahap {SCORE_STAGE_NAMES[stage]}.")
        for stage in ScoreStage.ORDER
    ]


def build(period: Period, access: Access, *, now: datetime | None = None) -> bytes:
    overview = period_overview(period, access, now=now)
    instrument = overview.instrument
    scores = overview.scores
    results = {stage: scores[stage].result for stage in ScoreStage.ORDER}
    institution = period.institution
    book = Book(
        f"Rekap Nilai {institution.name} {period.year}",
        subject=f"{instrument.index_name} ({period.instrument_reference})",
        description=f"{period.get_kind_display()} {period.year}",
        provisional=instrument.provisional,
    )
    _index_sheet(book, period, scores)
    total = instrument.total_weight
    if instrument.domains:
        book.sheet(
            "Domain",
            [
                Column("Kode", 8, "Kode domain."),
                Column("Domain", 36, "Nama domain.", wrap=True),
                level_column("Bobot (%)", "Bobot domain dalam indeks, persen."),
                *_stage_columns(),
            ],
            [
                [
                    domain.code,
                    domain.name,
                    _share(domain.weight, total),
                    *(
                        r.domain(domain.code).score.reported if r else None
                        for r in results.values()
                    ),
                ]
                for domain in instrument.domains
            ],
            about="Nilai domain per tahap.",
        )
    book.sheet(
        "Aspek",
        [
            Column("Kode", 8, "Kode aspek."),
            Column("Aspek", 36, "Nama aspek.", wrap=True),
            Column("Domain", 30, "Domain aspek.", wrap=True),
            level_column("Bobot (%)", "Bobot aspek dalam indeks, persen."),
            *_stage_columns(),
        ],
        [
            [
                aspect.code,
                aspect.name,
                instrument.domains_by_code[aspect.domain].name if aspect.domain else "",
                _share(aspect.weight, total),
                *(r.aspect(aspect.code).score.reported if r else None for r in results.values()),
            ]
            for aspect in instrument.aspects
        ],
        about="Nilai aspek per tahap.",
    )
    indicator_rows = []
    for row in overview.rows:
        names = item_names(instrument, row.item)
        indicator_rows.append(
            [
                row.answer.indicator,
                names.indicator,
                names.aspect,
                names.domain,
                _share(row.item.weight, total),
                *levels_by_stage(row.answer, row.passes),
            ]
        )
    book.sheet(
        "Indikator",
        [
            Column("No. Indikator", 10, "Nomor indikator dalam instrumen."),
            Column("Indikator", 44, "Nama indikator.", wrap=True),
            Column("Aspek", 26, "Aspek indikator.", wrap=True),
            Column("Domain", 24, "Domain indikator.", wrap=True),
            level_column("Bobot (%)", "Bobot indikator dalam indeks, persen."),
            *(
                indicator_level_column(header, f"Tingkat pada tahap {header}.")
                for _key, header in STAGE_HEADERS
            ),
        ],
        indicator_rows,
        about="Tingkat setiap indikator per tahap"
        + (" (hanya indikator unit Anda)." if access.is_operator_only else "."),
        freeze="B2",
    )
    _quarter_sheet(book, instrument, snapshots_of(period))
    return book.to_bytes()


def _quarter_sheet(book: Book, instrument, snapshots) -> None:
    domains = list(instrument.domains)
    aspects = list(instrument.aspects)
    columns = [
        Column("Potret", 20, "Nama potret (Triwulan I-IV, atau potret sewaktu-waktu)."),
        Column("Diambil", 16, "Waktu potret diambil.", DATETIME_FORMAT),
        Column("Tahap", 30, STAGE_NOTE, wrap=True),
        level_column("Indeks", "Indeks pada tahap ini saat potret diambil."),
        Column("Predikat", 16, "Predikat pada tahap ini saat potret diambil."),
        Column("Terisi", 9, "Jumlah indikator yang bernilai pada tahap ini.", "0"),
        *(level_column(f"Domain {d.code}", f"Nilai domain {d.name}.") for d in domains),
        *(level_column(f"Aspek {a.code}", f"Nilai aspek {a.name}.") for a in aspects),
    ]
    rows = []
    for snapshot in snapshots:
        for stage in ScoreStage.ORDER:
            score = (snapshot.scores or {}).get(stage)
            if score is None:
                continue
            rows.append(
                [
                    snapshot.label,
                    local_datetime(snapshot.taken_at),
                    SCORE_STAGE_NAMES[stage],
                    _decimal(score.get("index")),
                    score.get("predicate", ""),
                    score.get("given"),
                    *(_decimal(score.get("domains", {}).get(d.code)) for d in domains),
                    *(_decimal(score.get("aspects", {}).get(a.code)) for a in aspects),
                ]
            )
    book.sheet(
        "Triwulan",
        columns,
        rows,
        about="Indeks, domain dan aspek per potret Triwulan (dan potret sewaktu-waktu), per "
        "tahap yang bernilai saat potret diambil.",
        freeze="D2",
    )

"""External values through the API: the same selectors and services as the pages.

GET/POST /institutions/{id}/external-results: each imported indicator's results (history
included) and the one in use; record a new result. The file import of many institutions'
results (POST /external-results/import) is monev.imports.api's."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from monev.external import selectors, services
from monev.external.models import ExternalResult
from monev.lib.api_schemas import READ_ERRORS, WRITE_ERRORS, YEAR_QUERY, DecimalIn, Id

router = Router(tags=["external values"])


class ExternalResultOut(Schema):
    id: int
    institution_id: int
    instrument_id: str = Field(examples=["pemdi-2026"])
    indicator: str = Field(examples=["5"])
    index_name: str = Field(description="the source index, as the instrument names it")
    data_year: int
    source_value: str | None = Field(
        description="the other agency's value (SDI 68.75); null where the value is entered",
        examples=["68.750"],
    )
    value: str = Field(description="the indicator value (converted, or entered)", examples=["3.75"])
    method: str = Field(examples=["linear_bands"], description="linear_bands, direct or entered")
    evidence_id: int | None
    source_note: str
    source_url: str
    recorded_by: str | None
    recorded_at: datetime


class IndicatorExternalOut(Schema):
    indicator: str
    name: str
    index: str = Field(examples=["Indeks SDI"])
    owner: str = Field(examples=["Bappenas"])
    conversion: str
    method: str
    default_value: str | None = Field(description="the value used until a result arrives")
    current: ExternalResultOut | None = Field(
        description="the result a period of `year` uses; null: the default applies"
    )
    waiting: bool = Field(description="no result applies: the default value is used")
    results: list[ExternalResultOut] = Field(
        description="every result, newest data year first, then latest recorded first"
    )


class InstitutionExternalOut(Schema):
    institution_id: int
    instrument_id: str
    year: int
    provisional: bool = Field(description="the instrument is provisional (pemdi-2026)")
    can_record: bool
    indicators: list[IndicatorExternalOut]


class ExternalResultIn(Schema):
    indicator: str = Field(examples=["5"])
    data_year: int = Field(examples=[2025])
    source_value: DecimalIn | None = Field(
        None, description="the other agency's value; required where the conversion is known"
    )
    value: DecimalIn | None = Field(
        None, description="the indicator value; only where the conversion is not known (7)"
    )
    evidence_id: int | None = Field(None, description="the result's document (evidence id)")
    source_note: str = ""
    source_url: str = ""
    instrument: str = "pemdi-2026"


def _result(result: ExternalResult) -> dict:
    return {
        "id": result.pk,
        "institution_id": result.institution_id,
        "instrument_id": result.instrument_id,
        "indicator": result.indicator,
        "index_name": result.index_name,
        "data_year": result.data_year,
        "source_value": None if result.source_value is None else str(result.source_value),
        "value": str(result.value),
        "method": result.method,
        "evidence_id": result.evidence_id,
        "source_note": result.source_note,
        "source_url": result.source_url,
        "recorded_by": str(result.recorded_by) if result.recorded_by_id else None,
        "recorded_at": result.recorded_at,
    }


@router.get(
    "/institutions/{institution_id}/external-results",
    response={200: InstitutionExternalOut, **READ_ERRORS},
    summary="An institution's results of other agencies' indices",
)
def result_list(
    request, institution_id: Id, year: int | None = YEAR_QUERY, instrument: str = "pemdi-2026"
):
    """Each imported indicator (pemdi-2026 5, 6, 7, 18) with its results and the one a period
    of `year` (this year by default) uses: the newest data year not after it, the last
    recorded within that year. Without one the instrument's default applies (`waiting`)."""
    view = selectors.institution_external(
        request.auth, institution_id, instrument_id=instrument, year=year
    )
    return {
        "institution_id": view.institution.pk,
        "instrument_id": view.instrument.id,
        "year": view.year,
        "provisional": view.instrument.provisional,
        "can_record": view.can_record,
        "indicators": [
            {
                "indicator": h.indicator.number,
                "name": h.indicator.name,
                "index": h.index,
                "owner": h.owner,
                "conversion": h.indicator.external.conversion,
                "method": str(h.indicator.external.method or ""),
                "default_value": None if h.default is None else str(h.default),
                "current": _result(h.current) if h.current else None,
                "waiting": h.current is None,
                "results": [_result(r) for r in h.results],
            }
            for h in view.indicators
        ],
    }


@router.post(
    "/institutions/{institution_id}/external-results",
    response={201: ExternalResultOut, **WRITE_ERRORS},
    summary="Record a result of another agency's index",
)
def result_create(request, institution_id: Id, payload: ExternalResultIn):
    """A new result (earlier ones stay as history). SDI and SJIG: give `source_value`, the
    indicator value is converted by the instrument (SDI 68.75 -> 3.75). The statistics index:
    give `value` with a source (note, link or evidence). The value is written at once into the
    indicator's answers of the institution's periods. Koordinator or an evaluator whose scope
    covers the institution; 422 with the reason (in the caller's language) otherwise invalid."""
    result = services.result_record(
        request.auth,
        institution_id=institution_id,
        indicator=payload.indicator,
        data_year=payload.data_year,
        source_value=payload.source_value,
        value=payload.value,
        evidence_id=payload.evidence_id,
        source_note=payload.source_note,
        source_url=payload.source_url,
        instrument=payload.instrument,
    )
    return Status(201, _result(result))

"""The API under /api/v1/: one NinjaAPI, routers per app, one error shape.

Every error answers {"error": {"code", "message", "details"}} whatever raised it, so clients
handle failures in one place.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, ValidationError

from monev import __version__
from monev.accounts.api import router as accounts_router
from monev.accounts.api_auth import API_AUTH
from monev.api_base import CODES_BY_STATUS, MonevApi
from monev.assignments.api import router as assignments_router
from monev.benchmarking.api import router as benchmarking_router
from monev.core.engine import ScoringInputError
from monev.evaluations.api import answers_router, periods_router
from monev.evidence.api import router as evidence_router
from monev.external.api import router as external_router
from monev.imports.api import external_results_router
from monev.imports.api import router as imports_router
from monev.instruments.api import router as instruments_router
from monev.instruments.selectors import InstrumentNotFound
from monev.lib.errors import DomainError
from monev.monitoring.api import router as monitoring_router
from monev.planning.api import router as planning_router
from monev.reports.api import router as reports_router
from monev.reports.pdf_api import router as reports_pdf_router
from monev.transition.api import router as transition_router

NUMERIC_VALUE_OUT_OF_RANGE = "22003"

api = MonevApi(
    title="Monev SPBE API",
    version=__version__,
    description=(
        "Instruments, scoring, and the evaluation cycle of Monev SPBE: periods, answers, "
        "review passes, assignments, audit trail, personal tokens. Authenticate with a "
        "personal token (`Authorization: Bearer monev_...`, see `monev token create`) or the "
        "browser session (with its CSRF token). Instruments and scoring need no login. "
        'Errors always answer {"error": {"code", "message", "details"}}.'
    ),
    urls_namespace="api-v1",
    auth=API_AUTH,
)


def error_response(request: HttpRequest, status: int, code: str, message: str, details=None):
    body = {"error": {"code": code, "message": message, "details": details or []}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    details = [
        {"location": ".".join(str(part) for part in error.get("loc", ())), "message": error["msg"]}
        for error in exc.errors
    ]
    return error_response(request, 422, "invalid_request", _("The request is not valid."), details)


@api.exception_handler(ScoringInputError)
def on_scoring_input_error(request, exc: ScoringInputError):
    details = [{"location": p.key, "message": p.message} for p in exc.problems]
    return error_response(request, 422, "invalid_scores", _("The scores cannot be used."), details)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    response = error_response(request, exc.status, exc.code, str(exc.message), exc.details)
    if "current" in exc.extra:
        # A conflict: what the other person saved, so the client can show it.
        body = {
            "error": {
                "code": exc.code,
                "message": str(exc.message),
                "details": exc.details,
                "current": exc.extra["current"],
            }
        }
        response = api.create_response(request, body, status=exc.status)
    return response


@api.exception_handler(InstrumentNotFound)
def on_instrument_not_found(request, exc: InstrumentNotFound):
    return error_response(request, 404, "not_found", f"Not found: {exc}")


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return error_response(request, 404, "not_found", _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc: AuthenticationError):
    return error_response(
        request, 401, "unauthenticated", _("Sign in, or send a token: Authorization: Bearer ...")
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    code = CODES_BY_STATUS.get(exc.status_code, "http_error")
    message = str(exc)
    if exc.status_code == 400:  # django-ninja's "Cannot parse request body"
        message = _("The body cannot be read: send valid JSON.")
    return error_response(request, exc.status_code, code, message)


def _number_out_of_range(request):
    # The engine's own words ("Python int too large to convert to SQLite INTEGER", "bigint
    # out of range") say nothing useful to a client and name the database: not passed on.
    return error_response(request, 422, "invalid_input", _("A number is out of range."))


@api.exception_handler(OverflowError)
def on_number_out_of_range(request, exc: OverflowError):
    # A last line: SQLite refuses to bind an integer beyond 64 bits. Paths, queries and JSON
    # bodies are bounded before (api_schemas' Id, SmallInt, OFFSET_QUERY; api_base).
    return _number_out_of_range(request)


@api.exception_handler(DataError)
def on_data_error(request, exc: DataError):
    # The same last line on PostgreSQL: 22003 numeric_value_out_of_range.
    if getattr(exc.__cause__, "sqlstate", None) == NUMERIC_VALUE_OUT_OF_RANGE:
        return _number_out_of_range(request)
    raise exc


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc: RequestDataTooBig):
    return error_response(request, 413, "too_large", _("The request body is over the size limit."))


api.add_router("/instruments", instruments_router)
api.add_router("/periods", periods_router)
api.add_router("/answers", answers_router)
api.add_router("", accounts_router)
api.add_router("", evidence_router)
api.add_router("", planning_router)
api.add_router("", monitoring_router)
api.add_router("", imports_router)
api.add_router("", assignments_router)
api.add_router("", benchmarking_router)
api.add_router("", external_router)
api.add_router("", external_results_router)
api.add_router("", reports_router)
api.add_router("", reports_pdf_router)
api.add_router("", transition_router)

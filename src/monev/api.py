"""The API under /api/v1/: one NinjaAPI, routers per app, one error shape.

Every error answers {"error": {"code", "message", "details"}} whatever raised it, so clients
handle failures in one place.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from monev import __version__
from monev.accounts.api import router as accounts_router
from monev.accounts.api_auth import API_AUTH
from monev.core.engine import ScoringInputError
from monev.errors import DomainError
from monev.evaluations.api import answers_router, periods_router
from monev.evidence.api import router as evidence_router
from monev.instruments.api import router as instruments_router
from monev.instruments.selectors import InstrumentNotFound
from monev.monitoring.api import router as monitoring_router
from monev.planning.api import router as planning_router

api = NinjaAPI(
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
    return error_response(request, 422, "invalid_request", "The request is not valid.", details)


@api.exception_handler(ScoringInputError)
def on_scoring_input_error(request, exc: ScoringInputError):
    details = [{"location": p.key, "message": p.message} for p in exc.problems]
    return error_response(request, 422, "invalid_scores", "The scores cannot be used.", details)


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
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc: AuthenticationError):
    return error_response(request, 401, "unauthenticated", "Authentication is required.")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "http_error", str(exc))


api.add_router("/instruments", instruments_router)
api.add_router("/periods", periods_router)
api.add_router("/answers", answers_router)
api.add_router("", accounts_router)
api.add_router("", evidence_router)
api.add_router("", planning_router)
api.add_router("", monitoring_router)

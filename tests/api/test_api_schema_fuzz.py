"""Schemathesis against /api/v1/: every operation, with generated input, answers no 5xx and
a response the OpenAPI document describes (status, content type, body schema).

In-process: the schema is read from the Django app itself and the requests go through WSGI
in the test's own database transaction. Bounded for the normal suite (a few examples per
operation, MONEV_FUZZ_EXAMPLES to change); `make fuzz` runs it with many more.

Schemathesis's own "schema-valid request rejected" check is replaced by a stricter-where-it-
matters one: input the document calls valid must never be refused by the parser (400, or 422
`invalid_request`), while a 422 `invalid_input` - a rule the document cannot state, such as
a unit of another institution or a level outside this instrument's scale - is an answer.

Path ids are mostly replaced by the `world`'s real ones, so the generated bodies reach the
services instead of stopping at 404; one generated id in four is kept as it came.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from monev.accounts import services as account_services
from monev.evidence import services as evidence_services

EXAMPLES = int(os.environ.get("MONEV_FUZZ_EXAMPLES", "6"))

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("MONEV_FUZZ_RANDOM") != "1",
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def in_transaction():
    """Django's request signals would close the test's connection mid-transaction (as the
    test client does, keep them off while the WSGI handler runs)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def targets(world, settings):
    """Real ids to aim generated requests at, and the koordinator's token."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    token, secret = account_services.token_create(actor=world.koordinator, name="fuzz")
    evidence = evidence_services.evidence_create_link(
        actor=world.koordinator,
        institution_id=world.institution.pk,
        url="https://eoffice.contoh.go.id",
        title="Aplikasi e-Office",
        unit_id=world.unit_a.pk,
        access_notes="",
        kind="tautan",
    )
    milestone = world.period.milestones.first()
    ids = {
        "period_id": world.period.pk,
        "answer_id": world.answer("3").pk,
        "institution_id": world.institution.pk,
        "evidence_id": evidence.pk,
        "token_id": token.pk,
        "milestone_id": milestone.pk if milestone else 1,
        "reference": "spbe-2020",
    }
    return {"ids": ids, "secret": secret}


PARSER_REFUSALS = {"bad_request", "invalid_request"}


@schemathesis.check
def schema_valid_input_is_parsed(ctx, response, case):
    """Input generated from the document (positive mode) is never refused by the parser."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 422):
        return None
    code = response.json().get("error", {}).get("code")
    if code in PARSER_REFUSALS:
        raise AssertionError(
            f"The document calls this input valid, the parser refused it: {response.text}"
        )
    return None


CHECKS = {
    "excluded_checks": [positive_data_acceptance],
    "additional_checks": [schema_valid_input_is_parsed],
}


def aim(case, ids: dict) -> None:
    """Point a valid case at the world's objects (an invalid one stays as generated)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    for name, value in list((case.path_parameters or {}).items()):
        keep_generated = isinstance(value, int) and value % 4 == 0
        if name in ids and not keep_generated:
            case.path_parameters[name] = ids[name]


@schema.parametrize()
@FUZZ_SETTINGS
def test_operation_as_koordinator(case, targets, in_transaction):
    aim(case, targets["ids"])
    case.call_and_validate(headers={"Authorization": f"Bearer {targets['secret']}"}, **CHECKS)


@schema.parametrize()
@settings(FUZZ_SETTINGS, max_examples=max(1, EXAMPLES // 3))
def test_operation_anonymously(case, targets, in_transaction):
    aim(case, targets["ids"])
    case.call_and_validate(**CHECKS)

"""No existence oracle: for every page and every API operation, an object of another
institution (or another person's import or token) answers exactly as an id that does not
exist. Ids are sequential; a 403 where a missing id gets 404 would tell an outsider what
exists (docs/security.md, "404, not 403")."""

from __future__ import annotations

import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

sys.path.insert(0, str(Path(__file__).parents[1] / "evidence"))
from views_support import make_evidence

from api_support import Api
from monev.accounts import services as account_services
from monev.accounts.models import User
from monev.assignments.models import AssessorAssignment
from monev.evaluations import views as evaluation_views
from monev.imports.models import ImportBatch
from monev.institutions.models import Institution
from monev.planning.models import ActionItem, Plan
from monev.transition.models import CrosswalkSuggestion
from route_walk import api_operations, call, page_routes

pytestmark = pytest.mark.django_db

MISSING = 10**6  # added to every id: no such object in a test database

# Values for the parameters that are not ids: valid ones, so that the calls reach the views.
PAGE_KINDS = {
    "imports:period_upload": "levels",
    "imports:institution_upload": "people",
    "imports:template": "levels",
    "imports:template_json": "tauval",
    "evaluator_imports:upload": "assessor-assignments",
    "reports:download": "self-assessment",
}
API_KINDS = {
    "/imports/periods/": "levels",
    "/imports/institutions/": "people",
    "/imports/evaluator/": "assessor-assignments",
    "/imports/templates/": "levels",
    "/exports/": "self-assessment",
}
OTHER_VALUES = {
    "stage": "document_review",
    "number": "1",
    "indicator": "1",
    "to_level": "2",
    "reference": "spbe-2020",
}


@pytest.fixture
def foreign(world):
    """Kota Contoh's objects, one of each kind an id can name, for a `caller` outside it."""
    answer = world.answer("1")
    evidence = make_evidence(world, name="good.png")
    token, _secret = account_services.token_create(actor=world.koordinator, name="x")
    batch = ImportBatch.objects.create(
        kind="levels",
        institution=world.institution,
        period=world.period,
        uploaded_by=world.koordinator,
        filename="tingkat.csv",
        sha256="0" * 64,
    )
    assignment, _created = AssessorAssignment.objects.get_or_create(
        period=world.period, assessor=world.asesor_eksternal
    )
    plan = Plan.objects.create(
        period=world.period,
        target=Decimal(3),
        reachable=True,
        index_before=Decimal(1),
        index_before_exact="1",
        index_after=Decimal(3),
        index_after_exact="3",
        total_effort=Decimal(1),
        created_at=timezone.now(),
    )
    item = ActionItem.objects.create(
        plan=plan,
        answer=answer,
        position=1,
        from_level=Decimal(1),
        to_level=2,
        effort=Decimal(1),
        unit=world.unit_a,
        due_date=date(2099, 1, 1),
    )
    suggestion = CrosswalkSuggestion.objects.create(
        period=world.period,
        indicator="1",
        answer=answer,
        kind=CrosswalkSuggestion.Kind.EVIDENCE,
        crosswalk_id="x",
        source_period=world.period,
        source_answer=answer,
        evidence=evidence,
    )
    return {
        "period_id": world.period.pk,
        "answer_id": answer.pk,
        "institution_id": world.institution.pk,
        "evidence_id": evidence.pk,
        "version_id": evidence.versions.get().pk,
        "token_id": token.pk,
        "batch_id": batch.pk,
        "assignment_id": assignment.pk,
        "item_id": item.pk,
        "suggestion_id": suggestion.pk,
        "milestone_id": world.period.milestones.first().pk,
        "pk": world.period.milestones.first().pk,
    }


@pytest.fixture(params=["outsider", "evaluator_elsewhere"])
def caller(request, world):
    """Who looks: the koordinator of Kabupaten Lain, or the evaluator of another province
    (an evaluator's scope gives view over the institutions it covers, and only those)."""
    if request.param == "outsider":
        return world.outsider
    Institution.objects.filter(pk=world.institution.pk).update(province="Jawa Barat")
    return User.objects.create_user(
        username="eval.jateng", evaluator_scope="provinsi", evaluator_province="Jawa Tengah"
    )


def page_text(response) -> str:
    """The page without what differs on every render (CSRF tokens) and without the ids."""
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode(errors="replace"))
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r"/\d+/", "/N/", page)


def _difference(answer, missing) -> str:
    """Where the two pages first differ, for the failure message."""
    a, b = page_text(answer), page_text(missing)
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"{a[max(0, at - 60) : at + 100]!r} / {b[max(0, at - 60) : at + 100]!r}"


def _page_actions(route) -> list[str]:
    if route.name.startswith("evaluations:settings"):
        return list(evaluation_views.SETTINGS_ACTIONS)
    if route.name == "answers:action":
        return [*evaluation_views.ANSWER_ACTIONS, "items"]
    return ["x"]


def test_every_page_answers_another_institutions_ids_as_missing_ones(caller, foreign):
    browser = Client()
    browser.force_login(caller)
    routes = [r for r in page_routes() if {n for _c, n in r.parameters} & set(foreign)]
    assert len(routes) > 30
    oracles = []
    for route in routes:
        for action in _page_actions(route):
            values = {**OTHER_VALUES, "kind": PAGE_KINDS.get(route.name, "x"), "action": action}
            seen = route.url({**values, **{k: str(v) for k, v in foreign.items()}})
            gone = route.url({**values, **{k: str(v + MISSING) for k, v in foreign.items()}})
            for method in ("get", "post"):
                answer = getattr(browser, method)(seen)
                missing = getattr(browser, method)(gone)
                same = (answer.status_code, page_text(answer)) == (
                    missing.status_code,
                    page_text(missing),
                )
                if not same:
                    oracles.append(
                        f"{method.upper()} {seen}: {answer.status_code}, missing "
                        f"{missing.status_code}: {_difference(answer, missing)}"
                    )
    assert oracles == [], "\n".join(oracles)


def _api_value(operation, name: str, ids: dict) -> str:
    if name in ids:
        return str(ids[name])
    if name == "kind":
        return next((v for k, v in API_KINDS.items() if k in operation.path), "x")
    return OTHER_VALUES.get(name, "x")


def test_every_api_operation_answers_another_institutions_ids_as_missing_ones(caller, foreign):
    api = Api.token(caller)
    missing_ids = {k: v + MISSING for k, v in foreign.items()}
    operations = [
        o for o in api_operations() if {p["name"] for p in o.parameters("path")} & set(foreign)
    ]
    assert len(operations) > 40
    oracles = []
    for operation in operations:
        names = [p["name"] for p in operation.parameters("path")]
        seen = operation.url({n: _api_value(operation, n, foreign) for n in names})
        gone = operation.url({n: _api_value(operation, n, missing_ids) for n in names})
        answer = call(api.client, operation, seen, api.headers)
        missing = call(api.client, operation, gone, api.headers)
        if (answer.status_code, answer.content) != (missing.status_code, missing.content):
            oracles.append(
                f"{operation.method.upper()} {seen}: {answer.status_code} {answer.content[:200]}"
                f", missing {missing.status_code} {missing.content[:200]}"
            )
    assert oracles == [], "\n".join(oracles)

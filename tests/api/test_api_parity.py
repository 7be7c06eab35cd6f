"""Every page has its API: each page URL name maps to the /api/v1/ operations that read the
same data or do the same action (through the same selector or service, so with the same
permissions). A new page without an entry here fails, and so does an entry naming an
operation that does not exist. docs/api.md shows the same table."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver
from ninja import Schema

from monev.api import api


def op(name: str) -> str:
    """`app.function` -> the operation id django-ninja gives it."""
    app, function = name.split(".")
    module = "reports_pdf_api" if app == "reports_pdf" else f"{app}_api"
    return f"monev_{module}_{function}"


# Pages that are not data or actions: signing in and out, the language switch, the start page.
NOT_DATA = {
    "home": "redirects to the period list (a pimpinan: to the leader's view)",
    "login": "sign in (the API uses tokens)",
    "logout": "sign out",
    "oidc_authentication_init": "single sign-on redirect",
    "oidc_authentication_callback": "single sign-on redirect",
    "set_language": "the UI language",
    "healthz": "liveness probe for the load balancer (plain JSON, no login)",
    "readyz": "readiness probe for the load balancer (plain JSON, no login)",
}

PAGE_OPERATIONS: dict[str, list[str]] = {
    "instruments:list": ["instruments.list_instruments"],
    "instruments:detail": ["instruments.get_instrument"],
    "instruments:indicator": ["instruments.get_indicator"],
    "evaluations:periods": ["evaluations.period_list"],
    "evaluations:create": [
        "evaluations.period_create",
        "accounts.me",
        "instruments.list_instruments",
    ],
    "evaluations:overview": ["evaluations.period_overview", "external.result_list"],
    "evaluations:todo": ["evaluations.period_todo", "planning.plan_get"],
    "evaluations:queue": ["evaluations.period_review_queue"],
    "evaluations:matrix": ["evaluations.assignments_get", "evaluations.assignments_put"],
    "evaluations:audit": ["evaluations.period_audit"],
    "evaluations:audit_csv": ["evaluations.period_audit"],
    "evaluations:settings": ["evaluations.period_overview"],
    "evaluations:settings_action": [
        "evaluations.period_patch",
        "evaluations.milestone_set",
        "evaluations.period_close",
    ],
    "evaluations:settings_item_action": ["evaluations.milestone_delete"],
    "evaluations:bulk": ["evaluations.bulk_preview", "evaluations.bulk_apply"],
    "answers:detail": [
        "evaluations.answer_detail",
        "evidence.answer_readiness",
        "evaluations.answer_items_get",
    ],
    "answers:action": [
        "evaluations.answer_save",
        "evaluations.answer_submit",
        "evaluations.answer_verify",
        "evaluations.answer_return",
        "evaluations.answer_reopen",
        "evaluations.answer_pass",
        "evaluations.answer_response",
        "evaluations.answer_comment",
        "evaluations.answer_units",
        "evaluations.answer_items_put",
    ],
    "evidence:library": ["evidence.evidence_list"],
    "evidence:upload": ["evidence.evidence_create"],
    "evidence:link_create": ["evidence.evidence_create"],
    "evidence:detail": ["evidence.evidence_detail"],
    "evidence:update": ["evidence.evidence_patch"],
    "evidence:add_version": ["evidence.evidence_new_version"],
    "evidence:download": ["evidence.evidence_download"],
    "evidence:answer_link": ["evidence.answer_evidence_put"],
    "evidence:answer_upload": ["evidence.evidence_create", "evidence.answer_evidence_put"],
    "evidence:answer_unlink": ["evidence.answer_evidence_delete"],
    "monitoring:dashboard": ["monitoring.dashboard", "external.result_list"],
    "monitoring:history": ["monitoring.history", "monitoring.snapshot_list"],
    "monitoring:forecast": ["monitoring.forecast"],
    "monitoring:snapshot_take": ["monitoring.snapshot_take"],
    "monitoring:institution": ["monitoring.institution_history"],
    "planning:plan": ["planning.plan_get"],
    "planning:compute": ["planning.plan_create"],
    "planning:replan": ["planning.plan_replan"],
    "planning:deadlines": ["planning.period_deadlines"],
    "evidence:readiness": ["evidence.period_readiness"],
    "evidence:readiness_xlsx": ["evidence.period_readiness_download"],
    "planning:what_if": ["planning.what_if"],
    "planning:efforts": ["planning.efforts_list", "planning.effort_put"],
    "planning:item_done": ["planning.item_done"],
    "planning:item_reassign": ["planning.item_reassign"],
    "reports:period": ["reports.export_list"],
    "reports:leader": ["reports.leader_summary"],
    "reports:download": ["reports.export_download"],
    "reports:report_pdf": ["reports_pdf.period_report"],
    "reports:summary_pdf": ["reports_pdf.period_summary"],
    "reports:institutions": ["reports.institutions_ranking"],
    "reports:institutions_download": ["reports.institutions_download"],
    "imports:period": ["imports.import_into_period"],
    "imports:period_upload": ["imports.import_into_period"],
    "imports:institution": ["imports.import_into_institution"],
    "imports:institution_upload": ["imports.import_into_institution"],
    "imports:batch": ["imports.import_detail"],
    "imports:apply": ["imports.import_apply"],
    "imports:discard": ["imports.import_discard"],
    "imports:template": ["imports.template_download"],
    "imports:template_json": ["imports.template_download"],
    "evaluator_imports:page": ["imports.import_for_evaluator"],
    "evaluator_imports:upload": ["imports.import_for_evaluator"],
    # imports.result_import kept the operation id it had in monev.external.
    "external_imports:page": ["external.result_import", "imports.import_detail"],
    "external_imports:upload": ["external.result_import"],
    "external:institution": ["external.result_list"],
    "external:record": ["external.result_create"],
    "assignments:board": ["assignments.assignment_list"],
    "assignments:assign": ["assignments.assignment_create"],
    "assignments:unassign": ["assignments.assignment_delete"],
    "assessor:queue": ["assignments.assessor_queue"],
    "benchmarking:progress": ["benchmarking.progress"],
    "benchmarking:rankings": ["benchmarking.rankings"],
    "benchmarking:distributions": ["benchmarking.distributions"],
    "benchmarking:peers": ["benchmarking.institution_peers"],
    "accounts:tokens": ["accounts.token_list", "accounts.token_create"],
    "accounts:token_revoke": ["accounts.token_revoke"],
    "transition:suggestions": ["transition.suggestion_list"],
    "transition:generate": ["transition.suggestion_generate"],
    "transition:accept": ["transition.suggestion_accept"],
    "transition:reject": ["transition.suggestion_reject"],
    "transition:accept_indicator": ["transition.suggestion_accept_all"],
}

# Pages whose API is still missing. Each is a gap to close, not an exception: when the
# operation exists, move the page to PAGE_OPERATIONS (the last test below says so).
KNOWN_GAPS: dict[str, str] = {}


def page_url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith(("api/", "admin/")):
                    continue
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or f"<unnamed {pattern.pattern}>")

    return set(walk(get_resolver().url_patterns))


def operation_ids() -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        operation["operationId"] for item in schema["paths"].values() for operation in item.values()
    }


def test_every_page_has_its_api_operations():
    unmapped = page_url_names() - set(PAGE_OPERATIONS) - set(NOT_DATA) - set(KNOWN_GAPS)
    assert not unmapped, f"pages without an API entry in PAGE_OPERATIONS: {sorted(unmapped)}"


def test_every_mapped_operation_exists():
    existing = operation_ids()
    missing = {
        page: [name for name in names if op(name) not in existing]
        for page, names in PAGE_OPERATIONS.items()
    }
    assert not {page: names for page, names in missing.items() if names}


def test_the_mapping_names_only_existing_pages():
    pages = page_url_names()
    assert not (set(PAGE_OPERATIONS) | set(KNOWN_GAPS) | set(NOT_DATA)) - pages


def test_known_gaps_are_still_gaps():
    closed = [page for page, name in KNOWN_GAPS.items() if op(name) in operation_ids()]
    assert not closed, f"the API exists now: move {closed} to PAGE_OPERATIONS"


def test_schema_names_are_unique():
    """django-ninja names OpenAPI components by class name: two schemas of one name would
    silently document one operation with the other's shape."""

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, str] = {}
    clashes = []
    for cls in subclasses(Schema):
        if not cls.__module__.startswith("monev."):
            continue
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append((seen[cls.__name__], where))
        seen.setdefault(cls.__name__, where)
    assert not clashes

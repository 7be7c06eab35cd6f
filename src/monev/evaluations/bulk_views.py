"""The period's bulk actions page (Tindakan massal): the koordinator (or admin) reopens,
returns, or extends a unit's self-assessment deadline for many answers at once, with one
reason recorded on each.

Three steps, plain forms (no script needed): the form posts `step=preview` and the page shows
what would change and what would be skipped, with why (services.bulk_preview: nothing is
written); the confirmation posts the same fields with `step=apply` and the versions the preview
showed, so an answer changed meanwhile is skipped, not overwritten (services.bulk_apply); the
result is then shown at `?bulk_id=...` (kept in the session: the skipped answers are not in
the audit trail, the changed ones are). Bad input shows the form again, as typed, with 422."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from monev.core.model import Instrument, ScoredItem
from monev.evaluations import navigation, selectors, services
from monev.evaluations.bulk_forms import BulkActionForm
from monev.evaluations.deadlines import unit_extensions
from monev.evaluations.models import Answer, AnswerUnit, Period
from monev.evaluations.services.bulk import ACTION_LABELS, BulkAction, BulkResult
from monev.evaluations.services.common import self_assessment_window
from monev.institutions.models import Unit
from monev.institutions.permissions import Capability
from monev.lib.errors import DomainError, Forbidden, NotFound
from monev.lib.http import invalid

SESSION_KEY = "monev_bulk_results"
KEPT_RESULTS = 5  # the latest results a session keeps for their page
# Where the service's problems belong on the form (the service names the API's inputs).
FIELD_OF = {"unit": "unit_id", "answers": "answer_ids", "until": "until_date"}


@dataclass
class Row:
    """One answer as the page lists it."""

    answer: Answer
    item: ScoredItem
    units: list[Unit]
    reason: str = ""  # why the action skips it


@dataclass
class Choices:
    """What the form offers: the units, the aspects, every answer of the period."""

    instrument: Instrument
    units: list[Unit]
    rows: dict[int, Row]  # answer id -> row, in the instrument's order
    extensions: dict[int, datetime]  # unit id -> the end of its extension
    closes: datetime | None  # the period's self-assessment close


def _choices(period: Period) -> Choices:
    """Five queries, however many answers: answers, their units, the institution's units,
    the extensions, the self-assessment window."""
    instrument = selectors.instrument_of(period)
    answers = list(
        Answer.objects.filter(period=period)
        .only("pk", "indicator", "position", "status", "reopened", "version", "period_id")
        .order_by("position")
    )
    units = selectors.institution_units(period.institution)
    by_id = {unit.pk: unit for unit in units}
    links: dict[int, list[Unit]] = {}
    for answer_id, unit_id in (
        AnswerUnit.objects.filter(answer__period=period)
        .order_by("unit__code")
        .values_list("answer_id", "unit_id")
    ):
        links.setdefault(answer_id, []).append(by_id[unit_id])
    items = instrument.items_by_number
    rows = {a.pk: Row(a, items[a.indicator], links.get(a.pk, [])) for a in answers}
    return Choices(
        instrument=instrument,
        units=units,
        rows=rows,
        extensions=unit_extensions(period),
        closes=self_assessment_window(period)[1],
    )


def _form(choices: Choices, data=None, initial=None) -> BulkActionForm:
    return BulkActionForm(
        data,
        initial=initial,
        units=choices.units,
        aspects=choices.instrument.aspects,
        answer_ids=list(choices.rows),
        extensions=choices.extensions,
    )


def _render(request, period, access, choices: Choices, form, *, status=200, **extra):
    if form.is_bound:
        chosen = form.chosen_answers()
        scope = form.data.get("scope", "")
    else:
        chosen, scope = set(), form.initial.get("scope", "unit")
    context = {
        "period": period,
        "form": form,
        "choices": choices,
        "rows": list(choices.rows.values()),
        "chosen": chosen,
        "scope": scope,
        "tabs": navigation.period_tabs(period, access),
        **extra,
    }
    return render(request, "evaluations/bulk.html", context, status=status)


def _preview_rows(choices: Choices, preview: BulkResult) -> dict:
    rows = choices.rows
    return {
        "affected": [rows[answer.pk] for answer in preview.affected],
        "skipped": [replace(rows[s.answer.pk], reason=s.reason) for s in preview.skipped],
        "versions": ",".join(f"{pk}:{version}" for pk, version in preview.versions.items()),
        "action_label": ACTION_LABELS[preview.action],
        "can_confirm": bool(preview.affected) or preview.action is BulkAction.EXTEND,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def bulk_actions(request: HttpRequest, period_id: int) -> HttpResponse:
    period, access = navigation.period_or_404(request.user, period_id, Capability.MANAGE_PERIOD)
    choices = _choices(period)
    if request.method != "POST":
        if bulk_id := request.GET.get("bulk_id"):
            return _render_result(request, period, access, choices, bulk_id)
        initial = {
            name: request.GET[name]
            for name in ("action", "unit_id", "aspect")
            if name in request.GET
        }
        initial["scope"] = "aspect" if "aspect" in initial else "unit"
        return _render(request, period, access, choices, _form(choices, initial=initial))
    form = _form(choices, request.POST)
    applying = request.POST.get("step") == "apply"
    try:
        if not form.is_valid():
            raise invalid(form)
        if applying:
            result = services.bulk_apply(
                actor=request.user,
                period_id=period.pk,
                action=form.cleaned_data["action"],
                scope=form.bulk_scope(),
                reason=form.cleaned_data["reason"],
                until=form.until(),
                expected_versions=form.cleaned_data["versions"],
            )
        else:
            preview = services.bulk_preview(
                actor=request.user,
                period_id=period.pk,
                action=form.cleaned_data["action"],
                scope=form.bulk_scope(),
                until=form.until(),
            )
    except DomainError as error:
        if isinstance(error, NotFound | Forbidden):
            raise
        for problem in error.details:
            name = FIELD_OF.get(problem.get("location"), problem.get("location"))
            if name in form.fields and name not in form.errors:
                form.add_error(name, problem["message"])
        return _render(request, period, access, choices, form, status=error.status, error=error)
    if applying:
        _remember(request, period, result)
        messages.success(request, _changed_text(result))
        url = reverse("evaluations:bulk", args=[period.pk])
        return redirect(f"{url}?bulk_id={result.bulk_id}")
    extra = _preview_rows(choices, preview)
    return _render(
        request, period, access, choices, form, preview=preview, until=form.until(), **extra
    )


def _changed_text(result: BulkResult) -> str:
    count = len(result.affected)
    return ngettext("%(count)d answer changed.", "%(count)d answers changed.", count) % {
        "count": count
    }


# --- the result -----------------------------------------------------------------------------


def _remember(request, period: Period, result: BulkResult) -> None:
    """Keep the result for its page: the changed answers and the skipped ones with why."""
    kept = [r for r in request.session.get(SESSION_KEY, []) if r["bulk_id"] != result.bulk_id]
    kept.append(
        {
            "bulk_id": result.bulk_id,
            "period_id": period.pk,
            "action": result.action.value,
            "affected": [answer.pk for answer in result.affected],
            "skipped": [[s.answer.pk, s.reason] for s in result.skipped],
            "unit_id": result.unit.pk if result.unit else None,
            "until": result.until.isoformat() if result.until else None,
        }
    )
    request.session[SESSION_KEY] = kept[-KEPT_RESULTS:]


def _render_result(request, period, access, choices: Choices, bulk_id: str) -> HttpResponse:
    found = next(
        (
            r
            for r in request.session.get(SESSION_KEY, [])
            if r["bulk_id"] == bulk_id and r["period_id"] == period.pk
        ),
        None,
    )
    if found is None:
        form = _form(choices, initial={"scope": "unit"})
        return _render(request, period, access, choices, form, result_gone=True)
    rows = choices.rows
    units = {unit.pk: unit for unit in choices.units}
    context = {
        "period": period,
        "bulk_id": bulk_id,
        "action_label": ACTION_LABELS[BulkAction(found["action"])],
        "affected": [rows[pk] for pk in found["affected"] if pk in rows],
        "skipped": [
            replace(rows[pk], reason=reason) for pk, reason in found["skipped"] if pk in rows
        ],
        "unit": units.get(found["unit_id"]),
        "until": datetime.fromisoformat(found["until"]) if found["until"] else None,
        "tabs": navigation.period_tabs(period, access),
    }
    return render(request, "evaluations/bulk_result.html", context)

"""Every change to crosswalk suggestions: generate them from the source period, accept, reject,
accept all of one indicator. In a transaction, permission-checked (the koordinator: see
selectors.DECIDE), with an audit event.

Accepting writes through the evidence and answer services, so their checks (deadline, scale,
visibility), versions and audit events apply. A level is never carried across instruments:
an evidence suggestion is linked at the level the coordinator picks (1 unless told), an
answer suggestion only adds the old penjelasan to the new one as a draft, with its origin.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from monev.audit.services import audit_record
from monev.evaluations.models import Answer, Period
from monev.evaluations.period_instrument import instrument_of
from monev.evaluations.services import answer_save
from monev.evaluations.services.common import answer_state
from monev.evidence.models import EvidenceLink
from monev.evidence.services import evidence_link
from monev.institutions.clock import now_for
from monev.lib.errors import Conflict, InvalidInput, InvalidTransition
from monev.transition import selectors
from monev.transition.models import CrosswalkSuggestion

State = CrosswalkSuggestion.State
Kind = CrosswalkSuggestion.Kind
DEFAULT_LEVEL = 1


@dataclass
class Generated:
    created: int
    total: int
    source_period_id: int | None
    crosswalk_id: str | None


def _parent(number: str) -> str:
    return number.split(".", 1)[0]


@transaction.atomic
def suggestions_generate(*, actor, period_id: int) -> Generated:
    """Propose, for every indicator of the period's instrument, the evidence linked to its
    crosswalk counterparts in the source period and their penjelasan. Idempotent: a
    suggestion already made (whatever was decided about it) is not made again."""
    period, _access = selectors.period_for_transition(actor, period_id)
    # One generation at a time per period: a second one waits, then finds the first's rows.
    Period.objects.select_for_update().filter(pk=period.pk).values_list("pk").first()
    source, crosswalk = selectors.transition_source(period)
    if source is None or crosswalk is None:
        raise InvalidInput(
            _(
                "There is nothing to carry over: no earlier period under an instrument with a "
                "crosswalk to %(instrument)s."
            )
            % {"instrument": period.instrument_id}
        )
    new_answers = {a.indicator: a for a in Answer.objects.filter(period=period)}
    old_answers: dict[str, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(period=source).order_by("position"):
        old_answers[_parent(answer.indicator)].append(answer)
    links: dict[int, list[tuple[int, int]]] = defaultdict(list)  # old answer -> (evidence, level)
    for answer_id, evidence_id, level in (
        EvidenceLink.objects.filter(
            answer__period=source, evidence__institution_id=period.institution_id
        )
        .order_by("evidence_id", "level")
        .values_list("answer_id", "evidence_id", "level")
    ):
        links[answer_id].append((evidence_id, level))
    linked_now = set(
        EvidenceLink.objects.filter(answer__period=period).values_list("answer_id", "evidence_id")
    )
    existing = CrosswalkSuggestion.objects.filter(period=period)
    have_evidence = set(existing.filter(kind=Kind.EVIDENCE).values_list("indicator", "evidence_id"))
    have_answers = set(
        existing.filter(kind=Kind.ANSWER).values_list("indicator", "source_answer_id")
    )
    total = len(have_evidence) + len(have_answers)
    new_rows: list[CrosswalkSuggestion] = []
    for entry in crosswalk.entries:
        target = new_answers.get(entry.target)
        if target is None:
            continue
        evidence: dict[int, dict] = {}
        counterparts = [(c, False) for c in entry.counterparts] + [(c, True) for c in entry.partly]
        for code, partly in counterparts:
            for old in old_answers.get(code, ()):
                for evidence_id, level in links.get(old.pk, ()):
                    found = evidence.setdefault(
                        evidence_id,
                        {"answer": old, "codes": [], "partly": True, "levels": []},
                    )
                    if code not in found["codes"]:
                        found["codes"].append(code)
                    found["partly"] = found["partly"] and partly
                    found["levels"].append({"indicator": old.indicator, "level": level})
                if old.explanation.strip() and (entry.target, old.pk) not in have_answers:
                    have_answers.add((entry.target, old.pk))
                    new_rows.append(
                        CrosswalkSuggestion(
                            period=period,
                            indicator=entry.target,
                            answer=target,
                            kind=Kind.ANSWER,
                            crosswalk_id=crosswalk.id,
                            source_period=source,
                            source_answer=old,
                            source_indicators=[old.indicator],
                            partly=partly,
                        )
                    )
        for evidence_id, found in evidence.items():
            key = (entry.target, evidence_id)
            if key in have_evidence or (target.pk, evidence_id) in linked_now:
                continue
            have_evidence.add(key)
            new_rows.append(
                CrosswalkSuggestion(
                    period=period,
                    indicator=entry.target,
                    answer=target,
                    kind=Kind.EVIDENCE,
                    crosswalk_id=crosswalk.id,
                    source_period=source,
                    source_answer=found["answer"],
                    source_indicators=found["codes"],
                    partly=found["partly"],
                    evidence_id=evidence_id,
                    source_levels=found["levels"],
                )
            )
    CrosswalkSuggestion.objects.bulk_create(new_rows)
    result = Generated(len(new_rows), total + len(new_rows), source.pk, crosswalk.id)
    audit_record(
        actor=actor,
        action="transition.generate",
        obj=period,
        institution_id=period.institution_id,
        period_id=period.pk,
        after={
            "crosswalk": crosswalk.id,
            "source_period": source.pk,
            "created": result.created,
            "total": result.total,
        },
    )
    return result


def _suggestion_for_change(actor, suggestion_id: int, period_id: int | None = None):
    """The pending suggestion, locked, read through the getter of pages and API: only what
    the actor may see is fetched (NotFound else), Forbidden unless they decide there."""
    suggestion, _period, _access = selectors.suggestion_for(
        actor, suggestion_id, period_id=period_id, lock=True
    )
    if suggestion.state != State.PENDING:
        raise InvalidTransition(
            _("This suggestion was already %(state)s.")
            % {"state": suggestion.get_state_display().lower()}
        )
    return suggestion


def origin_line(suggestion: CrosswalkSuggestion, source_instrument) -> str:
    """ "[Dari SPBE 2020 (2025), indikator 13]": in the site's language, as it is stored."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("[From %(instrument)s (%(year)s), indicator %(indicator)s]") % {
            "instrument": source_instrument.short_name,
            "year": suggestion.source_period.year,
            "indicator": suggestion.source_answer.indicator,
        }


def _draft_block(suggestion: CrosswalkSuggestion, source_instrument) -> str:
    text = suggestion.source_answer.explanation.strip()
    return f"{origin_line(suggestion, source_instrument)}\n{text}"


def _locked_answer(answer_id: int, expected_version: int | None) -> Answer:
    answer = Answer.objects.select_for_update(of=("self",)).get(pk=answer_id)
    if expected_version is None:
        raise InvalidInput(
            _("Send the answer's version (expected_version) to add the penjelasan."),
            details=[{"location": "expected_version", "message": str(_("Required."))}],
        )
    if answer.version != expected_version:
        raise Conflict(
            _(
                "Someone else saved this answer meanwhile; nothing was added. Their version is "
                "shown: look at it and accept again."
            ),
            current=answer_state(answer),
        )
    return answer


def _decide(actor, suggestion, state: str, *, level=None, reason: str = "") -> None:
    before = {"state": suggestion.state}
    suggestion.state = state
    suggestion.level = level
    suggestion.reason = reason
    suggestion.decided_by = actor
    suggestion.decided_at = now_for(suggestion.period.institution_id)
    suggestion.save(update_fields=["state", "level", "reason", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=f"transition.{'accept' if state == State.ACCEPTED else 'reject'}",
        obj=suggestion,
        institution_id=suggestion.period.institution_id,
        period_id=suggestion.period_id,
        answer_id=suggestion.answer_id,
        before=before,
        after={
            "state": state,
            "kind": suggestion.kind,
            "indicator": suggestion.indicator,
            "evidence": suggestion.evidence_id,
            "level": level,
            "source_period": suggestion.source_period_id,
            "source_indicators": suggestion.source_indicators,
            "crosswalk": suggestion.crosswalk_id,
        },
        reason=reason,
    )


def _accept_evidence(actor, suggestion, level, now) -> None:
    level = DEFAULT_LEVEL if level is None else int(level)
    evidence_link(
        actor=actor,
        answer_id=suggestion.answer_id,
        evidence_id=suggestion.evidence_id,
        levels=[level],
        now=now,
    )
    _decide(actor, suggestion, State.ACCEPTED, level=level)


def _accept_answers(actor, suggestions, expected_version, now) -> None:
    """Add the old penjelasan of these suggestions (all of one new answer) to it in one save,
    keeping what is already written; the level stays as it is."""
    answer = _locked_answer(suggestions[0].answer_id, expected_version)
    source_instrument = instrument_of(suggestions[0].source_period)
    blocks = [_draft_block(s, source_instrument) for s in suggestions]
    explanation = "\n\n".join(p for p in (answer.explanation.strip(), *blocks) if p)
    answer_save(
        actor=actor,
        answer_id=answer.pk,
        expected_version=expected_version,
        level=answer.level,
        explanation=explanation,
        now=now,
    )
    for suggestion in suggestions:
        _decide(actor, suggestion, State.ACCEPTED)


@transaction.atomic
def suggestion_accept(
    *,
    actor,
    suggestion_id: int,
    period_id: int | None = None,
    level: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> CrosswalkSuggestion:
    """Accept one suggestion. Evidence: linked to the new answer at `level` (default 1).
    Penjelasan: added to the new answer's penjelasan as a draft, if the answer is still at
    `expected_version` (else Conflict, and nothing changes)."""
    suggestion = _suggestion_for_change(actor, suggestion_id, period_id)
    if suggestion.kind == Kind.EVIDENCE:
        if expected_version is not None:
            _locked_answer(suggestion.answer_id, expected_version)
        _accept_evidence(actor, suggestion, level, now)
    else:
        if level is not None:
            raise InvalidInput(
                _(
                    "A level is never carried over from the other instrument; choose it on "
                    "the answer."
                )
            )
        _accept_answers(actor, [suggestion], expected_version, now)
    return suggestion


@transaction.atomic
def suggestion_reject(
    *, actor, suggestion_id: int, period_id: int | None = None, reason: str = ""
) -> CrosswalkSuggestion:
    suggestion = _suggestion_for_change(actor, suggestion_id, period_id)
    _decide(actor, suggestion, State.REJECTED, reason=reason.strip())
    return suggestion


@transaction.atomic
def suggestions_accept_indicator(
    *,
    actor,
    period_id: int,
    indicator: str,
    level: int | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> int:
    """Accept every pending suggestion of one new indicator: the evidence at `level` (default
    1), the penjelasan together in one save of the answer (at `expected_version`). Returns
    how many were accepted."""
    period, _access = selectors.period_for_transition(actor, period_id)
    pending = list(
        CrosswalkSuggestion.objects.select_for_update(of=("self",))
        .select_related("period", "source_period", "source_answer")
        .filter(period=period, indicator=indicator, state=State.PENDING)
        .order_by("pk")
    )
    if not pending:
        raise InvalidInput(
            _("Indicator %(indicator)s has no pending suggestion.") % {"indicator": indicator}
        )
    texts = [s for s in pending if s.kind == Kind.ANSWER]
    if texts:
        _accept_answers(actor, texts, expected_version, now)
    elif expected_version is not None:
        _locked_answer(pending[0].answer_id, expected_version)
    for suggestion in pending:
        if suggestion.kind == Kind.EVIDENCE:
            _accept_evidence(actor, suggestion, level, now)
    return len(pending)

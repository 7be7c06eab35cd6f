"""The answer's state rules, each as a function saying why an action may not happen now
(None: it may). The services raise what these say; the answer page and the API show the
same words before anyone tries (monev.evaluations.actions). The self-assessment window's
rule is services.common.self_assessment_problem."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from monev.evaluations.models import Answer

Status = Answer.Status


def submit_problem(answer: Answer) -> str | None:
    if answer.status not in (Status.DRAFT, Status.RETURNED):
        return str(_("Only a draft or returned answer can be submitted."))
    return None


def missing_for_submission(answer: Answer) -> list[dict]:
    """What a complete answer still lacks, per field (empty: nothing)."""
    missing = []
    if answer.level is None:
        missing.append({"location": "level", "message": str(_("Choose a level."))})
    if not answer.explanation:
        missing.append({"location": "explanation", "message": str(_("Write the penjelasan."))})
    return missing


def incomplete_problem(answer: Answer) -> str | None:
    """The submission's completeness rule in one sentence (the action's reason)."""
    missing = missing_for_submission(answer)
    if not missing:
        return None
    return " ".join([str(_("The answer is not complete.")), *(m["message"] for m in missing)])


def verify_problem(answer: Answer) -> str | None:
    if answer.status != Status.SUBMITTED:
        return str(_("Only a submitted answer can be verified."))
    return None


def return_problem(answer: Answer) -> str | None:
    if answer.status not in (Status.SUBMITTED, Status.VERIFIED):
        return str(_("Only a submitted or verified answer can be returned."))
    return None


def reopen_problem(answer: Answer) -> str | None:
    if answer.reopened:
        return str(_("This answer is already reopened."))
    return None


def assessment_problem(answer: Answer) -> str | None:
    """External judgements (levels and items) wait for the final self-assessment."""
    if answer.status != Status.FINAL:
        return str(
            _("External assessment starts once the self-assessment is final (final mandiri).")
        )
    return None


def response_problem(has_document_review: bool) -> str | None:
    if not has_document_review:
        return str(_("There is no provisional level to respond to yet."))
    return None

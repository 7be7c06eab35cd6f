"""What the apps above evaluations add to it, registered in their `AppConfig.ready`
(monev.lib.hooks; docs/architecture.md): evaluations calls these and imports none of them."""

from __future__ import annotations

from monev.lib.hooks import Contributions, Hook, Provider

# fn(period): inside period_create's transaction, once the answers exist (external values).
period_created = Hook("what a new period gets besides its answers")

# fn(period, rows): adds to the period overview's rows (evidence counts and flags).
overview_rows = Hook("the period overview's rows")

# name -> fn(detail, extra) -> the answer page's section `name`; pops its own keys from `extra`
# (the bound forms and error a refused action shows again). A section that has read what
# submission_warnings gives lists it under its key "submission_warnings" (read once per page).
answer_sections = Contributions("the answer page's sections")

# name -> fn(answer_id) -> the problems (objects with `code` and `message`) to confirm before
# the answer is submitted: the evidence's readiness errors.
submission_checks = Contributions("what to confirm before an answer is submitted")

# name -> fn(period, access) -> bool, or a callable giving it when a template asks.
period_tabs = Contributions("the period's tabs")

# name -> fn(period, access) -> what the to-do page shows under `name` (the plan's actions).
todo_sections = Contributions("the to-do page's sections")

# An object with may_assess(user, answer, instrument) -> bool and
# assigned_aspects(user, period) -> list[str] | None (the assessors' assignments).
assessor_scope = Provider("the external assessors' scope")


def may_assess(user, answer, instrument) -> bool:
    """Whether the user's assignment lets them judge this answer (one query)."""
    return assessor_scope.implementation.may_assess(user, answer, instrument)


def assigned_aspects(user, period) -> list[str] | None:
    """The aspects the user's assignment on the period names ([] = all; None: nothing)."""
    return assessor_scope.implementation.assigned_aspects(user, period)


def submission_warnings(answer_id: int) -> list:
    """Every problem the apps above want confirmed before the answer is submitted."""
    return [w for _name, check in submission_checks.items() for w in check(answer_id)]

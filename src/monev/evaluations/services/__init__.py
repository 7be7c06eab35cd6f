"""Every change to periods, answers and assessments: in a transaction, permission-checked,
with an audit event. Pages, the API and commands call these and nothing else to write."""

from monev.evaluations.services.answers import (
    answer_assign_units,
    answer_reopen,
    answer_return,
    answer_save,
    answer_submit,
    answer_verify,
    comment_add,
    period_assign_matrix,
)
from monev.evaluations.services.assessment import assessor_pass_save, assessor_response_save
from monev.evaluations.services.bulk import BulkAction, BulkScope, bulk_apply, bulk_preview
from monev.evaluations.services.items import ItemDecision, items_judge
from monev.evaluations.services.periods import (
    milestone_delete,
    milestone_set,
    period_close_self_assessment,
    period_create,
    period_set_target,
)

__all__ = [
    "BulkAction",
    "BulkScope",
    "ItemDecision",
    "answer_assign_units",
    "answer_reopen",
    "answer_return",
    "answer_save",
    "answer_submit",
    "answer_verify",
    "assessor_pass_save",
    "assessor_response_save",
    "bulk_apply",
    "bulk_preview",
    "comment_add",
    "items_judge",
    "milestone_delete",
    "milestone_set",
    "period_assign_matrix",
    "period_close_self_assessment",
    "period_create",
    "period_set_target",
]

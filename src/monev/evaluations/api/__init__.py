"""The evaluation cycle through the API: periods, answers, reviews and assessments.

The same selectors and services as the pages: handlers parse the request, call one selector
to read or one service to write (which checks permissions, locks, versions and deadlines and
records the audit event), and shape the answer. Errors answer the API's one error shape.
"""

from monev.evaluations.api import answers, items, periods  # noqa: F401  (handlers register)

# isort: split
# After periods: the bulk actions are listed after the period's other operations.
from monev.evaluations.api import bulk  # noqa: F401
from monev.evaluations.api.routers import answers_router, periods_router

__all__ = ["answers_router", "periods_router"]

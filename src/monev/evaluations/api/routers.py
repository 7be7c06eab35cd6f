"""The routers the evaluation API's handlers register on (mounted in monev.api)."""

from ninja import Router

periods_router = Router(tags=["periods"])
answers_router = Router(tags=["answers"])

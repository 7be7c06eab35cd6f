"""The router the evidence API's handlers register on (mounted in monev.api)."""

from ninja import Router

router = Router(tags=["evidence"])

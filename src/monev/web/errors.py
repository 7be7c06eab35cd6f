"""Domain errors raised by services become pages with the right status, in the user's
language: a 4xx with a clear message, never a 500."""

from __future__ import annotations

from django.shortcuts import render

from monev.lib.errors import DomainError


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        template = "web/_error.html" if request.headers.get("HX-Request") else "web/error.html"
        context = {"error": exception, "message": exception.message, "details": exception.details}
        return render(request, template, context, status=exception.status)

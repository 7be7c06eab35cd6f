"""The personal API tokens page: the signed-in person's tokens (name, prefix, created, last
used, revoked), a new one (its secret shown once, on the answer to the POST), and revoking
one after a confirmation. Thin: accounts.selectors to read, accounts.services to write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from monev.accounts import selectors, services
from monev.accounts.forms import TokenCreateForm
from monev.accounts.models import ApiToken
from monev.lib.errors import InvalidInput


def _render(request, *, form=None, created=None, secret=None, status=200) -> HttpResponse:
    context = {
        "tokens": selectors.tokens_of(request.user),
        "form": form or TokenCreateForm(),
        "created": created,
        "secret": secret,
    }
    response = render(request, "accounts/tokens.html", context, status=status)
    add_never_cache_headers(response)  # the secret must not stay in any cache
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request)
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form, status=422)
    try:
        token, secret = services.token_create(
            actor=request.user, name=form.cleaned_data["name"], origin=ApiToken.Origin.PAGE
        )
    except InvalidInput as error:
        form.add_error("name", str(error.message))
        return _render(request, form=form, status=error.status)
    # Shown in this answer only (no redirect): only the hash is stored.
    return _render(request, created=token, secret=secret, status=201)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.token_of(request.user, token_id)  # NotFound: not theirs, or none
    if request.method != "POST":
        return render(request, "accounts/token_revoke.html", {"token": token})
    services.token_revoke(actor=request.user, token_id=token.pk)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:tokens")

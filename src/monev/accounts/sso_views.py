"""The sign-in page and the single sign-on routes (/oidc/authenticate/, /oidc/callback/).

The routes answer 404 unless single sign-on is configured. A failed sign-in through the
identity server comes back to the sign-in page with a message, never an error page.
"""

from __future__ import annotations

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from mozilla_django_oidc import views as oidc_views

from monev.accounts.sso import SsoRefused

log = logging.getLogger(__name__)


def sso_enabled() -> bool:
    return getattr(settings, "MONEV_OIDC_ENABLED", False)


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": sso_enabled()}


class SsoStartView(oidc_views.OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        if sso_enabled():
            super().__init__(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not sso_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SsoCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    def dispatch(self, request, *args, **kwargs):
        if not sso_enabled():
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except SuspiciousOperation as error:
            log.warning("SSO sign-in refused: %s", error)
            return self._failed(_("Sign-in through single sign-on was refused. Try again."))
        except requests.RequestException as error:
            log.error("SSO sign-in: the identity server did not answer properly: %s", error)
            return self._failed(
                _("The sign-in server could not be reached or gave an error. Try again later.")
            )
        except SsoRefused as error:
            return self._failed(str(error.message))

    def _failed(self, message: str):
        messages.error(self.request, message)
        return redirect("login")

    def login_failure(self):
        if self.request.GET.get("error"):
            log.info("SSO sign-in ended by the identity server: %s", self.request.GET["error"])
        return self._failed(_("Sign-in through single sign-on did not succeed. Try again."))

    def login_success(self):
        response = super().login_success()
        if not self.user.memberships.exists():
            messages.warning(
                self.request,
                _(
                    "You are signed in, but your account has no role in any institution yet, "
                    "so there is nothing to show. Ask your coordinator to add you to a Monev "
                    "group on the sign-in server."
                ),
            )
        return response


urlpatterns = [
    path("callback/", SsoCallbackView.as_view(), name="oidc_authentication_callback"),
    path("authenticate/", SsoStartView.as_view(), name="oidc_authentication_init"),
]

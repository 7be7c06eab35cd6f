"""The account pages, mounted at /akun/ (namespace "accounts")."""

from django.urls import path

from monev.accounts import views

app_name = "accounts"

urlpatterns = [
    path("token/", views.tokens, name="tokens"),
    path("token/<id:token_id>/cabut/", views.token_revoke, name="token_revoke"),
]

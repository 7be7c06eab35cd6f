"""Calling /api/v1/ in tests as one persona: by session (the browser's way) or by token."""

from __future__ import annotations

import json

from django.test import Client

from monev.accounts import services as account_services

BASE = "/api/v1"


class Api:
    """A JSON client for /api/v1/: `Api.session(user)`, `Api.token(user)` or `Api.anonymous()`."""

    def __init__(self, client: Client, headers: dict | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    @classmethod
    def session(cls, user, **client_options) -> Api:
        client = Client(**client_options)
        client.force_login(user)
        return cls(client)

    @classmethod
    def token(cls, user, **client_options) -> Api:
        _token, secret = account_services.token_create(actor=user, name="tests")
        return cls.with_secret(secret, **client_options)

    @classmethod
    def with_secret(cls, secret: str, **client_options) -> Api:
        return cls(Client(**client_options), {"Authorization": f"Bearer {secret}"})

    @classmethod
    def anonymous(cls) -> Api:
        return cls(Client())

    def call(self, method: str, path: str, data=None):
        kwargs = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=json.dumps(data, default=str), content_type="application/json")
        return getattr(self.client, method.lower())(BASE + path, **kwargs)

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, data=None):
        return self.call("post", path, {} if data is None else data)

    def put(self, path: str, data):
        return self.call("put", path, data)

    def patch(self, path: str, data):
        return self.call("patch", path, data)

    def delete(self, path: str):
        return self.call("delete", path)

    def ok(self, method: str, path: str, data=None, status: int = 200) -> dict:
        """Call and insist on `status`; the JSON body."""
        response = self.get(path) if method == "get" else self.call(method, path, data)
        assert response.status_code == status, (response.status_code, response.content)
        return response.json() if response.content else {}

"""Registrations: how a lower app learns about a higher one without importing it.

The lower app declares a hook (what it calls, and with what); each higher app registers its
function in its `AppConfig.ready`. The lower app never names who registered (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    """Every registered function is called, in registration (INSTALLED_APPS) order."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._functions: list[Callable] = []

    def register(self, function: Callable) -> Callable:
        if function not in self._functions:
            self._functions.append(function)
        return function

    def __call__(self, *args, **kwargs) -> None:
        for function in self._functions:
            function(*args, **kwargs)


class Contributions:
    """Named parts that higher apps add to a lower app's page or result (a panel, a tab)."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._parts: dict[str, Callable] = {}

    def register(self, name: str, function: Callable) -> Callable:
        existing = self._parts.get(name)
        if existing is not None and existing is not function:
            raise ImproperlyConfigured(f"{self.description}: {name!r} is registered twice")
        self._parts[name] = function
        return function

    def items(self) -> Iterator[tuple[str, Callable]]:
        return iter(self._parts.items())

    def collect(self, *args, **kwargs) -> dict[str, Any]:
        return {name: function(*args, **kwargs) for name, function in self._parts.items()}


class Provider:
    """Exactly one implementation, registered by the app that owns the rule."""

    def __init__(self, description: str) -> None:
        self.description = description
        self._implementation: Any = None

    def register(self, implementation: Any) -> Any:
        self._implementation = implementation
        return implementation

    @property
    def implementation(self) -> Any:
        if self._implementation is None:
            raise ImproperlyConfigured(f"nothing provides {self.description}")
        return self._implementation

"""Reading configuration from environment variables, one way everywhere (settings, the
production checks, single sign-on): a bad value stops start-up with a message naming it."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def envbool(name: str, default: bool, env: Mapping[str, str] = os.environ) -> bool:
    value = (env.get(name) or "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {env[name]!r}")


def envint(name: str, default: int, env: Mapping[str, str] = os.environ) -> int:
    value = env.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: list[str], env: Mapping[str, str] = os.environ) -> list[str]:
    value = env.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def envnetworks(
    name: str, default: list[str], env: Mapping[str, str] = os.environ
) -> tuple[Network, ...]:
    """Comma-separated addresses or networks (`10.0.0.0/8, ::1`): an address is a network of
    one."""
    networks = []
    for item in envlist(name, default, env):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses or networks (e.g. 10.0.0.0/8) separated by "
                f"commas; {item!r} is neither"
            ) from None
    return tuple(networks)


def envsecret(name: str, env: Mapping[str, str] = os.environ) -> str | None:
    """NAME, or the contents of the file named by NAME_FILE (container secrets)."""
    if env.get(name):
        return env[name]
    path = env.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {error}") from None
    return None

"""Gunicorn, embedded: `monev serve` configures it from its options instead of a config file."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication


class MonevApplication(BaseApplication):
    def __init__(self, config: dict) -> None:
        self.config_values = config
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.config_values.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        # Settings are configured by `monev serve`, which runs this; the same application as
        # monev.wsgi (the project layer, which the shell does not import).
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()

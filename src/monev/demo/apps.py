from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo institutions (`monev demo`, loaded by `make run` into an empty database)."""

    name = "monev.demo"
    label = "demo"
    verbose_name = "Demo"

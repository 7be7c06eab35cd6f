from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "monev.web"
    label = "web"
    verbose_name = "Monev SPBE"

    def ready(self) -> None:
        # Before any URLconf is read: every urls.py names its ids <id:...>.
        from monev.lib.converters import register

        register()

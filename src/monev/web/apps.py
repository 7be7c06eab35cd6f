from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "monev.web"
    label = "web"
    verbose_name = "Monev SPBE"

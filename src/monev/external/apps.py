from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExternalConfig(AppConfig):
    name = "monev.external"
    label = "external"
    verbose_name = _("External values (indicators scored from other agencies' indices)")

    def ready(self) -> None:
        from monev.evaluations import hooks
        from monev.external.services import apply_to_new_period

        hooks.period_created.register(apply_to_new_period)

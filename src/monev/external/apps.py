from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExternalConfig(AppConfig):
    name = "monev.external"
    label = "external"
    verbose_name = _("External values (indicators scored from other agencies' indices)")

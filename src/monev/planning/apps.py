from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "monev.planning"
    label = "planning"
    verbose_name = _("Planning (what-if and the optimal plan)")

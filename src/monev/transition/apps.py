from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitionConfig(AppConfig):
    name = "monev.transition"
    label = "transition"
    verbose_name = _("Instrument transition (crosswalk suggestions)")

    def ready(self) -> None:
        from monev.evaluations import hooks
        from monev.transition.selectors import transition_tab

        hooks.period_tabs.register("transition", transition_tab)

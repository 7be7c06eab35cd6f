from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "monev.institutions"
    label = "institutions"
    verbose_name = _("Institutions")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from monev.audit import hooks
        from monev.institutions.clock import now_for, remember_demo_clocks

        # An institution's audit events are recorded at its own time (a demo's story day).
        hooks.institution_now.register(now_for)
        # The demo banner names the story's day of the user's demo institutions.
        user_logged_in.connect(remember_demo_clocks, dispatch_uid="monev.institutions.clocks")

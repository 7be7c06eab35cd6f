from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monev.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from monev.evaluations import hooks
        from monev.monitoring.selectors import dashboard_tab

        hooks.period_tabs.register("dashboard", dashboard_tab)

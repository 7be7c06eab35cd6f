from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "monev.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from monev.evaluations import hooks
        from monev.reports.leader import leader_tab
        from monev.reports.selectors import reports_tab

        hooks.period_tabs.register("reports", reports_tab)
        hooks.period_tabs.register("leader", leader_tab)

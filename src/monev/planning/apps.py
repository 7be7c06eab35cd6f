from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "monev.planning"
    label = "planning"
    verbose_name = _("Planning (what-if and the optimal plan)")

    def ready(self) -> None:
        from monev.evaluations import hooks
        from monev.planning.deadlines import deadlines_tab
        from monev.planning.selectors import plan_tab, unit_actions

        # The to-do page lists the plan's actions for the user's units, with their dates.
        hooks.todo_sections.register("actions", unit_actions)
        hooks.period_tabs.register("plan", plan_tab)
        hooks.period_tabs.register("deadlines", deadlines_tab)

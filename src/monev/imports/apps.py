from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "monev.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        from monev.evaluations import hooks
        from monev.imports.selectors import imports_tab, institution_imports_tab

        hooks.period_tabs.register("imports", imports_tab)
        hooks.period_tabs.register("institution_imports", institution_imports_tab)

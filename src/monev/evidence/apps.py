from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "monev.evidence"
    label = "evidence"
    verbose_name = _("Evidence (data dukung)")

    def ready(self) -> None:
        from django.core import checks

        from monev.evaluations import hooks
        from monev.evidence.answer_section import evidence_section, submission_warnings
        from monev.evidence.checks import ocr_engine
        from monev.evidence.readiness import add_overview_evidence
        from monev.evidence.selectors import evidence_tab

        hooks.overview_rows.register(add_overview_evidence)
        hooks.answer_sections.register("evidence", evidence_section)
        hooks.submission_checks.register("readiness", submission_warnings)
        hooks.period_tabs.register("evidence", evidence_tab)
        checks.register(ocr_engine)

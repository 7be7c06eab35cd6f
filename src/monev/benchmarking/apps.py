from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchmarkingConfig(AppConfig):
    name = "monev.benchmarking"
    label = "benchmarking"
    verbose_name = _("Rankings and benchmarks")

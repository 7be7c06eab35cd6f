from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from monev.accounts import sso_views
from monev.api import api
from monev.assignments import urls as assignment_urls
from monev.evaluations import urls as evaluation_urls
from monev.imports import urls as import_urls
from monev.web import health
from monev.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("masuk/", sso_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("oidc/", include(sso_views.urlpatterns)),
    path("instrumen/", include("monev.instruments.urls")),
    path("periode/", include("monev.evaluations.urls")),
    path("jawaban/", include((evaluation_urls.answer_patterns, "answers"))),
    path("data-dukung/", include("monev.evidence.urls")),
    path("pemantauan/", include("monev.monitoring.urls")),
    path("rencana/", include("monev.planning.urls")),
    path("laporan/", include("monev.reports.urls")),
    path("impor/", include("monev.imports.urls")),
    path("nilai-eksternal/impor/", include((import_urls.external_patterns, "external_imports"))),
    path("nilai-eksternal/", include("monev.external.urls")),
    path("peralihan/", include("monev.transition.urls")),
    path("akun/", include("monev.accounts.urls")),
    path(
        "evaluasi-nasional/impor/", include((import_urls.evaluator_patterns, "evaluator_imports"))
    ),
    path("evaluasi-nasional/", include("monev.assignments.urls")),
    path("evaluasi-nasional/", include("monev.benchmarking.urls")),
    path("asesor/", include((assignment_urls.assessor_patterns, "assessor"))),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Probes (answered earlier by monev.web.health.HealthCheckMiddleware; here for reverse()).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

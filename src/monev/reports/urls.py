"""Report pages, mounted at /laporan/ (namespace "reports")."""

from django.urls import path

from monev.reports import views

app_name = "reports"

urlpatterns = [
    path("periode/<id:period_id>/", views.period_reports, name="period"),
    path("periode/<id:period_id>/pimpinan/", views.leader_view, name="leader"),
    path("periode/<id:period_id>/unduh/<slug:kind>/", views.period_download, name="download"),
    path(
        "periode/<id:period_id>/laporan.pdf",
        views.period_download,
        {"kind": "pdf"},
        name="report_pdf",
    ),
    path(
        "periode/<id:period_id>/ringkasan.pdf",
        views.period_download,
        {"kind": "summary-pdf"},
        name="summary_pdf",
    ),
    path("instansi/", views.institutions_page, name="institutions"),
    path("instansi/unduh/", views.institutions_download, name="institutions_download"),
]

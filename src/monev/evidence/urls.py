"""Evidence pages, mounted at /data-dukung/ (namespace "evidence")."""

from django.urls import path

from monev.evidence import downloads, readiness_views, views

app_name = "evidence"

urlpatterns = [
    path("instansi/<id:institution_id>/", views.library, name="library"),
    path("instansi/<id:institution_id>/unggah/", views.upload, name="upload"),
    path("instansi/<id:institution_id>/tautan/", views.link_create, name="link_create"),
    path("periode/<id:period_id>/kesiapan/", readiness_views.readiness_page, name="readiness"),
    path(
        "periode/<id:period_id>/kesiapan.xlsx",
        readiness_views.readiness_download,
        name="readiness_xlsx",
    ),
    path("<id:evidence_id>/", views.detail, name="detail"),
    path("<id:evidence_id>/ubah/", views.update, name="update"),
    path("<id:evidence_id>/versi/", views.add_version, name="add_version"),
    path("versi/<id:version_id>/unduh/", downloads.download, name="download"),
    path("jawaban/<id:answer_id>/tautkan/", views.answer_link, name="answer_link"),
    path("jawaban/<id:answer_id>/unggah/", views.answer_upload, name="answer_upload"),
    path(
        "jawaban/<id:answer_id>/lepas/<id:evidence_id>/",
        views.answer_unlink,
        name="answer_unlink",
    ),
]

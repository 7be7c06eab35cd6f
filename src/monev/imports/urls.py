from django.urls import path

from monev.imports import evaluator_views, external_views, views

app_name = "imports"

urlpatterns = [
    path("periode/<id:period_id>/", views.period_page, name="period"),
    path("periode/<id:period_id>/<slug:kind>/", views.period_upload, name="period_upload"),
    path("instansi/<id:institution_id>/", views.institution_page, name="institution"),
    path(
        "instansi/<id:institution_id>/<slug:kind>/",
        views.institution_upload,
        name="institution_upload",
    ),
    path("batch/<id:batch_id>/", views.batch_page, name="batch"),
    path("batch/<id:batch_id>/terapkan/", views.batch_apply, name="apply"),
    path("batch/<id:batch_id>/buang/", views.batch_discard, name="discard"),
    path("templat/<slug:kind>.xlsx", views.template_download, name="template"),
    path(
        "templat/<slug:kind>.json",
        views.template_download,
        {"extension": "json"},
        name="template_json",
    ),
]

# The import pages of many institutions, under the pages of their audience (src/monev/urls.py):
# the evaluator's at /evaluasi-nasional/impor/ (namespace "evaluator_imports"), the external
# values' at /nilai-eksternal/impor/ (namespace "external_imports").
evaluator_patterns = [
    path("", evaluator_views.page, name="page"),
    path("<slug:kind>/", evaluator_views.upload, name="upload"),
]
external_patterns = [
    path("", external_views.page, name="page"),
    path("external/", external_views.upload, name="upload"),
]

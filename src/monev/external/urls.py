from django.urls import path

from monev.external import views

app_name = "external"

# Mounted at /nilai-eksternal/; its import page (impor/) is monev.imports.urls.external_patterns.
urlpatterns = [
    path("instansi/<id:institution_id>/", views.institution_page, name="institution"),
    path("instansi/<id:institution_id>/catat/", views.record, name="record"),
]

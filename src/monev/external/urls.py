from django.urls import path

from monev.external import views

app_name = "external"

urlpatterns = [
    path("instansi/<id:institution_id>/", views.institution_page, name="institution"),
    path("instansi/<id:institution_id>/catat/", views.record, name="record"),
    path("impor/", views.imports_page, name="imports"),
    path("impor/external/", views.import_upload, name="import_upload"),
]

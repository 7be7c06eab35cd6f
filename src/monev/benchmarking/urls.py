from django.urls import path

from monev.benchmarking import views

app_name = "benchmarking"

urlpatterns = [
    path("kemajuan/", views.progress, name="progress"),
    path("peringkat/", views.rankings, name="rankings"),
    path("sebaran/", views.distributions, name="distributions"),
    path("instansi/<id:institution_id>/banding/", views.peers, name="peers"),
]

from django.urls import path

from monev.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("periode/<id:period_id>/", views.dashboard, name="dashboard"),
    path("periode/<id:period_id>/riwayat/", views.history, name="history"),
    path("periode/<id:period_id>/prakiraan/", views.forecast, name="forecast"),
    path("periode/<id:period_id>/potret/", views.snapshot_take, name="snapshot_take"),
    path("instansi/<id:institution_id>/riwayat/", views.institution_history, name="institution"),
]

from django.urls import path

from monev.transition import views

app_name = "transition"

urlpatterns = [
    path("periode/<id:period_id>/", views.suggestions, name="suggestions"),
    path("periode/<id:period_id>/usulkan/", views.generate, name="generate"),
    path(
        "periode/<id:period_id>/indikator/<str:indicator>/terima-semua/",
        views.accept_indicator,
        name="accept_indicator",
    ),
    path("usulan/<id:suggestion_id>/terima/", views.accept, name="accept"),
    path("usulan/<id:suggestion_id>/tolak/", views.reject, name="reject"),
]

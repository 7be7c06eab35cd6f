from django.urls import path

from monev.transition import views

app_name = "transition"

urlpatterns = [
    path("periode/<int:period_id>/", views.suggestions, name="suggestions"),
    path("periode/<int:period_id>/usulkan/", views.generate, name="generate"),
    path(
        "periode/<int:period_id>/indikator/<str:indicator>/terima-semua/",
        views.accept_indicator,
        name="accept_indicator",
    ),
    path("usulan/<int:suggestion_id>/terima/", views.accept, name="accept"),
    path("usulan/<int:suggestion_id>/tolak/", views.reject, name="reject"),
]

from django.urls import path

from monev.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.period_list, name="periods"),
    path("baru/", views.period_create, name="create"),
    path("<int:period_id>/", views.period_overview, name="overview"),
    path("<int:period_id>/tugas/", views.unit_todo, name="todo"),
    path("<int:period_id>/antrian/", views.review_queue, name="queue"),
    path("<int:period_id>/matriks/", views.assignment_matrix, name="matrix"),
    path("<int:period_id>/audit/", views.period_audit, name="audit"),
    path("<int:period_id>/audit.csv", views.period_audit_csv, name="audit_csv"),
    path("<int:period_id>/pengaturan/", views.period_settings, name="settings"),
    path(
        "<int:period_id>/pengaturan/<slug:action>/",
        views.period_settings_action,
        name="settings_action",
    ),
    path(
        "<int:period_id>/pengaturan/<slug:action>/<int:pk>/",
        views.period_settings_action,
        name="settings_item_action",
    ),
]

# Mounted at /jawaban/ under the namespace "answers" (see monev/urls.py).
answer_patterns = [
    path("<int:answer_id>/", views.answer_page, name="detail"),
    path("<int:answer_id>/<slug:action>/", views.answer_action, name="action"),
]

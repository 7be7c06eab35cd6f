from django.urls import path

from monev.evaluations import bulk_views, views

app_name = "evaluations"

urlpatterns = [
    path("", views.period_list, name="periods"),
    path("baru/", views.period_create, name="create"),
    path("<id:period_id>/", views.period_overview, name="overview"),
    path("<id:period_id>/tugas/", views.unit_todo, name="todo"),
    path("<id:period_id>/antrian/", views.review_queue, name="queue"),
    path("<id:period_id>/matriks/", views.assignment_matrix, name="matrix"),
    path("<id:period_id>/audit/", views.period_audit, name="audit"),
    path("<id:period_id>/audit.csv", views.period_audit_csv, name="audit_csv"),
    path("<id:period_id>/tindakan-massal/", bulk_views.bulk_actions, name="bulk"),
    path("<id:period_id>/pengaturan/", views.period_settings, name="settings"),
    path(
        "<id:period_id>/pengaturan/<slug:action>/",
        views.period_settings_action,
        name="settings_action",
    ),
    path(
        "<id:period_id>/pengaturan/<slug:action>/<id:pk>/",
        views.period_settings_action,
        name="settings_item_action",
    ),
]

# Mounted at /jawaban/ under the namespace "answers" (see monev/urls.py).
answer_patterns = [
    path("<id:answer_id>/", views.answer_page, name="detail"),
    path("<id:answer_id>/<slug:action>/", views.answer_action, name="action"),
]

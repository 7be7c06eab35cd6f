from django.urls import path

from monev.assignments import views

app_name = "assignments"

# Mounted at /evaluasi-nasional/ (the evaluator's pages; other apps mount pages there too:
# benchmarking, and the evaluator's import page of monev.imports.urls.evaluator_patterns).
urlpatterns = [
    path("penugasan/", views.board, name="board"),
    path("penugasan/tetapkan/", views.assign, name="assign"),
    path("penugasan/<id:assignment_id>/hapus/", views.unassign, name="unassign"),
]

# Mounted at /asesor/ under the namespace "assessor".
assessor_patterns = [
    path("antrian/", views.assessor_queue, name="queue"),
]

from django.urls import path

from monev.planning import deadline_views, views

app_name = "planning"

urlpatterns = [
    path("periode/<id:period_id>/", views.plan_page, name="plan"),
    path("periode/<id:period_id>/hitung/", views.plan_compute, name="compute"),
    path("periode/<id:period_id>/hitung-ulang/", views.plan_replan, name="replan"),
    path("periode/<id:period_id>/tenggat/", deadline_views.deadlines, name="deadlines"),
    path("periode/<id:period_id>/what-if/", views.what_if, name="what_if"),
    path("periode/<id:period_id>/upaya/", views.efforts, name="efforts"),
    path("tindakan/<id:item_id>/selesai/", views.item_done, name="item_done"),
    path("tindakan/<id:item_id>/unit/", views.item_reassign, name="item_reassign"),
]

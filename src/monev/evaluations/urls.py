from django.urls import path

from monev.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.period_list, name="periods"),
]

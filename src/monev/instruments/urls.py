from django.urls import path

from monev.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("<str:reference>/", views.instrument_detail, name="detail"),
    path("<str:reference>/indikator/<str:number>/", views.indicator_detail, name="indicator"),
]

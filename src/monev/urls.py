from django.contrib import admin
from django.urls import include, path

from monev.api import api
from monev.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("instrumen/", include("monev.instruments.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

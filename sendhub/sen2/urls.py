from django.urls import path

from . import views

app_name = "sen2"
urlpatterns = [
    path("sen2/", views.index, name="index"),
    path("sen2/return.<str:fmt>", views.download, name="download"),
]

from django.urls import path

from . import views

app_name = "clock"
urlpatterns = [
    path("deadlines/", views.queue, name="queue"),
    path("assessments/<int:pk>/", views.case_detail, {"kind": "assessment"}, name="assessment"),
    path("reviews/<int:pk>/", views.case_detail, {"kind": "review"}, name="review"),
]

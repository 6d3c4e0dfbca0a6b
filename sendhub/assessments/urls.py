from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("children/<int:child_pk>/request-assessment", views.request_assessment, name="request"),
    path("assessments/<int:pk>/evidence/<int:doc_pk>", views.evidence_download, name="evidence"),
]

from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("children/<int:child_pk>/request-assessment", views.request_assessment, name="request"),
    path("assessments/<int:pk>/evidence/<int:doc_pk>", views.evidence_download, name="evidence"),
    path("assessments/<int:pk>/advice-files/<int:doc_pk>", views.advice_attachment_download, name="advice-file"),
    path("assessments/<int:pk>/ask-for-advice", views.ask_for_advice, name="ask-for-advice"),
    path("advice/", views.advice_workspace, name="advice"),
    path("advice/<int:pk>/", views.give_advice, name="give-advice"),
]

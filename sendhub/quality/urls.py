from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("quality/", views.sample, name="sample"),
    path("quality/audits/", views.audit_list, name="audits"),
    path("quality/audits/<int:pk>/", views.audit_detail, name="audit"),
    path("quality/audits/<int:pk>/your-view", views.family_view, name="family-view"),
    path("quality/plans/<int:version_pk>/audit", views.start, name="start"),
    path("quality/settings/", views.quality_settings, name="settings"),
    path("quality/figures/", views.figures, name="figures"),
]

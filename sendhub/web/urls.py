from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("children/", views.children, name="children"),
    path("children/new", views.child_add, name="child-add"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/change", views.child_edit, name="child-edit"),
    path("children/<int:pk>/sharing", views.sharing_consent, name="sharing-consent"),
    path("area-figures", views.area_figures, name="area-figures"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("privacy", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
]

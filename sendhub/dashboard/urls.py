from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("dashboard/", views.dashboard, name="index"),
    path("dashboard/export.<str:fmt>", views.export, name="export"),
    path("dashboard/public/", views.public, name="public"),
    path("dashboard/public/figures.csv", views.public_csv, name="public-csv"),
    path("dashboard/cases/<str:metric>/", views.drill_down, name="drill-down"),
    path("dashboard/targets/", views.targets, name="targets"),
    path("dashboard/disagreements/<int:assessment_pk>/", views.disagreement, name="disagreement"),
    path("dashboard/big-plan/", views.big_plan, name="big-plan"),
    path("dashboard/big-plan/report.pdf", views.big_plan_report, name="big-plan-report"),
    path("dashboard/big-plan/areas/new", views.area_new, name="area-new"),
    path("dashboard/big-plan/actions/new", views.action_edit, name="action-new"),
    path("dashboard/big-plan/actions/<int:pk>/", views.action_edit, name="action-edit"),
]

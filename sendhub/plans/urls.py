from django.urls import path, re_path

from . import views

app_name = "plans"
CASE = r"^(?P<kind>assessment|review)s/(?P<pk>[0-9]+)/plan/"
urlpatterns = [
    re_path(CASE + r"$", views.workspace, name="workspace"),
    re_path(CASE + r"(?P<code>A|B|C|D|E|F|G|H1|H2|I|J|K)$", views.edit_section, name="section"),
    path("children/<int:child_pk>/plans/", views.version_list, name="versions"),
    path("children/<int:child_pk>/plans/compare", views.compare_versions, name="compare"),
    path("plans/<int:pk>/", views.version_detail, name="version"),
    path("plans/sent-to-me", views.plans_naming_me, name="mine"),
    path("plans/<int:pk>.pdf", views.version_pdf, name="pdf"),
]

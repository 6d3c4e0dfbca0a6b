from django.urls import path

from . import views

app_name = "messaging"
urlpatterns = [
    path("children/<int:pk>/family-accounts/<int:member_pk>/how-to-reach", views.member_routes, name="routes"),
    path("children/<int:pk>/family-accounts/young-person/how-to-reach", views.young_person_routes,
         name="young-person-routes"),
    path("post-tray/", views.post_tray, name="post-tray"),
    path("post-tray/<int:pk>/pack.pdf", views.print_pack, name="pack"),
]

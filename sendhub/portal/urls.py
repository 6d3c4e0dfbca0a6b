from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("children/<int:child_pk>/tracker", views.tracker_page, name="tracker"),
    path("children/<int:child_pk>/all-about-me", views.all_about_me, name="all-about-me"),
    path("all-about-me/pictures/<int:pk>", views.picture, name="picture"),
    path("messages/", views.inbox, name="messages"),
    path("account/messages", views.preferences, name="preferences"),
]

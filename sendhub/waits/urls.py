from django.urls import path

from . import views

app_name = "waits"
urlpatterns = [
    path("waiting-lists/", views.lists, name="lists"),
    path("waiting-lists/import", views.import_list, name="import"),
    path("waiting-lists/new", views.service_details, name="service-new"),
    path("waiting-lists/<int:pk>/details", views.service_details, name="service-details"),
    path("waiting-lists/<int:pk>/", views.waiting_list, name="list"),
    path("waiting-lists/<int:pk>/new-referral", views.new_referral, name="new-referral"),
    path("waiting-lists/referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("waiting-lists/referrals/<int:pk>/<slug:action>", views.referral_action, name="action"),
    path("children/<int:child_pk>/referrals/<int:pk>", views.family_referral, name="family-referral"),
    path("waiting-list-figures/", views.figures, name="figures"),
    path("waiting-list-figures/<int:pk>/", views.service_figures, name="service-figures"),
]

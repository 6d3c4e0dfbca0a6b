from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("reviews/<int:pk>/annual-review/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/annual-review/report", views.report, name="report"),
    path("children/<int:child_pk>/early-review", views.early_review, name="early-review"),
    path("children/<int:child_pk>/transition-referral", views.refer, name="refer"),
    path("school/reviews/", views.school_reviews, name="school"),
    path("school/reviews/schedule", views.schedule_term, name="schedule"),
    path("reviews/priority/", views.priority_queue, name="priority"),
    path("reviews/priority/weights", views.weights, name="weights"),
    path("reviews/transitions/", views.transitions, name="transitions"),
    path("reviews/transitions/<int:pk>/", views.transition, name="transition"),
    path("reviews/figures/", views.figures, name="figures"),
]

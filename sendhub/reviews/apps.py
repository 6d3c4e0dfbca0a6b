from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "sendhub.reviews"
    label = "reviews"

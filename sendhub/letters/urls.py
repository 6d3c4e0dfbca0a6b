from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("letters/<int:pk>/", views.letter_detail, name="letter"),
    path("letters/<int:pk>.pdf", views.letter_download, name="pdf"),
]

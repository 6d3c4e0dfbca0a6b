from django.urls import path

from . import passkeys, views

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("two-factor", views.two_factor, name="two-factor"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("", views.account, name="account"),
    path("passkeys", passkeys.passkeys, name="passkeys"),
    path("passkeys/<int:pk>/remove", passkeys.remove_passkey, name="remove-passkey"),
]

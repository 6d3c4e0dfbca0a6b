from django.urls import path

from . import passkeys, views, views_invitations

app_name = "accounts"
urlpatterns = [
    path("sign-in", views.sign_in, name="sign-in"),
    path("two-factor", views.two_factor, name="two-factor"),
    path("sign-out", views.sign_out, name="sign-out"),
    path("signed-out", views.signed_out, name="signed-out"),
    path("", views.account, name="account"),
    path("passkeys", passkeys.passkeys, name="passkeys"),
    path("passkeys/<int:pk>/remove", passkeys.remove_passkey, name="remove-passkey"),
    # Invitations and new authenticators: a single-use link from an email.
    path("invitation/accept", views_invitations.invitation_accept, name="invitation-accept"),
    path("invitation/<str:token>", views_invitations.invitation, name="invitation"),
    # Forgotten passwords (Django's reset machinery, GOV.UK pages).
    path("password-reset", views_invitations.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent", views_invitations.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/<uidb64>/<token>", views_invitations.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("password-reset/done", views_invitations.PasswordResetDoneView.as_view(), name="password-reset-done"),
]

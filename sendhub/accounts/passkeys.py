"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor for staff, beside an authenticator app.

A passkey never replaces the password (passwordless sign-in is off): after the password, the two-factor
step offers "Use a passkey" to a person who has one. Adding one needs a session already verified with
the second factor, so a stolen password alone cannot add a passkey; the library would allow a person
with no device at all to register one unverified, which these views do not. Passkey tries count
towards sign-in throttling like wrong codes, and adding or removing one is audited.

The library's JavaScript is served from static files (no CDN, no inline script: script-src 'self').
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions, views as webauthn_views
from django_otp_webauthn.models import WebAuthnCredential

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change, snapshot

from . import services, throttling
from .notices import send_security_notice

AUDITED = ["user", "name", "confirmed"]


class Refused(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "refused"


class VerifiedStaffOnly:
    """Registration: only staff, and only once they have passed two-factor sign-in in this session."""

    def check_can_register(self):
        user = self.request.user
        if not user.needs_two_factor:
            raise Refused(detail="Passkeys are for staff two-factor sign-in")
        if not user.is_verified():
            raise exceptions.NotVerified(detail="Sign in with your authenticator app before you add a passkey")


class BeginRegistration(VerifiedStaffOnly, webauthn_views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(VerifiedStaffOnly, webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        with transaction.atomic():
            response = super().post(*args, **kwargs)
            if response.status_code == 200:
                credential = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
                record_change(actor=self.request.user, action=AuditAction.CREATE, obj=credential, request=self.request,
                              after=snapshot(credential, AUDITED), summary="Added a passkey for two-factor sign-in")
                send_security_notice(user=self.request.user, subject="A passkey was added to your account",
                                     body=f"A passkey ({credential.name}) was added for two-factor sign-in to your "
                                          "account. If this was not you, contact your administrator at once.")
        return response


class PasswordCheckedFirst:
    """Authentication: only as the second step after the password, and throttled like codes."""

    def check_can_authenticate(self):
        user = self.request.user
        if not user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if not throttling.may_try(self.request, user.email):
            raise Refused(detail=services.sign_in_error())


class BeginAuthentication(PasswordCheckedFirst, webauthn_views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(PasswordCheckedFirst, webauthn_views.CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        try:
            return super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            # A passkey that did not verify counts like a wrong code.
            services.note_code_failure(request=self.request, user=self.request.user)
            raise

    def complete_auth(self, device):
        if device.user_id != self.request.user.pk:
            raise exceptions.CredentialNotFound()
        super().complete_auth(device)
        self.request.session.cycle_key()  # as after a code: a session id seen before the second factor is worthless
        services.note_signed_in(request=self.request, user=self.request.user)

    def get_redirect_url(self):
        redirect_to = self.request.GET.get("next") or ""
        return super().get_redirect_url() if redirect_to.startswith("/") else ""


def _verified_staff(request) -> bool:
    return request.user.needs_two_factor and request.user.is_verified()


@login_required
def passkeys(request):
    """The person's passkeys, with a button to add one (the library's script does the ceremony)."""
    if not _verified_staff(request):
        return redirect("accounts:account")
    return render(request, "accounts/passkeys.html", {
        "passkeys": WebAuthnCredential.objects.filter(user=request.user, confirmed=True).order_by("created_at"),
    })


@login_required
@require_POST
def remove_passkey(request, pk: int):
    if not _verified_staff(request):
        return redirect("accounts:account")
    credential = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)  # someone else's: not found
    with transaction.atomic():
        record_change(actor=request.user, action=AuditAction.DELETE, obj=credential, request=request,
                      before=snapshot(credential, AUDITED), after={}, summary="Removed a passkey")
        send_security_notice(user=request.user, subject="A passkey was removed from your account",
                             body=f"The passkey {credential.name} was removed from your account. If this was not "
                                  "you, contact your administrator at once.")
        credential.delete()
    messages.success(request, f"Removed the passkey ‘{credential.name}’")
    return redirect("accounts:passkeys")

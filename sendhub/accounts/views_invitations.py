"""Using an invitation link, and resetting a forgotten password by email link."""

import base64

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record
from sendhub.web.forms import apply_service_errors

from . import invitations, services
from .invitation_forms import AcceptInvitationForm, GovukPasswordResetForm, GovukSetPasswordForm
from .models import InvitationKind

SESSION_KEY = "invitation_link"


def _refused(request, message: str, status: int = 410):
    return render(request, "accounts/invitation_refused.html", {"refusal": message}, status=status)


@never_cache
def invitation(request, token: str):
    """Check the link, then keep its secret in the session and continue at an address without it.

    As Django's password reset does, this keeps the secret out of the address bar, the browser's history
    and any Referer header. Whoever was signed in on this browser is signed out first: the link says who
    this is.
    """
    try:
        invitations.invitation_for_link(token)
    except invitations.InvitationRefused as refusal:
        return _refused(request, str(refusal))
    if request.user.is_authenticated:
        logout(request)
    request.session[SESSION_KEY] = token
    return redirect("accounts:invitation-accept")


def _key_for_display(key_hex: str) -> str:
    key = base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@never_cache
def invitation_accept(request):
    raw = request.session.get(SESSION_KEY)
    if not raw:
        return _refused(request, "Open the link in your invitation email again to continue.", status=400)
    try:
        found = invitations.invitation_for_link(raw)
    except invitations.InvitationRefused as refusal:
        request.session.pop(SESSION_KEY, None)
        return _refused(request, str(refusal))
    form = AcceptInvitationForm(request.POST or None, sets_password=found.sets_password,
                                needs_authenticator=found.needs_authenticator,
                                existing_account=found.links_existing_account)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.accept_invitation(raw=raw, password=form.cleaned_data.get("password", ""),
                                                 code=form.cleaned_data.get("code", ""), request=request)
        except invitations.InvitationRefused as refusal:
            request.session.pop(SESSION_KEY, None)
            return _refused(request, str(refusal))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            request.session.pop(SESSION_KEY, None)
            return _signed_in_after(request, found, user)
    context = {"form": form, "invitation": found}
    if found.needs_authenticator:
        device = invitations.pending_device(found)
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code to add this service to your authenticator app")
        context["secret"] = _key_for_display(found.totp_key)
    return render(request, "accounts/invitation_accept.html", context)


def _signed_in_after(request, found, user):
    """A new account is signed in at once (with its new authenticator); a replaced authenticator is not.

    The person who replaced an authenticator proved only that they can read the email: they still sign in
    with their password and the new code.
    """
    if found.kind == InvitationKind.TWO_FACTOR:
        messages.success(request, "Your authenticator app is set up. Sign in with your password and a code from it.")
        return redirect("accounts:sign-in")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if user.needs_two_factor:
        otp_login(request, TOTPDevice.objects.get(user=user, confirmed=True))
        request.session.cycle_key()
    services.note_signed_in(request=request, user=user)
    messages.success(request, "Your account is ready. You are signed in.")
    if found.child_id:
        return redirect("web:child", pk=found.child_id)
    return redirect("web:home")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = GovukPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")

    @property
    def extra_email_context(self):
        return {"service_name": settings.SERVICE_NAME}


class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.html"

    @property
    def extra_context(self):
        return {"timeout_days": settings.PASSWORD_RESET_TIMEOUT // 86400}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = GovukSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)  # changing the password ends the person's other sessions
            record(actor=form.user, action=AuditAction.UPDATE, channel=channel_of(self.request), obj=form.user,
                   summary="Reset their password by email link", path=self.request.path)
        return response


class PasswordResetDoneView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.html"

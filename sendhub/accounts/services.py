"""Signing in, two-factor devices and API tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendhub.audit.models import AuditAction
from sendhub.audit.services import channel_of, record

from .models import ApiToken, User

SIGN_IN_ERROR = "Enter a correct email address and password"


class SignInRefused(Exception):
    pass


def _locked_message() -> str:
    return (
        f"Your account is locked for {settings.SIGN_IN_LOCKOUT_MINUTES} minutes after too many failed "
        "attempts. Try again later, or contact your administrator."
    )


def note_failed_attempt(*, request, user: User) -> None:
    """Count a failure; at the limit, lock the account for a while."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_sign_ins=F("failed_sign_ins") + 1)
        user.refresh_from_db(fields=["failed_sign_ins", "locked_until"])
        record(actor=None, action=AuditAction.SIGN_IN_FAILED, channel=channel_of(request), obj=user,
               summary=f"Failed sign-in for {user.email}", path=request.path)
        if user.failed_sign_ins >= settings.SIGN_IN_MAX_FAILURES:
            user.locked_until = timezone.now() + timedelta(minutes=settings.SIGN_IN_LOCKOUT_MINUTES)
            user.failed_sign_ins = 0
            user.save(update_fields=["locked_until", "failed_sign_ins"])
            record(actor=None, action=AuditAction.LOCKED_OUT, channel=channel_of(request), obj=user,
                   summary=f"Locked {user.email} after repeated failures", path=request.path)


def check_password_sign_in(*, request, email: str, password: str) -> User:
    """Return the user, or raise SignInRefused with a message that does not say which part was wrong."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email=email).first()
    if user is not None and user.is_locked():
        raise SignInRefused(_locked_message())
    authenticated = authenticate(request, username=email, password=password)
    if authenticated is None:
        if user is not None:
            note_failed_attempt(request=request, user=user)
            if user.is_locked():
                raise SignInRefused(_locked_message())
        raise SignInRefused(SIGN_IN_ERROR)
    return authenticated


def note_signed_in(*, request, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_sign_ins=0, locked_until=None)
        record(actor=user, action=AuditAction.SIGN_IN, channel=channel_of(request), obj=user,
               summary="Signed in", path=request.path)


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def verify_totp(*, request, user: User, device: TOTPDevice, code: str) -> bool:
    code = "".join((code or "").split())
    if user.is_locked():
        raise SignInRefused(_locked_message())
    if code.isdigit() and len(code) == 6 and device.verify_token(code):
        return True
    note_failed_attempt(request=request, user=user)
    if user.is_locked():
        raise SignInRefused(_locked_message())
    return False


def issue_api_token(*, user: User, name: str = "integration") -> str:
    """Return the raw token once; only its hash is kept."""
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(raw), prefix=raw[:8])
    return raw


def user_for_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user__organisation")
        .filter(key_hash=ApiToken.hash(raw or ""), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user

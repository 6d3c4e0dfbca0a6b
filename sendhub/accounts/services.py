"""Signing in, two-factor devices and API tokens."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from sendhub.audit.models import AuditAction, AuditChannel
from sendhub.audit.services import channel_of, record

from . import throttling
from .models import ApiToken, TokenScope, User


class SignInRefused(Exception):
    pass


def sign_in_error() -> str:
    """The one answer to a wrong password, an unknown email, a wrong code and a paused sign-in alike."""
    return (f"Enter a correct email address and password. If you have tried several times, wait "
            f"{settings.SIGN_IN_LOCKOUT_MINUTES} minutes before trying again.")


def _audit_failure(*, request, email: str) -> None:
    user = User.objects.filter(email=email).first()
    if user is not None:
        record(actor=None, action=AuditAction.SIGN_IN_FAILED, channel=channel_of(request), obj=user,
               summary=f"Failed sign-in for {user.email}", path=request.path)


def check_password_sign_in(*, request, email: str, password: str) -> User:
    """Return the user, or raise SignInRefused with one message whatever went wrong.

    django-axes refuses a paused sign-in inside authenticate() before any password is checked; the
    password hasher runs anyway (as Django's ModelBackend does for an unknown email) and every answer
    is padded to SIGN_IN_MIN_SECONDS, so neither the words nor the time tell a paused, unknown or
    wrong sign-in apart.
    """
    started = time.monotonic()
    try:
        email = (email or "").strip().lower()
        authenticated = authenticate(request, username=email, password=password)
        if authenticated is None:
            if getattr(request, "axes_locked_out", False):
                make_password(password)  # the work a password check would have done
            _audit_failure(request=request, email=email)
            raise SignInRefused(sign_in_error())
        return authenticated
    finally:
        throttling.pad_to_floor(started)


def note_signed_in(*, request, user: User) -> None:
    """The whole sign-in (two-factor included) succeeded: audit it and forget this person's failures."""
    with transaction.atomic():
        throttling.forget_failures(request, user.email)
        record(actor=user, action=AuditAction.SIGN_IN, channel=channel_of(request), obj=user,
               summary="Signed in", path=request.path)


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_passkey(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def verify_totp(*, request, user: User, device: TOTPDevice, code: str) -> bool:
    """Check a code; wrong codes count towards the same throttling as wrong passwords."""
    code = "".join((code or "").split())
    if not throttling.may_try(request, user.email):
        raise SignInRefused(sign_in_error())
    if code.isdigit() and len(code) == 6 and device.verify_token(code):
        return True
    if note_code_failure(request=request, user=user):
        raise SignInRefused(sign_in_error())
    return False


def note_code_failure(*, request, user: User) -> bool:
    """A wrong second factor (code or passkey): audited and counted; True if sign-in is now paused."""
    _audit_failure(request=request, email=user.email)
    return throttling.note_failure(request, user.email)


def issue_api_token(*, user: User, name: str = "integration", scope: str = TokenScope.READ,
                    days: int | None = None) -> str:
    """Return the raw token once; only its hash is kept.

    Read-only unless `scope` says write, and expiring after `days` (settings.API_TOKEN_DAYS by default).
    Only operators issue tokens (`sendhub token`, run on the server): there is no page that makes one,
    so a write token for a staff member never comes from a session that skipped two-factor sign-in.
    """
    days = settings.API_TOKEN_DAYS if days is None else days
    errors = {}
    if scope not in TokenScope.values:
        errors["scope"] = f"Choose one of: {', '.join(TokenScope.values)}"
    if not 1 <= days <= ApiToken.MAX_DAYS:
        errors["days"] = f"A token lasts from 1 to {ApiToken.MAX_DAYS} days"
    if not user.is_active:
        errors["user"] = "This account is deactivated"
    if errors:
        raise ValidationError(errors)
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(raw), prefix=raw[:8],
                                        scope=scope, expires_at=timezone.now() + timedelta(days=days))
        record(actor=None, action=AuditAction.CREATE, channel=AuditChannel.SYSTEM, obj=token,
               summary=f"Issued a {scope} API token {token.prefix}… for {user.email}",
               changes={"scope": [None, scope], "expires_at": [None, token.expires_at.isoformat()]})
    return raw


def revoke_api_token(*, token: ApiToken, actor=None, request=None) -> ApiToken:
    """Stop a token working at once; the row stays so its use can still be traced."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(actor=actor, action=AuditAction.UPDATE, channel=channel_of(request), obj=token,
                   summary=f"Revoked API token {token.prefix}… of {token.user.email}",
                   changes={"revoked_at": [None, token.revoked_at.isoformat()]},
                   path=request.get_full_path() if request is not None else "")
    return token


def token_for(raw: str) -> ApiToken | None:
    """The token a caller presented, if it may be used now: not revoked, not expired, its user active
    and not paused by sign-in throttling. Anything else is None (the API answers 401)."""
    token = (
        ApiToken.objects.select_related("user__organisation")
        .filter(key_hash=ApiToken.hash(raw or ""), revoked_at__isnull=True, expires_at__gt=timezone.now(),
                user__is_active=True)
        .first()
    )
    if token is None or throttling.account_is_locked(token.user.email):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token

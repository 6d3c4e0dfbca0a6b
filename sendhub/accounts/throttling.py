"""Sign-in throttling on django-axes: three limits, failures that decay, one answer for every refusal.

django-axes counts failed sign-ins (Django's `user_login_failed` signal) in AccessAttempt rows keyed by
email, IP address and browser. sendhub counts them three ways (settings.AXES_LOCKOUT_PARAMETERS):

* one email from one IP address: SIGN_IN_MAX_FAILURES (5). Someone guessing, or mistyping, from one
  place is paused there; the owner signing in from anywhere else is not.
* one email from anywhere (the account): SIGN_IN_MAX_FAILURES_PER_ACCOUNT (20). Guessing from many
  places pauses the account everywhere, its API tokens included; the owner is emailed.
* one IP address for any email: SIGN_IN_MAX_FAILURES_PER_IP (50). One place trying many accounts.

axes has one limit for all its parameter sets, so the handler below checks each set against its own
limit. Failures are forgotten SIGN_IN_LOCKOUT_MINUTES after the last one (axes' cool-off), and tries
while paused are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off): one place cannot keep
an account paused by hammering it, nor add more than its own limit to the account's count.
"""

import time

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_parameters
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.db.models import Sum
from django.dispatch import receiver
from django.utils import timezone

from sendhub.audit.models import AuditAction, AuditEvent
from sendhub.audit.services import channel_of, record


def _limit_for(parameter) -> int:
    names = (parameter,) if isinstance(parameter, str) else tuple(parameter)
    if names == ("username",):
        return settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT
    if names == ("ip_address",):
        return settings.SIGN_IN_MAX_FAILURES_PER_IP
    return settings.SIGN_IN_MAX_FAILURES


def username_of(request, credentials) -> str | None:
    """The email a sign-in was for, as sendhub stores it (trimmed, lower case): axes' username."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = getattr(request, "POST", {}).get("email")
    value = (value or "").strip().lower()
    return value or None


def client_ip(request) -> str | None:
    """The address sign-in failures are counted against.

    Behind SENDHUB_TRUSTED_PROXY_COUNT reverse proxies that each append the address they received from to
    X-Forwarded-For, the client is that many entries from the right: entries further left are whatever
    the client chose to send, and counting against them would let anyone dodge the per-IP limit. With no
    proxy (the default), REMOTE_ADDR; with a proxy not declared, every visitor would share its address.
    """
    proxies = settings.SENDHUB_TRUSTED_PROXY_COUNT
    if proxies > 0:
        chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(chain) >= proxies:
            return chain[-proxies]
    return request.META.get("REMOTE_ADDR")


def keep_the_page(request, original_response=None, credentials=None):
    """axes' lockout response: the page sign-in already rendered, which says what a wrong password says."""
    return original_response


class SendhubAxesHandler(AxesDatabaseHandler):
    """axes' database handler with one limit per parameter set, and resets that leave the IP count alone."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures measured against the base limit: at or over it exactly when some set is over its own."""
        base = settings.AXES_FAILURE_LIMIT
        parameters = get_lockout_parameters(request, credentials)
        tripped, highest = [], 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials)):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            limit = _limit_for(parameter)
            if count >= limit:
                tripped.append(parameter)
            highest = max(highest, min(count, base - 1))
        request.sendhub_tripped = tripped
        return base if tripped else highest

    def reset_user_attempts(self, request, credentials=None) -> int:
        """Forget one email's failures (every IP), never a whole IP address's."""
        email = username_of(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=email).delete() if email else (0, None)
        return count


def account_is_locked(email: str) -> bool:
    """Whether the account-wide limit is reached: sign-in and API tokens are refused everywhere."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(username=email.lower(), attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start"))["total"] or 0
    return total >= settings.SIGN_IN_MAX_FAILURES_PER_ACCOUNT


def may_try(request, email: str) -> bool:
    """Whether this email may try a password or code from this request's IP address now."""
    return AxesProxyHandler.is_allowed(request, {"username": email})


def note_failure(request, email: str) -> bool:
    """Count a failure that did not go through authenticate() (a wrong two-factor code); True if now paused."""
    user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def forget_failures(request, email: str) -> None:
    """After a complete sign-in (two-factor included): the owner's own typos stop counting."""
    AxesProxyHandler.get_implementation().reset_user_attempts(request, {"username": email})


def pad_to_floor(started: float) -> None:
    """Sleep until SIGN_IN_MIN_SECONDS have passed since `started` (time.monotonic())."""
    remaining = settings.SIGN_IN_MIN_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _touches_account(parameter) -> bool:
    return "username" in ((parameter,) if isinstance(parameter, str) else tuple(parameter))


@receiver(user_locked_out)
def tell_the_owner(sender, request, username, ip_address, **kwargs):
    """Once per pause: audit it and email the account's owner (no child's details, no IP address).

    axes sends this signal for every refused try while paused too, so an audit row in the last
    cool-off window means the owner has been told already.
    """
    from sendhub.accounts.models import User

    tripped = getattr(request, "sendhub_tripped", None)
    if tripped is not None and not any(_touches_account(p) for p in tripped):
        return  # one IP address trying many accounts: no single owner to tell
    user = User.objects.filter(email=username or "").first()
    if user is None:
        return
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    with transaction.atomic():
        if AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT, object_type=user._meta.label,
                                     object_id=str(user.pk), at__gte=since).exists():
            return
        everywhere = account_is_locked(user.email)
        record(actor=None, action=AuditAction.LOCKED_OUT, channel=channel_of(request), obj=user,
               summary=f"Sign-in paused for {user.email} {'everywhere' if everywhere else 'from one place'} "
                       "after repeated failures", path=request.path)
        _email_the_owner(user, everywhere=everywhere)


def _email_the_owner(user, *, everywhere: bool) -> None:
    """Always emailed, whatever the person's email preference (accounts.notices)."""
    from .notices import send_security_notice

    minutes = settings.SIGN_IN_LOCKOUT_MINUTES
    where = "from anywhere" if everywhere else "from the place they were made"
    send_security_notice(
        user=user, subject="Too many attempts to sign in to your account",
        body=(f"There were too many failed attempts to sign in to your {settings.SERVICE_NAME} account, so "
              f"signing in {where} is paused for {minutes} minutes. If this was you, wait and try again. "
              "If it was not you, tell your administrator: your password may be known to someone else."))

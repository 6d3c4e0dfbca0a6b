from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

# Before the second factor a member of staff reaches only these pages: signing in and out, the
# invitation and new-authenticator flow, and password reset. Everything else sends them to two-factor.
BEFORE_TWO_FACTOR = frozenset({
    "accounts:sign-in", "accounts:two-factor", "accounts:sign-out", "accounts:signed-out",
    "accounts:invitation", "accounts:invitation-accept",
    "accounts:password-reset", "accounts:password-reset-sent", "accounts:password-reset-confirm",
    "accounts:password-reset-done",
    # A passkey is a second factor too: its sign-in ceremony (accounts.passkeys) comes before verification.
    "otp_webauthn:credential-authentication-begin", "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
})
# Files and public pages with nothing personal on them; the API authenticates every call by token alone.
OPEN_PREFIXES = ("/static/", "/api/", "/healthz", "/readyz", "/accessibility", "/privacy")


def reachable_before_two_factor(path: str) -> bool:
    if path.startswith(OPEN_PREFIXES):
        return True
    try:
        return resolve(path).view_name in BEFORE_TWO_FACTOR
    except Resolver404:
        return False


class StaffTwoFactorMiddleware:
    """Staff who see children's records must finish two-factor sign-in before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not reachable_before_two_factor(request.path_info)
        ):
            return redirect(reverse("accounts:two-factor") + f"?next={request.get_full_path()}")
        return self.get_response(request)

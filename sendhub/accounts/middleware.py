from django.shortcuts import redirect
from django.urls import reverse

OPEN_PREFIXES = ("/account/", "/static/", "/api/", "/accessibility", "/cookies", "/healthz")


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
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect(reverse("accounts:two-factor") + f"?next={request.get_full_path()}")
        return self.get_response(request)

"""Request logging and the security headers Django's own middleware does not send."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils.functional import empty

logger = logging.getLogger("sendhub.request")

# A request id from the proxy is kept (so its log and ours join up) only if it is a plain token.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestLogMiddleware:
    """Logs one line per request: id, method, path, status, duration and the user's id.

    Only `request.path` is logged, never the query string: a search for a child by name or NHS number
    travels in it (`/children/?q=…`), and logs must hold no personal details. Paths name records by id
    only. The id is returned as `X-Request-ID` so a person reporting a problem can quote it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        user = _loaded_user(request)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000),
                "user_id": user.pk if user is not None and user.is_authenticated else "-",
            },
        )
        return response


def _loaded_user(request):
    """The signed-in user if the request already looked them up: logging never costs a query (and
    /healthz, which must not touch the database, never loads a session)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    return None if wrapped is empty else wrapped


class PermissionsPolicyMiddleware:
    """Sends `Permissions-Policy` (settings.PERMISSIONS_POLICY): Django has no setting for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

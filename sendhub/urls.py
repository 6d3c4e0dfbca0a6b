from django.contrib import admin
from django.shortcuts import redirect
from django.urls import include, path

from sendhub.api.api import api

admin.site.site_header = "sendhub support"
admin.site.site_title = "sendhub support"
# One sign-in page for everyone, with two-factor and lockout; the admin does not get its own.
admin.site.login = lambda request, extra_context=None: redirect(f"/account/sign-in?next={request.GET.get('next', '/support/')}")

urlpatterns = [
    path("", include("sendhub.web.urls")),
    path("account/", include("sendhub.accounts.urls")),
    path("account/passkey-ceremony/", include("sendhub.accounts.passkey_urls")),  # JSON, for the passkey script
    path("", include("sendhub.accounts.manage_urls")),
    path("", include("sendhub.clock.urls")),
    path("", include("sendhub.assessments.urls")),
    path("", include("sendhub.letters.urls")),
    path("", include("sendhub.plans.urls")),
    path("", include("sendhub.messaging.urls")),
    path("", include("sendhub.reviews.urls")),
    path("", include("sendhub.portal.urls")),
    path("", include("sendhub.waits.urls")),
    path("local-offer/", include("sendhub.directory.urls")),
    path("", include("sendhub.dashboard.urls")),
    path("", include("sendhub.sen2.urls")),
    path("", include("sendhub.quality.urls")),
    path("support/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "sendhub.web.views.error_400"
handler403 = "sendhub.web.views.error_403"
handler404 = "sendhub.web.views.error_404"
handler500 = "sendhub.web.views.error_500"

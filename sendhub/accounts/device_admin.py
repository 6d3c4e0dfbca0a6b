"""Two-factor devices in the support admin site: never their secrets, every change audited.

django-otp's own TOTPDevice admin shows the key (and a QR code of it) to anyone who may view devices,
which would let a support administrator copy a caseworker's second factor. These replacements show
only what support needs (whose, which, confirmed, when used, throttling) and write one audit row per
change or removal, with before and after minus any secret. Devices are added by their owner only
(the two-factor and passkey pages), so the admin cannot add one.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change, snapshot


class AuditedDeviceAdmin(admin.ModelAdmin):
    audited_fields: list[str] = []
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__email", "user__full_name", "name"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = snapshot(type(obj).objects.get(pk=obj.pk), self.audited_fields) if change else {}
            super().save_model(request, obj, form, change)
            record_change(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE,
                          obj=obj, before=before, after=snapshot(obj, self.audited_fields), request=request,
                          summary=f"Changed {obj._meta.verbose_name} '{obj.name}' of {obj.user.email} in the admin site")

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record_removal(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset.select_related("user"):
                self._record_removal(request, obj)
            super().delete_queryset(request, queryset)

    def _record_removal(self, request, obj):
        record_change(actor=request.user, action=AuditAction.DELETE, obj=obj, request=request,
                      before=snapshot(obj, self.audited_fields), after={},
                      summary=f"Removed {obj._meta.verbose_name} '{obj.name}' of {obj.user.email} in the admin site")


class TOTPDeviceAdmin(AuditedDeviceAdmin):
    """No key field, no QR code view (django-otp's admin adds /config/ and /qrcode/ URLs; these do not exist)."""

    audited_fields = ["user", "name", "confirmed", "throttling_failure_count"]
    fieldsets = [
        ("Device", {"fields": ["user", "name", "confirmed"]}),
        ("Use", {"fields": ["created_at", "last_used_at", "throttling_failure_timestamp", "throttling_failure_count"]}),
    ]
    readonly_fields = ["user", "created_at", "last_used_at", "throttling_failure_timestamp"]


class PasskeyAdmin(AuditedDeviceAdmin):
    audited_fields = ["user", "name", "confirmed"]
    fieldsets = [
        ("Passkey", {"fields": ["user", "name", "confirmed"]}),
        ("Use", {"fields": ["created_at", "last_used_at"]}),
    ]
    readonly_fields = ["user", "created_at", "last_used_at"]


class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' failed sign-ins: deleting them ends a sign-in pause early, so that is audited."""

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._record(request, [obj])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._record(request, list(queryset))
            super().delete_queryset(request, queryset)

    def _record(self, request, attempts):
        for attempt in attempts:
            record_change(actor=request.user, action=AuditAction.DELETE, obj=attempt, request=request,
                          before={"email": attempt.username, "failures": attempt.failures_since_start}, after={},
                          summary=f"Cleared failed sign-ins for {attempt.username} in the admin site")


for model, model_admin in [(TOTPDevice, TOTPDeviceAdmin), (WebAuthnCredential, PasskeyAdmin),
                           (AccessAttempt, AuditedAccessAttemptAdmin)]:
    try:
        admin.site.unregister(model)
    except NotRegistered:
        pass
    admin.site.register(model, model_admin)

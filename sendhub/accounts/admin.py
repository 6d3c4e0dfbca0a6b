from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change

from . import device_admin  # noqa: F401  replaces django-otp's and django-otp-webauthn's device admins
from .models import ApiToken, User
from .services import revoke_api_token


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["teams"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "job_title", "organisation", "teams"]}),
        ("Access", {"fields": ["is_active", "is_staff"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "organisation",
                                                             "password1", "password2"]})]

    # What decides which children someone may see (ADR 2): changing any of it grants or ends access.
    ACCESS_FIELDS = ("role", "organisation_id", "is_active", "is_staff", "is_superuser")

    def save_model(self, request, obj, form, change):
        """Changes to role, employer, teams or activity in the admin site are audited as changes of access,
        and unticking "active" ends the person's sessions and tokens at once, as deactivation in the app does."""
        before = (User.objects.filter(pk=obj.pk).values(*self.ACCESS_FIELDS).first() or {}) if change else {}
        request._sendhub_teams_before = set(obj.teams.values_list("pk", flat=True)) if change else set()
        super().save_model(request, obj, form, change)
        after = {field: getattr(obj, field) for field in self.ACCESS_FIELDS}
        changed = {f: [before.get(f), after[f]] for f in self.ACCESS_FIELDS if before.get(f) != after[f]}
        ended = ""
        if change and before.get("is_active") and not obj.is_active:
            from .invitations import end_access

            sessions, tokens = end_access(obj)
            ended = f": {sessions} session(s) and {tokens} API token(s) ended"
        if changed:
            record_change(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE,
                          obj=obj, request=request, before={f: v[0] for f, v in changed.items()},
                          after={f: v[1] for f, v in changed.items()},
                          summary=f"Changed the access of {obj.email} in the admin site{ended}")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(request, "_sendhub_teams_before", set())
        after = set(form.instance.teams.values_list("pk", flat=True))
        if before != after:
            record_change(actor=request.user, action=AuditAction.UPDATE, obj=form.instance, request=request,
                          before={"teams": sorted(before)}, after={"teams": sorted(after)},
                          summary=f"Changed the teams of {form.instance.email} in the admin site")

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password in the admin site is audited: who, whose, when; never the password."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                person = User.objects.get(pk=id)
                record_change(actor=request.user, action=AuditAction.UPDATE, obj=person, request=request,
                              before={"password": "not shown"},
                              after={"password": "changed" if person.has_usable_password() else "sign-in by password turned off"},
                              summary=f"Changed the password of {person.email} in the admin site")
        return response


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by `sendhub token` only (the raw key is shown once, to the operator); here they
    can be looked at and revoked."""

    list_display = ["prefix", "user", "name", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["prefix", "user__email", "name"]
    fields = ["user", "name", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row keeps the audit trail's references meaningful

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            revoke_api_token(token=token, actor=request.user, request=request)
        self.message_user(request, f"Revoked {queryset.count()} token(s)", messages.SUCCESS)

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active", "locked_until"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["teams"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "job_title", "organisation", "teams"]}),
        ("Access", {"fields": ["is_active", "is_staff", "failed_sign_ins", "locked_until"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "role", "organisation",
                                                             "password1", "password2"]})]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]

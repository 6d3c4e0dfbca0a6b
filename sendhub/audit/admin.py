from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail cannot be edited or deleted, even by support staff."""

    list_display = ["at", "actor_label", "action", "channel", "object_type", "object_id", "summary"]
    list_filter = ["action", "channel"]
    search_fields = ["actor_label", "object_id", "summary"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

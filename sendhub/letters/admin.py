from django.contrib import admin

from .models import Letter, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Councils edit their letters here; a template with a mistake is refused when saved."""

    list_display = ["title", "key", "updated_at"]
    readonly_fields = ["key"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["title", "child", "created_at"]
    raw_id_fields = ["child", "assessment"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

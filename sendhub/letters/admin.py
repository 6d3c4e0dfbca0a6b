from django.contrib import admin

from sendhub.audit.admin import ChildRecordAdmin

from .models import Letter, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Councils edit their letters here; a template with a mistake, or reaching beyond its values, is refused.

    The model's clean() runs the sandbox's check (letters/sandbox.py), so the admin form shows each problem
    beside the body. Letters are added by sendhub (one per kind), not here.
    """

    list_display = ["title", "key", "updated_at"]
    readonly_fields = ["key", "what_you_can_use"]
    fields = ["key", "title", "body", "what_you_can_use"]

    @admin.display(description="What you can use")
    def what_you_can_use(self, obj):
        from django.utils.html import format_html, format_html_join

        from .presenters import KINDS
        from .template_library import ALLOWED_FILTERS

        kind = KINDS.get(obj.key) if obj else None
        if kind is None:
            return "-"
        names = format_html_join("", "<li><code>{{{{ {} }}}}</code>: {}</li>", kind.variables.items())
        return format_html("<ul>{}</ul><p>Tags: <code>{{% if %}}</code>, <code>{{% elif %}}</code>, "
                           "<code>{{% else %}}</code>, <code>{{% endif %}}</code>, <code>{{% comment %}}</code>. "
                           "Filters: {}.</p>", names, ", ".join(ALLOWED_FILTERS))

    def has_add_permission(self, request):
        return False


@admin.register(Letter)
class LetterAdmin(ChildRecordAdmin, admin.ModelAdmin):
    list_display = ["title", "child", "created_at"]
    raw_id_fields = ["child", "assessment", "review", "version"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

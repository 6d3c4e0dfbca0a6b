"""Support staff can correct records; every page they open about a child is audited."""

from django.contrib import admin

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record_change, record_view, snapshot

from .models import Child, FamilyMember, Involvement
from .services import AUDITED_FIELDS


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "local_authority", "setting"]
    search_fields = ["family_name", "given_name", "nhs_number", "upn"]
    list_select_related = ["local_authority", "setting"]
    raw_id_fields = ["local_authority", "setting", "account"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [FamilyMemberInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        child = self.get_object(request, object_id)
        if child is not None and request.method == "GET":
            record_view(request=request, child=child, summary="Opened in the support admin site")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = snapshot(Child.objects.get(pk=obj.pk), AUDITED_FIELDS) if change else {}
        obj.version += 1 if change else 0
        super().save_model(request, obj, form, change)
        record_change(actor=request.user, action=AuditAction.UPDATE if change else AuditAction.CREATE, obj=obj,
                      child=obj, before=before, after=snapshot(obj, AUDITED_FIELDS),
                      summary="Changed in the support admin site", request=request)


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin):
    list_display = ["child", "role", "organisation", "professional", "team", "started_on", "ended_on"]
    list_filter = ["role"]
    raw_id_fields = ["child", "professional", "team", "organisation"]

"""Support staff can correct records; every page they open about a child, and every change, is audited.

Adding, changing or removing a family member or an involvement changes who may see the child: those are
recorded as grants and ends of access (people.services.record_access_change) through ChildRecordAdmin.
"""

from django.contrib import admin

from sendhub.audit.admin import ChildRecordAdmin

from .models import Child, FamilyMember, Involvement
from .services import AUDITED_FIELDS, INVOLVEMENT_FIELDS


class FamilyMemberInline(admin.TabularInline):
    model = FamilyMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Child)
class ChildAdmin(ChildRecordAdmin, admin.ModelAdmin):
    child_path = "pk"
    # The young person's own account is a grant of access too, so it is in the before and after.
    audited_fields = [*AUDITED_FIELDS, "account"]
    list_display = ["family_name", "given_name", "date_of_birth", "local_authority", "setting"]
    search_fields = ["family_name", "given_name", "nhs_number", "upn"]
    list_select_related = ["local_authority", "setting"]
    raw_id_fields = ["local_authority", "setting", "account"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [FamilyMemberInline]

    def save_model(self, request, obj, form, change):
        obj.version += 1 if change else 0
        super().save_model(request, obj, form, change)


@admin.register(Involvement)
class InvolvementAdmin(ChildRecordAdmin, admin.ModelAdmin):
    audited_fields = INVOLVEMENT_FIELDS
    list_display = ["child", "role", "organisation", "professional", "team", "started_on", "ended_on"]
    list_filter = ["role"]
    raw_id_fields = ["child", "professional", "team", "organisation"]

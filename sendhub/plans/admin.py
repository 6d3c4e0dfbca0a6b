from django.contrib import admin

from sendhub.audit.admin import ChildRecordAdmin

from .models import EHCPlan


@admin.register(EHCPlan)
class EHCPlanAdmin(ChildRecordAdmin, admin.ModelAdmin):
    list_display = ["child", "status", "first_issued_on"]
    list_filter = ["status"]
    raw_id_fields = ["child"]

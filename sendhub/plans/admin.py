from django.contrib import admin

from .models import EHCPlan


@admin.register(EHCPlan)
class EHCPlanAdmin(admin.ModelAdmin):
    list_display = ["child", "status", "first_issued_on"]
    list_filter = ["status"]
    raw_id_fields = ["child"]

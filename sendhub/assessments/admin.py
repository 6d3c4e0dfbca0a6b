from django.contrib import admin

from sendhub.audit.admin import ChildRecordAdmin

from .models import EHCNeedsAssessment


@admin.register(EHCNeedsAssessment)
class EHCNeedsAssessmentAdmin(ChildRecordAdmin, admin.ModelAdmin):
    list_display = ["child", "request_received_on", "requested_by", "outcome"]
    list_filter = ["outcome", "requested_by"]
    raw_id_fields = ["child"]

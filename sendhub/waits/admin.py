from django.contrib import admin

from sendhub.audit.admin import ChildRecordAdmin

from .models import Referral


@admin.register(Referral)
class ReferralAdmin(ChildRecordAdmin, admin.ModelAdmin):
    list_display = ["reference", "service", "priority", "referred_on", "seen_on", "removed_on"]
    list_filter = ["priority", "service__kind"]
    search_fields = ["reference"]
    raw_id_fields = ["child", "service"]
    list_select_related = ["service"]

from django.contrib import admin

from sendhub.audit.admin import ChildRecordAdmin

from .models import AnnualReview


@admin.register(AnnualReview)
class AnnualReviewAdmin(ChildRecordAdmin, admin.ModelAdmin):
    child_path = "plan__child"
    list_display = ["plan", "previous_review_meeting", "phase_transfer_on", "phase_transfer_to", "closed_on", "outcome"]
    list_filter = ["phase_transfer_to", "outcome"]
    raw_id_fields = ["plan"]

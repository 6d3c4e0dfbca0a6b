from django.contrib import admin

from .models import AnnualReview


@admin.register(AnnualReview)
class AnnualReviewAdmin(admin.ModelAdmin):
    list_display = ["plan", "previous_review_meeting", "phase_transfer_on", "phase_transfer_to", "closed_on", "outcome"]
    list_filter = ["phase_transfer_to", "outcome"]
    raw_id_fields = ["plan"]

"""What happened on a case, as the statutory clock needs it, and the reminders it raises.

Statutory events are append-only: a mistake is corrected by recording what really happened, never
by editing history, and deadlines are always recomputed from the events.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel

from . import timescales as clock


class EventType(models.TextChoices):
    DECISION_TO_ASSESS = "decision_to_assess", "Decided to assess"
    DECISION_NOT_TO_ASSESS = "decision_not_to_assess", "Decided not to assess"
    ADVICE_REQUESTED = "advice_requested", "Advice requested"
    ADVICE_RECEIVED = "advice_received", "Advice received"
    DECISION_TO_ISSUE_PLAN = "decision_to_issue_plan", "Decided to issue a plan"
    DECISION_NOT_TO_ISSUE_PLAN = "decision_not_to_issue_plan", "Decided not to issue a plan"
    DRAFT_PLAN_SENT = "draft_plan_sent", "Draft plan issued"
    FINAL_PLAN_ISSUED = "final_plan_issued", "Final plan issued"
    REVIEW_MEETING = "review_meeting", "Review meeting held"
    REVIEW_REPORT_SENT = "review_report_sent", "Review report sent to the council"
    LA_DECISION = "la_decision", "Council's decision after the review"
    AMENDMENT_NOTICE_SENT = "amendment_notice_sent", "Proposed amendments issued"
    AMENDED_PLAN_ISSUED = "amended_plan_issued", "Amended plan issued"
    EXCEPTION = "exception", "Exception to the time limits"


ASSESSMENT_TYPES = sorted(clock.ASSESSMENT_EVENTS)
REVIEW_TYPES = sorted(clock.ANNUAL_REVIEW_EVENTS)
assert set(EventType.values) == clock.ASSESSMENT_EVENTS | clock.ANNUAL_REVIEW_EVENTS


# The council's decision after a review, as people read it (the history once showed the value, "maintain").
OUTCOME_LABELS = {"maintain": "Keep the plan as it is", "amend": "Amend the plan", "cease": "Cease the plan"}
assert set(OUTCOME_LABELS) == set(clock.LA_OUTCOMES)


class AdviceSource(models.TextChoices):
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", "Educational psychology"
    OTHER = "other", "Other"


class ExceptionReason(models.TextChoices):
    SCHOOL_CLOSURE = "school_closure", "School or college closed"
    PERSONAL = "exceptional_personal_circumstances", "Exceptional personal circumstances"
    ABSENT = "absent_from_area", "Child or family away from the area"
    MISSED_APPOINTMENT = "missed_appointment", "Appointment missed"


class StatutoryEvent(AppendOnlyModel):
    assessment = models.ForeignKey("assessments.EHCNeedsAssessment", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="events")
    review = models.ForeignKey("reviews.AnnualReview", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="events")
    type = models.CharField(max_length=30, choices=EventType.choices)
    date = models.DateField(help_text="The day it happened (for an exception, its first day)")
    source = models.CharField(max_length=30, choices=AdviceSource.choices, blank=True)
    outcome = models.CharField(max_length=10, choices=list(OUTCOME_LABELS.items()), blank=True)
    family_agreed_early = models.BooleanField(default=False)
    exception_reason = models.CharField(max_length=40, choices=ExceptionReason.choices, blank=True)
    exception_to = models.DateField(null=True, blank=True, help_text="Last day the exception covered")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(assessment__isnull=True) ^ Q(review__isnull=True),
                                   name="statutory_event_belongs_to_one_case"),
        ]
        indexes = [models.Index(fields=["assessment", "date"]), models.Index(fields=["review", "date"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.date:%-d %B %Y}"

    def as_clock_event(self) -> clock.Event | clock.ExceptionPeriod:
        if self.type == EventType.EXCEPTION:
            return clock.ExceptionPeriod(self.exception_reason, self.date, self.exception_to)
        return clock.Event(self.type, self.date, self.source or None, self.outcome or None, self.family_agreed_early)


class Reminder(models.Model):
    """A nudge before a deadline falls due; one per person, case, deadline and due date."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey("assessments.EHCNeedsAssessment", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+")
    review = models.ForeignKey("reviews.AnnualReview", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    deadline_key = models.CharField(max_length=60)
    due = models.DateField()
    message = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "assessment", "deadline_key", "due"],
                                    condition=Q(review__isnull=True), name="one_assessment_reminder_per_deadline"),
            models.UniqueConstraint(fields=["recipient", "review", "deadline_key", "due"],
                                    condition=Q(assessment__isnull=True), name="one_review_reminder_per_deadline"),
            models.CheckConstraint(condition=Q(assessment__isnull=True) ^ Q(review__isnull=True),
                                   name="reminder_belongs_to_one_case"),
        ]

    def __str__(self) -> str:
        return f"Reminder to {self.recipient}: {self.deadline_key} due {self.due}"


class OpenCase(models.Model):
    """Derived projection of one open case's deadlines, so the queues can filter, sort and page in SQL (ADR 15).

    Never the truth: `clock.projection` writes it from the statutory clock in the same transaction as every
    change to the case's events, `sendhub rebuild_deadlines` rebuilds it from the events, and the daily job
    compares it with a fresh computation and repairs it. Nothing that moves with today is stored: whether a
    deadline is overdue, and how long since the last review, are worked out in SQL against today's date.
    Review facts are day numbers (`date.toordinal()`) so the priority score is whole-number arithmetic in SQL.
    """

    id = models.CharField(max_length=20, primary_key=True, help_text="The clock's case id: A-<pk> or R-<pk>")
    kind = models.CharField(max_length=20)  # "assessment" or "review", as in the clock
    assessment = models.OneToOneField("assessments.EHCNeedsAssessment", null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="projection")
    review = models.OneToOneField("reviews.AnnualReview", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="projection")
    child = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(max_length=30)
    next_due = models.DateField(null=True, help_text="The earliest open deadline; empty when none is open")
    next_key = models.CharField(max_length=60, blank=True)
    overdue_after = models.DateField(null=True, help_text="The earliest open deadline that can become overdue: "
                                                          "the case is overdue once today is after it")
    # What the review priority score needs (reviews only), as day numbers.
    last_reviewed_day = models.IntegerField(null=True)
    meeting_due_day = models.IntegerField(null=True)  # the open meeting deadline (12 months, or 6 for an under-five)
    meeting_sort_day = models.IntegerField(null=True)  # that, or when none is open the meeting deadline met
    phase_transfer_day = models.IntegerField(null=True)  # while the phase-transfer review is not finished
    oldest_open_day = models.IntegerField(null=True)  # earliest open deadline other than the early-years review

    class Meta:
        indexes = [models.Index(fields=["next_due"])]

    def __str__(self) -> str:
        return f"{self.id}: next due {self.next_due}"


class CaseDeadline(models.Model):
    """One open deadline of an open case (derived, see `OpenCase`): key, due date and the regulation."""

    case = models.ForeignKey(OpenCase, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=60)
    due = models.DateField()
    can_be_overdue = models.BooleanField(default=True)  # false for `final_not_before`, which runs the other way
    rule = models.CharField(max_length=200)

    class Meta:
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["due"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.key} due {self.due}"

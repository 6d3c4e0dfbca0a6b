"""Annual reviews of EHC plans: one row per review round, its events kept by the statutory clock."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sendhub.core.append_only import AppendOnlyModel


class PhaseTo(models.TextChoices):
    SCHOOL = "school", "Early years to school"
    JUNIOR = "junior", "Infant to junior school"
    MIDDLE = "middle", "To middle school"
    SECONDARY = "secondary", "Primary to secondary school"
    POST16 = "post16", "Secondary school to a post-16 institution"
    OTHER = "other", "Other transfer"


class ReviewOutcome(models.TextChoices):
    MAINTAIN = "maintain", "Plan kept as it is"
    AMEND = "amend", "Plan amended"
    CEASE = "cease", "Plan ceased"


class AnnualReview(models.Model):
    """One round of review of a plan: from the last review (or the plan's issue) to the decision."""

    plan = models.ForeignKey("plans.EHCPlan", on_delete=models.PROTECT, related_name="reviews")
    previous_review_meeting = models.DateField(
        null=True, blank=True, help_text="The meeting of the round before; empty for a plan's first review"
    )
    phase_transfer_on = models.DateField(null=True, blank=True, help_text="Date of the move between phases")
    phase_transfer_to = models.CharField(max_length=10, choices=PhaseTo.choices, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)
    meeting_on = models.DateField(null=True, blank=True, help_text="The date the school has set for the meeting")
    version = models.PositiveIntegerField(default=0, help_text="Raised on every change to the schedule")

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(closed_on__isnull=True), name="one_open_review_per_plan",
                                    violation_error_message="This plan already has a review in progress."),
            models.CheckConstraint(
                condition=(Q(phase_transfer_on__isnull=True) & Q(phase_transfer_to=""))
                | (Q(phase_transfer_on__isnull=False) & ~Q(phase_transfer_to="")),
                name="phase_transfer_complete",
                violation_error_message="A phase transfer needs both its date and where the child is moving to.",
            ),
        ]

    def __str__(self) -> str:
        return f"Annual review of {self.plan.child}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ReviewStep(models.TextChoices):
    """What the school must do next in a review round, in the order it happens."""

    SCHEDULE = "schedule", "Set the meeting date"
    INVITE = "invite", "Send the invitations"
    GATHER = "gather", "Gather advice and views, then hold the meeting"
    REPORT = "report", "Write and send the review report"
    WITH_COUNCIL = "with_council", "With the council for its decision"


class ReviewInvitation(models.Model):
    """One person invited to a review meeting (reg 20(2)), and their answer."""

    review = models.ForeignKey(AnnualReview, on_delete=models.PROTECT, related_name="invitations")
    recipient = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="review_invitations")
    why = models.CharField(max_length=200)
    meeting_on = models.DateField(help_text="The meeting date the invitation gave")
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    attending = models.CharField(max_length=10, blank=True, choices=[("yes", "Coming"), ("no", "Not coming")])
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recipient__full_name"]
        constraints = [models.UniqueConstraint(fields=["review", "recipient", "meeting_on"],
                                               name="one_invitation_per_person_per_meeting")]


class ContributionKind(models.TextChoices):
    CHILD_VIEWS = "child_views", "The child's or young person's views"
    FAMILY_VIEWS = "family_views", "The family's views"
    ADVICE = "advice", "Advice and information from a professional"


class ReviewContribution(AppendOnlyModel):
    """Views and advice gathered for the review meeting (reg 20(3)): kept as given."""

    review = models.ForeignKey(AnnualReview, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    text = models.TextField()
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Progress(models.TextChoices):
    ACHIEVED = "achieved", "Achieved"
    ON_TRACK = "on_track", "On track"
    SOME = "some", "Some progress"
    NOT_ON_TRACK = "not_on_track", "Not on track"


class ReviewReport(models.Model):
    """The school's report of the review meeting (reg 20(7)-(9)), edited until sent, then kept as sent."""

    review = models.OneToOneField(AnnualReview, on_delete=models.PROTECT, related_name="report")
    attendees = models.TextField(blank=True, help_text="Who came to the meeting")
    child_views = models.TextField(blank=True)
    family_views = models.TextField(blank=True)
    outcomes = models.JSONField(default=list, help_text="[{outcome, progress, notes}] against each plan outcome")
    recommended_changes = models.TextField(blank=True, help_text="Changes professionals recommend to the plan")
    recommendation = models.CharField(max_length=10, choices=ReviewOutcome.choices, blank=True)
    pfa_employment = models.TextField("Employment", blank=True)
    pfa_independent_living = models.TextField("Independent living", blank=True)
    pfa_community = models.TextField("Friends, relationships and community", blank=True)
    pfa_health = models.TextField("Good health in adult life", blank=True)
    adult_care_likely = models.BooleanField(
        null=True, help_text="From 14: is the young person likely to need adult care and support (Care Act 2014 s58)?")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True)
    sent_on = models.DateField(null=True, blank=True)

    PFA_FIELDS = ["pfa_employment", "pfa_independent_living", "pfa_community", "pfa_health"]


class RequestStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    AGREED = "agreed", "Agreed"
    REFUSED = "refused", "Not agreed"


class EarlyReviewRequest(models.Model):
    """A family's or young person's request to review the plan before it is due (CoP 9.176)."""

    plan = models.ForeignKey("plans.EHCPlan", on_delete=models.PROTECT, related_name="early_review_requests")
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    review_by = models.DateField(null=True, blank=True, help_text="When agreed: the meeting will be held by this date")
    answer = models.TextField(blank=True)
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan"], condition=Q(status="open"),
                                               name="one_open_early_review_request_per_plan",
                                               violation_error_message="There is already a request waiting for an answer.")]


class PlacementConcern(models.Model):
    """A school's or caseworker's warning that the child's placement is at risk, until resolved."""

    plan = models.ForeignKey("plans.EHCPlan", on_delete=models.PROTECT, related_name="placement_concerns")
    note = models.TextField()
    raised_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]


class PriorityWeights(models.Model):
    """A council's own weights for the review priority score (reviews.priority.Weights)."""

    local_authority = models.OneToOneField("organisations.Organisation", on_delete=models.PROTECT,
                                           related_name="review_weights")
    values = models.JSONField(help_text="Weight name: whole number")
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)


class TransitionStatus(models.TextChoices):
    REFERRED = "referred", "Referred to the adult team"
    ACKNOWLEDGED = "acknowledged", "Adult team has accepted the referral"
    ASSESSING = "assessing", "Care Act assessment under way"
    ELIGIBLE = "eligible", "Assessed: eligible for adult care and support"
    NOT_ELIGIBLE = "not_eligible", "Assessed: not eligible"
    CLOSED = "closed", "Closed"


class TransitionReferral(models.Model):
    """A Care Act transition referral (Care Act 2014 s58-59) to the adult specialist pathway team."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="transition_referrals")
    review = models.ForeignKey(AnnualReview, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisations.Team", on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()
    referred_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=TransitionStatus.choices, default=TransitionStatus.REFERRED)

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["child"], condition=~Q(status="closed"),
                                               name="one_open_transition_referral_per_child",
                                               violation_error_message="This young person already has a transition referral in progress.")]


class TransitionUpdate(AppendOnlyModel):
    """Each step of a transition referral, as it happened."""

    referral = models.ForeignKey(TransitionReferral, on_delete=models.PROTECT, related_name="updates")
    status = models.CharField(max_length=20, choices=TransitionStatus.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]

from django import forms

from sendhub.sen2.spec import CEASE_REASONS
from sendhub.web.forms import GovukDateField, GovukFormMixin

from . import priority
from .models import ContributionKind, Progress, ReviewOutcome, TransitionStatus


class MeetingForm(GovukFormMixin, forms.Form):
    meeting_on = GovukDateField(label="Date of the review meeting", subject="The meeting date", required=False,
                                help_text="Invitations must go at least 2 weeks before. For example, 27 3 2027")
    version = forms.IntegerField(widget=forms.HiddenInput)


class HeldForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(label="Date the meeting was held", subject="The date", required=False)


class ContributionForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What are you sending?", widget=forms.RadioSelect,
                             error_messages={"required": "Select what you are sending"})
    text = forms.CharField(label="Your views or advice", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ContributionKind.choices)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]


class InvitationResponseForm(GovukFormMixin, forms.Form):
    attending = forms.ChoiceField(label="Can you come to the meeting?", widget=forms.RadioSelect,
                                  choices=[("yes", "Yes, I can come"), ("no", "No, I cannot come")],
                                  error_messages={"required": "Select whether you can come"})


class ReportForm(GovukFormMixin, forms.Form):
    """The review report. Outcome rows are added per outcome of the plan by `__init__`."""

    attendees = forms.CharField(label="Who came to the meeting", required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    child_views = forms.CharField(label="The child's or young person's views", required=False,
                                  widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="In their own words where you can: what is going well, what is hard, "
                                            "what they would like to change.")
    family_views = forms.CharField(label="The family's views", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    recommended_changes = forms.CharField(
        label="Changes professionals recommend to the plan", required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say which section each change is for, for example \u201cSection F: add weekly speech therapy\u201d.")
    recommendation = forms.ChoiceField(label="What the meeting recommends to the council", required=False,
                                       widget=forms.RadioSelect,
                                       choices=[(ReviewOutcome.MAINTAIN, "Keep the plan as it is"),
                                                (ReviewOutcome.AMEND, "Amend the plan"),
                                                (ReviewOutcome.CEASE, "Cease the plan: it is no longer needed")])
    pfa_employment = forms.CharField(label="Employment and further education", required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    pfa_independent_living = forms.CharField(label="Independent living", required=False,
                                             widget=forms.Textarea(attrs={"rows": 3}))
    pfa_community = forms.CharField(label="Friends, relationships and community", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    pfa_health = forms.CharField(label="Good health in adult life", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    adult_care_likely = forms.ChoiceField(
        label="Is the young person likely to need care and support as an adult?", required=False,
        widget=forms.RadioSelect, choices=[("yes", "Yes"), ("no", "No")],
        help_text="If yes, the council refers them to the adult specialist pathway team for a Care Act "
                  "transition assessment.")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, outcomes: list[str], pfa: bool, adult_care: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = outcomes
        for n, outcome in enumerate(outcomes):
            self.fields[f"progress_{n}"] = forms.ChoiceField(label=outcome, required=False, widget=forms.RadioSelect,
                                                             choices=Progress.choices)
            self.fields[f"notes_{n}"] = forms.CharField(label=f"What shows this (outcome {n + 1})", required=False,
                                                        widget=forms.Textarea(attrs={"rows": 2}))
        if not pfa:
            for name in ("pfa_employment", "pfa_independent_living", "pfa_community", "pfa_health"):
                del self.fields[name]
        if not adult_care:
            del self.fields["adult_care_likely"]
        self.style_fields()

    def outcome_rows(self):
        return [(self[f"progress_{n}"], self[f"notes_{n}"]) for n in range(len(self.outcomes))]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["outcomes"] = [{"outcome": outcome, "progress": data.pop(f"progress_{n}", ""),
                             "notes": data.pop(f"notes_{n}", "")} for n, outcome in enumerate(self.outcomes)]
        likely = data.get("adult_care_likely")
        data["adult_care_likely"] = {"yes": True, "no": False}.get(likely)
        return data

    @staticmethod
    def initial_from(report) -> dict:
        initial = {name: getattr(report, name) for name in (
            "attendees", "child_views", "family_views", "recommended_changes", "recommendation", "pfa_employment",
            "pfa_independent_living", "pfa_community", "pfa_health")}
        initial["version"] = report.version
        initial["adult_care_likely"] = {True: "yes", False: "no"}.get(report.adult_care_likely, "")
        for n, row in enumerate(report.outcomes):
            initial[f"progress_{n}"] = row.get("progress", "")
            initial[f"notes_{n}"] = row.get("notes", "")
        return initial


class DecisionForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="The council's decision", widget=forms.RadioSelect,
                                choices=[(ReviewOutcome.MAINTAIN, "Keep the plan as it is"),
                                         (ReviewOutcome.AMEND, "Amend the plan"),
                                         (ReviewOutcome.CEASE, "Cease the plan")],
                                error_messages={"required": "Select the decision"})
    reasons = forms.CharField(label="Reasons, as the family will read them in the letter", required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))
    decided_on = GovukDateField(label="Date of the decision", subject="The date of the decision", required=False)
    cease_reason = forms.ChoiceField(label="If the plan is ceasing: why", required=False,
                                     choices=[("", "Select a reason")] + list(CEASE_REASONS.items()),
                                     help_text="The reason the council reports in its SEN2 return")


class EarlyReviewForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why would you like an early review?", required=False,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             help_text="For example, needs have changed, the support in the plan is not happening, "
                                       "or the plan has not been reviewed properly for a long time.")


class AnswerForm(GovukFormMixin, forms.Form):
    agree = forms.ChoiceField(label="Does the council agree to an early review?", widget=forms.RadioSelect,
                              choices=[("yes", "Yes"), ("no", "No")],
                              error_messages={"required": "Select whether the council agrees to an early review"})
    review_by = GovukDateField(label="If yes, the meeting will be held by", subject="The date", required=False)
    answer = forms.CharField(label="Your answer to the family", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ConcernForm(GovukFormMixin, forms.Form):
    note = forms.CharField(label="Why is the placement at risk?", required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(GovukFormMixin, forms.Form):
    resolution = forms.CharField(label="How was the risk resolved?", required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class TransitionForm(GovukFormMixin, forms.Form):
    team = forms.ModelChoiceField(label="Adult team", queryset=None, required=False, empty_label="Select a team")
    referred_on = GovukDateField(label="Date of the referral", subject="The date of the referral", required=False)
    note = forms.CharField(label="What the team needs to know", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class TransitionUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="What has happened", widget=forms.RadioSelect,
                               choices=[c for c in TransitionStatus.choices if c[0] != TransitionStatus.REFERRED],
                               error_messages={"required": "Select what has happened"})
    on = GovukDateField(label="Date", subject="The date", required=False)
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WeightsForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in priority.WEIGHT_NAMES:
            self.fields[name] = forms.IntegerField(
                label=name.replace("_", " ").capitalize(), min_value=0, max_value=10000,
                help_text=priority.EXPLANATIONS[name],
                error_messages={"required": "Enter a whole number", "invalid": "Enter a whole number",
                                "min_value": "Enter 0 or more", "max_value": "Enter 10,000 or less"},
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}))
        self.style_fields()

    def weight_fields(self):
        return [self[name] for name in priority.WEIGHT_NAMES]


class BulkScheduleForm(GovukFormMixin, forms.Form):
    """A term's meetings at once: one date per review; a row left empty is not scheduled."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"meeting_{row.review.pk}"] = GovukDateField(
                label=f"Meeting date for {row.child.full_name}", subject="The meeting date", required=False,
                help_text=f"Meeting due by {row.meeting_due.deadline.due:%-d %B %Y}" if row.meeting_due else "")

    def row_fields(self):
        return [(row, self[f"meeting_{row.review.pk}"]) for row in self.rows]

    def dates(self) -> dict[int, object]:
        return {row.review.pk: self.cleaned_data[f"meeting_{row.review.pk}"] for row in self.rows
                if self.cleaned_data.get(f"meeting_{row.review.pk}")}

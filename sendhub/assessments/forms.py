from django import forms

from sendhub.core.uploads import ACCEPT, limits_in_words
from sendhub.web.forms import GovukDateField, GovukFormMixin, MultipleFileField

from .models import Requester


class RequestForm(GovukFormMixin, forms.Form):
    requested_by = forms.ChoiceField(label="Who is asking", choices=[("", "Select")] + list(Requester.choices),
                                     required=False)
    needs = forms.CharField(
        label="What are the child's needs?", required=False,
        help_text="What they find hard at home, in their setting or with friends, and anything already diagnosed",
        widget=forms.Textarea(attrs={"rows": 6}))
    support_so_far = forms.CharField(
        label="What support has been given so far, and what difference has it made?", required=False,
        widget=forms.Textarea(attrs={"rows": 6}))
    views = forms.CharField(label="What do the child and family think and hope for? (optional)", required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(
        label="Upload documents", help_text="Reports, SEN support plans or letters. PDF, Word (DOCX), ODT, JPG or PNG, "
                                            "each smaller than 10MB.")
    told_family = forms.BooleanField(label="I have told the child's parents or carers about this request",
                                     required=False)

    def __init__(self, *args, requester_chooses: bool, family_must_be_told: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = ACCEPT
        self.fields["evidence"].help_text += f" {limits_in_words()}."
        if not requester_chooses:
            del self.fields["requested_by"]
        if not family_must_be_told:
            del self.fields["told_family"]


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 error_messages={"required": "Select the decision"})
    reasons = forms.CharField(label="Reasons", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text="Needed for a refusal: the family reads them in the decision letter, "
                                        "so write them in plain English")
    decided_on = GovukDateField(label="Date of the decision", subject="The date of the decision", required=False)

    LABELS = {
        "decision_to_assess": "Assess: carry out an EHC needs assessment",
        "decision_not_to_assess": "Do not assess (a letter with the reasons and the family's rights is written)",
        "decision_to_issue_plan": "Issue an EHC plan: a draft plan follows",
        "decision_not_to_issue_plan": "Do not issue a plan (a letter with the reasons and the family's rights is written)",
    }

    def __init__(self, *args, choices: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(c, self.LABELS[c]) for c in choices]


class AdviceRequestForm(GovukFormMixin, forms.Form):
    source = forms.ChoiceField(label="Kind of advice", error_messages={"required": "Select the kind of advice"},
                               choices=[("", "Select"), ("education", "Education"),
                                        ("health", "Health (through the designated clinical officer)"),
                                        ("social_care", "Social care"),
                                        ("educational_psychology", "Educational psychology"), ("other", "Other")])
    asked_of = forms.ModelChoiceField(label="Person to ask", queryset=None, required=False,
                                      empty_label="Select a person, or a team below")
    asked_of_team = forms.ModelChoiceField(label="Or a team", queryset=None, required=False,
                                           empty_label="No team")
    message = forms.CharField(label="What are you asking for?", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="For example: advice on speech, language and communication needs, with outcomes "
                                        "and provision")
    requested_on = GovukDateField(label="Date asked", subject="The date asked", required=False)

    def __init__(self, *args, people, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_of"].queryset = people
        self.fields["asked_of"].label_from_instance = lambda u: f"{u.full_name}, {u.job_title or u.get_role_display()} ({u.organisation})"
        self.fields["asked_of_team"].queryset = teams


class GiveAdviceForm(GovukFormMixin, forms.Form):
    needs = forms.CharField(label="The child's needs", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="What you found: strengths and difficulties")
    outcomes = forms.CharField(label="Outcomes you recommend (optional)", required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    provision = forms.CharField(label="Provision the child needs", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="What support, how often, and who should give it")
    attachments = MultipleFileField(label="Upload reports (optional)",
                                    help_text="PDF, Word (DOCX), ODT, JPG or PNG, each smaller than 10MB.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text += f" {limits_in_words()}."

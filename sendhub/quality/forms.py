from django import forms

from sendhub.plans.models import SECTIONS
from sendhub.web.forms import GovukFormMixin

from . import checklist, grading

GRADE_OPTIONS = [("", "Not graded yet")] + [(key, label) for key, label, _ in grading.GRADES]


class AuditForm(GovukFormMixin, forms.Form):
    """A grade and a comment for each section, and what the caseworker should change."""

    to_change = forms.CharField(label="What the caseworker should change", required=False,
                                help_text="Plain words the caseworker can act on. Shown to them with the grades.",
                                widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, guidance: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for code, title, _ in SECTIONS:
            self.fields[f"grade_{code}"] = forms.ChoiceField(label=f"Grade for section {code}", choices=GRADE_OPTIONS,
                                                             required=False, help_text=guidance.get(code, ""))
            self.fields[f"comment_{code}"] = forms.CharField(
                label=f"Comments on section {code}", required=False, widget=forms.Textarea(attrs={"rows": 3}))
        self.style_fields()

    def sections(self):
        return [(code, title, self[f"grade_{code}"], self[f"comment_{code}"]) for code, title, _ in SECTIONS]


class ModeratorForm(GovukFormMixin, forms.Form):
    moderator = forms.ModelChoiceField(label="Who should moderate this audit?", queryset=None,
                                       empty_label="Select a person",
                                       help_text="A second auditor, for example the designated clinical officer for "
                                                 "health or a social care manager",
                                       error_messages={"required": "Select who should moderate the audit"})

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["moderator"].queryset = people
        self.fields["moderator"].label_from_instance = lambda u: f"{u.full_name}, {u.job_title or u.get_role_display()}"


class ModerationForm(GovukFormMixin, forms.Form):
    agrees = forms.TypedChoiceField(label="Do you agree with the auditor's grade?", widget=forms.RadioSelect,
                                    choices=[("yes", "Yes"), ("no", "No")], coerce=lambda v: v == "yes",
                                    error_messages={"required": "Say whether you agree with the auditor's grade"})
    grade = forms.ChoiceField(label="If not, the grade you would give", choices=GRADE_OPTIONS, required=False)
    comment = forms.CharField(label="Your comments", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                              help_text="What you agree or disagree with, section by section where it matters")


class FamilyViewForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="What do you think of the plan?", required=False,
                           help_text="What works, what is missing, and what is unclear",
                           widget=forms.Textarea(attrs={"rows": 6}))


class SettingsForm(GovukFormMixin, forms.Form):
    disabled_rules = forms.MultipleChoiceField(
        label="Checks switched off", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(rule.key, rule.title) for rule in checklist.RULES],
        help_text="A check switched off is not run on drafts or on newly issued plans, and does not count in the "
                  "figures")
    watch_words = forms.CharField(
        label="Your own words to watch for in provision (section F)", required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line, for example “input” or “support as needed”. Added to the words every council watches "
                  "for: " + ", ".join(f"“{w}”" for w in checklist.VAGUE) + ", and “regular” without a frequency.")
    sample_size = forms.IntegerField(label="Plans to audit each month", min_value=1, max_value=200,
                                     error_messages={"required": "Enter the number of plans to audit each month",
                                                     "min_value": "The sample size must be between 1 and 200 plans a month",
                                                     "max_value": "The sample size must be between 1 and 200 plans a month",
                                                     "invalid": "Enter the sample size as a whole number"},
                                     widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}))
    random_share = forms.IntegerField(label="Share of the sample picked at random (per cent)", min_value=0,
                                      max_value=100, widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                                      help_text="The rest is picked by risk",
                                      error_messages={"required": "Enter the share picked at random",
                                                      "min_value": "The share must be between 0 and 100 per cent",
                                                      "max_value": "The share must be between 0 and 100 per cent",
                                                      "invalid": "Enter the share as a whole number"})
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, title, _ in SECTIONS:
            self.fields[f"weight_{code}"] = forms.IntegerField(
                label=f"Weight of section {code}", min_value=0, max_value=10,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
                error_messages={"required": f"Enter the weight of section {code}",
                                "min_value": f"The weight of section {code} must be from 0 to 10",
                                "max_value": f"The weight of section {code} must be from 0 to 10",
                                "invalid": f"Enter the weight of section {code} as a whole number"})
            self.fields[f"guidance_{code}"] = forms.CharField(
                label=f"What auditors look for in section {code}", required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.style_fields()

    def rubric_rows(self):
        return [(code, title, self[f"weight_{code}"], self[f"guidance_{code}"]) for code, title, _ in SECTIONS]

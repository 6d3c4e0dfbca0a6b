from django import forms

from sendhub.web.forms import GovukDateField, GovukFormMixin


class SectionForm(GovukFormMixin, forms.Form):
    text = forms.CharField(label="Section text", required=False, widget=forms.Textarea(attrs={"rows": 14}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class IssueForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What to issue", widget=forms.RadioSelect,
                             error_messages={"required": "Select what to issue"})
    issued_on = GovukDateField(label="Date issued", subject="The date issued", required=False)
    family_agreed_early = forms.BooleanField(
        label="The family have agreed to the plan being issued before their 15 days end", required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class CommentForm(GovukFormMixin, forms.Form):
    section = forms.ChoiceField(label="Which part of the plan is your comment about?", required=False)
    text = forms.CharField(label="Your comment", required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "The whole plan")] + [(c, f"Section {c}: {t}") for c, t, _ in sections]


class SchoolForm(GovukFormMixin, forms.Form):
    school = forms.ModelChoiceField(label="School or college", queryset=None, required=False,
                                    empty_label="Not in the list")
    school_name = forms.CharField(label="If it is not in the list, its name", required=False, max_length=200)
    reason = forms.CharField(label="Why you would like this school or college (optional)", required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools

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
    named_setting = forms.ModelChoiceField(
        label="School, college or setting named in section I", queryset=None, required=False,
        empty_label="None named (for example, not yet decided)",
        help_text="A final or amended plan is sent to it, and its SENCO finds it under \"Plans sent to you\"")
    confirmed_unreachable = forms.BooleanField(
        label="I know the people listed as having no way to reach them will not receive it, and I am issuing it now",
        required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], schools=None, names_setting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if names_setting:
            self.fields["named_setting"].queryset = schools
        else:
            del self.fields["named_setting"]
        self.style_fields()


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

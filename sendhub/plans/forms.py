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
        label="The family have agreed to the final plan being issued before their 15 days end", required=False)

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds

from django import forms

from sendhub.core.uploads import ACCEPT
from sendhub.web.forms import GovukFormMixin, MultipleFileField

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
                                            "each smaller than 10MB. You can choose several files.")
    told_family = forms.BooleanField(label="I have told the child's parents or carers about this request",
                                     required=False)

    def __init__(self, *args, requester_chooses: bool, family_must_be_told: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].widget.attrs["accept"] = ACCEPT
        if not requester_chooses:
            del self.fields["requested_by"]
        if not family_must_be_told:
            del self.fields["told_family"]

    def clean(self):
        data = super().clean()
        if "told_family" in self.fields and not data.get("told_family"):
            self.add_error("told_family", "Confirm that you have told the child's parents or carers")
        return data

from django import forms

from sendhub.people.models import AccessibleFormat
from sendhub.web.forms import GovukDateField, GovukFormMixin


class RoutesForm(GovukFormMixin, forms.Form):
    """How a parent or carer, or the young person, receives statutory letters and plans."""

    by_portal = forms.BooleanField(label="In their account on this service", required=False)
    by_email = forms.BooleanField(label="By email", required=False)
    by_post = forms.BooleanField(label="By post", required=False)
    email = forms.EmailField(label="Email address", required=False,
                             error_messages={"invalid": "Enter an email address in the correct format, like "
                                                        "name@example.com"})
    address = forms.CharField(label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="Each line on its own line, without the postcode")
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    accessible_format = forms.ChoiceField(label="Format they need letters and plans in", required=False,
                                          choices=AccessibleFormat.choices, widget=forms.RadioSelect)
    accessible_format_detail = forms.CharField(label="Details of the format (optional, or which other format)",
                                               required=False, max_length=200)
    language = forms.CharField(label="Language, if they need an interpreter or translated letters (optional)",
                               required=False, max_length=100)


class PostedForm(GovukFormMixin, forms.Form):
    posted_on = GovukDateField(label="Date posted", subject="The date posted")
    deliveries = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, tray, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deliveries"].queryset = tray

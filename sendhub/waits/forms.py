from decimal import Decimal

from django import forms

from sendhub.core.identifiers import IdentifierError, normalise_nhs_number
from sendhub.web.forms import GovukDateField, GovukFormMixin

from .models import Priority

PRIORITY_CHOICES = [(Priority.URGENT, "Urgent"), (Priority.ROUTINE, "Routine")]


class _Versioned(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TriageForm(_Versioned):
    priority = forms.ChoiceField(label="Priority", choices=PRIORITY_CHOICES, widget=forms.RadioSelect,
                                 error_messages={"required": "Select urgent or routine"})
    note = forms.CharField(label="Clinical note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Why this priority. The family does not see this note.")
    on = GovukDateField(label="Date of the triage", subject="The date of the triage", required=False)


class DateForm(_Versioned):
    on = GovukDateField(label="Date", subject="The date", required=False)

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.fields["on"].subject = label


class DischargeForm(DateForm):
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RemoveForm(DateForm):
    reason = forms.CharField(label="Reason for removal", required=False, max_length=200,
                             help_text="For example: moved out of the area, no longer needed, did not attend twice")


class TransferForm(DateForm):
    to_service = forms.ModelChoiceField(label="Move to", queryset=None, required=False, empty_label="Select a pathway")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_service"].queryset = services


class NewReferralForm(GovukFormMixin, forms.Form):
    nhs_number = forms.CharField(label="Child's NHS number", max_length=20, required=False,
                                 help_text="10 digits, like 943 476 5919", widget=forms.TextInput(
                                     attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}))
    date_of_birth = GovukDateField(label="Child's date of birth", subject="The child's date of birth", required=False,
                                   help_text="For example, 27 3 2016. It must match the NHS number.")
    reference = forms.CharField(label="Referral reference", max_length=40, required=False,
                                help_text="Your service's own reference for this referral")
    priority = forms.ChoiceField(label="Priority", choices=PRIORITY_CHOICES, widget=forms.RadioSelect,
                                 initial=Priority.ROUTINE, error_messages={"required": "Select urgent or routine"})
    referred_on = GovukDateField(label="Clock start", subject="The clock start", required=False,
                                 help_text="The date the referral was made: the wait is counted from here")
    received_on = GovukDateField(label="Date received (optional)", subject="The date received", required=False)

    def clean_nhs_number(self):
        try:
            return normalise_nhs_number(self.cleaned_data["nhs_number"])
        except IdentifierError as error:
            raise forms.ValidationError(str(error)) from error


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="Upload a CSV file", required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".csv,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            raise forms.ValidationError("Select a CSV file")
        return upload


class WhatIfForm(GovukFormMixin, forms.Form):
    """Either extra clinicians (when the list's clinicians are recorded) or a change in capacity, in per cent."""

    extra_clinicians = forms.DecimalField(
        label="Extra clinicians (whole-time equivalent)", required=False, max_digits=5, decimal_places=1,
        help_text="For example 2 for two more therapists, or -1 for one fewer",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={"invalid": "Enter the number of clinicians as a number, like 2 or 1.5"})
    percent = forms.DecimalField(
        label="Or a change in capacity, in per cent", required=False, max_digits=5, decimal_places=1,
        help_text="For example 20 for a fifth more clinic time, or -15 for a shortage",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        error_messages={"invalid": "Enter the change as a number, like 20 or -15"})

    def __init__(self, *args, clinicians: Decimal | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinicians = clinicians
        if not clinicians:
            del self.fields["extra_clinicians"]
            self.fields["percent"].label = "Change in capacity, in per cent"

    def clean(self):
        data = super().clean()
        extra, percent = data.get("extra_clinicians"), data.get("percent")
        if self.errors:
            return data
        if extra is not None and percent is not None:
            raise forms.ValidationError("Enter extra clinicians or a change in per cent, not both")
        if extra is None and percent is None:
            target = "extra_clinicians" if "extra_clinicians" in self.fields else "percent"
            self.add_error(target, "Enter the extra clinicians or the change in capacity")
            return data
        if extra is not None:
            if extra == 0:
                self.add_error("extra_clinicians", "Enter a number of clinicians other than 0")
            elif self.clinicians + extra <= 0:
                self.add_error("extra_clinicians", f"The list has {self.clinicians} clinicians: it cannot lose "
                                                   f"{-extra}")
            elif (self.clinicians + extra) / self.clinicians > 4:
                self.add_error("extra_clinicians", "Enter at most four times the clinicians the list has now")
        if percent is not None and (percent == 0 or not Decimal(-75) <= percent <= Decimal(300)):
            self.add_error("percent", "Enter a change between -75 and 300 per cent, other than 0")
        return data


class ServiceForm(_Versioned):
    """A waiting list's details: what families read and what the forecasts use."""

    kind = forms.ChoiceField(label="Kind of service", error_messages={"required": "Select the kind of service"})
    name = forms.CharField(label="Name of the waiting list", max_length=200, required=False,
                           help_text="A service, or one pathway of it, for example \u201cAutism assessment\u201d")
    pathway = forms.CharField(label="Pathway (optional)", max_length=200, required=False,
                              help_text="When a service runs several lists, for example Autism or ADHD")
    standard_weeks = forms.IntegerField(label="National standard, in weeks (optional)", required=False,
                                        min_value=1, max_value=520,
                                        error_messages={"invalid": "Enter the standard as a whole number of weeks",
                                                        "min_value": "The standard must be at least 1 week",
                                                        "max_value": "The standard must be 520 weeks or less"},
                                        widget=forms.TextInput(attrs={"class": "govuk-input--width-4",
                                                                      "inputmode": "numeric", "spellcheck": "false"}))
    standard = forms.CharField(label="The standard in words (optional)", max_length=300, required=False,
                               help_text="For example, \u201c18 weeks from referral to treatment\u201d")
    while_waiting = forms.CharField(label="What you offer families while they wait", required=False,
                                    widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text="Shown to every family on this list, with links they can use now")
    if_worse = forms.CharField(label="Who to contact if things get worse while waiting", required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    clinicians = forms.DecimalField(label="Clinicians seeing people from this list (whole-time equivalent, optional)",
                                    required=False, max_digits=6, decimal_places=1,
                                    error_messages={"invalid": "Enter a number, like 3.5"},
                                    widget=forms.TextInput(attrs={"class": "govuk-input--width-4",
                                                                  "inputmode": "decimal", "spellcheck": "false"}))

    def __init__(self, *args, **kwargs):
        from sendhub.organisations.models import HealthServiceKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Select")] + list(HealthServiceKind.choices)

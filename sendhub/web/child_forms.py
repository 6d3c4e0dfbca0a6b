from django import forms
from django.db.models import Q

from sendhub.organisations.models import Organisation, OrganisationKind
from sendhub.people.models import Need
from sendhub.people.services import ChildDetails
from sendhub.sen2.spec import SEN_SETTINGS, SEXES

from .forms import GovukDateField, GovukFormMixin

NEED_CHOICES = [("", "Not known yet")] + list(Need.choices)


class ChildForm(GovukFormMixin, forms.Form):
    """Collects a child's details; the people service does every check that matters."""

    given_name = forms.CharField(label="First name", max_length=100, required=False,
                                 widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    family_name = forms.CharField(label="Last name", max_length=100, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    preferred_name = forms.CharField(label="Preferred name (optional)", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth", subject="Date of birth", required=False,
                                   help_text="For example, 27 3 2014")
    nhs_number = forms.CharField(label="NHS number (optional)", required=False, max_length=20,
                                 help_text="10 digits, for example 943 476 5919",
                                 widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false",
                                                               "inputmode": "numeric"}))
    upn = forms.CharField(label="Unique pupil number (UPN) (optional)", required=False, max_length=20,
                          help_text="13 characters, for example B801200005001",
                          widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}))
    primary_need = forms.ChoiceField(label="Primary need", choices=NEED_CHOICES, required=False)
    secondary_need = forms.ChoiceField(label="Secondary need (optional)", choices=NEED_CHOICES, required=False)
    setting = forms.ModelChoiceField(label="School or setting (optional)", queryset=Organisation.objects.none(),
                                     required=False, empty_label="None or not known")
    sen_setting = forms.ChoiceField(
        label="If there is no school or college: where they are (optional)", required=False,
        choices=[("", "Not applicable")] + list(SEN_SETTINGS.items()),
        help_text="The SEN2 setting code, for a child or young person not at a school or college with a URN")
    sex = forms.ChoiceField(label="Sex (optional)", required=False, choices=[("", "Not recorded")] + list(SEXES.items()))
    ethnicity = forms.CharField(label="Ethnicity code (optional)", required=False, max_length=4,
                                help_text="The DfE's 4-letter code, for example WBRI",
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}))
    postcode = forms.CharField(label="Home postcode (optional)", required=False, max_length=10,
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off",
                                                             "spellcheck": "false"}))
    child_in_need = forms.BooleanField(label="Child in need", required=False)
    looked_after = forms.BooleanField(label="Child looked after", required=False)
    child_protection = forms.BooleanField(label="Child protection plan", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, local_authority, instance=None, **kwargs):
        if instance is not None:
            kwargs["initial"] = {
                "given_name": instance.given_name, "family_name": instance.family_name,
                "preferred_name": instance.preferred_name, "date_of_birth": instance.date_of_birth,
                "nhs_number": instance.nhs_number or "", "upn": instance.upn or "",
                "primary_need": instance.primary_need, "secondary_need": instance.secondary_need,
                "setting": instance.setting_id, "child_in_need": instance.child_in_need,
                "looked_after": instance.looked_after, "child_protection": instance.child_protection,
                "sen_setting": instance.sen_setting, "sex": instance.sex, "ethnicity": instance.ethnicity,
                "postcode": instance.postcode, "version": instance.version,
            }
        super().__init__(*args, **kwargs)
        self.local_authority = local_authority
        self.fields["setting"].queryset = Organisation.objects.filter(
            Q(kind=OrganisationKind.SCHOOL) | Q(ukprn__isnull=False), local_authority=local_authority
        ).order_by("name")

    def details(self) -> ChildDetails:
        data = self.cleaned_data
        return ChildDetails(
            given_name=data["given_name"], family_name=data["family_name"], preferred_name=data["preferred_name"],
            date_of_birth=data["date_of_birth"], nhs_number=data["nhs_number"], upn=data["upn"],
            primary_need=data["primary_need"], secondary_need=data["secondary_need"],
            local_authority_id=self.local_authority.pk if self.local_authority else 0,
            setting_id=data["setting"].pk if data["setting"] else None,
            child_in_need=data["child_in_need"], looked_after=data["looked_after"],
            child_protection=data["child_protection"], sex=data["sex"], ethnicity=data["ethnicity"],
            postcode=data["postcode"], sen_setting=data["sen_setting"],
        )


class SharingConsentForm(GovukFormMixin, forms.Form):
    parents_may_view = forms.ChoiceField(
        label="Can your parents or carers see your record?",
        choices=[("yes", "Yes, they can see everything I can see"), ("no", "No, keep my record private from them")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether your parents or carers can see your record"},
    )

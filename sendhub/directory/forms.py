from django import forms

from sendhub.web.forms import GovukFormMixin

from .models import DAYS, DirectoryOrganisation, LocationType, ServiceStatus
from .selectors import DISTANCES, Search
from .taxonomy import CATEGORIES, NEEDS

CATEGORY_CHOICES = [(code, name if not parent else f"– {name}") for code, name, _, parent in CATEGORIES]
YES_NO = [("yes", "Yes"), ("no", "No")]


class SearchForm(GovukFormMixin, forms.Form):
    """The public search. Its names are the search-URL contract: /local-offer/?need=SLCN&age=7."""

    q = forms.CharField(label="Search by word", required=False, max_length=100,
                        help_text="For example: speech, short breaks, autism")
    need = forms.ChoiceField(label="Need", required=False, choices=[("", "Any need")] + NEEDS,
                             error_messages={"invalid_choice": "Select a need from the list"})
    age = forms.IntegerField(label="Age of the child or young person", required=False, min_value=0, max_value=25,
                             help_text="In years, from 0 to 25",
                             error_messages={"invalid": "Age must be a whole number of years, like 7",
                                             "min_value": "Age must be 0 or more", "max_value": "Age must be 25 or less"},
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}))
    category = forms.ChoiceField(label="Kind of service", required=False, choices=[("", "Any kind")] + CATEGORY_CHOICES,
                                 error_messages={"invalid_choice": "Select a kind of service from the list"})
    postcode = forms.CharField(label="Postcode", required=False, max_length=20, help_text="For example, HD1 2AB",
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code", "class": "govuk-input--width-10"}))
    distance = forms.TypedChoiceField(label="Distance", required=False, coerce=int, empty_value=None,
                                      choices=[("", "Any distance")] + [(str(d), f"Within {d} mile{'s' if d > 1 else ''}")
                                                                       for d in DISTANCES],
                                      error_messages={"invalid_choice": "Select a distance from the list"})
    waiting = forms.BooleanField(label="Only services that help while you wait for an assessment or therapy",
                                 required=False)
    self_referral = forms.BooleanField(label="Only services you can contact yourself, without a referral", required=False)

    def clean(self):
        data = super().clean()
        if data.get("distance") and not data.get("postcode"):
            self.add_error("postcode", "Enter a postcode to search by distance")
        return data

    def search(self) -> Search:
        data = self.cleaned_data
        return Search(need=data.get("need") or "", age=data.get("age"), category=data.get("category") or "",
                      keyword=" ".join((data.get("q") or "").split()), postcode=(data.get("postcode") or "").strip().upper(),
                      distance=data.get("distance"), while_waiting=bool(data.get("waiting")),
                      self_referral=bool(data.get("self_referral")))


class EntryForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name of the service", max_length=200,
                           error_messages={"required": "Enter the name of the service"})
    description = forms.CharField(label="What the service does", widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="In plain English: what happens, and what difference it makes",
                                  error_messages={"required": "Enter what the service does"})
    easy_read = forms.CharField(label="Easy-read version (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text="Short sentences and everyday words, for people who find reading hard")
    category = forms.ChoiceField(label="Kind of service", choices=[("", "Select")] + CATEGORY_CHOICES,
                                 error_messages={"required": "Select what kind of service it is"})
    needs = forms.MultipleChoiceField(label="Needs the service supports", choices=NEEDS, widget=forms.CheckboxSelectMultiple,
                                      error_messages={"required": "Select the needs the service supports, or 'Any need or disability'"})
    minimum_age = forms.IntegerField(label="Youngest age (optional)", required=False, min_value=0, max_value=120,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
                                     error_messages={"invalid": "Youngest age must be a whole number, like 5"})
    maximum_age = forms.IntegerField(label="Oldest age (optional)", required=False, min_value=0, max_value=120,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
                                     error_messages={"invalid": "Oldest age must be a whole number, like 18"})
    eligibility = forms.CharField(label="Who can use it (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="For example: lives in the borough, has a diagnosis, goes to a school here")
    self_referral = forms.ChoiceField(label="Can families contact the service themselves, without a referral?",
                                      choices=YES_NO, widget=forms.RadioSelect,
                                      error_messages={"required": "Select yes if families can contact the service themselves"})
    how_to_access = forms.CharField(label="How to get the service", widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="Who can refer, or how a family asks for it",
                                    error_messages={"required": "Say how families get the service"})
    is_free = forms.ChoiceField(label="Is it free?", choices=YES_NO, widget=forms.RadioSelect,
                                error_messages={"required": "Select yes if the service is free"})
    cost_description = forms.CharField(label="Cost (if it is not free)", required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}),
                                       help_text="For example: £5 a session, with help for families on a low income")
    while_waiting = forms.CharField(label="Help while families wait (optional)", required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}),
                                    help_text="What you offer families waiting for an assessment or therapy")
    status = forms.ChoiceField(label="Is the service running?", choices=ServiceStatus.choices, widget=forms.RadioSelect)
    phone = forms.CharField(label="Telephone (optional)", required=False, max_length=40,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "class": "govuk-input--width-20"}))
    email = forms.CharField(label="Email (optional)", required=False, max_length=254,
                            widget=forms.TextInput(attrs={"spellcheck": "false"}))
    url = forms.CharField(label="Website (optional)", required=False, max_length=500,
                          widget=forms.TextInput(attrs={"spellcheck": "false"}))
    contact_name = forms.CharField(label="Contact name (optional)", required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def raw(self) -> dict:
        data = dict(self.cleaned_data)
        data["self_referral"] = data.get("self_referral") == "yes"
        data["is_free"] = data.get("is_free") == "yes"
        data.pop("version", None)
        return data

    @staticmethod
    def initial_from(content: dict, version: int) -> dict:
        initial = {k: v for k, v in content.items() if k not in {"locations", "schedules"}}
        initial["self_referral"] = "yes" if content.get("self_referral") else "no"
        initial["is_free"] = "yes" if content.get("is_free", True) else "no"
        initial["version"] = version
        return initial


class LocationForm(GovukFormMixin, forms.Form):
    location_type = forms.ChoiceField(label="Kind of place", choices=LocationType.choices)
    name = forms.CharField(label="Name of the place (optional)", required=False, max_length=200)
    address_1 = forms.CharField(label="Address", required=False, max_length=200)
    city = forms.CharField(label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=10,
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    accessibility = forms.CharField(label="Access (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                    help_text="Step-free access, parking, a quiet room, a hearing loop")
    sal_id = forms.CharField(required=False, widget=forms.HiddenInput)
    location_id = forms.CharField(required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, widget=forms.HiddenInput)
    original_postcode = forms.CharField(required=False, widget=forms.HiddenInput)

    def is_blank(self) -> bool:
        """The empty 'add a place' form, as a browser sends it."""
        data = self.cleaned_data
        return not any(data.get(k) for k in ("name", "address_1", "city", "postcode", "accessibility")) and (
            data.get("location_type") in ("", LocationType.PHYSICAL))

    def place(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("postcode", "").replace(" ", "").upper() != (data.pop("original_postcode", "") or "").replace(" ", "").upper():
            data["latitude"] = data["longitude"] = None  # a new postcode: placed again from the postcode table
        data.pop("DELETE", None)
        return data


class ScheduleForm(GovukFormMixin, forms.Form):
    days = forms.MultipleChoiceField(label="Days", required=False, choices=DAYS, widget=forms.CheckboxSelectMultiple)
    opens_at = forms.CharField(label="Opens (optional)", required=False, max_length=5, help_text="For example, 09:30",
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    closes_at = forms.CharField(label="Closes (optional)", required=False, max_length=5, help_text="For example, 15:00",
                                widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))
    description = forms.CharField(label="When it runs, in words (optional)", required=False,
                                  help_text="For example: term time only, or the first Saturday of the month")
    id = forms.CharField(required=False, widget=forms.HiddenInput)

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(k) for k in ("days", "opens_at", "closes_at", "description"))

    def schedule(self) -> dict:
        data = self.cleaned_data
        return {"byday": ",".join(data.get("days") or []), "opens_at": data.get("opens_at"),
                "closes_at": data.get("closes_at"), "description": data.get("description", ""), "id": data.get("id")}


LocationFormSet = forms.formset_factory(LocationForm, extra=1, can_delete=True)
ScheduleFormSet = forms.formset_factory(ScheduleForm, extra=1, can_delete=True)


def location_initial(content: dict) -> list[dict]:
    return [dict(loc, original_postcode=loc.get("postcode", "")) for loc in content.get("locations", [])]


def schedule_initial(content: dict) -> list[dict]:
    return [dict(s, days=[d for d in (s.get("byday") or "").split(",") if d]) for s in content.get("schedules", [])]


class NewEntryForm(GovukFormMixin, forms.Form):
    """The local offer team chooses who runs a new entry; a provider's own entries are theirs."""

    organisation = forms.ModelChoiceField(label="Organisation that runs the service", required=False, queryset=None,
                                          empty_label="Select, or enter a new organisation below")
    new_organisation = forms.CharField(label="Or a new organisation's name", required=False, max_length=200)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("new_organisation") or "").strip():
            self.add_error("organisation", "Select the organisation that runs the service, or enter a new one")
        return data

    def chosen(self) -> DirectoryOrganisation:
        if self.cleaned_data.get("organisation"):
            return self.cleaned_data["organisation"]
        return DirectoryOrganisation(name=" ".join(self.cleaned_data["new_organisation"].split()))


class ReviewForm(GovukFormMixin, forms.Form):
    note = forms.CharField(label="What needs to change (if you return it)", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class ImportForm(GovukFormMixin, forms.Form):
    feed = forms.FileField(label="Upload the feed",
                           help_text="An Open Referral JSON file (.json) or a zip of Open Referral CSV files (.zip)",
                           error_messages={"required": "Select a file to upload"},
                           widget=forms.ClearableFileInput(attrs={"class": "govuk-file-upload", "accept": ".json,.zip"}))
    default_category = forms.ChoiceField(label="Kind of service, for entries that do not say",
                                         choices=[("", "Select")] + CATEGORY_CHOICES,
                                         error_messages={"required": "Select a kind of service for entries that do not say"})

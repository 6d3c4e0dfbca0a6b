from django import forms

from sendhub.web.forms import GovukFormMixin

from .models import PROMPTS


class AllAboutMeForm(GovukFormMixin, forms.Form):
    written_with_child = forms.BooleanField(label="I wrote this with my child, using their words", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in PROMPTS:
            self.fields[name] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))
        for n in range(3):
            self.fields[f"picture_{n}"] = forms.FileField(
                label=f"Picture {n + 1} (optional)", required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png", "class": "govuk-file-upload"}))
            self.fields[f"description_{n}"] = forms.CharField(
                label=f"What picture {n + 1} shows", required=False, max_length=300,
                help_text="For example, \u201cMy drawing of our dog, Biscuit\u201d. This is read out to people who cannot see it.")
        self.style_fields()

    def prompt_fields(self):
        return [self[name] for name, _ in PROMPTS]

    def picture_fields(self):
        return [(self[f"picture_{n}"], self[f"description_{n}"]) for n in range(3)]

    def pictures(self) -> list[tuple[object, str]]:
        return [(self.cleaned_data[f"picture_{n}"], self.cleaned_data[f"description_{n}"]) for n in range(3)
                if self.cleaned_data.get(f"picture_{n}")]


class PreferencesForm(GovukFormMixin, forms.Form):
    email_notifications = forms.ChoiceField(
        label="Do you want an email when there is a new message for you?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, email me as well"), ("no", "No, only show messages when I sign in")],
        error_messages={"required": "Select whether you want emails"})
    easy_read = forms.ChoiceField(
        label="How would you like to see where things are?", widget=forms.RadioSelect,
        choices=[("no", "The full tracker"), ("yes", "Easy read: short sentences, one step at a time")],
        error_messages={"required": "Select how you would like to see the tracker"})


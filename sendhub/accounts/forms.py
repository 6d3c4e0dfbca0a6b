from django import forms

from sendhub.web.forms import GovukFormMixin


class SignInForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(
        label="Email address", error_messages={"required": "Enter your email address",
                                               "invalid": "Enter an email address in the correct format, like name@example.com"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password", strip=False, error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code", max_length=10, help_text="The 6-digit code shown in your authenticator app",
        error_messages={"required": "Enter the 6-digit security code"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "class": "govuk-input--width-5", "spellcheck": "false"}),
    )

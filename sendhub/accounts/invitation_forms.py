"""Forms for invitations, accepting them and resetting a password, in the GOV.UK style."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm

from sendhub.audit.models import AuditAction
from sendhub.audit.services import record
from sendhub.organisations.models import Team
from sendhub.people.models import Relationship
from sendhub.web.forms import GovukFormMixin

from .invitations import organisations_for_inviter, roles_for_inviter

NAME_ERRORS = {"required": "Enter their full name"}
EMAIL_ERRORS = {"required": "Enter their email address",
                "invalid": "Enter an email address in the correct format, like name@example.com"}
YES_NO = [("yes", "Yes"), ("no", "No")]


class StaffInviteForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(label="Full name", max_length=200, error_messages=NAME_ERRORS,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    email = forms.EmailField(label="Email address", error_messages=EMAIL_ERRORS,
                             help_text="Their work email address: the invitation is sent here",
                             widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    role = forms.ChoiceField(label="Role", error_messages={"required": "Select their role"})
    organisation = forms.ModelChoiceField(label="Organisation", queryset=None, empty_label="Select an organisation",
                                          error_messages={"required": "Select their organisation",
                                                          "invalid_choice": "Select an organisation in your area"})
    teams = forms.ModelMultipleChoiceField(label="Teams", queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text="Optional: the teams they belong to in their organisation",
                                           error_messages={"invalid_choice": "Select teams from the list"})

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Select a role"), *roles_for_inviter(inviter)]
        organisations = organisations_for_inviter(inviter)
        self.fields["organisation"].queryset = organisations
        self.fields["teams"].queryset = Team.objects.filter(organisation__in=organisations).select_related("organisation")


class FamilyInviteForm(GovukFormMixin, forms.Form):
    who = forms.ChoiceField(label="Who are you inviting?", widget=forms.RadioSelect,
                            choices=[("parent", "A parent or carer"), ("young_person", "The young person themselves")],
                            error_messages={"required": "Select who you are inviting"})
    full_name = forms.CharField(label="Full name", max_length=200, error_messages=NAME_ERRORS)
    email = forms.EmailField(label="Email address", error_messages=EMAIL_ERRORS,
                             help_text="The invitation is sent here. It never includes the child's details.")
    relationship = forms.ChoiceField(label="Relationship to the child", required=False,
                                     choices=[("", "Select a relationship"), *Relationship.choices])
    parental_responsibility = forms.ChoiceField(label="Do they have parental responsibility?", required=False,
                                                widget=forms.RadioSelect, choices=YES_NO)

    def __init__(self, *args, can_invite_young_person: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_invite_young_person:
            self.fields["who"].choices = self.fields["who"].choices[:1]
            self.fields["who"].initial = "parent"
            self.fields["who"].required = False

    def clean(self):
        data = super().clean()
        if not self.fields["who"].required:
            data["who"] = "parent"
        if data.get("who") == "parent":
            if not data.get("relationship"):
                self.add_error("relationship", "Select their relationship to the child")
            if not data.get("parental_responsibility"):
                self.add_error("parental_responsibility", "Select yes if they have parental responsibility")
        return data


class AcceptInvitationForm(GovukFormMixin, forms.Form):
    """Choose a password (new accounts) and prove the authenticator works (staff)."""

    password = forms.CharField(
        label="Choose a password", strip=False, error_messages={"required": "Enter a password"},
        help_text="At least 12 characters. Avoid common passwords and your name or email address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_again = forms.CharField(
        label="Enter the password again", strip=False, error_messages={"required": "Enter the password again"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    code = forms.CharField(
        label="Security code", max_length=10, help_text="The 6-digit code your authenticator app shows now",
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "class": "govuk-input--width-5", "spellcheck": "false"}))

    def __init__(self, *args, sets_password: bool, needs_authenticator: bool, existing_account: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if existing_account:  # a parent adding a child to the account they have: their password, once
            del self.fields["password_again"]
            field = self.fields["password"]
            field.label, field.help_text = "Your password", "The password you sign in with"
            field.widget.attrs["autocomplete"] = "current-password"
            self._bound_fields_cache.clear()  # bound fields made while styling kept the old label
            self.style_fields()
        elif not sets_password:
            del self.fields["password"], self.fields["password_again"]
        if not needs_authenticator:
            del self.fields["code"]

    def clean(self):
        data = super().clean()
        if "password" in self.fields and data.get("password") and data.get("password_again") \
                and data["password"] != data["password_again"]:
            self.add_error("password_again", "The passwords do not match: enter the same password twice")
        return data


class GovukPasswordResetForm(GovukFormMixin, PasswordResetForm):
    """Django's reset form: the same answer whether or not the address has an account; each email sent is audited."""

    email = forms.EmailField(
        label="Email address", max_length=254,
        error_messages={**EMAIL_ERRORS, "required": "Enter your email address"},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        record(actor=None, action=AuditAction.UPDATE, channel="web", obj=context["user"],
               summary="A password reset link was emailed")
        super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                          html_email_template_name)


class GovukSetPasswordForm(GovukFormMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = ("At least 12 characters. Avoid common passwords and your name or "
                                                  "email address.")
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Enter the new password again"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.fields["new_password2"].widget.attrs.pop("aria-describedby", None)
        self._bound_fields_cache.clear()  # bound fields made while styling kept Django's labels
        self.style_fields()

from django import forms

from sendhub.web.forms import GovukDateField, GovukFormMixin

from .models import AdviceSource, EventType, ExceptionReason


class RecordEventForm(GovukFormMixin, forms.Form):
    """What happened on a case, apart from decisions and issued plans: each of those has its own page, which
    writes the family's letter (clock.rules.OWN_ROUTE)."""

    type = forms.ChoiceField(label="What happened", error_messages={"required": "Select what happened"})
    date = GovukDateField(label="Date it happened", subject="The date", required=False,
                          help_text="For an exception, its first day. For example, 27 3 2026")
    source = forms.ChoiceField(label="Advice from (for advice requested or received)", required=False,
                               choices=[("", "Not advice")] + list(AdviceSource.choices))
    exception_reason = forms.ChoiceField(label="Reason (for an exception)", required=False,
                                         choices=[("", "Not an exception")] + list(ExceptionReason.choices))
    exception_to = GovukDateField(label="Last day the exception covered", subject="The last day", required=False,
                                  help_text="For an exception only. For example, 30 4 2026")
    note = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, allowed_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(EventType.choices)
        self.fields["type"].choices = [("", "Select")] + [(t, labels[t]) for t in allowed_types]

    def clean(self):
        data = super().clean()
        kind = data.get("type")
        if kind in {"advice_requested", "advice_received"} and not data.get("source"):
            self.add_error("source", "Select who the advice is from")
        if kind == "exception" and not data.get("exception_reason"):
            self.add_error("exception_reason", "Select the reason for the exception")
        if kind and kind not in {"advice_requested", "advice_received"}:
            data["source"] = ""
        if kind != "exception":
            data["exception_reason"], data["exception_to"] = "", None
        return data

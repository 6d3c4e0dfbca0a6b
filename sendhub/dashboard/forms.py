"""Forms for the dashboard: filters, comparators, targets, mediation and appeals, Big Plan actions."""

from django import forms

from sendhub.organisations.models import Phase, SettingType
from sendhub.people.models import Need
from sendhub.web.forms import GovukDateField, GovukFormMixin

from . import definitions as d
from .models import (METRIC_CHOICES, ActionStatus, AppealOutcome, Geography, ImprovementArea, MediationOutcome)

ANY = [("", "Any")]
NONE_VALUE = "none"


class FilterForm(GovukFormMixin, forms.Form):
    """GET filters. Bad values fall back to the default and say so; they never raise."""

    from_month = forms.ChoiceField(label="From", required=False)
    to_month = forms.ChoiceField(label="To", required=False)
    phase = forms.ChoiceField(label="School phase", required=False,
                              choices=ANY + [(v or NONE_VALUE, l if v else "No school or setting") for v, l in Phase.choices])
    need = forms.ChoiceField(label="Primary need", required=False, choices=ANY + list(Need.choices))
    setting_type = forms.ChoiceField(label="Setting type", required=False,
                                     choices=ANY + [(v or NONE_VALUE, l if v else "Not recorded") for v, l in SettingType.choices])

    def __init__(self, *args, months: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import month_label

        choices = [(m, month_label(m)) for m in months]
        self.fields["from_month"].choices = choices
        self.fields["to_month"].choices = choices
        self.months = months

    def filters(self, *, local_authority: int | None, default_months: int = 12) -> d.Filters:
        """The chosen filters; the defaults are those of selectors.default_filters."""
        data = self.cleaned_data if self.is_valid() else {}
        months = self.months
        start = data.get("from_month") or (months[-default_months] if len(months) >= default_months else months[0] if months else "")
        end = data.get("to_month") or (months[-1] if months else "")
        if start > end:
            start, end = end, start
        chosen = frozenset(m for m in months if start <= m <= end)

        def value(name):
            v = data.get(name) or None
            return "" if v == NONE_VALUE else v

        return d.Filters(months=chosen, local_authority=local_authority, phase=value("phase"), need=value("need"),
                         setting_type=value("setting_type"))


class ComparatorForm(GovukFormMixin, forms.Form):
    metric = forms.ChoiceField(label="Figure", choices=METRIC_CHOICES)
    geography = forms.ChoiceField(label="Covers", choices=Geography.choices, initial=Geography.NATIONAL)
    area_name = forms.CharField(label="Area name", initial="England", max_length=100,
                                help_text="England, or the region, for example Yorkshire and The Humber")
    value = forms.DecimalField(label="Value", max_digits=7, decimal_places=1, help_text="A percentage for a share",
                               error_messages={"required": "Enter the value", "invalid": "Enter the value as a number"})
    period = forms.CharField(label="Period the figure covers", max_length=60, help_text="For example, calendar year 2024",
                             error_messages={"required": "Enter the period the figure covers"})
    source = forms.CharField(label="Source", max_length=300, required=False,
                             help_text="The publication and its publisher")
    source_url = forms.URLField(label="Link to the source", required=False)
    published_on = GovukDateField(subject="Date published", label="Date published", required=False)
    placeholder = forms.BooleanField(label="This is a working figure, not a published statistic", required=False)


class TargetForm(GovukFormMixin, forms.Form):
    metric = forms.ChoiceField(label="Figure", choices=METRIC_CHOICES)
    target_on = GovukDateField(subject="Date of the target", label="Date of the target")
    value = forms.DecimalField(label="Target value", max_digits=7, decimal_places=1,
                               help_text="A percentage for a share, a number for a count per month",
                               error_messages={"required": "Enter the target", "invalid": "Enter the target as a number"})




class DisagreementForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    mediation_requested_on = GovukDateField(subject="Date mediation was asked for", label="Date mediation was asked for",
                                            required=False)
    mediation_held_on = GovukDateField(subject="Date of mediation", label="Date mediation was held", required=False)
    mediation_outcome = forms.ChoiceField(label="Outcome of mediation", required=False,
                                          choices=[("", "Not yet known")] + list(MediationOutcome.choices))
    appeal_lodged_on = GovukDateField(subject="Date the appeal was lodged", label="Date the appeal was lodged",
                                      required=False)
    appeal_decided_on = GovukDateField(subject="Date of the appeal outcome", label="Date of the appeal outcome",
                                       required=False)
    appeal_outcome = forms.ChoiceField(label="Outcome of the appeal", required=False,
                                       choices=[("", "Not yet known")] + list(AppealOutcome.choices))
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AreaForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Area for improvement", max_length=300,
                            error_messages={"required": "Enter the area for improvement"})
    description = forms.CharField(label="What must improve", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label="Where it comes from", max_length=300, required=False,
                             help_text="For example, the area SEND inspection report, June 2025")


class ActionForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    area = forms.ModelChoiceField(label="Area for improvement", queryset=ImprovementArea.objects.none(),
                                  empty_label=None)
    title = forms.CharField(label="Action", max_length=300, error_messages={"required": "Enter what the action is"})
    owner = forms.CharField(label="Owner", max_length=200, help_text="A named role and organisation",
                            error_messages={"required": "Enter who owns the action"})
    quarter = forms.CharField(label="Quarter due", max_length=7, help_text="For example, 2026-Q4",
                              error_messages={"required": "Enter the quarter like 2026-Q4"})
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    evidence = forms.CharField(label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="What shows it is done or working")
    metrics = forms.MultipleChoiceField(label="Figures that measure it", required=False, choices=METRIC_CHOICES,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, areas, **kwargs):
        """`areas`: the person's own council's Big Plan areas (selectors.areas_for), the only ones to choose from."""
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas

from django import forms

from sendhub.web.forms import GovukDateField, GovukFormMixin


class CensusForm(GovukFormMixin, forms.Form):
    census = GovukDateField(label="Census date", subject="The census date",
                            help_text="The DfE sets it each year: the third Thursday of January, for example 15 1 2026")

"""GOV.UK Design System styling for Django forms, so every form renders the same accessible way."""

from datetime import date

from django import forms

WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.TextInput: "govuk-input",
    forms.EmailInput: "govuk-input",
    forms.PasswordInput: "govuk-input",
    forms.NumberInput: "govuk-input",
}
ERROR_CLASSES = {"govuk-select": "govuk-select--error", "govuk-textarea": "govuk-textarea--error",
                 "govuk-input": "govuk-input--error", "govuk-file-upload": "govuk-file-upload--error"}


class DateInputsWidget(forms.Widget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "includes/date_widget.html"
    parts = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return tuple((data.get(f"{name}-{part}") or "").strip() for part in self.parts)

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.parts)

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, date):
            value = (str(value.day), str(value.month), str(value.year))
        value = value if isinstance(value, (tuple, list)) else ("", "", "")
        context["parts"] = [
            {"part": part, "label": part.capitalize(), "value": value[i], "width": 4 if part == "year" else 2,
             "autocomplete": f"bday-{part}" if self.attrs.get("autocomplete") == "bday" else ""}
            for i, part in enumerate(self.parts)
        ]
        return context


class GovukDateField(forms.Field):
    widget = DateInputsWidget

    def __init__(self, *, subject: str, **kwargs):
        self.subject = subject
        kwargs.setdefault("error_messages", {"required": f"Enter {subject.lower()}"})
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        if not value or not any(value):
            return None
        day, month, year = value
        missing = [name for name, v in zip(("day", "month", "year"), value, strict=True) if not v]
        if missing:
            raise forms.ValidationError(f"{self.subject} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(f"{self.subject} must be a real date, in numbers")
        if len(year) != 4:
            raise forms.ValidationError("Year must include 4 numbers")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as error:
            raise forms.ValidationError(f"{self.subject} must be a real date") from error


class GovukFormMixin:
    """Adds the design system's classes, hint and error wiring to every field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self) -> None:
        """Style every field; a form that adds fields after `__init__` calls this again (it is idempotent)."""
        for name, field in self.fields.items():
            widget = field.widget
            for widget_type, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_type):
                    classes = widget.attrs.get("class", "").split()
                    if css not in classes:
                        widget.attrs["class"] = " ".join([*classes, css])
                    break
            if field.help_text and not isinstance(widget, DateInputsWidget):
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            if isinstance(widget, DateInputsWidget):
                widget.attrs["has_error"] = True
                continue
            error_id = f"{self[name].auto_id}-error"
            widget.attrs["aria-describedby"] = " ".join(filter(None, [widget.attrs.get("aria-describedby"), error_id]))
            widget.attrs["aria-invalid"] = "true"
            css = widget.attrs.get("class", "")
            for base, error_css in ERROR_CLASSES.items():
                if base in css.split():
                    widget.attrs["class"] = f"{css} {error_css}"


def apply_service_errors(form: forms.Form, error) -> None:
    """Show a service's ValidationError on the form: field errors beside fields, the rest at the top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one GOV.UK file upload; the service checks what each one really is."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "govuk-file-upload"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []

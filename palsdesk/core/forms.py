"""Form fields that follow the NHS.UK design system: the three-part date input, limited text, and their messages."""

import datetime
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email


class TextField(forms.CharField):
    """Typed text with a length limit. Its messages name the field, the limit and how much was typed.

    There is no maxlength attribute in the page: a browser would cut pasted text off silently. The
    limit is checked here instead, so the person sees what they typed again with the message.
    """

    def __init__(
        self,
        label: str,
        max_length: int,
        *,
        required_message: str = "",
        called: str = "",
        rows: int | None = None,
        **kwargs,
    ):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput())
        super().__init__(label=label, required=bool(required_message), **kwargs)
        self.error_messages["required"] = required_message
        self.max_length = max_length
        # For a label that is a question ("What would they like to happen?"), the name a message uses.
        self.called = called or label
        self.error_messages["null_characters_not_allowed"] = f"{self.called} cannot contain a null character."

    def validate(self, value):
        super().validate(value)
        if len(value) > self.max_length:
            raise ValidationError(
                f"{self.called} must be {self.max_length:,} characters or fewer. You entered {len(value):,}.",
                code="max_length",
            )


class EmailField(TextField):
    default_validators = [validate_email]

    def __init__(self, label: str = "Email address", max_length: int = 254, **kwargs):
        kwargs.setdefault("widget", forms.EmailInput())
        super().__init__(label, max_length, **kwargs)
        self.error_messages["invalid"] = "Enter an email address in the correct format, like name@example.com."


class DateInput(forms.MultiWidget):
    """Day, month and year boxes, as in the NHS.UK date input pattern."""

    template_name = "components/widgets/date_input.html"

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date typed as day, month and year. Messages name the field, as the NHS.UK pattern asks."""

    widget = DateInput

    def __init__(self, *, label: str, **kwargs):
        self.label_text = label
        parts = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(parts, require_all_fields=False, label=label, **kwargs)

    def clean(self, value):
        value = value or ["", "", ""]
        day, month, year = (str(part or "").strip() for part in value)
        name = self.label_text
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter the {name.lower()}.", code="required")
            return None
        missing = [part for part, typed in (("day", day), ("month", month), ("year", year)) if not typed]
        if missing:
            raise ValidationError(f"The {name.lower()} must include a {' and '.join(missing)}.", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"The {name.lower()} must be written in numbers, like 27 3 2026.", code="invalid")
        if len(year) != 4:
            raise ValidationError(f"The year of the {name.lower()} must have 4 digits, like 2026.", code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"The {name.lower()} must be a real date.", code="invalid") from None

    def compress(self, data_list):  # clean() does the whole job; MultiValueField requires this to exist
        return data_list


def needed_by_service(field: forms.Field) -> forms.Field:
    """A field the service requires and checks: the form lets an empty one through, so that the service's
    message for it comes back together with every other problem, and its label is not marked optional."""
    field.required = False
    field.is_needed = True
    return field


def put_errors_on_form(form, error: Exception, *, field_for: Callable[[str], str] = lambda name: name) -> None:
    """Show a service's refusal on the form: by field where the form has that field, else at the top."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, field_messages in error.message_dict.items():
            target = field_for(name)
            for message in field_messages:
                form.add_error(target if target in form.fields else None, message)
    elif isinstance(error, ValidationError):
        for message in error.messages:
            form.add_error(None, message)
    else:
        # A RuleBroken may name the field it is about.
        target = field_for(getattr(error, "field", None) or "")
        form.add_error(target if target in form.fields else None, getattr(error, "message", str(error)))


class _GroupedChoices(forms.models.ModelChoiceIterator):
    """The queryset's choices under headings (a select's optgroups), in the queryset's order; one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(self.field.group_of(obj), []).append(self.choice(obj))
        yield from groups.items()


class GroupedModelChoiceField(forms.ModelChoiceField):
    """A choice from a list under headings, such as HCAT categories under their domains.

    group_of(obj) names the heading each object comes under. Only the rendering is grouped: what is posted
    is checked against the queryset, as for any ModelChoiceField.
    """

    iterator = _GroupedChoices

    def __init__(self, queryset, *, group_of: Callable[[object], str], **kwargs):
        self.group_of = group_of
        super().__init__(queryset, **kwargs)

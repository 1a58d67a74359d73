"""Web forms for the communications log, emails and letters. They parse what was typed; the rules are in services."""

import datetime
import re

from django import forms
from django.utils import timezone

from palsdesk.core.forms import DateField, TextField, needed_by_service
from palsdesk.correspondence import services
from palsdesk.correspondence.models import Channel, Direction, Letter, LetterTemplate

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_RELOAD = "This letter has changed since you opened it. Reload the page and make your change again."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Any number of files from one file input; each is checked by the service, with the reason for a refusal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": "multiple"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PrefixedForm(forms.Form):
    """Ids start with the form's own name, so two forms on one page never share an id."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class EntryForm(PrefixedForm):
    """A letter, email, call, meeting or text message to file on the case."""

    id_prefix = "entry"
    direction = forms.ChoiceField(
        label="Received or sent?",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        initial=Direction.INBOUND,
        error_messages={
            "required": "Say whether it was received or sent.",
            "invalid_choice": "Choose received or sent.",
        },
    )
    channel = forms.ChoiceField(
        label="What was it?",
        choices=Channel.choices,
        widget=forms.RadioSelect,
        initial=Channel.LETTER,
        error_messages={"required": "Choose what it was.", "invalid_choice": "Choose what it was from the list."},
    )
    occurred_on = DateField(label="Date", help_text="For example, 20 11 2026")
    occurred_time = TextField(
        "Time", 5, help_text="For example, 14:30. Left empty, the time is now for today, or midday for an earlier day."
    )
    sender = TextField("From", services.PARTY_MAX_CHARACTERS)
    recipient = TextField("To", services.PARTY_MAX_CHARACTERS)
    subject = TextField("Subject", services.SUBJECT_MAX_CHARACTERS)
    body = TextField("What it said", services.BODY_MAX_CHARACTERS, rows=5, called="What it said")
    attachments = FilesField(
        label="Files",
        help_text="PDF, Word, images, emails (.eml, .msg) or text, each up to the size limit.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("occurred_on", timezone.localdate())

    def clean_occurred_time(self):
        typed = self.cleaned_data["occurred_time"]
        if not typed.strip():
            return None
        match = _TIME.match(typed)
        if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise forms.ValidationError("Enter the time like 14:30.")
        return datetime.time(int(match.group(1)), int(match.group(2)))

    def service_arguments(self) -> dict:
        values = dict(self.cleaned_data)
        day, time = values.pop("occurred_on"), values.pop("occurred_time")
        if time is None:
            now = timezone.localtime()
            time = now.time().replace(second=0, microsecond=0) if day == now.date() else datetime.time(12, 0)
        values["occurred_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return values


class UploadForm(PrefixedForm):
    id_prefix = "upload"
    attachments = needed_by_service(FilesField(label="Files to add"))


class EmailForm(PrefixedForm):
    id_prefix = "email"
    to = needed_by_service(
        TextField("To", 2_000, help_text="Email addresses, separated by commas.", called="The addresses")
    )
    subject = needed_by_service(TextField("Subject", services.SUBJECT_MAX_CHARACTERS))
    body = needed_by_service(TextField("Message", services.BODY_MAX_CHARACTERS, rows=10, called="The message"))
    attachments = FilesField(label="Attach files")

    def service_arguments(self) -> dict:
        values = dict(self.cleaned_data)
        values["to"] = [address.strip() for address in re.split(r"[,;]", values["to"]) if address.strip()]
        return values


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, template):
        return template.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.full_name


class NewLetterForm(PrefixedForm):
    id_prefix = "letter"
    template = TemplateChoiceField(
        LetterTemplate.objects.none(),
        label="Which letter?",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a letter.", "invalid_choice": "Choose a letter from the list."},
    )
    recipient = PersonChoiceField(
        None,
        label="Addressed to",
        required=False,
        empty_label="The person the letter is usually for",
        error_messages={"invalid_choice": "Choose someone on this case."},
    )

    def __init__(self, *args, templates, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["recipient"].queryset = people


class LetterForm(PrefixedForm):
    """The draft an officer edits, carrying the version it was read at."""

    id_prefix = "draft"
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": _RELOAD, "invalid": _RELOAD}
    )
    recipient_name = needed_by_service(TextField("To", services.PARTY_MAX_CHARACTERS))
    recipient_address = TextField("Address", services.LETTER_ADDRESS_MAX_CHARACTERS, rows=4)
    is_large_print = forms.BooleanField(
        label="Large print", required=False, help_text="16 point type, for someone who needs large print."
    )
    subject = needed_by_service(TextField("Heading", services.SUBJECT_MAX_CHARACTERS))
    body = needed_by_service(
        TextField(
            "The letter",
            services.BODY_MAX_CHARACTERS,
            rows=24,
            called="The letter",
            help_text="A blank line starts a paragraph. ## starts a heading, - a bullet, 1. a numbered point; "
            "**bold** and *italic*. Write each part marked [[ ]] before producing the letter.",
        )
    )

    @classmethod
    def for_letter(cls, letter: Letter, data=None) -> "LetterForm":
        initial = {name: getattr(letter, name) for name in ("version", "recipient_name", "recipient_address")}
        initial |= {name: getattr(letter, name) for name in ("is_large_print", "subject", "body")}
        return cls(data, initial=initial)


class ProduceForm(PrefixedForm):
    id_prefix = "produce"
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": _RELOAD, "invalid": _RELOAD}
    )

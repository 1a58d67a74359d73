"""Web forms for the final response. They parse what was typed or uploaded; the rules live in responses.services."""

from django import forms

from palsdesk.cases.forms import VersionedForm
from palsdesk.core.forms import DateField, TextField
from palsdesk.responses import services
from palsdesk.responses.models import Element, ParagraphPurpose, SendMethod
from palsdesk.responses.selectors import NumberedParagraph, standard_paragraphs

_RELOAD = "This form is out of date. Reload the page and try again."
QUOTE_SHOWN_CHARACTERS = 90


class _BasedOn(forms.Form):
    """The version the person started from (0 for none), so a version saved meanwhile is not overwritten."""

    based_on = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": _RELOAD, "invalid": _RELOAD, "min_value": _RELOAD},
    )


class StandardParagraphChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.get_purpose_display().lower()})"


class DraftForm(_BasedOn):
    """The draft typed in the rich text editor (or, without JavaScript, as HTML or plain paragraphs)."""

    draft = TextField(
        "Draft response",
        services.DRAFT_MAX_HTML_CHARACTERS,
        rows=20,
        help_text="Write from the greeting to the end of what you have to say. The letterhead, date, reference and "
        "signature are added when it is sent. Without the editor, leave a blank line between paragraphs.",
    )
    paragraph = StandardParagraphChoice(
        queryset=standard_paragraphs(),
        required=False,
        label="Standard paragraph",
        empty_label="Choose a paragraph…",
        error_messages={"invalid_choice": "Choose a standard paragraph from the list."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "draft_%s")
        super().__init__(*args, **kwargs)
        # Built per form: a queryset made when the module is imported would keep that day's "in use".
        self.fields["paragraph"].queryset = standard_paragraphs()


class WordDraftForm(_BasedOn):
    document = forms.FileField(
        label="Word document",
        help_text="A .docx file. Its paragraphs, headings, lists and bold or italic text are kept; "
        "its letterhead is not.",
        error_messages={"required": "Choose the Word document to upload.", "empty": "The file is empty."},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "word_%s")
        super().__init__(*args, **kwargs)


class SubmitForm(VersionedForm):
    pass


class ReturnForm(VersionedForm):
    comments = TextField(
        "Comments for the investigator",
        services.COMMENTS_MAX_CHARACTERS,
        rows=6,
        required_message="Enter your comments for the investigator.",
        help_text="What needs to change, and why. For changes of wording, edit the draft instead.",
    )


def _paragraph_label(paragraph: NumberedParagraph) -> str:
    text = " ".join(paragraph.text.split())
    if len(text) > QUOTE_SHOWN_CHARACTERS:
        text = text[: QUOTE_SHOWN_CHARACTERS - 1].rstrip() + "…"
    return f"Paragraph {paragraph.number}: {text}"


class SignOffForm(forms.Form):
    """Each element of regulation 14(2) with the paragraph that gives it, and whom the signatory signs for."""

    signed_as = TextField(
        "Signing as (optional)",
        services.SIGNED_AS_MAX_CHARACTERS,
        help_text="Your job title, and whom you sign for if it is under a delegation: "
        "for example, Chief Nurse, for the Chief Executive.",
    )

    def __init__(self, *args, paragraphs: list[NumberedParagraph], **kwargs):
        kwargs.setdefault("auto_id", "signoff_%s")
        super().__init__(*args, **kwargs)
        choices = [("", "Not shown yet"), *((str(p.number), _paragraph_label(p)) for p in paragraphs)]
        element_fields = {}
        for element in Element:
            element_fields[element.value] = forms.TypedChoiceField(
                label=element.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": "Choose a paragraph of the response from the list."},
            )
        self.fields = {**element_fields, "signed_as": self.fields["signed_as"]}

    def paragraphs_chosen(self) -> dict[str, int | None]:
        return {element.value: self.cleaned_data.get(element.value) for element in Element}

    def element_fields(self):
        return [self[element.value] for element in Element]


class SendForm(VersionedForm):
    method = forms.ChoiceField(
        label="How was it sent?",
        choices=SendMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how it was sent.", "invalid_choice": "Choose by post or by email."},
    )
    sent_on = DateField(
        label="Date sent", help_text="For example, 27 3 2026. Leave it empty for today.", required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "send_%s")
        super().__init__(*args, **kwargs)


class StandardParagraphForm(forms.Form):
    title = TextField("Title", services.PARAGRAPH_TITLE_MAX_CHARACTERS, required_message="Enter a title.")
    purpose = forms.ChoiceField(
        label="What is it for?",
        choices=ParagraphPurpose.choices,
        error_messages={"required": "Choose what the paragraph is for.", "invalid_choice": "Choose from the list."},
    )
    html = TextField(
        "Paragraph",
        services.DRAFT_MAX_HTML_CHARACTERS,
        rows=8,
        required_message="Write the paragraph.",
        help_text="As it will read in a letter. A blank line starts a new paragraph.",
    )
    order = forms.IntegerField(
        label="Order in the list",
        min_value=0,
        max_value=999,
        required=False,
        error_messages={
            "invalid": "Enter the order as a whole number, like 10.",
            "min_value": "Enter 0 or more.",
            "max_value": "Enter 999 or less.",
        },
    )
    disabled_on = DateField(
        label="No longer offered from", required=False, help_text="Leave it empty while the paragraph is in use."
    )

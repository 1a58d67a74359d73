"""Template tags that render form fields, error summaries and tags in NHS.UK frontend markup."""

from django import forms, template
from django.utils.html import format_html, format_html_join

from palsdesk.core.forms import DateInput

register = template.Library()


def _widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DateInput):
        return "date"
    # Before radios: Django's CheckboxSelectMultiple is a kind of RadioSelect.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def field_anchor(bound_field) -> str:
    """The id of the first control, where the error summary's link should take the keyboard."""
    kind = _widget_kind(bound_field)
    if kind == "hidden":
        return ""  # nothing there to focus; the message is read from the summary alone
    if kind in ("radios", "checkboxes", "date"):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def _select_groups(bound_field, value) -> list[dict]:
    """A select's options, each run of them under its heading (an optgroup) where the choices have headings.

    The options come as HTML made here: a select of every officer has hundreds, and a template loop over them
    cost more than the rest of the case page (docs/performance.md).
    """
    widget = bound_field.field.widget
    groups: list[dict] = []
    for heading, options, _ in widget.optgroups(bound_field.html_name, widget.format_value(value)):
        if heading or not groups or groups[-1]["heading"]:
            groups.append({"heading": heading or "", "options": []})
        groups[-1]["options"].extend(options)
    for group in groups:
        group["options_html"] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for option in group["options"]
            ),
        )
    return groups


@register.inclusion_tag("components/field.html")
def field(bound_field, hint="", classes="", label_size="", autofocus=False, conditional=None):
    """Render one form field as its NHS.UK component, with its hint and error message."""
    kind = _widget_kind(bound_field)
    errors = list(bound_field.errors)
    described_by = []
    hint = hint or bound_field.help_text
    if hint:
        described_by.append(f"{bound_field.auto_id}-hint")
    if errors:
        described_by.append(f"{bound_field.auto_id}-error")
    value = bound_field.value()
    # Radios may reveal more fields under a choice (the NHS.UK conditional pattern): {value: [bound fields]}.
    reveals = {
        str(key): shown if isinstance(shown, (list, tuple)) else [shown] for key, shown in (conditional or {}).items()
    }
    options = (
        [{"choice": choice, "reveal": reveals.get(str(choice.data["value"]), [])} for choice in bound_field]
        if kind == "radios"
        else []
    )
    select_groups = _select_groups(bound_field, value) if kind == "select" else []
    # No maxlength or required attributes: the browser would cut off pasted text silently, or block
    # the form with its own message; the server's messages follow the NHS.UK pattern instead.
    attrs = {
        name: attr
        for name, attr in bound_field.field.widget.attrs.items()
        if name not in ("maxlength", "minlength", "required", "rows", "cols")
    }
    return {
        "attrs": attrs,
        "field": bound_field,
        "kind": kind,
        "hint": hint,
        "errors": errors,
        "classes": classes,
        "label_size": label_size,
        "described_by": " ".join(described_by),
        "autofocus": autofocus,
        "value": "" if value is None else value,
        "max_length": getattr(bound_field.field, "max_length", None),
        "options": options,
        "select_groups": select_groups,
        "has_reveals": bool(reveals),
        # A field the service requires is not marked optional, though the form lets it through to be checked
        # there with the rest (see core.forms.needed_by_service).
        "is_optional": not bound_field.field.required and not getattr(bound_field.field, "is_needed", False),
        "selected": [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])],
    }


@register.inclusion_tag("components/error_summary.html")
def error_summary(*forms_to_check):
    """The NHS.UK error summary: every problem on the page, each linked to its field."""
    problems = []
    for form in forms_to_check:
        if form is None:
            continue
        for message in form.non_field_errors():
            problems.append({"anchor": "", "message": message})
        for bound_field in form:
            for message in bound_field.errors:
                problems.append({"anchor": field_anchor(bound_field), "message": message})
    return {"problems": problems}


STATUS_COLOURS = {
    "received": "blue",
    "open": "blue",
    "acknowledged": "aqua-green",
    "under_investigation": "purple",
    "response_in_review": "orange",
    "response_sent": "green",
    "resolved": "grey",
    "escalated": "pink",
    "closed": "grey",
    "withdrawn": "grey",
}


def _nhsuk_tag(label, colour) -> str:
    # Built here rather than from a template: a list shows one or two tags a row, and an inclusion tag's
    # template render cost as much as the rest of the row (docs/performance.md). The newline the template
    # ended with stays, so the words after a tag stay apart from its words in the page's text.
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>\n', colour, label)


@register.simple_tag
def status_tag(case):
    return _nhsuk_tag(case.get_status_display(), STATUS_COLOURS.get(case.status, "grey"))


@register.simple_tag
def tag(label, colour="grey"):
    """An NHS.UK tag in one of its colours, such as a clock's state: {% tag state.label state.colour %}."""
    return _nhsuk_tag(label, colour)


# KO41a outcomes (an issue's or a case's): each with its words, so colour is never the only sign.
OUTCOME_COLOURS = {
    "upheld": "orange",
    "partially_upheld": "yellow",
    "not_upheld": "blue",
    "not_investigated": "grey",
}


@register.simple_tag
def outcome_tag(record):
    """The outcome of an issue or a case as an NHS.UK tag: {% outcome_tag issue %}."""
    return _nhsuk_tag(record.get_outcome_display(), OUTCOME_COLOURS.get(record.outcome, "grey"))


@register.filter
def lower_first(text) -> str:
    """For a name inside a sentence: 'Complaint' → 'complaint'; an acronym stays: 'MP letter', 'PALS concern'."""
    text = str(text)
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]

"""Template tags that render form fields, error summaries and tags in NHS.UK frontend markup."""

from django import forms, template

from palsdesk.core.forms import DateInput

register = template.Library()


def _widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
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


@register.inclusion_tag("components/status_tag.html")
def status_tag(case):
    return {"label": case.get_status_display(), "colour": STATUS_COLOURS.get(case.status, "grey")}


@register.inclusion_tag("components/status_tag.html")
def tag(label, colour="grey"):
    """An NHS.UK tag in one of its colours, such as a clock's state: {% tag state.label state.colour %}."""
    return {"label": label, "colour": colour}

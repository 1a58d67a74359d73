"""Serializer bases and fields shared by every app's API."""

from rest_framework import serializers

from palsdesk.accounts.models import User


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a misspelt optional field is reported instead of silently dropped."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        name: [f"'{name}' is not a field here. Known fields: {', '.join(sorted(self.fields))}."]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)


class ListedChoiceField(serializers.ChoiceField):
    """A choice whose refusal lists the values allowed, so the client need not look them up."""

    def __init__(self, choices, **kwargs):
        super().__init__(choices, **kwargs)
        allowed = ", ".join(str(value) for value in self.choices)
        self.error_messages["invalid_choice"] = f'"{{input}}" is not one of: {allowed}.'


class LimitedText(serializers.CharField):
    """Text with a length limit; a refusal says both the limit and how long the text sent was."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if self.max_length is not None and len(value) > self.max_length:
            raise serializers.ValidationError(
                f"Must be {self.max_length:,} characters or fewer; this has {len(value):,}.", code="max_length"
            )
        return value


class TextCodeField(serializers.CharField):
    """A code given as text, such as a grade's 'high': a number, list or object is refused as such, not converted."""

    default_error_messages = {"invalid": "Give the code as text."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class VersionField(serializers.IntegerField):
    """The case version the client read; a service refuses the change with 409 if the case has changed since."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("help_text", "The case version you read; if the case has changed since, 409.")
        super().__init__(**kwargs)


class _TextSlugField(serializers.SlugRelatedField):
    """A record named by a text slug; a number, list or object is refused as such, not looked up."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ActiveCodeField(_TextSlugField):
    """A reference data entry (division, site, service, communication need) given by its code, in use today."""

    def __init__(self, model, *, label: str, **kwargs):
        self.model = model
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"There is no {label} in use with the code '{{value}}'.",
                "invalid": f"Give the {label}'s code as text.",
            },
        )
        kwargs.setdefault("help_text", f"The {label}'s code.")
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)

    def get_queryset(self):
        # Built per request: a queryset made when the module is imported would keep that day's date for
        # "in use", so an entry retired after the server started would still be accepted.
        return self.model.objects.active()


class UsernameField(_TextSlugField):
    """An active member of staff, given by their username."""

    default_error_messages = {
        "does_not_exist": "There is no active account with the username '{value}'.",
        "invalid": "Give the username as text.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "A username, or null for nobody.")
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True), **kwargs)

"""Field validators for people, shared by the model, the web forms and the API."""

from django.core.exceptions import ValidationError

from palsdesk.people.nhs_number import InvalidNhsNumber, normalise


def validate_nhs_number(value: str) -> None:
    if not value:
        return
    try:
        normalise(value)
    except InvalidNhsNumber as error:
        raise ValidationError(str(error), code="invalid_nhs_number") from None

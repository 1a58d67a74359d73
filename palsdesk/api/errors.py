"""How the API answers a refusal: 400 with a message per field, 409 for a concurrent edit, never a 500."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from palsdesk.core.errors import RuleBroken, StaleEdit


def _nested(message_dict: dict[str, list[str]]) -> dict:
    """{'complainant.nhs_number': [...]} becomes {'complainant': {'nhs_number': [...]}}, as DRF nests its own errors."""
    nested: dict = {}
    for key, messages in message_dict.items():
        name = "non_field_errors" if key == "__all__" else key
        *parents, leaf = name.split(".")
        branch = nested
        for parent in parents:
            branch = branch.setdefault(parent, {})
        branch.setdefault(leaf, []).extend(messages)
    return nested


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, RuleBroken):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        body = _nested(exc.message_dict) if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


@contextmanager
def fields_renamed(**api_names: str) -> Iterator[None]:
    """Report a service's refusal under the names the endpoint's fields have, where they differ from its arguments.

    `with fields_renamed(on="sent_on"):` turns a service's {"on": [...]} into {"sent_on": [...]}, so a
    client is told about the field it sent, not one it has never heard of.
    """
    try:
        yield
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise DjangoValidationError(
            {api_names.get(name, name): messages for name, messages in error.error_dict.items()}
        ) from None
    except RuleBroken as error:
        if error.field in api_names:
            error.field = api_names[error.field]
        raise

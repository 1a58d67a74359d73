"""How the API answers a refusal: 400 with a message per field, 409 for a concurrent edit, never a 500."""

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

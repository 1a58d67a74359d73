"""Writing to the audit trail. Service functions call record() inside their own transaction."""

import contextvars
import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from palsdesk.audit.models import AuditEvent

# Set per request by AuditChannelMiddleware (web or API); commands and jobs leave it as "system".
current_channel: contextvars.ContextVar[str] = contextvars.ContextVar(
    "audit_channel", default=AuditEvent.Channel.SYSTEM
)


def plain(value: Any) -> Any:
    """A JSON-safe form of a field value for the trail."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [plain(v) for v in value]
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of the named fields, for diffing after a change."""
    values = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.is_relation and field.many_to_one:
            related = getattr(instance, name)
            values[name] = plain(related)
        else:
            values[name] = plain(getattr(instance, field.attname))
    return values


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), after[name]] for name in after if before.get(name) != after[name]}


def record(
    *,
    actor,
    action: str,
    target: models.Model | None,
    case=None,
    changes: Mapping[str, Any] | None = None,
    context: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the transaction of the write it describes."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "system",
        action=action,
        channel=current_channel.get(),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        case=case,
        changes=plain(changes or {}),
        context=plain(context or {}),
    )

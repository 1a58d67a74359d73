"""Adding entries to a case's timeline; called by the service functions of every app that changes a case."""

from django.utils import timezone

from palsdesk.cases.models import Case, TimelineEntry


def add_entry(
    case: Case,
    *,
    kind: str,
    body: str,
    actor,
    occurred_at=None,
    direction: str = "",
    contact: str = "",
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        case=case,
        kind=kind,
        body=body,
        occurred_at=occurred_at or timezone.now(),
        direction=direction,
        contact=contact,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        modified_by=actor if getattr(actor, "is_authenticated", False) else None,
    )

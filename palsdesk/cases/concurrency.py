"""Catching concurrent edits: a change to a case is refused if someone else changed it after it was read."""

from django.utils import timezone

from palsdesk.cases.models import Case
from palsdesk.core.dates import long_time_and_date
from palsdesk.core.errors import StaleEdit


def stale_edit_message(case: Case) -> str:
    """What a person is told when someone else changed the case after they opened it."""
    who = case.modified_by or "Someone"
    return (
        f"{who} changed this case at {long_time_and_date(timezone.localtime(case.modified_at))}, after you opened it. "
        "Your change has not been saved: check the case as it is now and make your change again."
    )


def lock_for_change(case: Case, expected_version: int | None) -> Case:
    """The case row, locked for this transaction, refusing the write if someone changed it since it was read.

    Call it inside the transaction of the change. Every change to the case row must also add one to
    `case.version`, so that the next stale form is caught.
    """
    locked = Case.objects.select_for_update(of=("self",)).select_related("modified_by").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit(stale_edit_message(locked))
    return locked

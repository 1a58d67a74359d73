"""Who may see which report: the same rule as the daily report, and trust-wide reports only for trust-wide roles."""

from django.core.exceptions import PermissionDenied

from palsdesk.accounts.permissions import Permission, can
from palsdesk.organisation.models import Division


def may_see_reports(user) -> bool:
    # Staff who see cases across the trust or a division; a volunteer sees only what they logged.
    return can(user, Permission.SEE_TRUST_CASES) or can(user, Permission.SEE_DIVISION_CASES)


def require_reports(user) -> None:
    if not may_see_reports(user):
        raise PermissionDenied("Your role cannot see the reports.")


def require_trust_wide(user, doing: str) -> None:
    # A Board or annual report speaks for the whole trust: from a divisional view it would mislead.
    if not can(user, Permission.SEE_TRUST_CASES):
        raise PermissionDenied(f"Only roles that see the whole trust's cases can {doing}.")


def require_division(user, division: Division) -> None:
    """A divisional manager may see the feedback of the divisions they belong to, and no other."""
    if can(user, Permission.SEE_TRUST_CASES):
        return
    if not (can(user, Permission.SEE_DIVISION_CASES) and user.divisions.filter(pk=division.pk).exists()):
        raise PermissionDenied("You can see the divisional feedback of your own divisions only.")

"""Who may sign off a final response: the sign-off level of the complaint's grade, mapped to permissions.

Regulation 14(2) asks for a response signed by the responsible person (normally the chief executive) or
someone they authorise. Trusts delegate by grade (domain.md §5.2), and a grade names the level that signs
(grading.SignOffLevel). A co-ordinator-level response may be signed by a complaints co-ordinator or an
approver; every higher level, and an ungraded complaint, by an approver: the role that holds the
delegation. A level this table does not know yet is treated as an approver's, the safe side.
See docs/decisions/0012-response-sign-off.md.
"""

from palsdesk.accounts.permissions import Permission

# The values of grading.models.SignOffLevel.
COORDINATOR = "coordinator"
DIRECTOR = "director"
EXECUTIVE = "executive"
CHIEF_EXECUTIVE = "chief_executive"

_APPROVER = frozenset({Permission.SIGN_OFF})

SIGNING_PERMISSIONS: dict[str, frozenset[Permission]] = {
    COORDINATOR: frozenset({Permission.REVIEW_RESPONSES, Permission.SIGN_OFF}),
    DIRECTOR: _APPROVER,
    EXECUTIVE: _APPROVER,
    CHIEF_EXECUTIVE: _APPROVER,
}

_WHO = {
    frozenset({Permission.REVIEW_RESPONSES, Permission.SIGN_OFF}): "a complaints co-ordinator or an approver",
    _APPROVER: "an approver (executive sign-off)",
}


def signing_permissions(level: str | None) -> frozenset[Permission]:
    """The permissions any one of which lets a person sign off a response at this level (None: ungraded)."""
    if not level:
        return _APPROVER
    return SIGNING_PERMISSIONS.get(level, _APPROVER)


def who_signs(level: str | None) -> str:
    """'a complaints co-ordinator or an approver', for messages and the page."""
    return _WHO[signing_permissions(level)]


def levels_signed_with(permissions: frozenset[Permission]) -> list[str]:
    """The levels a person holding these permissions may sign off."""
    return [level for level, signing in SIGNING_PERMISSIONS.items() if signing & permissions]

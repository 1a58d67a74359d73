"""The permission enum: what each role may do. Views, the API and services ask can(user, Permission.X)."""

import enum

from django.core.exceptions import PermissionDenied


class Role:
    # Kept as plain strings so that the User model's choices and this table cannot drift.
    PALS_OFFICER = "pals_officer"
    COORDINATOR = "coordinator"
    DIVISIONAL_MANAGER = "divisional_manager"
    APPROVER = "approver"
    VOLUNTEER = "volunteer"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"

    CHOICES = [
        (PALS_OFFICER, "PALS officer"),
        (COORDINATOR, "Complaints co-ordinator"),
        (DIVISIONAL_MANAGER, "Divisional manager (investigator)"),
        (APPROVER, "Approver (executive sign-off)"),
        (VOLUNTEER, "PALS volunteer"),
        (ADMINISTRATOR, "Administrator"),
        (AUDITOR, "Auditor (read-only)"),
    ]


class Permission(enum.Enum):
    SEE_TRUST_CASES = "See every case in the trust (restricted cases still need a name on them)"
    SEE_DIVISION_CASES = "See the cases of the divisions the user belongs to"
    SEE_OWN_LOGGED_CASES = "See the cases the user logged"
    LOG_PALS_CASE = "Log PALS concerns, compliments and enquiries"
    LOG_COMPLAINT = "Log complaints and MP letters"
    ADD_NOTES = "Add notes and log calls and emails on a case"
    EDIT_CASE = "Change a case's details and people"
    MOVE_CASE = "Move a case along its pathway"
    INVESTIGATE = "Move a case through investigation and submit the draft response"
    ASSIGN_CASES = "Assign and reassign case officers and investigating managers"
    RESTRICT_CASES = "Restrict a case to named users"
    SIGN_OFF = "Sign off a final response"
    DECIDE_TIME_LIMIT = "Decide whether a complaint made after the 12-month limit is taken on"
    GRADE_CASES = "Grade and regrade complaints and MP letters"
    CODE_CASES = "Code a case's issues: KO41a subject, service area, professions, HCAT"
    RECORD_OUTCOMES = "Record the outcome of each issue of a complaint or MP letter"
    VIEW_AUDIT_TRAIL = "Read the audit trail"
    ADMINISTER = "Manage reference data and accounts in the admin"


_CASEWORK = {
    Permission.SEE_TRUST_CASES,
    Permission.LOG_PALS_CASE,
    Permission.LOG_COMPLAINT,
    Permission.ADD_NOTES,
    Permission.EDIT_CASE,
    Permission.MOVE_CASE,
    Permission.INVESTIGATE,
    Permission.ASSIGN_CASES,
    Permission.CODE_CASES,
    Permission.RECORD_OUTCOMES,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.PALS_OFFICER: frozenset(_CASEWORK),
    Role.COORDINATOR: frozenset(
        _CASEWORK
        | {
            Permission.RESTRICT_CASES,
            Permission.VIEW_AUDIT_TRAIL,
            Permission.DECIDE_TIME_LIMIT,
            Permission.GRADE_CASES,
        }
    ),
    # Investigators find each issue upheld or not; the co-ordinator, who codes and closes, sees it through.
    Role.DIVISIONAL_MANAGER: frozenset(
        {Permission.SEE_DIVISION_CASES, Permission.ADD_NOTES, Permission.INVESTIGATE, Permission.RECORD_OUTCOMES}
    ),
    Role.APPROVER: frozenset({Permission.SEE_TRUST_CASES, Permission.ADD_NOTES, Permission.SIGN_OFF}),
    Role.VOLUNTEER: frozenset({Permission.SEE_OWN_LOGGED_CASES, Permission.LOG_PALS_CASE}),
    Role.ADMINISTRATOR: frozenset(
        _CASEWORK
        | {
            Permission.RESTRICT_CASES,
            Permission.VIEW_AUDIT_TRAIL,
            Permission.ADMINISTER,
            Permission.DECIDE_TIME_LIMIT,
            Permission.GRADE_CASES,
        }
    ),
    Role.AUDITOR: frozenset({Permission.SEE_TRUST_CASES, Permission.VIEW_AUDIT_TRAIL}),
}


def permissions_of(user) -> frozenset[Permission]:
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Permission)
    return ROLE_PERMISSIONS.get(user.role, frozenset())


def can(user, permission: Permission) -> bool:
    return permission in permissions_of(user)


def roles_with(permission: Permission) -> list[str]:
    return [role for role, permissions in ROLE_PERMISSIONS.items() if permission in permissions]


def require(actor, permission: Permission, doing: str) -> None:
    """Refuse with PermissionDenied, naming the role, unless the actor may do this."""
    if not can(actor, permission):
        role = actor.get_role_display() if getattr(actor, "role", None) else "Your account"
        raise PermissionDenied(f"{role}: this role cannot {doing}.")

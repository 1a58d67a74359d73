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
    REVIEW_RESPONSES = "Review draft final responses: edit, return with comments, sign off co-ordinator-level ones"
    DECIDE_TIME_LIMIT = "Decide whether a complaint made after the 12-month limit is taken on"
    GRADE_CASES = "Grade and regrade complaints and MP letters"
    CODE_CASES = "Code a case's issues: KO41a subject, service area, professions, HCAT"
    RECORD_OUTCOMES = "Record the outcome of each issue of a complaint or MP letter"
    VIEW_AUDIT_TRAIL = "Read the audit trail"
    ADMINISTER = "Manage reference data and accounts in the admin"
    SEND_CORRESPONDENCE = "Write letters from the trust's templates and send emails from a case"
    SEE_TRUST_ACTION_PLANS = "See every action plan in the trust"
    SEE_DIVISION_ACTION_PLANS = "See the action plans of the divisions the user belongs to (by plan or case)"
    MANAGE_ACTION_PLANS = "Raise action plans and add, change, progress and evidence their actions"
    PUBLISH_LEARNING = "Write and approve the public 'you said, we did' wording, and export it"
    HANDLE_OMBUDSMAN_AND_CQC = "Record the Ombudsman's and the CQC's work on a case: requests, replies, decisions"
    COORDINATE_JOINT_WORK = "Record joint complaints (regulation 9); request, chase and receive contributions"
    ARRANGE_MEETINGS = "Arrange resolution meetings and record their notes, agreed actions and follow-up letters"
    WRITE_REPORT_COMMENTARY = "Write the commentary of Board, annual and divisional reports: themes, actions"


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
    Permission.SEND_CORRESPONDENCE,
    # PALS officers raise actions from the PALS themes they see across the trust.
    Permission.SEE_TRUST_ACTION_PLANS,
    Permission.MANAGE_ACTION_PLANS,
    Permission.ARRANGE_MEETINGS,
    Permission.COORDINATE_JOINT_WORK,
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
            Permission.REVIEW_RESPONSES,
            Permission.PUBLISH_LEARNING,
            Permission.HANDLE_OMBUDSMAN_AND_CQC,
            Permission.WRITE_REPORT_COMMENTARY,
        }
    ),
    # Investigators find each issue upheld or not; the co-ordinator, who codes and closes, sees it through.
    Role.DIVISIONAL_MANAGER: frozenset(
        {
            Permission.SEE_DIVISION_CASES,
            Permission.ADD_NOTES,
            Permission.INVESTIGATE,
            Permission.RECORD_OUTCOMES,
            Permission.SEE_DIVISION_ACTION_PLANS,
            Permission.MANAGE_ACTION_PLANS,
            # Investigators often arrange and chair the resolution meeting; they see only their divisions' cases.
            Permission.ARRANGE_MEETINGS,
        }
    ),
    Role.APPROVER: frozenset(
        {Permission.SEE_TRUST_CASES, Permission.ADD_NOTES, Permission.SIGN_OFF, Permission.SEE_TRUST_ACTION_PLANS}
    ),
    Role.VOLUNTEER: frozenset({Permission.SEE_OWN_LOGGED_CASES, Permission.LOG_PALS_CASE}),
    Role.ADMINISTRATOR: frozenset(
        _CASEWORK
        | {
            Permission.RESTRICT_CASES,
            Permission.VIEW_AUDIT_TRAIL,
            Permission.ADMINISTER,
            Permission.DECIDE_TIME_LIMIT,
            Permission.GRADE_CASES,
            Permission.REVIEW_RESPONSES,
            Permission.HANDLE_OMBUDSMAN_AND_CQC,
            Permission.WRITE_REPORT_COMMENTARY,
        }
    ),
    Role.AUDITOR: frozenset(
        {Permission.SEE_TRUST_CASES, Permission.VIEW_AUDIT_TRAIL, Permission.SEE_TRUST_ACTION_PLANS}
    ),
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

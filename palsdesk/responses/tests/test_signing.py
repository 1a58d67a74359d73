"""Who may sign off a response follows the sign-off level of the complaint's grade."""

import pytest

from palsdesk.accounts.permissions import ROLE_PERMISSIONS as ROLES
from palsdesk.accounts.permissions import Permission, Role
from palsdesk.grading.models import SignOffLevel
from palsdesk.responses import signing


@pytest.mark.parametrize(
    ("level", "roles_who_sign"),
    [
        (SignOffLevel.COORDINATOR, {Role.COORDINATOR, Role.ADMINISTRATOR, Role.APPROVER}),
        (SignOffLevel.DIRECTOR, {Role.APPROVER}),
        (SignOffLevel.EXECUTIVE, {Role.APPROVER}),
        (SignOffLevel.CHIEF_EXECUTIVE, {Role.APPROVER}),
        (None, {Role.APPROVER}),  # an ungraded complaint
        ("a_level_added_later", {Role.APPROVER}),  # unknown: the safe side
    ],
)
def test_the_roles_that_sign_each_level(level, roles_who_sign):
    signing_permissions = signing.signing_permissions(level)

    assert {role for role, permissions in ROLES.items() if permissions & signing_permissions} == roles_who_sign


def test_every_level_of_the_grading_scheme_is_in_the_table():
    assert set(signing.SIGNING_PERMISSIONS) == set(SignOffLevel.values)


def test_who_signs_in_words():
    assert signing.who_signs(SignOffLevel.COORDINATOR) == "a complaints co-ordinator or an approver"
    assert signing.who_signs(SignOffLevel.EXECUTIVE) == "an approver (executive sign-off)"


def test_the_levels_a_role_signs():
    assert signing.levels_signed_with(ROLES[Role.COORDINATOR]) == [SignOffLevel.COORDINATOR]
    assert signing.levels_signed_with(ROLES[Role.APPROVER]) == list(SignOffLevel.values)
    assert signing.levels_signed_with(ROLES[Role.PALS_OFFICER]) == []
    assert Permission.SIGN_OFF not in ROLES[Role.COORDINATOR]

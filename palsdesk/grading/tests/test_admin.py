"""Administrators keep the grading scheme in the admin: levels and grades inline, changes audited, bands checked."""

import pytest

from palsdesk.accounts.tests.factories import administrator, coordinator
from palsdesk.audit.models import AuditEvent
from palsdesk.grading.models import Grade, GradingScheme
from palsdesk.grading.tests.factories import levels_scheme, matrix_scheme

pytestmark = pytest.mark.django_db


def inline_data(scheme: GradingScheme, **grade_changes) -> dict:
    """The change form of a scheme as the admin posts it, with changes to grades by code: {"high": {...}}."""
    data = {"name": scheme.name, "kind": scheme.kind, "source": scheme.source}
    for prefix, levels in (
        ("consequence_levels", scheme.consequence_levels.order_by("level")),
        ("likelihood_levels", scheme.likelihood_levels.order_by("level")),
    ):
        levels = list(levels)
        data |= {f"{prefix}-TOTAL_FORMS": len(levels), f"{prefix}-INITIAL_FORMS": len(levels)}
        for number, level in enumerate(levels):
            data |= {
                f"{prefix}-{number}-id": level.pk,
                f"{prefix}-{number}-scheme": scheme.pk,
                f"{prefix}-{number}-level": level.level,
                f"{prefix}-{number}-name": level.name,
                f"{prefix}-{number}-descriptor": level.descriptor,
            }
    grades = list(scheme.grades.order_by("order"))
    data |= {"grades-TOTAL_FORMS": len(grades), "grades-INITIAL_FORMS": len(grades)}
    for number, grade in enumerate(grades):
        values = {
            "id": grade.pk,
            "scheme": scheme.pk,
            "order": grade.order,
            "code": grade.code,
            "name": grade.name,
            "colour": grade.colour,
            "min_score": grade.min_score if grade.min_score is not None else "",
            "max_score": grade.max_score if grade.max_score is not None else "",
            "response_working_days": grade.response_working_days,
            "sign_off_level": grade.sign_off_level,
        } | grade_changes.get(grade.code, {})
        data |= {f"grades-{number}-{name}": value for name, value in values.items()}
    return data


def change_url(scheme) -> str:
    return f"/admin/grading/gradingscheme/{scheme.pk}/change/"


def test_an_administrator_sees_the_scheme_with_its_levels_and_grades(client):
    client.force_login(administrator())
    assert client.get("/admin/grading/gradingscheme/").status_code == 200
    page = client.get(change_url(matrix_scheme())).content.decode()
    assert "Catastrophic" in page
    assert "Almost certain" in page
    assert 'name="grades-3-response_working_days"' in page


def test_a_changed_target_is_saved_and_audited(client):
    admin = administrator()
    client.force_login(admin)
    scheme = matrix_scheme()
    response = client.post(change_url(scheme), inline_data(scheme, high={"response_working_days": 50}))
    assert response.status_code == 302, response.content.decode()[:2000]
    high = Grade.objects.get(scheme=scheme, code="high")
    assert high.response_working_days == 50
    event = AuditEvent.objects.get(action="grade.changed", target_id=str(high.pk))
    assert event.changes == {"response_working_days": [60, 50]}
    assert event.actor == admin


def test_bands_that_leave_a_score_ungraded_are_refused_while_the_scheme_is_in_use(client):
    client.force_login(administrator())
    scheme = matrix_scheme()
    response = client.post(change_url(scheme), inline_data(scheme, high={"min_score": 9}))
    assert response.status_code == 200
    assert "No grade covers a score of 8." in response.content.decode()
    assert Grade.objects.get(scheme=scheme, code="high").min_score == 8


def test_a_scheme_is_made_current_by_an_action_that_checks_it(client):
    client.force_login(administrator())
    scheme = levels_scheme(current=False)
    response = client.post(
        "/admin/grading/gradingscheme/",
        {"action": "make_current", "_selected_action": [scheme.pk]},
        follow=True,
    )
    assert "is now used for gradings" in response.content.decode()
    assert GradingScheme.objects.get(is_current=True) == scheme


def test_nothing_is_deleted_and_a_coordinator_does_not_manage_schemes(client):
    client.force_login(administrator())
    assert client.get(f"/admin/grading/gradingscheme/{matrix_scheme().pk}/delete/").status_code == 403
    client.force_login(coordinator())
    assert client.get("/admin/grading/gradingscheme/").status_code == 403

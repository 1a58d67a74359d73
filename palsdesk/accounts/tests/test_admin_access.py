"""The admin opens to the roles that manage reference data or read the audit trail, and only for what they manage."""

import pytest

from palsdesk.accounts.models import User
from palsdesk.accounts.tests.factories import administrator, auditor, coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.organisation.models import Division
from palsdesk.organisation.tests.factories import DivisionFactory, TrustFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_manages_divisions_without_a_staff_flag(client):
    admin = administrator()
    assert not admin.is_staff
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/organisation/division/").status_code == 200
    trust = TrustFactory()
    response = client.post(
        "/admin/organisation/division/add/", {"trust": trust.pk, "code": "ED", "name": "Emergency", "disabled_on": ""}
    )
    assert response.status_code == 302
    division = Division.objects.get(code="ED")
    assert AuditEvent.objects.filter(action="division.created", target_id=str(division.pk), actor=admin).exists()


@pytest.mark.parametrize(
    "address",
    [
        "/admin/deadlines/responsetarget/",
        "/admin/deadlines/holdreason/",
        "/admin/deadlines/nonworkingday/",
        "/admin/people/communicationneed/",
        "/admin/organisation/service/",
    ],
)
def test_an_administrator_reaches_every_list_of_reference_data(client, address):
    client.force_login(administrator())
    assert client.get(address).status_code == 200


def test_nothing_can_be_deleted_in_the_admin_not_even_by_an_administrator(client):
    division = DivisionFactory()
    client.force_login(administrator())
    assert client.get(f"/admin/organisation/division/{division.pk}/delete/").status_code == 403


def test_an_administrator_cannot_make_anyone_a_superuser(client):
    admin = administrator()
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{admin.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def test_an_auditor_reads_the_audit_trail_but_not_reference_data(client):
    DivisionFactory()
    client.force_login(auditor())
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/organisation/division/").status_code == 403


@pytest.mark.parametrize("make_user", [officer, divisional_manager])
def test_caseworkers_without_those_roles_are_refused_not_sent_round_to_sign_in_again(client, make_user):
    client.force_login(make_user())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


def test_signing_in_to_the_admin_uses_the_services_own_sign_in_page(client):
    response = client.get("/admin/login/?next=/admin/organisation/")
    assert response.status_code == 302
    assert response.url == "/sign-in/?next=%2Fadmin%2Forganisation%2F"


def test_the_navigation_offers_the_admin_to_administrators_and_the_audit_trail_to_coordinators(client):
    client.force_login(administrator())
    page = client.get("/").content.decode()
    assert 'href="/admin/"' in page
    assert 'href="/calendar/"' in page
    client.force_login(coordinator())
    page = client.get("/").content.decode()
    assert 'href="/admin/audit/auditevent/"' in page
    assert User.objects.count() == 2


def test_every_model_in_the_admin_is_one_the_administrator_role_can_see():
    from django.contrib.admin import site

    from palsdesk.accounts.backends import role_model_permissions

    granted = role_model_permissions(administrator())
    for model in site._registry:
        if model is AuditEvent:
            continue  # read by audit roles, written by no one
        assert f"{model._meta.app_label}.view_{model._meta.model_name}" in granted, model

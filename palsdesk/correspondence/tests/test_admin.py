"""Administrators keep the letter templates and settings: unknown merge fields are refused when a template is saved."""

import pytest

from palsdesk.accounts.tests.factories import administrator, coordinator
from palsdesk.audit.models import AuditEvent
from palsdesk.correspondence.models import LetterSettings, LetterTemplate
from palsdesk.organisation.tests.factories import TrustFactory

pytestmark = pytest.mark.django_db


def _template_form(**overrides) -> dict:
    return {
        "name": "Thank you for your compliment",
        "code": "compliment-thanks",
        "description": "",
        "recipient": "main_contact",
        "subject": "Thank you: {{ case.reference }}",
        "body": "Dear {{ recipient.salutation }},\n\nThank you for your kind words.",
        "disabled_on": "",
    } | overrides


def test_an_administrator_adds_a_template_and_the_change_is_audited(client):
    admin_user = administrator()
    client.force_login(admin_user)

    response = client.post("/admin/correspondence/lettertemplate/add/", _template_form())

    assert response.status_code == 302, response.content.decode()[:2000]
    template = LetterTemplate.objects.get(code="compliment-thanks")
    assert template.created_by == admin_user
    assert AuditEvent.objects.filter(action="lettertemplate.created", actor=admin_user).exists()


def test_a_template_with_an_unknown_merge_field_is_refused_when_saved_naming_the_field(client):
    client.force_login(administrator())

    response = client.post(
        "/admin/correspondence/lettertemplate/add/",
        _template_form(body="Dear {{ complainant.nickname }},\n\n{% if case %}Hello{% endif %}"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "{{ complainant.nickname }} is not a merge field." in html
    assert "is template code, which is not allowed" in html
    assert not LetterTemplate.objects.filter(code="compliment-thanks").exists()


def test_the_change_page_lists_every_merge_field_with_what_it_holds(client):
    client.force_login(administrator())

    html = client.get(
        f"/admin/correspondence/lettertemplate/{LetterTemplate.objects.get(code='acknowledgement').pk}/change/"
    ).content.decode()

    assert "<code>{{ case.acknowledgement_due_on }}</code>" in html
    assert "<code>{{ ombudsman.phone }}</code>" in html


def test_an_administrator_keeps_the_letter_settings(client):
    client.force_login(administrator())
    trust = TrustFactory()

    response = client.post(
        "/admin/correspondence/lettersettings/add/",
        {
            "trust": trust.pk,
            "team_name": "PALS and Complaints",
            "team_phone": "01865 000111",
            "team_email": "pals@example.nhs.uk",
            "complaints_procedure": "We look into it.",
            "signatory_name": "Dr Grace Hopper",
            "signatory_job_title": "Chief Executive",
            "advocacy_name": "Advocacy People",
            "advocacy_phone": "0330 440 9000",
            "advocacy_email": "",
            "advocacy_website": "",
            "advocacy_address": "",
            "ombudsman_name": "Parliamentary and Health Service Ombudsman",
            "ombudsman_phone": "0345 015 4033",
            "ombudsman_website": "https://www.ombudsman.org.uk",
            "ombudsman_address": "Citygate\nMosley Street\nManchester\nM2 3HQ",
        },
    )

    assert response.status_code == 302
    assert LetterSettings.objects.get().advocacy_name == "Advocacy People"


def test_other_roles_and_deleting_are_refused(client):
    client.force_login(coordinator())
    assert client.get("/admin/correspondence/lettertemplate/").status_code == 403

    client.force_login(administrator())
    template = LetterTemplate.objects.get(code="acknowledgement")
    assert client.get(f"/admin/correspondence/lettertemplate/{template.pk}/delete/").status_code == 403

"""National lists are read-only in the admin (their files load them); local subjects are the trust's to manage."""

import pytest

from palsdesk.accounts.tests.factories import administrator
from palsdesk.audit.models import AuditEvent
from palsdesk.coding.models import Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.coding.tests.factories import code

pytestmark = pytest.mark.django_db


def test_an_administrator_reads_the_national_lists_but_cannot_change_them(client):
    client.force_login(administrator())
    subjects = Taxonomy.objects.get(kind=TaxonomyKind.SUBJECT, collection_year="2025-26")
    assert client.get("/admin/coding/taxonomy/").status_code == 200
    page = client.get(f"/admin/coding/taxonomy/{subjects.pk}/change/").content.decode()
    assert "Clinical treatment" in page
    assert 'name="codes-0-label"' not in page  # shown, not editable
    assert client.get("/admin/coding/code/?q=clinical").status_code == 200
    assert client.get("/admin/coding/code/add/").status_code == 403
    communications = code(TaxonomyKind.SUBJECT, "communications")
    response = client.post(f"/admin/coding/code/{communications.pk}/change/", {"label": "Changed"})
    assert response.status_code == 403
    assert Code.objects.get(pk=communications.pk).label == "Communications"


def test_an_administrator_adds_a_local_subject_under_a_national_one_and_it_is_audited(client):
    admin = administrator()
    client.force_login(admin)
    form = client.get("/admin/coding/localsubject/add/").content.decode()
    assert "Communications (KO41a 2025-26)" in form
    communications = code(TaxonomyKind.SUBJECT, "communications")
    response = client.post(
        "/admin/coding/localsubject/add/",
        {"name": "Discharge letters", "national_subject": communications.pk, "disabled_on": ""},
    )
    assert response.status_code == 302
    local = LocalSubject.objects.get(name="Discharge letters")
    assert local.national_subject == communications
    assert AuditEvent.objects.filter(action="localsubject.created", target_id=str(local.pk), actor=admin).exists()


def test_a_local_subject_must_map_to_a_subject_not_another_list(client):
    client.force_login(administrator())
    response = client.post(
        "/admin/coding/localsubject/add/",
        {"name": "Doctors", "national_subject": code(TaxonomyKind.PROFESSION, "medical").pk, "disabled_on": ""},
    )
    assert response.status_code == 200
    assert not LocalSubject.objects.exists()

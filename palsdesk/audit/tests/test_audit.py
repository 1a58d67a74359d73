"""The audit trail: every write and every case view leaves an event, and nothing in the app can change one."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from palsdesk.accounts.services import create_api_token
from palsdesk.accounts.tests.factories import PASSWORD, coordinator, officer
from palsdesk.audit import services as audit
from palsdesk.audit.models import AuditEvent, AuditIsAppendOnly
from palsdesk.cases import services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.models import Consent, PartyRole
from palsdesk.people.services import add_person_to_case, record_consent, update_person
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    case = make_case()
    return AuditEvent.objects.filter(case=case).first()


class TestNothingCanChangeAnEvent:
    def test_saving_an_existing_event_is_refused(self, event):
        event.action = "case.tampered"
        with pytest.raises(AuditIsAppendOnly):
            event.save()

    def test_deleting_an_event_is_refused(self, event):
        with pytest.raises(AuditIsAppendOnly):
            event.delete()

    @pytest.mark.parametrize(
        "change",
        [
            lambda events: events.update(action="x"),
            lambda events: events.delete(),
            lambda events: events.bulk_update(list(events), ["action"]),
            lambda events: events.update_or_create(id=1, defaults={"action": "x"}),
        ],
    )
    def test_bulk_changes_through_the_orm_are_refused(self, event, change):
        with pytest.raises(AuditIsAppendOnly):
            change(AuditEvent.objects.all())
        assert AuditEvent.objects.filter(action="x").count() == 0

    def test_the_admin_offers_no_way_to_add_change_or_delete(self, event):
        request = RequestFactory().get("/admin/")
        request.user = officer(is_superuser=True, is_staff=True)
        event_admin = admin_site._registry[AuditEvent]
        assert not event_admin.has_add_permission(request)
        assert not event_admin.has_change_permission(request, event)
        assert not event_admin.has_delete_permission(request, event)

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
    def test_the_database_refuses_a_raw_update_or_delete(self, event):
        for statement in (
            "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
        event.refresh_from_db()
        assert event.action != "x"


def _write_actions():
    """Each thing a person can do, and the audit action it must leave."""

    def complaint(actor):
        return make_case(kind=Kind.COMPLAINT, actor=actor)

    return [
        ("case.opened", lambda actor: complaint(actor)),
        ("case.acknowledge", lambda actor: services.move_case(complaint(actor), to=Status.ACKNOWLEDGED, actor=actor)),
        (
            "case.escalate",
            lambda actor: services.escalate_to_complaint(make_case(actor=actor), reason="Unresolved", actor=actor),
        ),
        ("case.assigned", lambda actor: services.assign_case(complaint(actor), case_officer=actor, actor=actor)),
        ("case.note_added", lambda actor: services.add_note(complaint(actor), body="Rang the ward", actor=actor)),
        (
            "case.email_logged",
            lambda actor: services.log_contact(
                complaint(actor), channel="email", direction="out", body="Update sent", actor=actor
            ),
        ),
        (
            "case.details_changed",
            lambda actor: services.update_case_details(complaint(actor), summary="Clearer summary", actor=actor),
        ),
        (
            "case.restricted",
            lambda actor: services.restrict_case(complaint(actor), named_users=[actor], actor=actor),
        ),
        ("case.linked", lambda actor: services.link_cases(complaint(actor), complaint(actor), actor=actor)),
        (
            "person.added_to_case",
            lambda actor: add_person_to_case(
                complaint(actor), details=person_details(), roles=[PartyRole.PATIENT], actor=actor
            ),
        ),
        (
            "person.changed",
            lambda actor: update_person(
                complaint(actor).parties.first().person, details=person_details(last_name="Changed"), actor=actor
            ),
        ),
        (
            "consent.recorded",
            lambda actor: record_consent(complaint(actor), status=Consent.Status.NOT_NEEDED, actor=actor),
        ),
        ("case.viewed", lambda actor: services.record_case_view(complaint(actor), actor=actor)),
        ("api_token.created", lambda actor: create_api_token(actor, actor=actor)),
    ]


@pytest.mark.parametrize(("action", "do_it"), _write_actions(), ids=[a for a, _ in _write_actions()])
def test_every_write_and_every_view_leaves_an_audit_event_by_its_actor(action, do_it):
    actor = coordinator(divisions=[DivisionFactory()])
    do_it(actor)
    event = AuditEvent.objects.filter(action=action).latest("id")
    assert event.actor == actor
    assert event.actor_label == actor.username
    assert event.target_type and event.target_id


def test_a_change_records_the_old_and_new_values():
    case = make_case(summary="Old summary")
    services.update_case_details(case, summary="New summary", actor=case.created_by)
    assert AuditEvent.objects.get(action="case.details_changed").changes["summary"] == ["Old summary", "New summary"]


def test_an_event_is_written_in_the_same_transaction_as_its_change():
    case = make_case()
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_note(case, body="Will be rolled back", actor=case.created_by)
        raise RuntimeError
    assert AuditEvent.objects.count() == before


def test_signing_in_and_failing_to_sign_in_are_recorded(client):
    user = officer()
    client.post("/sign-in/", {"username": user.username, "password": "wrong"})
    assert AuditEvent.objects.filter(action="user.sign_in_failed", context__username=user.username).exists()
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert AuditEvent.objects.filter(action="user.signed_in", actor=user).exists()


def test_plain_turns_values_into_json():
    import datetime

    assert audit.plain({"on": datetime.date(2026, 11, 20), "ids": (1, 2)}) == {"on": "2026-11-20", "ids": [1, 2]}

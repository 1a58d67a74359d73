"""The meeting's calendar file: read back by a calendar library as the trust means it, in England's time."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.meetings import invitations, services
from palsdesk.meetings.models import AttendeeRole
from palsdesk.meetings.rules import in_england
from palsdesk.meetings.tests.factories import NOW, arrange
from palsdesk.meetings.tests.helpers import attendee_emails, calendar_of
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lead(division):
    return coordinator(first_name="Priya", last_name="Shah", email="priya.shah@nhs.example", divisions=[division])


@pytest.fixture
def complaint(lead, division):
    return make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=lead,
        complainant=person_details(first_name="Grace", last_name="Okafor", email="grace@example.org"),
        complainant_is_patient=True,
    )


def test_a_summer_meeting_is_at_its_time_in_england_with_the_rules_for_british_summer_time(lead, complaint):
    starts_at = in_england(datetime.date(2027, 6, 15), datetime.time(10))
    meeting = arrange(complaint, actor=lead, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1))

    calendar, event = calendar_of(invitations.calendar_file(meeting))

    assert event.start.astimezone(datetime.UTC) == datetime.datetime(2027, 6, 15, 9, tzinfo=datetime.UTC)
    assert "DTSTART;TZID=Europe/London:20270615T100000" in calendar.to_ical().decode()
    (timezone,) = calendar.timezones
    assert timezone["tzid"] == "Europe/London"
    summer = next(part for part in timezone.walk("DAYLIGHT"))
    assert summer["tzoffsetto"].td == datetime.timedelta(hours=1)


def test_the_file_says_who_organises_it_who_is_coming_and_what_for_but_not_their_access_needs(lead, complaint):
    meeting = arrange(
        complaint,
        actor=lead,
        parties=list(complaint.parties.all()),
        video_link="https://meet.example/okafor",
        access_needs="Grace uses a wheelchair",
    )
    services.add_attendee(
        meeting, actor=lead, role=AttendeeRole.INTERPRETER, name="Ana Silva", role_description="Polish"
    )

    calendar, event = calendar_of(invitations.calendar_file(meeting))

    assert str(calendar["prodid"]) == "-//PALS Desk//Resolution meetings//EN"
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["organizer"]) == "mailto:priya.shah@nhs.example"
    assert event["organizer"].params["CN"] == "Priya Shah"
    assert attendee_emails(event) == {"grace@example.org"}
    assert str(event["location"]) == "Seminar room 2, Education Centre, Riverside Hospital"
    assert str(event["url"]) == "https://meet.example/okafor"
    description = str(event["description"])
    assert f"Our reference: {complaint.reference}" in description
    assert "- Ana Silva, interpreter, polish" in description.replace("Polish", "polish")
    assert "2. The findings" in description
    assert "wheelchair" not in calendar.to_ical().decode()


def test_the_uid_stays_and_the_sequence_rises_through_a_change_and_a_cancellation(lead, complaint):
    meeting = arrange(complaint, actor=lead)
    _, first = calendar_of(invitations.calendar_file(meeting))

    services.change_meeting(meeting, actor=lead, place="Room 5")
    meeting.refresh_from_db()
    _, changed = calendar_of(invitations.calendar_file(meeting))
    services.cancel_meeting(meeting, reason="Resolved", actor=lead)
    meeting.refresh_from_db()
    calendar, cancelled = calendar_of(invitations.calendar_file(meeting))

    assert str(first["uid"]) == str(changed["uid"]) == str(cancelled["uid"]) == f"{meeting.uid}@palsdesk"
    assert [int(e["sequence"]) for e in (first, changed, cancelled)] == [0, 1, 2]
    assert (str(calendar["method"]), str(cancelled["status"])) == ("CANCEL", "CANCELLED")

"""The meetings API: the same services as the pages, with 400 per field, 403, 404 and 409."""

import datetime

import pytest
import time_machine
from django.core import mail
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import approver, coordinator, divisional_manager
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.meetings.models import ResolutionMeeting
from palsdesk.meetings.tests.factories import ENDS_AT, NOW, arrange
from palsdesk.meetings.tests.helpers import attendee_emails, calendar_of
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def lead(division):
    return coordinator(username="lead", divisions=[division])


@pytest.fixture
def investigator(division):
    return divisional_manager(username="tom", first_name="Tom", last_name="Reid", divisions=[division])


@pytest.fixture
def complaint(lead, division):
    return make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=lead,
        received_on=datetime.date(2026, 11, 2),
        complainant=person_details(title="Mrs", first_name="Grace", last_name="Okafor", email="grace@example.org"),
        complainant_is_patient=True,
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def meetings_url(case) -> str:
    return f"/api/v1/cases/{case.reference}/meetings/"


NEW_MEETING = {
    "purpose": "To go through the findings",
    "starts_at": "2026-12-01T10:00:00",
    "ends_at": "2026-12-01T11:30:00Z",
    "place": "Seminar room 2",
    "note_taker": "tom",
    "recording_consent": "given",
    "case_roles": ["complainant"],
}


class TestArrangingAndReading:
    def test_a_meeting_is_arranged_and_read_back_with_its_people_and_deadlines(self, lead, investigator, complaint):
        response = api(lead).post(meetings_url(complaint), NEW_MEETING, format="json")

        assert response.status_code == 201, response.json()
        meeting = response.json()
        assert meeting["case"] == complaint.reference
        assert meeting["starts_at"] == "2026-12-01T10:00:00Z"  # a time without an offset is England's (GMT here)
        assert (meeting["organiser"], meeting["note_taker"], meeting["stage"]) == ("lead", "tom", "arranged")
        assert (meeting["notes_due_on"], meeting["follow_up_due_on"]) == ("2026-12-08", "2026-12-15")
        assert [(a["name"], a["role"], a["case_role"], a["email"]) for a in meeting["attendees"]] == [
            ("Mrs Grace Okafor", "complainant", "complainant", "grace@example.org")
        ]

        listed = api(investigator).get(meetings_url(complaint)).json()
        assert [m["id"] for m in listed["results"]] == [meeting["id"]]

    def test_bad_input_is_refused_per_field(self, lead, investigator, complaint):
        client = api(lead)

        unknown = client.post(meetings_url(complaint), {**NEW_MEETING, "colour": "red"}, format="json")
        nobody = client.post(meetings_url(complaint), {**NEW_MEETING, "note_taker": "nobody"}, format="json")
        broken = client.post(
            meetings_url(complaint), {**NEW_MEETING, "place": "", "ends_at": "2026-12-01T09:00:00Z"}, format="json"
        )

        assert unknown.status_code == nobody.status_code == broken.status_code == 400
        assert list(unknown.json()) == ["colour"]
        assert nobody.json() == {"note_taker": ["There is no active account with the username 'nobody'."]}
        assert broken.json() == {
            "place": ["Enter where the meeting is, or a video link, or both."],
            "ends_at": ["The meeting must end after it starts."],
        }
        assert not ResolutionMeeting.objects.exists()

    def test_a_pals_concern_has_no_meetings(self, lead, investigator, division):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=lead)

        response = api(lead).post(meetings_url(concern), NEW_MEETING | {"case_roles": []}, format="json")

        assert response.status_code == 400
        assert "Escalate the concern to a complaint first" in response.json()["detail"]

    def test_someone_outside_the_division_gets_404_and_a_role_that_cannot_arrange_403(self, lead, complaint):
        meeting = arrange(complaint, actor=lead)
        outsider = api(divisional_manager(divisions=[DivisionFactory()]))

        assert outsider.get(meetings_url(complaint)).status_code == 404
        assert outsider.get(f"{meetings_url(complaint)}{meeting.pk}/").status_code == 404
        assert outsider.get(f"{meetings_url(complaint)}{meeting.pk}/invitation.ics").status_code == 404
        assert api(approver()).post(meetings_url(complaint), NEW_MEETING, format="json").status_code == 403
        assert api(approver()).get(f"{meetings_url(complaint)}{meeting.pk}/").status_code == 200

    def test_a_stale_version_is_409_and_nothing_changes(self, lead, complaint):
        meeting = arrange(complaint, actor=lead)
        url = f"{meetings_url(complaint)}{meeting.pk}/"
        api(lead).patch(url, {"place": "Room 5", "version": 1}, format="json")

        response = api(lead).patch(url, {"place": "Room 9", "version": 1}, format="json")

        assert response.status_code == 409
        assert "changed this meeting" in response.json()["detail"]
        assert api(lead).get(url).json()["place"] == "Room 5"


class TestInvitingAndAfterwards:
    def test_the_whole_meeting_through_the_api(self, lead, investigator, complaint, _now):
        client = api(lead)
        meeting = client.post(meetings_url(complaint), NEW_MEETING, format="json").json()
        url = f"{meetings_url(complaint)}{meeting['id']}/"

        staff = client.post(f"{url}attendees/", {"username": "tom", "role_description": "Chair"}, format="json")
        assert staff.status_code == 201
        named = client.post(
            f"{url}attendees/",
            {"name": "Joseph Okafor", "email": "joe@example.org", "role": "companion"},
            format="json",
        )
        assert [a["role"] for a in named.json()["attendees"]] == ["complainant", "staff", "companion"]

        sent = client.post(f"{url}invitations/").json()
        assert (sent["sent"], sent["without_email"], sent["failed"]) == (
            ["Mrs Grace Okafor", "Tom Reid", "Joseph Okafor"],
            [],
            [],
        )
        assert len(mail.outbox) == 3

        ics = client.get(f"{url}invitation.ics")
        assert ics["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
        _, event = calendar_of(ics.content)
        assert attendee_emails(event) == {"grace@example.org", "tom@nhs.example", "joe@example.org"}
        assert event.start == datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)

        early = client.put(f"{url}notes/", {"notes": "Too soon"}, format="json")
        assert early.status_code == 400
        assert "once it has taken place" in early.json()["detail"]

        _now.move_to(ENDS_AT)
        assert client.put(f"{url}notes/", {"notes": "We went through the findings."}, format="json").status_code == 200
        action = client.post(
            f"{url}actions/",
            {"description": "Review the discharge checklist", "owner": "tom", "due_on": "2027-01-15"},
            format="json",
        ).json()["actions"][0]
        done = api(investigator).patch(f"{url}actions/{action['id']}/", {"done_on": "2026-12-01"}, format="json")
        assert done.status_code == 200
        assert done.json()["actions"][0]["done_on"] == "2026-12-01"
        assert (
            api(investigator)
            .patch(f"{url}actions/{action['id']}/", {"due_on": "2027-02-01"}, format="json")
            .status_code
            == 200
        )  # an investigator may arrange meetings, so may change it too

        letter = client.post(f"{url}follow-up/draft/", {}, format="json").json()["follow_up_letter"]
        assert "1. Review the discharge checklist. Tom Reid will do this by 1 February 2027." in letter
        client.put(f"{url}follow-up/", {"text": letter + "\n\nPS"}, format="json")
        sent = client.post(f"{url}follow-up/sent/", {"sent_on": "2026-12-01"}, format="json")
        assert sent.status_code == 200
        assert (sent.json()["follow_up_sent_on"], sent.json()["stage"]) == ("2026-12-01", "complete")
        assert sent.json()["follow_up_letter"].endswith("PS")

    def test_cancelling_through_the_api_tells_those_invited(self, lead, complaint):
        meeting = arrange(complaint, actor=lead, parties=list(complaint.parties.all()))
        url = f"{meetings_url(complaint)}{meeting.pk}/"
        api(lead).post(f"{url}invitations/")
        mail.outbox.clear()

        response = api(lead).post(f"{url}cancellation/", {"reason": "Resolved by phone"}, format="json")

        assert response.status_code == 200
        assert response.json()["sent"] == ["Mrs Grace Okafor"]
        assert response.json()["meeting"]["stage"] == "cancelled"
        assert mail.outbox[0].subject.startswith("Cancelled: meeting on")

    def test_an_attendee_named_by_a_role_nobody_holds_is_refused(self, lead, complaint):
        meeting = arrange(complaint, actor=lead)

        response = api(lead).post(
            f"{meetings_url(complaint)}{meeting.pk}/attendees/", {"case_role": "representative"}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {"case_role": [f"No one on {complaint.reference} is its representative."]}

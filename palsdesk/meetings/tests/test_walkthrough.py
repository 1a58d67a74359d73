"""A complaint walked through a resolution meeting on the web pages, as the co-ordinator and the investigator do it:
arranged, people invited with a calendar file, moved, held, written up, actions agreed, and the follow-up letter."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from palsdesk.accounts.tests.factories import coordinator, divisional_manager
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import _RESPONSIVE_HEADING, on, text_of
from palsdesk.meetings.models import AttendeeRole, ResolutionMeeting, Stage
from palsdesk.meetings.tests.factories import NOW
from palsdesk.meetings.tests.helpers import (
    attendee_emails,
    calendar_of,
    docx_text,
    emailed_calendar,
    meeting_url,
    page_text,
)
from palsdesk.organisation.tests.factories import DivisionFactory
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(day: str, time: str = "12:00") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=LONDON)


def other_deadlines(client, user) -> dict[str, str]:
    """My work's "Other deadlines" rows, as read: what is due → when, and its state.

    Signing in afresh each time: the clock moves on by days between looks, past the session's 8 hours.
    """
    client.force_login(user)
    html = client.get("/").content.decode()
    if "<h2>Other deadlines</h2>" not in html:
        return {}
    table = html.split("<h2>Other deadlines</h2>")[1].split("</table>")[0]
    rows = {}
    for row in table.split('<tr role="row" class="nhsuk-table__row">')[1:]:
        cells = page_text_of(row).split(" | ")
        rows[cells[1]] = cells[2]
    return rows


def page_text_of(row_html: str) -> str:
    cells = row_html.split("</td>")[:-1]
    # A line break between the date and its tag reads as a space.
    return " | ".join(text_of(_RESPONSIVE_HEADING.sub("", cell).replace("<br>", " ")) for cell in cells)


@pytest.fixture
def medicine():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def lead(medicine):
    return coordinator(
        username="lead", first_name="Priya", last_name="Shah", job_title="Complaints co-ordinator", divisions=[medicine]
    )


@pytest.fixture
def investigator(medicine):
    return divisional_manager(
        username="investigator",
        first_name="Tom",
        last_name="Reid",
        job_title="Matron, Ward 7",
        email="tom.reid@nhs.example",
        divisions=[medicine],
    )


@pytest.fixture
def complaint(lead, investigator, medicine):
    with time_machine.travel(NOW, tick=False):
        return make_case(
            kind=Kind.COMPLAINT,
            division=medicine,
            actor=lead,
            case_officer=lead,
            received_on=datetime.date(2026, 11, 2),
            summary="Discharged without his medicines",
            complainant=person_details(
                title="Mrs",
                first_name="Grace",
                last_name="Okafor",
                email="grace.okafor@example.org",
                address_line_1="4 Mill Lane",
                town="Riverside",
                postcode="RV1 2AB",
            ),
            complainant_is_patient=False,
            relationship_to_patient="child",
            patient=person_details(first_name="Samuel", last_name="Okafor"),
        )


def test_a_complaint_goes_through_a_resolution_meeting_from_invitation_to_follow_up_letter(
    client, lead, investigator, complaint, medicine
):
    outsider = divisional_manager(username="surgery", divisions=[DivisionFactory(code="SURG")])
    complainant = complaint.parties.get(role="representative")

    with time_machine.travel(NOW, tick=False) as clock:
        # The co-ordinator arranges the meeting from the complaint's page.
        client.force_login(lead)
        case_page = client.get(f"/cases/{complaint.reference}/").content.decode()
        assert '<h2 id="meetings-heading">Resolution meetings</h2>' in case_page
        assert f'href="/cases/{complaint.reference}/meetings/new/"' in case_page

        response = client.post(
            f"/cases/{complaint.reference}/meetings/new/",
            {
                "purpose": "To go through the findings about Mr Okafor's discharge",
                **on("on", datetime.date(2026, 12, 1)),
                "starts": "10:00",
                "ends": "11:30",
                "place": "Seminar room 2, Education Centre",
                "agenda": "1. The findings\n2. What the ward will change",
                "access_needs": "Mrs Okafor uses a wheelchair: a step-free room",
                "organiser": lead.pk,
                "note_taker": investigator.pk,
                "recording_consent": "given",
                "parties": [complainant.pk],
            },
        )
        meeting = ResolutionMeeting.objects.get(case=complaint)
        assert response.status_code == 302
        assert response.url == meeting_url(meeting)

        # Who else is coming: the investigator chairs, her son comes with her, an interpreter without email.
        for posted in (
            {"who": "staff", "user": investigator.pk, "role_description": "Chair"},
            {"who": "other", "name": "Joseph Okafor", "email": "joe.okafor@example.org", "role": "companion"},
            {"who": "other", "name": "Ana Silva", "role": "interpreter", "role_description": "Portuguese"},
        ):
            posted["version"] = ResolutionMeeting.objects.get(pk=meeting.pk).version
            assert client.post(meeting_url(meeting, "add_attendee"), posted).status_code == 302
        assert [a.role for a in meeting.attendees.all()] == [
            AttendeeRole.REPRESENTATIVE,
            AttendeeRole.STAFF,
            AttendeeRole.COMPANION,
            AttendeeRole.INTERPRETER,
        ]

        # The invitations go by email, each with a calendar file naming only its recipient.
        response = client.post(meeting_url(meeting, "invite"), follow=True)
        assert "Invitation emailed to Mrs Grace Okafor, Tom Reid and Joseph Okafor" in page_text(response)
        assert "Ana Silva has no email address" in page_text(response)
        assert sorted(message.to[0] for message in mail.outbox) == [
            "grace.okafor@example.org",
            "joe.okafor@example.org",
            "tom.reid@nhs.example",
        ]
        to_grace = next(m for m in mail.outbox if m.to == ["grace.okafor@example.org"])
        assert to_grace.subject == "Invitation: meeting on Tuesday 1 December 2026, 10:00 to 11:30"
        calendar, event, method = emailed_calendar(to_grace)
        assert method == "REQUEST" and calendar["method"] == "REQUEST"
        assert event.start == datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
        assert event.end == datetime.datetime(2026, 12, 1, 11, 30, tzinfo=LONDON)
        assert event.DTSTART.tzname() == "GMT"
        assert str(event["summary"]) == "Resolution meeting: To go through the findings about Mr Okafor's discharge"
        assert attendee_emails(event) == {"grace.okafor@example.org"}
        assert "wheelchair" not in str(event["description"])  # access needs stay on the meeting's page
        first_uid, first_sequence = str(event["uid"]), int(event["sequence"])
        assert first_sequence == 0

        # The calendar file on the meeting's page names everyone coming who has an email address.
        download = client.get(meeting_url(meeting, "calendar_file"))
        assert download["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
        calendar, event = calendar_of(download.content)
        assert attendee_emails(event) == {"grace.okafor@example.org", "joe.okafor@example.org", "tom.reid@nhs.example"}
        assert [tz["tzid"] for tz in calendar.timezones] == ["Europe/London"]
        assert str(event["uid"]) == first_uid
        description = str(event["description"])
        assert "Ana Silva, interpreter, portuguese" in description.replace("Portuguese", "portuguese")

        # The meeting moves to the afternoon: the update has the same UID and the next SEQUENCE.
        mail.outbox.clear()
        meeting.refresh_from_db()
        response = client.post(
            meeting_url(meeting, "change"),
            {
                "version": meeting.version,
                "purpose": meeting.purpose,
                **on("on", datetime.date(2026, 12, 1)),
                "starts": "2pm",
                "ends": "15:30",
                "place": meeting.place,
                "agenda": meeting.agenda,
                "access_needs": meeting.access_needs,
                "organiser": lead.pk,
                "note_taker": investigator.pk,
                "recording_consent": "given",
            },
            follow=True,
        )
        assert "Send the update to those invited" in page_text(response)
        client.post(meeting_url(meeting, "invite"))
        assert len(mail.outbox) == 3
        update = next(m for m in mail.outbox if m.to == ["grace.okafor@example.org"])
        assert update.subject == "Updated invitation: meeting on Tuesday 1 December 2026, 14:00 to 15:30"
        _, event, _ = emailed_calendar(update)
        assert (str(event["uid"]), int(event["sequence"])) == (first_uid, 1)
        assert event.start == datetime.datetime(2026, 12, 1, 14, 0, tzinfo=LONDON)

        # Before the meeting, no one owes its notes.
        client.force_login(investigator)
        assert other_deadlines(client, investigator) == {}

        # After it, the note-taker owes the notes: due 5 working days on, and overdue the day after that.
        clock.move_to(at("2026-12-01", "16:00"))
        assert other_deadlines(client, investigator) == {
            "Write the notes of the meeting on 1 Dec 2026": "8 Dec 2026 On track"
        }
        clock.move_to(at("2026-12-08"))
        assert other_deadlines(client, investigator) == {
            "Write the notes of the meeting on 1 Dec 2026": "8 Dec 2026 Due today"
        }
        clock.move_to(at("2026-12-09"))
        assert other_deadlines(client, investigator) == {
            "Write the notes of the meeting on 1 Dec 2026": "8 Dec 2026 Overdue"
        }

        # The investigator writes the notes and records what was agreed.
        meeting.refresh_from_db()
        response = client.post(
            meeting_url(meeting, "notes"),
            {"version": meeting.version, "notes": "Mrs Okafor explained what happened on the day of discharge."},
        )
        assert response.status_code == 302
        for description, owner, owner_name, due in (
            ("Ward 7 to add a medicines check to its discharge checklist", investigator.pk, "", "15 1 2027"),
            ("Send copies of the discharge letters", "", "Mrs Grace Okafor", "18 12 2026"),
        ):
            meeting.refresh_from_db()
            day, month, year = due.split()
            response = client.post(
                meeting_url(meeting, "add_action"),
                {
                    "version": meeting.version,
                    "description": description,
                    "owner": owner,
                    "owner_name": owner_name,
                    "due_on_0": day,
                    "due_on_1": month,
                    "due_on_2": year,
                },
            )
            assert response.status_code == 302, page_text(response)
        assert other_deadlines(client, investigator) == {
            "Agreed action: Ward 7 to add a medicines check to its discharge checklist": "15 Jan 2027 On track"
        }

        # The organiser now owes the follow-up letter: 10 working days after the meeting.
        client.force_login(lead)
        assert other_deadlines(client, lead) == {
            "Send the follow-up letter after the meeting on 1 Dec 2026": "15 Dec 2026 On track"
        }
        clock.move_to(at("2026-12-16"))
        assert other_deadlines(client, lead) == {
            "Send the follow-up letter after the meeting on 1 Dec 2026": "15 Dec 2026 Overdue"
        }

        # The draft is written from the agreed actions, read back as a Word document, and recorded as sent.
        meeting.refresh_from_db()
        client.post(meeting_url(meeting, "follow_up_draft"), {"version": meeting.version})
        meeting.refresh_from_db()
        assert meeting.follow_up_letter.startswith("Dear Mrs Okafor,")
        document = client.get(meeting_url(meeting, "follow_up_docx"))
        assert document["Content-Type"] == ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        text = docx_text(document.content)
        assert "Dear Mrs Okafor," in text
        assert f"Our reference: {complaint.reference}" in text
        assert "Thank you for meeting us on Tuesday 1 December 2026" in text
        assert (
            "1. Ward 7 to add a medicines check to its discharge checklist. Tom Reid (Matron, Ward 7) will do this "
            "by 15 January 2027." in text
        )
        assert "2. Send copies of the discharge letters. Mrs Grace Okafor will do this by 18 December 2026." in text
        assert "Parliamentary and Health Service Ombudsman" in text
        assert "4 Mill Lane" in text

        response = client.post(meeting_url(meeting, "follow_up_sent"), {"version": meeting.version}, follow=True)
        assert "Follow-up letter recorded as sent on 16 December 2026." in page_text(response)
        assert other_deadlines(client, lead) == {}

        # The investigator marks their action done, and it leaves their list.
        client.force_login(investigator)
        action = meeting.actions.get(owner=investigator)
        client.post(meeting_url(meeting, "action_progress", action_id=action.pk), {"done": "yes"})
        assert other_deadlines(client, investigator) == {}
        meeting.refresh_from_db()
        assert meeting.stage_at(NOW + datetime.timedelta(days=30)) == Stage.COMPLETE

        # Someone outside the case's division cannot find the meeting, its file or its letter.
        client.force_login(outsider)
        for name in ("detail", "calendar_file", "follow_up_docx"):
            assert client.get(meeting_url(meeting, name)).status_code == 404

    # Every step is on the case's timeline and the audit trail.
    timeline = list(complaint.timeline.values_list("body", flat=True))
    assert any(body.startswith("Resolution meeting arranged for Tuesday 1 December 2026 at 10:00") for body in timeline)
    assert any(body.startswith("Resolution meeting moved from Tuesday 1 December 2026 at 10:00") for body in timeline)
    assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.EMAIL, contact__contains="Joseph Okafor").count() == 2
    assert {
        "meeting.arranged",
        "meeting.attendee_added",
        "meeting.invitations_sent",
        "meeting.changed",
        "meeting.notes_recorded",
        "meeting.action_added",
        "meeting.follow_up_drafted",
        "meeting.follow_up_sent",
        "meeting.action_changed",
        "meeting.downloaded",
    } <= set(AuditEvent.objects.filter(case=complaint).values_list("action", flat=True))

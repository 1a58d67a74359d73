"""The meetings pages: who may open them, what bad input gets back, the diary, the case page's section, and how many
times each reads the database."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palsdesk.accounts.tests.factories import approver, coordinator, divisional_manager, volunteer
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import assert_refused, on
from palsdesk.meetings import services
from palsdesk.meetings.extensions import meeting_work_items, meetings_section
from palsdesk.meetings.models import AttendeeRole, ResolutionMeeting
from palsdesk.meetings.rules import in_england
from palsdesk.meetings.tests.factories import ENDS_AT, MEETING_DAY, NOW, STARTS_AT, arrange
from palsdesk.meetings.tests.helpers import meeting_url, page_text
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def lead(division):
    return coordinator(username="lead", first_name="Priya", last_name="Shah", divisions=[division])


@pytest.fixture
def complaint(lead, division):
    return make_case(
        kind=Kind.COMPLAINT, division=division, actor=lead, case_officer=lead, received_on=datetime.date(2026, 11, 2)
    )


@pytest.fixture
def meeting(complaint, lead):
    return arrange(complaint, actor=lead, parties=list(complaint.parties.all()))


def arrange_form(**overrides) -> dict:
    return {
        "purpose": "To go through the findings",
        **on("on", MEETING_DAY),
        "starts": "10:00",
        "ends": "11:30",
        "place": "Seminar room 2",
        "agenda": "",
        "access_needs": "",
        "organiser": "",
        "note_taker": "",
        "recording_consent": "not_asked",
    } | overrides


class TestAccess:
    def test_someone_outside_the_cases_division_gets_not_found_everywhere(self, client, meeting, complaint):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))

        for url in (
            f"/cases/{complaint.reference}/meetings/new/",
            meeting_url(meeting),
            meeting_url(meeting, "change"),
            meeting_url(meeting, "notes"),
            meeting_url(meeting, "calendar_file"),
        ):
            assert client.get(url).status_code == 404, url
        assert client.post(meeting_url(meeting, "invite")).status_code == 404

    def test_roles_that_do_not_arrange_meetings_read_them_but_cannot_change_them(self, client, meeting, complaint):
        client.force_login(approver())

        page = client.get(meeting_url(meeting))
        assert page.status_code == 200
        assert "Change the arrangements" not in page_text(page)
        assert "Add a member of staff" not in page_text(page)
        assert client.get(f"/cases/{complaint.reference}/meetings/new/").status_code == 403
        assert client.post(meeting_url(meeting, "invite")).status_code == 403
        assert client.get("/meetings/").status_code == 403

    def test_the_navigation_offers_the_diary_to_those_who_arrange_meetings(self, client, lead):
        client.force_login(lead)
        assert 'href="/meetings/" aria-current="page">Meetings</a>' in client.get("/meetings/").content.decode()
        client.force_login(volunteer())
        assert 'href="/meetings/"' not in client.get("/").content.decode()

    def test_meetings_are_arranged_only_on_complaints_and_mp_letters(self, client, lead, division):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=lead)
        client.force_login(lead)

        assert client.get(f"/cases/{concern.reference}/meetings/new/").status_code == 404
        assert "Resolution meetings" not in page_text(client.get(f"/cases/{concern.reference}/"))


class TestArranging:
    def test_bad_input_comes_back_with_the_problems_and_what_was_typed(self, client, lead, complaint):
        client.force_login(lead)

        response = client.post(
            f"/cases/{complaint.reference}/meetings/new/",
            arrange_form(starts="half two", ends="", place="", video_link="www.example.org/meet", note_taker=lead.pk),
        )

        assert_refused(
            response, says="Enter the start time as hours and minutes, like 14:30 or 2:30pm.", kept=["half two"]
        )
        assert "Enter the end time, like 11:30." in page_text(response)
        assert not ResolutionMeeting.objects.exists()

    def test_the_services_checks_come_back_by_the_fields_they_are_about(self, client, lead, complaint):
        client.force_login(lead)

        response = client.post(
            f"/cases/{complaint.reference}/meetings/new/",
            arrange_form(place="", video_link="www.example.org/meet", note_taker=lead.pk, organiser=lead.pk),
        )

        assert_refused(
            response, says="Enter the video link as a full web address starting https://", kept=["www.example.org/meet"]
        )
        response = client.post(
            f"/cases/{complaint.reference}/meetings/new/",
            arrange_form(place="", video_link="", note_taker=lead.pk, organiser=lead.pk),
        )
        assert_refused(response, says="Enter where the meeting is, or a video link, or both.")

    def test_only_staff_who_can_see_the_case_are_offered_as_note_taker(self, client, lead, complaint, division):
        investigator = divisional_manager(first_name="Tom", last_name="Reid", divisions=[division])
        elsewhere = divisional_manager(first_name="Zed", last_name="Far", divisions=[DivisionFactory()])
        client.force_login(lead)

        html = client.get(f"/cases/{complaint.reference}/meetings/new/").content.decode()

        assert f'<option value="{investigator.pk}">Tom Reid</option>' in html
        assert f'value="{elsewhere.pk}"' not in html

    def test_a_stale_change_says_who_changed_the_meeting_and_keeps_what_was_typed(self, client, lead, meeting):
        colleague = coordinator(first_name="Amir", last_name="Khan", divisions=list(lead.divisions.all()))
        services.change_meeting(meeting, actor=colleague, place="Room 5")
        client.force_login(lead)

        response = client.post(
            meeting_url(meeting, "change"),
            arrange_form(version=1, place="Room 9", organiser=lead.pk, note_taker=lead.pk),
        )

        assert_refused(response, says="Amir Khan changed this meeting at 10:30", kept=["Room 9"], at_field=False)
        assert ResolutionMeeting.objects.get(pk=meeting.pk).place == "Room 5"


class TestTheMeetingsPage:
    def test_an_attendee_form_with_a_problem_comes_back_open_with_it(self, client, lead, meeting):
        client.force_login(lead)

        response = client.post(
            meeting_url(meeting, "add_attendee"),
            {"who": "other", "version": meeting.version, "name": "", "email": "not an address", "role": "companion"},
        )

        assert_refused(response, says="Enter their name.", kept=["not an address"])
        assert '<details class="nhsuk-details" open>' in response.content.decode()
        assert meeting.attendees.count() == 1

    def test_the_page_says_who_has_had_the_latest_invitation(self, client, lead, meeting, division):
        services.add_attendee(meeting, actor=lead, role=AttendeeRole.INTERPRETER, name="Ana Silva")
        services.add_attendee(
            meeting, actor=lead, role=AttendeeRole.STAFF, user=divisional_manager(divisions=[division])
        )
        client.force_login(lead)

        before = page_text(client.get(meeting_url(meeting)))
        client.post(meeting_url(meeting, "invite"))
        later = in_england(MEETING_DAY, datetime.time(15))
        services.change_meeting(meeting, actor=lead, starts_at=later, ends_at=later + datetime.timedelta(hours=1))
        after = page_text(client.get(meeting_url(meeting)))

        assert "Not sent yet" in before and "Email the invitations" in before
        assert "Update not sent yet" in after and "Email the updated invitations" in after
        assert "No email address: tell them another way" in after

    def test_after_the_meeting_the_notes_are_owed_with_their_due_date(self, client, lead, meeting, _now):
        _now.move_to(ENDS_AT)
        client.force_login(lead)

        text = page_text(client.get(meeting_url(meeting)))

        assert "Notes to write" in text
        assert "Not written yet. Due Tuesday 8 December 2026 On track" in text


class TestTheDiary:
    def test_it_lists_what_is_coming_and_what_still_lacks_notes_or_a_letter(self, client, lead, complaint, _now):
        yesterday = in_england(datetime.date(2026, 11, 19), datetime.time(14))
        held = arrange(
            complaint,
            actor=lead,
            purpose="Held yesterday",
            starts_at=yesterday,
            ends_at=yesterday + datetime.timedelta(hours=1),
        )
        written = arrange(
            complaint,
            actor=lead,
            purpose="Written up",
            starts_at=yesterday,
            ends_at=yesterday + datetime.timedelta(hours=1),
        )
        services.record_notes(written, notes="Notes", actor=lead)
        arrange(complaint, actor=lead, purpose="Still to come")
        cancelled = arrange(complaint, actor=lead, purpose="Called off")
        services.cancel_meeting(cancelled, reason="Resolved", actor=lead)
        client.force_login(lead)

        coming = page_text(client.get("/meetings/"))
        notes = page_text(client.get("/meetings/?show=notes"))
        letters = page_text(client.get("/meetings/?show=letters"))

        assert "Coming up (1) Notes to write (1) Follow-up letters to send (1)" in coming
        assert "Still to come" in coming and "Called off" not in coming
        # Due 5 working days after Thursday 19th.
        assert "Held yesterday" in notes and "26 Nov 2026" in notes and "On track" in notes
        assert "Written up" in letters and "3 Dec 2026" in letters
        assert held.pk

    def test_it_is_paginated(self, client, lead, complaint):
        for number in range(27):
            arrange(complaint, actor=lead, purpose=f"Meeting {number}")
        client.force_login(lead)

        first, second = page_text(client.get("/meetings/")), page_text(client.get("/meetings/?show=coming&page=2"))

        assert "Meeting 24" in first and "Meeting 25" not in first
        assert "Meeting 25" in second and "Meeting 26" in second

    def test_a_divisional_manager_sees_only_their_divisions_meetings(self, client, lead, complaint, division):
        other = make_case(kind=Kind.COMPLAINT, division=DivisionFactory(), actor=lead)
        arrange(complaint, actor=lead, purpose="In my division")
        arrange(other, actor=lead, purpose="In another division")
        client.force_login(divisional_manager(divisions=[division]))

        text = page_text(client.get("/meetings/"))

        assert "In my division" in text and "In another division" not in text


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_meetings(count: int, *, case, lead, investigator, starts_at=STARTS_AT):
    """Meetings with people coming, and (for those that have happened) notes and an action each."""
    for number in range(count):
        meeting = arrange(
            case,
            actor=lead,
            purpose=f"Meeting {number}",
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            parties=list(case.parties.all()),
        )
        services.add_attendee(meeting, actor=lead, role=AttendeeRole.STAFF, user=investigator)
        if starts_at < NOW:
            services.record_notes(meeting, notes="Notes", actor=lead)
            services.add_action(
                meeting, description="Do it", due_on=datetime.date(2026, 12, 1), owner=investigator, actor=lead
            )


class TestQueriesDoNotGrowWithTheMeetings:
    @pytest.mark.parametrize("show", ["coming", "notes", "letters"])
    def test_the_diary(self, client, lead, complaint, division, show, django_assert_num_queries, capsys):
        investigator = divisional_manager(divisions=[division])
        past = in_england(datetime.date(2026, 11, 18), datetime.time(10))
        starts_at = STARTS_AT if show == "coming" else past
        url = f"/meetings/?show={show}"
        client.force_login(lead)
        add_meetings(2, case=complaint, lead=lead, investigator=investigator, starts_at=starts_at)
        if show == "notes":
            ResolutionMeeting.objects.update(notes="", notes_recorded_at=None, notes_recorded_by=None)
        client.get(url)
        few = queries_for(client, url)

        add_meetings(12, case=complaint, lead=lead, investigator=investigator, starts_at=starts_at)
        if show == "notes":
            ResolutionMeeting.objects.update(notes="", notes_recorded_at=None, notes_recorded_by=None)
        with django_assert_num_queries(few):
            response = client.get(url)

        assert page_text(response).count("Meeting ") == 14
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 2 meetings and with 14")

    def test_the_case_pages_section(self, client, lead, complaint, division, django_assert_num_queries, capsys):
        investigator = divisional_manager(divisions=[division])
        past = in_england(datetime.date(2026, 11, 18), datetime.time(10))
        url = f"/cases/{complaint.reference}/"
        client.force_login(lead)
        add_meetings(1, case=complaint, lead=lead, investigator=investigator, starts_at=past)
        client.get(url)
        few = queries_for(client, url)

        add_meetings(6, case=complaint, lead=lead, investigator=investigator, starts_at=past)
        add_meetings(6, case=complaint, lead=lead, investigator=investigator)
        with django_assert_num_queries(few):
            response = client.get(url)

        assert response.content.decode().count('<tr class="nhsuk-table__row" id="meeting-') == 13
        with capsys.disabled():
            print(f"\n{url}: {few} queries with 1 meeting and with 13")

    def test_my_work(self, client, lead, complaint, division, django_assert_num_queries, capsys):
        investigator = divisional_manager(divisions=[division])
        past = in_england(datetime.date(2026, 11, 18), datetime.time(10))
        client.force_login(investigator)
        add_meetings(1, case=complaint, lead=lead, investigator=investigator, starts_at=past)
        client.get("/")
        few = queries_for(client, "/")

        add_meetings(8, case=complaint, lead=lead, investigator=investigator, starts_at=past)
        with django_assert_num_queries(few):
            response = client.get("/")

        assert page_text(response).count("Agreed action: Do it") == 9
        with capsys.disabled():
            print(f"\nMy work: {few} queries with 1 meeting's action and with 9")

    def test_the_meetings_page(self, client, lead, complaint, division, django_assert_num_queries, _now):
        investigator = divisional_manager(divisions=[division])
        past = in_england(datetime.date(2026, 11, 18), datetime.time(10))
        client.force_login(lead)
        add_meetings(1, case=complaint, lead=lead, investigator=investigator, starts_at=past)
        meeting = ResolutionMeeting.objects.get()
        few = queries_for(client, meeting_url(meeting))

        for number in range(8):
            services.add_attendee(meeting, actor=lead, role=AttendeeRole.COMPANION, name=f"Friend {number}")
            services.add_action(
                meeting,
                description=f"Action {number}",
                due_on=datetime.date(2026, 12, 1),
                owner=investigator,
                actor=lead,
            )
        with django_assert_num_queries(few):
            client.get(meeting_url(meeting))


class TestWhatMeetingsAddToOtherPages:
    def test_the_case_section_reads_the_meetings_in_one_query(
        self, lead, complaint, division, django_assert_num_queries
    ):
        add_meetings(5, case=complaint, lead=lead, investigator=divisional_manager(divisions=[division]))

        with django_assert_num_queries(1):
            section = meetings_section(lead, complaint)

        assert [m.purpose for m in section.context["meetings"]] == [f"Meeting {n}" for n in (4, 3, 2, 1, 0)]

    def test_my_work_items_take_three_queries_however_many_there_are(
        self, lead, complaint, division, django_assert_num_queries
    ):
        investigator = divisional_manager(divisions=[division])
        past = in_england(datetime.date(2026, 11, 18), datetime.time(10))
        add_meetings(5, case=complaint, lead=lead, investigator=investigator, starts_at=past)

        with django_assert_num_queries(3):  # the calendar's check, the meetings, the actions
            items = meeting_work_items(lead, today=NOW.date())

        assert [item.what for item in items] == ["Send the follow-up letter after the meeting on 18 Nov 2026"] * 5

"""The rules of meetings, as meetings.services applies them: who may, on which cases, what is checked, what is sent."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.locmem import EmailBackend

from palsdesk.accounts.tests.factories import approver, auditor, coordinator, divisional_manager, officer, volunteer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.core.errors import RuleBroken, StaleEdit
from palsdesk.meetings import services
from palsdesk.meetings.models import AttendeeRole, MeetingAttendee, ResolutionMeeting, Stage
from palsdesk.meetings.rules import in_england
from palsdesk.meetings.tests.factories import ENDS_AT, MEETING_DAY, NOW, STARTS_AT, arrange
from palsdesk.meetings.tests.helpers import attendee_emails, emailed_calendar
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
def complaint(lead, division):
    return make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=lead,
        case_officer=lead,
        received_on=datetime.date(2026, 11, 2),
        complainant=person_details(first_name="Grace", last_name="Okafor", email="grace@example.org"),
        complainant_is_patient=True,
    )


@pytest.fixture
def meeting(complaint, lead):
    return arrange(complaint, actor=lead, parties=list(complaint.parties.all()))


def problems_of(error: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return error.value.message_dict


def add_named(meeting, lead, name: str, email: str = "", role=AttendeeRole.COMPANION):
    return services.add_attendee(meeting, actor=lead, role=role, name=name, email=email)


class TestWhichCasesHaveMeetings:
    def test_complaints_and_mp_letters_have_resolution_meetings(self, lead, division):
        for kind in (Kind.COMPLAINT, Kind.MP_LETTER):
            case = make_case(kind=kind, division=division, actor=lead)

            assert arrange(case, actor=lead).case == case

    def test_a_pals_concern_is_escalated_to_a_complaint_first(self, lead, division):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=lead)

        with pytest.raises(
            RuleBroken, match=re.escape("not on a PALS concern. Escalate the concern to a complaint first.")
        ):
            arrange(concern, actor=lead)
        assert not ResolutionMeeting.objects.exists()

    def test_a_finished_case_must_be_reopened_first(self, lead, complaint):
        case_services.move_case(complaint, to=Status.WITHDRAWN, reason="No longer wants to pursue it", actor=lead)

        with pytest.raises(RuleBroken, match="is withdrawn: reopen it to arrange a meeting"):
            arrange(complaint, actor=lead)


class TestWhoMayArrange:
    @pytest.mark.parametrize("make_user", [volunteer, approver, auditor])
    def test_roles_that_do_not_work_on_meetings_are_refused(self, make_user, complaint, lead):
        with pytest.raises(PermissionDenied, match="cannot arrange meetings"):
            arrange(complaint, actor=make_user(), note_taker=lead)

    @pytest.mark.parametrize("make_user", [officer, coordinator, divisional_manager])
    def test_officers_co_ordinators_and_the_divisions_investigators_arrange_them(self, make_user, complaint, division):
        user = make_user(divisions=[division])

        assert arrange(complaint, actor=user).organiser == user


class TestWhatIsChecked:
    def test_every_problem_is_told_at_once_and_nothing_is_saved(self, complaint, lead):
        outsider = divisional_manager(divisions=[DivisionFactory()])

        with pytest.raises(ValidationError) as error:
            arrange(
                complaint,
                actor=lead,
                purpose=" ",
                place="",
                video_link="http://meet.example/okafor",
                starts_at=STARTS_AT,
                ends_at=STARTS_AT - datetime.timedelta(minutes=30),
                note_taker=outsider,
                recording_consent="maybe",
            )

        assert problems_of(error) == {
            "purpose": ["Enter the purpose."],
            "video_link": [
                "Enter the video link as a full web address starting https://, like https://meet.example/abc."
            ],
            "ends_at": ["The meeting must end after it starts."],
            "note_taker": [f"{outsider} cannot be the note-taker: they cannot see {complaint.reference}."],
            "recording_consent": ["Choose whether they agree to the meeting being recorded."],
        }
        assert not ResolutionMeeting.objects.exists()
        assert not TimelineEntry.objects.filter(body__contains="meeting").exists()

    def test_a_place_or_a_video_link_is_needed(self, complaint, lead):
        with pytest.raises(ValidationError) as error:
            arrange(complaint, actor=lead, place="")

        assert problems_of(error) == {"place": ["Enter where the meeting is, or a video link, or both."]}
        assert arrange(complaint, actor=lead, place="", video_link="https://meet.example/okafor").video_link

    @pytest.mark.parametrize(
        ("starts_at", "ends_at", "problem"),
        [
            (
                in_england(datetime.date(2026, 11, 1), datetime.time(10)),
                in_england(datetime.date(2026, 11, 1), datetime.time(11)),
                {"starts_at": ["The meeting must be on or after the day the case was received, 2 November 2026."]},
            ),
            (
                in_england(datetime.date(2027, 12, 1), datetime.time(10)),
                in_england(datetime.date(2027, 12, 1), datetime.time(11)),
                {"starts_at": ["The meeting must be within the next 12 months."]},
            ),
            (
                STARTS_AT,
                STARTS_AT + datetime.timedelta(hours=9),
                {"ends_at": ["A meeting can last at most 8 hours: check the end time."]},
            ),
        ],
    )
    def test_the_date_and_times_must_make_sense(self, complaint, lead, starts_at, ends_at, problem):
        with pytest.raises(ValidationError) as error:
            arrange(complaint, actor=lead, starts_at=starts_at, ends_at=ends_at)

        assert problems_of(error) == problem

    def test_a_meeting_that_has_already_happened_may_be_recorded_to_write_it_up(self, complaint, lead):
        yesterday = in_england(datetime.date(2026, 11, 19), datetime.time(14))

        meeting = arrange(complaint, actor=lead, starts_at=yesterday, ends_at=yesterday + datetime.timedelta(hours=1))

        assert meeting.stage_at(NOW) == Stage.NOTES_NEEDED

    def test_a_patient_who_complains_comes_once_as_the_complainant(self, complaint, lead):
        parties = list(complaint.parties.all())
        assert len(parties) == 2  # the same person as patient and as complainant

        meeting = arrange(complaint, actor=lead, parties=parties)

        assert [(a.display_name, a.role) for a in meeting.attendees.all()] == [
            ("Grace Okafor", AttendeeRole.COMPLAINANT)
        ]


class TestConcurrentEdits:
    def test_a_change_from_a_stale_page_is_refused_naming_who_changed_it(self, meeting, lead):
        colleague = coordinator(first_name="Amir", last_name="Khan", divisions=list(lead.divisions.all()))
        read_at = meeting.version
        services.change_meeting(meeting, actor=colleague, expected_version=read_at, place="Room 5")

        with pytest.raises(StaleEdit, match="Amir Khan changed this meeting at 10:30 on 20 November 2026"):
            services.change_meeting(meeting, actor=lead, expected_version=read_at, place="Room 9")
        with pytest.raises(StaleEdit):
            services.add_attendee(meeting, actor=lead, role="companion", name="Joseph", expected_version=read_at)
        meeting.refresh_from_db()
        assert meeting.place == "Room 5"

    def test_every_change_moves_the_version_on(self, meeting, lead):
        versions = [meeting.version]
        services.change_meeting(meeting, actor=lead, access_needs="A hearing loop")
        versions.append(ResolutionMeeting.objects.get(pk=meeting.pk).version)
        add_named(meeting, lead, "Joseph Okafor")
        versions.append(ResolutionMeeting.objects.get(pk=meeting.pk).version)

        assert versions == [1, 2, 3]


class TestInvitations:
    def test_each_person_with_an_email_address_is_sent_it_once(self, meeting, lead):
        add_named(meeting, lead, "Joseph Okafor", "joe@example.org")
        add_named(meeting, lead, "Ana Silva", role=AttendeeRole.INTERPRETER)

        first = services.send_invitations(meeting, actor=lead)
        again = services.send_invitations(meeting, actor=lead)

        assert (first.sent, first.without_email) == (["Grace Okafor", "Joseph Okafor"], ["Ana Silva"])
        assert (again.sent, again.without_email) == ([], ["Ana Silva"])
        assert len(mail.outbox) == 2
        assert set(
            MeetingAttendee.objects.exclude(email="", party=None).values_list("invited_sequence", flat=True)
        ) == {0}

    def test_a_change_to_what_the_invitation_says_is_sent_as_an_update_to_those_invited(self, meeting, lead):
        services.send_invitations(meeting, actor=lead)
        later = in_england(MEETING_DAY, datetime.time(14))
        services.change_meeting(meeting, actor=lead, starts_at=later, ends_at=later + datetime.timedelta(hours=1))
        add_named(meeting, lead, "Joseph Okafor", "joe@example.org")
        mail.outbox.clear()

        services.send_invitations(meeting, actor=lead)

        subjects = {message.to[0]: message.subject for message in mail.outbox}
        assert subjects == {
            "grace@example.org": "Updated invitation: meeting on Tuesday 1 December 2026, 14:00 to 15:00",
            "joe@example.org": "Invitation: meeting on Tuesday 1 December 2026, 14:00 to 15:00",
        }
        for message in mail.outbox:
            _, event, _ = emailed_calendar(message)
            assert int(event["sequence"]) == 1
            assert attendee_emails(event) == set(message.to)

    def test_a_change_only_to_the_access_needs_or_note_taker_sends_nothing_new(self, meeting, lead, division):
        services.send_invitations(meeting, actor=lead)
        services.change_meeting(
            meeting, actor=lead, access_needs="Step-free", note_taker=divisional_manager(divisions=[division])
        )

        assert ResolutionMeeting.objects.get(pk=meeting.pk).sequence == 0
        assert services.send_invitations(meeting, actor=lead).sent == []

    def test_one_failing_email_does_not_stop_the_others_and_is_tried_again_next_time(self, meeting, lead, settings):
        settings.EMAIL_BACKEND = "palsdesk.meetings.tests.test_services.RefusesJoseph"
        add_named(meeting, lead, "Joseph Okafor", "joe@example.org")

        sent = services.send_invitations(meeting, actor=lead)

        assert sent.sent == ["Grace Okafor"]
        assert sent.failed == [("Joseph Okafor", "ConnectionRefusedError: The mail server refused joe@example.org")]
        assert MeetingAttendee.objects.get(name="Joseph Okafor").invited_sequence is None
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert services.send_invitations(meeting, actor=lead).sent == ["Joseph Okafor"]

    def test_a_meeting_under_way_has_no_invitation_to_send(self, meeting, lead, _now):
        _now.move_to(STARTS_AT + datetime.timedelta(minutes=5))

        with pytest.raises(RuleBroken, match="The meeting has started"):
            services.send_invitations(meeting, actor=lead)

    def test_each_sending_is_on_the_timeline_and_the_audit_trail(self, meeting, lead, complaint):
        services.send_invitations(meeting, actor=lead)

        entry = complaint.timeline.get(kind=TimelineEntry.EntryKind.EMAIL)
        assert (entry.direction, entry.contact) == ("out", "Grace Okafor")
        event = AuditEvent.objects.get(action="meeting.invitations_sent")
        assert event.context == {"what": "invitation", "sequence": 0, "to": ["Grace Okafor"]}


class RefusesJoseph(EmailBackend):
    def send_messages(self, messages):
        if any("joe@example.org" in message.to for message in messages):
            raise ConnectionRefusedError("The mail server refused joe@example.org")
        return super().send_messages(messages)


class TestCancelling:
    def test_those_invited_are_sent_the_cancellation_and_no_one_else(self, meeting, lead):
        services.send_invitations(meeting, actor=lead)
        add_named(meeting, lead, "Joseph Okafor", "joe@example.org")  # added, never invited
        mail.outbox.clear()

        sent = services.cancel_meeting(meeting, reason="Mrs Okafor is unwell", actor=lead)

        assert sent.sent == ["Grace Okafor"]
        (message,) = mail.outbox
        assert message.subject == "Cancelled: meeting on Tuesday 1 December 2026, 10:00 to 11:30"
        assert "Why: Mrs Okafor is unwell" in message.body
        calendar, event, method = emailed_calendar(message)
        assert (method, str(calendar["method"]), str(event["status"]), int(event["sequence"])) == (
            "CANCEL",
            "CANCEL",
            "CANCELLED",
            1,
        )

    def test_a_reason_is_needed_and_a_cancelled_meeting_stays_cancelled(self, meeting, lead):
        with pytest.raises(ValidationError, match=re.escape("Enter the reason.")):
            services.cancel_meeting(meeting, reason="", actor=lead)
        services.cancel_meeting(meeting, reason="Resolved by phone", actor=lead)

        with pytest.raises(RuleBroken, match=re.escape("This meeting was cancelled: arrange a new one instead.")):
            services.change_meeting(meeting, actor=lead, place="Room 5")
        with pytest.raises(RuleBroken, match="already cancelled"):
            services.cancel_meeting(meeting, reason="Again", actor=lead)
        assert ResolutionMeeting.objects.get(pk=meeting.pk).stage_at(NOW) == Stage.CANCELLED

    def test_someone_taken_off_the_list_after_their_invitation_is_sent_its_cancellation(self, meeting, lead):
        joseph = add_named(meeting, lead, "Joseph Okafor", "joe@example.org")
        services.send_invitations(meeting, actor=lead)
        mail.outbox.clear()

        sent = services.remove_attendee(joseph, actor=lead)

        assert sent.sent == ["Joseph Okafor"]
        (message,) = mail.outbox
        assert message.to == ["joe@example.org"]
        assert "You are no longer on the list of people coming" in message.body
        _, event, method = emailed_calendar(message)
        assert (method, int(event["sequence"])) == ("CANCEL", 1)
        assert list(meeting.attendees.values_list("party__person__last_name", flat=True)) == ["Okafor"]


class TestAfterTheMeeting:
    def test_notes_and_actions_wait_until_the_meeting_has_started(self, meeting, lead):
        with pytest.raises(RuleBroken, match="write its notes once it has taken place"):
            services.record_notes(meeting, notes="Too soon", actor=lead)
        with pytest.raises(RuleBroken, match="record its agreed actions once it has taken place"):
            services.add_action(meeting, description="x", due_on=MEETING_DAY, owner=lead, actor=lead)

    def test_an_action_has_one_owner_who_can_see_the_case_and_a_due_date_from_the_meeting_on(self, meeting, lead, _now):
        _now.move_to(ENDS_AT)
        outsider = divisional_manager(divisions=[DivisionFactory()])
        cases = [
            (
                {"owner": lead, "owner_name": "Mrs Okafor"},
                {"owner_name": ["Choose a member of staff or enter a name, not both."]},
            ),
            (
                {"owner": None, "owner_name": ""},
                {"owner": ["Choose who will do it, or enter the name of someone else."]},
            ),
            (
                {"owner": outsider},
                {
                    "owner": [
                        f"{outsider} cannot see {meeting.case.reference}, so could not do it: choose someone who can."
                    ]
                },
            ),
            (
                {"owner": lead, "due_on": MEETING_DAY - datetime.timedelta(days=1)},
                {"due_on": ["The due date must be on or after the day of the meeting, 1 December 2026."]},
            ),
        ]
        for given, problem in cases:
            values = {"description": "Review the checklist", "due_on": MEETING_DAY, "actor": lead} | given
            with pytest.raises(ValidationError) as error:
                services.add_action(meeting, **values)
            assert problems_of(error) == problem
        assert not meeting.actions.exists()

    def test_the_owner_of_an_action_marks_it_done_though_their_role_does_not_arrange_meetings(
        self, meeting, lead, _now
    ):
        _now.move_to(ENDS_AT)
        chief = approver(first_name="Dana", last_name="Cole")
        action = services.add_action(
            meeting, description="Apologise in person", due_on=MEETING_DAY, owner=chief, actor=lead
        )

        services.change_action(action, done_on=MEETING_DAY, actor=chief)
        with pytest.raises(PermissionDenied):
            services.change_action(action, due_on=datetime.date(2027, 1, 1), actor=chief)
        with pytest.raises(PermissionDenied):
            services.change_action(action, done_on=None, actor=approver())

        action.refresh_from_db()
        assert action.done_on == MEETING_DAY

    def test_the_follow_up_letter_follows_the_notes_and_is_kept_as_sent(self, meeting, lead, _now):
        _now.move_to(ENDS_AT)
        with pytest.raises(
            RuleBroken, match=re.escape("Write the meeting's notes before recording its follow-up letter.")
        ):
            services.record_follow_up_sent(meeting, sent_on=None, actor=lead)
        services.record_notes(meeting, notes="We went through the findings.", actor=lead)
        with pytest.raises(RuleBroken, match="Write the follow-up letter's draft first"):
            services.record_follow_up_sent(meeting, sent_on=None, actor=lead)
        services.draft_follow_up_letter(meeting, actor=lead)
        with pytest.raises(ValidationError) as error:
            services.record_follow_up_sent(meeting, sent_on=datetime.date(2026, 12, 2), actor=lead)
        assert problems_of(error) == {"sent_on": ["The date it was sent must be today or in the past."]}

        services.record_follow_up_sent(meeting, sent_on=MEETING_DAY, actor=lead)

        with pytest.raises(RuleBroken, match="its draft is kept as it was sent"):
            services.save_follow_up_letter(meeting, text="Something else", actor=lead)
        assert ResolutionMeeting.objects.get(pk=meeting.pk).stage_at(ENDS_AT) == Stage.COMPLETE

    def test_the_draft_without_actions_says_none_were_agreed(self, meeting, lead, _now):
        _now.move_to(ENDS_AT)
        services.record_notes(meeting, notes="We went through the findings.", actor=lead)

        letter = services.draft_follow_up_letter(meeting, actor=lead).follow_up_letter

        assert letter.startswith("Dear Grace Okafor,")
        assert "We did not agree any further actions at the meeting." in letter
        assert "www.ombudsman.org.uk" in letter

"""A few resolution meetings for the demo: one coming up, one waiting for its notes, one for its follow-up letter,
and one complete, on the Medicine division's oldest open complaints, played through meetings.services.

Not called yet: load_demo_data can call add_demo_meetings(staff=staff) once every case is played (inside its
transaction, after `player.dating_what_is_written()` has closed, since these meetings carry their own times).
"""

import datetime

from django.utils import timezone

from palsdesk.cases.models import OPEN_STATUSES, Case, Kind
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.meetings import services
from palsdesk.meetings.models import AttendeeRole, RecordingConsent, ResolutionMeeting
from palsdesk.meetings.rules import in_england

DIVISION = "MED"
ORGANISER = "coordinator"
INVESTIGATOR = "dm.medicine"


def _arrange(case: Case, *, on: datetime.date, at: datetime.time, staff: dict, purpose: str) -> ResolutionMeeting:
    starts_at = in_england(on, at)
    meeting = services.arrange_meeting(
        case,
        actor=staff[ORGANISER],
        purpose=purpose,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
        place="Seminar room 2, Education Centre, Riverside Hospital",
        agenda="1. Introductions\n2. What the investigation found\n3. What the division will change\n4. Next steps",
        access_needs="Step-free access to the room; a quiet space for breaks.",
        recording_consent=RecordingConsent.REFUSED,
        note_taker=staff[INVESTIGATOR],
        parties=list(case.parties.filter(role__in=["complainant", "representative"])),
    )
    services.add_attendee(
        meeting, actor=staff[ORGANISER], role=AttendeeRole.STAFF, user=staff[INVESTIGATOR], role_description="Chair"
    )
    return meeting


def _write_up(meeting: ResolutionMeeting, *, staff: dict, actions_done: bool) -> None:
    investigator, organiser = staff[INVESTIGATOR], staff[ORGANISER]
    services.record_notes(
        meeting,
        notes=(
            "The complainant described the day of discharge and the missing medicines. The matron explained what "
            "the investigation found and apologised for the delay in the pharmacy check.\n"
            "Agreed: the ward adds a medicines check to its discharge checklist; the complainant sends copies of "
            "the discharge letters."
        ),
        actor=investigator,
    )
    held_on = meeting.held_on
    checklist = services.add_action(
        meeting,
        description="Add a medicines check to the ward's discharge checklist",
        owner=investigator,
        due_on=held_on + datetime.timedelta(days=28),
        actor=organiser,
    )
    letters = services.add_action(
        meeting,
        description="Send copies of the discharge letters",
        owner_name="The complainant",
        due_on=held_on + datetime.timedelta(days=7),
        actor=organiser,
    )
    if actions_done:
        services.change_action(letters, done_on=held_on + datetime.timedelta(days=3), actor=organiser)
        services.change_action(checklist, done_on=held_on + datetime.timedelta(days=5), actor=investigator)
    services.draft_follow_up_letter(meeting, actor=organiser)


def add_demo_meetings(*, staff: dict, now: datetime.datetime | None = None) -> list[ResolutionMeeting]:
    """Four meetings, one at each stage, on up to four of the division's open complaints a month old or more."""
    today = timezone.localdate(now or timezone.now())
    calendar = working_day_calendar()
    complaints = list(
        Case.objects.filter(
            kind=Kind.COMPLAINT,
            status__in=OPEN_STATUSES,
            division__code=DIVISION,
            received_on__lte=today - datetime.timedelta(days=30),
        ).order_by("received_on", "pk")[:4]
    )
    plans = [
        ("complete", calendar.add_working_days(today, -15)),
        ("letter", calendar.add_working_days(today, -6)),
        ("notes", calendar.add_working_days(today, -1)),
        ("coming", calendar.add_working_days(today, 6)),
    ]
    meetings = []
    for case, (stage, on) in zip(complaints, plans, strict=False):
        meeting = _arrange(
            case, on=on, at=datetime.time(10), staff=staff, purpose="To go through the investigation's findings"
        )
        if stage in ("complete", "letter"):
            _write_up(meeting, staff=staff, actions_done=stage == "complete")
        if stage == "complete":
            services.record_follow_up_sent(meeting, sent_on=calendar.add_working_days(on, 4), actor=staff[ORGANISER])
        meeting.refresh_from_db()  # the services changed their own copies of it
        meetings.append(meeting)
    return meetings

"""A meeting's calendar file (iCalendar, RFC 5545, with the iTIP methods of RFC 5546) and the emails that carry it.

Every file for a meeting has the same UID, so a calendar that has the invitation replaces it with an update
(a higher SEQUENCE) and removes it on a cancellation (METHOD:CANCEL). Times are written in Europe/London
with the VTIMEZONE that defines it, so a calendar anywhere shows the time the trust means.
"""

import datetime
from email.mime.text import MIMEText
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from palsdesk.core.dates import weekday_date
from palsdesk.meetings.models import MeetingAttendee, ResolutionMeeting
from palsdesk.meetings.rules import ENGLAND

PRODUCT = "-//PALS Desk//Resolution meetings//EN"


def uid_of(meeting: ResolutionMeeting) -> str:
    return f"{meeting.uid}@palsdesk"


def summary_of(meeting: ResolutionMeeting) -> str:
    return f"Resolution meeting: {meeting.purpose}"


def when_of(meeting: ResolutionMeeting) -> str:
    """'Tuesday 1 December 2026, 10:00 to 11:30'."""
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{weekday_date(starts.date())}, {starts:%H:%M} to {ends:%H:%M}"


def _description(meeting: ResolutionMeeting) -> str:
    # Access needs stay on the meeting's page: they are about named people, and the file goes to everyone coming.
    lines = [meeting.purpose, "", f"Our reference: {meeting.case.reference}"]
    if meeting.place:
        lines.append(f"Where: {meeting.place}")
    if meeting.video_link:
        lines.append(f"Video link: {meeting.video_link}")
    if meeting.agenda:
        lines += ["", "Agenda:", meeting.agenda]
    coming = [f"- {attendee.display_name}, {attendee.role_label.lower()}" for attendee in meeting.attendees.all()]
    if coming:
        lines += ["", "Who is coming:", *coming]
    lines += [
        "",
        f"Arranged by {meeting.organiser}{f' ({meeting.organiser.email})' if meeting.organiser.email else ''}.",
    ]
    return "\n".join(lines)


def _address(email: str, name: str, **params) -> icalendar.vCalAddress:
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["cn"] = name
    for key, value in params.items():
        address.params[key.replace("_", "-")] = value
    return address


def calendar_file(
    meeting: ResolutionMeeting,
    *,
    attendees: list[MeetingAttendee] | None = None,
    cancel: bool | None = None,
    sequence: int | None = None,
) -> bytes:
    """The meeting as an .ics file: an invitation (METHOD:REQUEST) or, for a cancelled meeting, a cancellation.

    `attendees` are the people the file names as ATTENDEE (everyone coming with an email address, unless
    given): an emailed invitation names only its recipient, so no one's address is sent to anyone else.
    """
    cancel = meeting.is_cancelled if cancel is None else cancel
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", uid_of(meeting))
    event.add("sequence", meeting.sequence if sequence is None else sequence)
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(ENGLAND))
    event.add("dtend", meeting.ends_at.astimezone(ENGLAND))
    event.add("summary", summary_of(meeting))
    event.add("location", meeting.place or meeting.video_link)
    if meeting.video_link:
        event.add("url", meeting.video_link)
    event.add("description", _description(meeting))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    organiser_email = meeting.organiser.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    event.add("organizer", _address(organiser_email, str(meeting.organiser)))
    if attendees is None:
        attendees = [attendee for attendee in meeting.attendees.all() if attendee.email_address]
    for attendee in attendees:
        event.add(
            "attendee",
            _address(
                attendee.email_address,
                attendee.display_name,
                cutype="INDIVIDUAL",
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="FALSE",
            ),
        )
    calendar.add_component(event)
    # Only the rules the meeting's own time needs, not every change of the clocks since 1970.
    year = timezone.localtime(meeting.starts_at).year
    calendar.add_missing_timezones(first_date=datetime.date(year - 1, 1, 1), last_date=datetime.date(year + 1, 12, 31))
    return calendar.to_ical()


def file_name(meeting: ResolutionMeeting) -> str:
    return f"meeting-{meeting.case.reference}-{meeting.pk}.ics"


def _attachment(ics: bytes, *, cancel: bool) -> MIMEText:
    part = MIMEText(ics.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "CANCEL" if cancel else "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part


def _message(
    meeting: ResolutionMeeting,
    *,
    name: str,
    address: str,
    ics: bytes,
    cancel: bool,
    is_update: bool = False,
    is_removed: bool = False,
) -> EmailMessage:
    when = when_of(meeting)
    if cancel:
        subject = f"Cancelled: meeting on {when}"
    elif is_update:
        subject = f"Updated invitation: meeting on {when}"
    else:
        subject = f"Invitation: meeting on {when}"
    # No case or patient details in the subject line: it shows in notifications and mail logs.
    body = render_to_string(
        "meetings/email/invitation.txt",
        {
            "meeting": meeting,
            "name": name,
            "when": when,
            "cancel": cancel,
            "is_update": is_update,
            "is_removed": is_removed,
        },
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[address],
        reply_to=[meeting.organiser.email] if meeting.organiser.email else None,
    )
    message.attach(_attachment(ics, cancel=cancel))
    return message


def email_to(meeting: ResolutionMeeting, attendee: MeetingAttendee) -> None:
    """Email one attendee the invitation, its update, or its cancellation, with the calendar file naming only them.

    Raises whatever the email backend raises, so that the caller records nothing as sent.
    """
    cancel = meeting.is_cancelled
    ics = calendar_file(meeting, attendees=[attendee], cancel=cancel)
    is_update = attendee.invited_sequence is not None
    message = _message(
        meeting, name=attendee.display_name, address=attendee.email_address, ics=ics, cancel=cancel, is_update=is_update
    )
    if message.send() != 1:
        raise ConnectionError(f"The email backend did not accept the message to {attendee.display_name}.")


def email_cancellation_to(meeting: ResolutionMeeting, *, name: str, address: str) -> None:
    """Tell someone taken off the meeting's list that it is off their calendar (it goes on for the others)."""
    removed = MeetingAttendee(meeting=meeting, name=name, email=address)
    ics = calendar_file(meeting, attendees=[removed], cancel=True, sequence=meeting.sequence + 1)
    message = _message(meeting, name=name, address=address, ics=ics, cancel=True, is_removed=True)
    if message.send() != 1:
        raise ConnectionError(f"The email backend did not accept the message to {name}.")

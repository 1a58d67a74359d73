"""What the meetings tests share: reading calendar files back from a download or an email, and the pages' text."""

import io

import docx
import icalendar
from django.urls import reverse

from palsdesk.cases.tests.pages import page_text, problems, text_of  # noqa: F401 (shared with the tests here)


def meeting_url(meeting, name: str = "detail", **more) -> str:
    return reverse(f"meetings:{name}", kwargs={"reference": meeting.case.reference, "meeting_id": meeting.pk, **more})


def calendar_of(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.events
    return calendar, event


def emailed_calendar(message) -> tuple[icalendar.Calendar, icalendar.Event, str]:
    """The calendar file attached to an email, and the method its MIME part declares."""
    (part,) = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
    calendar, event = calendar_of(part.get_payload(decode=True))
    return calendar, event, part.get_param("method")


def attendee_emails(event) -> set[str]:
    attendees = event.get("attendee", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    return {str(address).removeprefix("mailto:") for address in attendees}


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)

"""The follow-up letter after a resolution meeting: its draft wording, and the draft as a Word document.

follow_up_letter_text is the one place the wording is made. When the correspondence app's letter templates
exist, it becomes a call to the trust's "meeting follow-up" template with this meeting (its attendees and
agreed actions) as the template's context; nothing else here needs to change.
"""

import io

from django.utils import timezone
from docx import Document
from docx.shared import Pt

from palsdesk.cases.models import Kind
from palsdesk.core.dates import long_date, weekday_date
from palsdesk.meetings.models import AttendeeRole, ResolutionMeeting
from palsdesk.people.models import CaseParty, Person

# Regulation 14(2)(d): the complainant is told of their right to go to the Ombudsman.
OMBUDSMAN = (
    "If you remain unhappy, you can ask the Parliamentary and Health Service Ombudsman to look at your "
    "complaint. The Ombudsman makes final decisions on complaints that have not been resolved by the NHS in "
    "England. You can find out how at www.ombudsman.org.uk."
)


def recipient_of(meeting: ResolutionMeeting) -> Person | None:
    """Who the letter goes to: the case's main contact, else the complainant or representative who came."""
    party = CaseParty.objects.filter(case_id=meeting.case_id, is_main_contact=True).select_related("person").first()
    if party is not None:
        return party.person
    for attendee in meeting.attendees.all():
        if attendee.party_id and attendee.role in (AttendeeRole.COMPLAINANT, AttendeeRole.REPRESENTATIVE):
            return attendee.party.person
    return None


def salutation(person: Person | None) -> str:
    if person is None:
        return "Dear Sir or Madam"
    if person.title:
        return f"Dear {person.title} {person.last_name}"
    return f"Dear {person.first_name} {person.last_name}".replace("  ", " ")


def _staff_sentence(meeting: ResolutionMeeting) -> str:
    staff = [a for a in meeting.attendees.all() if a.role == AttendeeRole.STAFF]
    if not staff:
        return ""
    names = []
    for attendee in staff:
        what = attendee.role_description or (attendee.user.job_title if attendee.user_id else "")
        names.append(f"{attendee.display_name} ({what})" if what else attendee.display_name)
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f" {listed} met you for the trust."


def follow_up_letter_text(meeting: ResolutionMeeting) -> str:
    """The draft of the follow-up letter: thanks for meeting, what was agreed (each action, who, by when),
    how to say if it is not right, and the right to go to the Ombudsman. Plain text, paragraphs apart."""
    person = recipient_of(meeting)
    about = "your complaint" if meeting.case.kind == Kind.COMPLAINT else "the concerns you raised with us"
    held = weekday_date(meeting.held_on)
    paragraphs = [
        f"{salutation(person)},",
        f"Thank you for meeting us on {held} to talk about {about} (our reference {meeting.case.reference})."
        + _staff_sentence(meeting),
        "As we said at the meeting, we are writing to confirm what we agreed.",
    ]
    actions = list(meeting.actions.all())
    if actions:
        lines = ["What we agreed:"]
        for number, action in enumerate(actions, start=1):
            who = action.owner_label
            if action.owner_id and action.owner.job_title:
                who = f"{who} ({action.owner.job_title})"
            lines.append(
                f"{number}. {action.description.rstrip('.')}. {who} will do this by {long_date(action.due_on)}."
            )
        paragraphs.append("\n".join(lines))
        paragraphs.append("We will let you know when each of these has been done.")
    else:
        paragraphs.append("We did not agree any further actions at the meeting.")
    organiser = meeting.organiser
    contact = f" at {organiser.email}" if organiser.email else ""
    paragraphs += [
        f"If this letter does not match what you understood we agreed, please contact {organiser}{contact} "
        "within 10 working days of receiving it, and we will put it right.",
        OMBUDSMAN,
        "Yours sincerely,",
        "\n".join(part for part in (str(organiser), organiser.job_title, meeting.case.division.trust.name) if part),
    ]
    return "\n\n".join(paragraphs)


def _address_lines(person: Person | None) -> list[str]:
    if person is None:
        return []
    lines = [person.full_name, person.address_line_1, person.address_line_2, person.town, person.postcode]
    return [line for line in lines if line]


def follow_up_letter_docx(meeting: ResolutionMeeting) -> bytes:
    """The draft (or, once sent, the letter as sent) as a Word document on the trust's letterhead."""
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(12)
    trust = meeting.case.division.trust
    heading = document.add_paragraph()
    heading.add_run(trust.name).bold = True
    for line in trust.address.splitlines():
        if line.strip():
            heading.add_run().add_break()
            heading.add_run(line.strip())
    document.add_paragraph()
    recipient = document.add_paragraph()
    for number, line in enumerate(_address_lines(recipient_of(meeting))):
        if number:
            recipient.add_run().add_break()
        recipient.add_run(line)
    document.add_paragraph(long_date(meeting.follow_up_sent_on or timezone.localdate()))
    document.add_paragraph(f"Our reference: {meeting.case.reference}")
    for block in meeting.follow_up_letter.split("\n\n"):
        paragraph = document.add_paragraph()
        for number, line in enumerate(block.splitlines()):
            if number:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_name(meeting: ResolutionMeeting) -> str:
    return f"follow-up-{meeting.case.reference}-{meeting.pk}.docx"

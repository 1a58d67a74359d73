"""What meetings add to other pages: a section on the case page and deadlines in "My work" (cases.extensions)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from palsdesk.accounts.permissions import Permission, can
from palsdesk.cases.extensions import CaseSection, WorkItem
from palsdesk.meetings import selectors


def meeting_url(meeting) -> str:
    return reverse("meetings:detail", kwargs={"reference": meeting.case.reference, "meeting_id": meeting.pk})


def meetings_section(user, case) -> CaseSection | None:
    """The case's resolution meetings, the latest first, with where each is and a link to arrange one.

    One query, however many meetings the case has.
    """
    if case.kind not in selectors.MEETING_KINDS:
        return None
    now = timezone.now()
    meetings = list(selectors.meetings_of(case))
    for meeting in meetings:
        meeting.stage = meeting.stage_at(now)
    return CaseSection(
        heading="Resolution meetings",
        anchor="meetings",
        template="meetings/_case_section.html",
        context={
            "meetings": meetings,
            "can_arrange": case.is_open and can(user, Permission.ARRANGE_MEETINGS),
        },
    )


def meeting_work_items(user, *, today: datetime.date) -> list[WorkItem]:
    """Notes to write, follow-up letters to send, and agreed actions to do, each with its due date."""
    return [
        WorkItem(
            case_reference=owed.meeting.case.reference,
            what=owed.what,
            due_on=owed.due_on,
            url=meeting_url(owed.meeting),
        )
        for owed in selectors.work_owed_by(user, today=today)
    ]

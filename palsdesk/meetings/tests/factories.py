"""Meetings are made through meetings.services, so tests get the timeline, audit and checks of real ones."""

import datetime

from palsdesk.meetings import services
from palsdesk.meetings.models import ResolutionMeeting
from palsdesk.meetings.rules import in_england

# Friday 20 November 2026, mid-morning: the tests' "now", unless a test travels.
NOW = datetime.datetime(2026, 11, 20, 10, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 11, 20)
# Tuesday 1 December 2026, 10:00 to 11:30 in England (GMT, so 10:00 UTC too).
MEETING_DAY = datetime.date(2026, 12, 1)
STARTS_AT = in_england(MEETING_DAY, datetime.time(10, 0))
ENDS_AT = in_england(MEETING_DAY, datetime.time(11, 30))


def arrange(case, *, actor, **overrides) -> ResolutionMeeting:
    values = {
        "purpose": "To go through the investigation's findings about her father's discharge",
        "starts_at": STARTS_AT,
        "ends_at": ENDS_AT,
        "place": "Seminar room 2, Education Centre, Riverside Hospital",
        "agenda": "1. Introductions\n2. The findings\n3. What happens next",
        "note_taker": actor,
    } | overrides
    return services.arrange_meeting(case, actor=actor, **values)

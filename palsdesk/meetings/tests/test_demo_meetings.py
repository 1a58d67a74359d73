"""The demo's meetings (palsdesk/demo/meetings.py): one at each stage, played through the services."""

import datetime

import pytest
import time_machine

from palsdesk.accounts.tests.factories import coordinator, divisional_manager
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.demo.meetings import add_demo_meetings
from palsdesk.meetings.models import Stage
from palsdesk.meetings.tests.factories import NOW
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_meeting_at_each_stage():
    with time_machine.travel(NOW, tick=False):
        medicine = DivisionFactory(code="MED")
        staff = {
            "coordinator": coordinator(username="coordinator", divisions=[medicine]),
            "dm.medicine": divisional_manager(username="dm.medicine", divisions=[medicine]),
        }
        for _ in range(5):
            make_case(
                kind=Kind.COMPLAINT,
                division=medicine,
                actor=staff["coordinator"],
                received_on=NOW.date() - datetime.timedelta(days=45),
            )

        meetings = add_demo_meetings(staff=staff)

    assert [meeting.stage_at(NOW) for meeting in meetings] == [
        Stage.COMPLETE,
        Stage.LETTER_NEEDED,
        Stage.NOTES_NEEDED,
        Stage.ARRANGED,
    ]
    assert all(meeting.attendees.count() == 2 for meeting in meetings)
    assert meetings[1].follow_up_letter.count("will do this by") == 2

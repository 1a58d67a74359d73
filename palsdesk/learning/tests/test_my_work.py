"""An owner's outstanding actions join their "My work", and go overdue on the right day."""

import datetime
import re

import pytest
import time_machine

from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import text_of
from palsdesk.learning import selectors, services
from palsdesk.learning.models import ActionStatus, PlanScope
from palsdesk.learning.tests.factories import finish, make_action, make_plan

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2026, 11, 20)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC), tick=False)


def other_deadlines(client) -> dict[str, str]:
    """Each row of My work's "Other deadlines" table: what is due → its due date and state, as read."""
    html = client.get("/").content.decode()
    if "<h2>Other deadlines</h2>" not in html:
        return {}
    table = html.split("<h2>Other deadlines</h2>")[1].split("</table>")[0]
    found = {}
    for row in re.findall(r'<tr role="row" class="nhsuk-table__row">(.*?)</tr>', table, re.S):
        cells = re.findall(r'aria-hidden="true">[^<]*</span>(.*?)</td>', row, re.S)
        found[text_of(cells[1])] = text_of(cells[2].replace("<br>", " "))
    return found


@pytest.fixture
def action(lead, medicine, medicine_manager):
    with at(datetime.date(2026, 11, 2)):
        case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
        plan = make_plan(lead, scope=PlanScope.CASE, case=case, title="Discharge letters")
        return make_action(plan, actor=lead, owner=medicine_manager, description="Audit the letters", due_on=FRIDAY)


WHAT = "Action: Audit the letters (Discharge letters)"


@pytest.mark.parametrize(
    ("day", "state"),
    [
        (datetime.date(2026, 11, 16), "On track"),  # 4 working days before
        (datetime.date(2026, 11, 19), "Due soon"),
        (FRIDAY, "Due today"),
        (datetime.date(2026, 11, 21), "Overdue"),  # the Saturday after: overdue the day after it is due
        (datetime.date(2026, 11, 23), "Overdue"),
    ],
)
def test_an_outstanding_action_shows_in_its_owners_my_work_and_goes_overdue_the_day_after(
    client, action, medicine_manager, day, state
):
    with at(day):
        client.force_login(medicine_manager)  # a session lasts a working day, so sign in on the day
        rows = other_deadlines(client)

    assert rows == {WHAT: f"20 Nov 2026 {state}"}


def test_the_link_opens_the_action(client, action, medicine_manager):
    client.force_login(medicine_manager)

    (item,) = selectors.action_work_items(medicine_manager, today=FRIDAY)

    assert item.case_reference == action.plan.case.reference
    assert client.get(item.url).status_code == 200
    assert f'<a href="{item.url}">{WHAT}</a>' in client.get("/").content.decode()


def test_a_done_or_dropped_action_leaves_my_work(client, lead, action, medicine_manager):
    client.force_login(medicine_manager)
    finish(action, actor=lead)
    assert other_deadlines(client) == {}

    services.update_action_status(action, actor=lead, status=ActionStatus.IN_PROGRESS)
    assert list(other_deadlines(client)) == [WHAT]

    services.update_action_status(action, actor=lead, status=ActionStatus.DROPPED, reason="Merged into another")
    assert other_deadlines(client) == {}


def test_only_the_owner_sees_it(client, action, lead, surgery_manager):
    for someone in (lead, surgery_manager):
        client.force_login(someone)
        assert other_deadlines(client) == {}


def test_an_owner_moved_out_of_the_division_no_longer_gets_a_link_they_cannot_open(action, medicine_manager):
    medicine_manager.divisions.clear()

    assert selectors.action_work_items(medicine_manager, today=FRIDAY) == []


def test_my_work_reads_the_actions_in_one_query_however_many(
    lead, medicine, medicine_manager, django_assert_num_queries
):
    plan = make_plan(lead, division=medicine)
    for number in range(5):
        make_action(plan, actor=lead, owner=medicine_manager, description=f"Action {number}")

    with django_assert_num_queries(1):
        items = selectors.action_work_items(medicine_manager, today=FRIDAY)

    assert len(items) == 5
    assert items[0].case_reference == ""  # a division's plan has no case

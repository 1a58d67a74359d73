"""The working-day calendar page: administrators add and remove days, open cases' deadlines move, others get 403."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.accounts.tests.factories import administrator, auditor, coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, SCRIPT, assert_refused, date_parts, on, page_text, problems
from palsdesk.deadlines import services
from palsdesk.deadlines.models import NonWorkingDay

pytestmark = pytest.mark.django_db

D = datetime.date
CALENDAR = reverse("deadlines:calendar")
CHRISTMAS_EVE = D(2026, 12, 24)  # a Thursday
BOXING_DAY_OBSERVED = D(2026, 12, 28)  # Boxing Day falls on a Saturday in 2026, so the Monday is the bank holiday


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin():
    return administrator(first_name="Ada", last_name="Byron")


@pytest.fixture
def complaint(division, caseworker):
    """Received Friday 20 November: 25 working days end on Tuesday 29 December, after Christmas and Boxing Day."""
    case = make_case(kind=Kind.COMPLAINT, division=division, actor=caseworker, received_on=D(2026, 11, 20))
    assert (case.acknowledgement_due_on, case.response_due_on) == (D(2026, 11, 25), D(2026, 12, 29))
    return case


@pytest.fixture
def concern(division, caseworker):
    """Received the same day, due Friday 27 November: its deadline does not run across Christmas."""
    return make_case(kind=Kind.PALS_CONCERN, division=division, actor=caseworker, received_on=D(2026, 11, 20))


def remove_url(day: NonWorkingDay) -> str:
    return reverse("deadlines:remove_day", kwargs={"day_id": day.pk})


def closure(**changes) -> dict:
    return {**on("day", CHRISTMAS_EVE), "name": "Christmas Eve closure", "kind": "trust_closure"} | {
        "reason": "The board agreed to close the offices",
        **changes,
    }


class TestTheCalendarPage:
    def test_an_administrator_sees_the_years_non_working_days_each_tagged_by_kind(self, client, admin):
        services.add_non_working_day(
            day=CHRISTMAS_EVE, name="Christmas Eve closure", kind="trust_closure", reason="Board decision", actor=admin
        )
        client.force_login(admin)
        response = client.get(CALENDAR, {"year": 2026})
        assert response.status_code == 200
        text = page_text(response)
        assert "Non-working days in 2026" in text
        assert "Fri 25 Dec 2026 Christmas Day Bank holiday" in text
        assert "Mon 28 Dec 2026 Boxing Day (observed) Bank holiday" in text
        assert "Thu 24 Dec 2026 Christmas Eve closure Board decision Added by Ada Byron Trust closure" in text
        html = response.content.decode()
        assert '<strong class="nhsuk-tag nhsuk-tag--purple">Trust closure</strong>' in html
        assert '<strong class="nhsuk-tag nhsuk-tag--blue">Bank holiday</strong>' in html
        assert "Fri 3 Apr 2026 Good Friday" in text
        assert "Fri 1 Jan 2027" not in text

    def test_the_year_chooser_shows_another_year(self, client, admin):
        client.force_login(admin)
        text = page_text(client.get(CALENDAR, {"year": 2027}))
        assert "Non-working days in 2027" in text
        assert "Mon 27 Dec 2027 Christmas Day (observed)" in text
        assert "Fri 25 Dec 2026" not in text

    def test_this_year_is_shown_unless_another_is_chosen(self, client, admin):
        client.force_login(admin)
        assert "Non-working days in 2026" in page_text(client.get(CALENDAR))

    def test_a_year_outside_the_calendar_is_refused_and_this_year_shown(self, client, admin):
        client.force_login(admin)
        response = client.get(CALENDAR, {"year": "1999"})
        assert "Choose a year from the list." in problems(response)
        assert "Non-working days in 2026" in page_text(response)

    def test_the_calendar_page_reads_the_same_number_of_times_however_many_days_there_are(self, client, admin):
        client.force_login(admin)
        client.get(CALENDAR, {"year": 2026})
        with CaptureQueriesContext(connection) as few:
            client.get(CALENDAR, {"year": 2026})
        for day in (D(2026, 12, 21), D(2026, 12, 22), D(2026, 12, 23), CHRISTMAS_EVE):
            services.add_non_working_day(
                day=day, name="Closure", kind="trust_closure", reason="Board", actor=administrator()
            )
        with CaptureQueriesContext(connection) as many:
            client.get(CALENDAR, {"year": 2026})
        assert len(many) == len(few)


class TestAddingADay:
    def test_a_trust_closure_day_moves_an_open_cases_target_response_date_and_says_how_many_moved(
        self, client, admin, complaint, concern
    ):
        client.force_login(admin)
        response = client.post(CALENDAR, closure())

        assert response.status_code == 302
        assert response.url == f"{CALENDAR}?year=2026"
        day = NonWorkingDay.objects.get(date=CHRISTMAS_EVE)
        assert (day.kind, day.reason, day.created_by) == (
            "trust_closure",
            "The board agreed to close the offices",
            admin,
        )
        complaint.refresh_from_db()
        concern.refresh_from_db()
        # The trust's target skips the closure; the statutory acknowledgement and the concern do not move.
        assert complaint.response_due_on == D(2026, 12, 30)
        assert complaint.acknowledgement_due_on == D(2026, 11, 25)
        assert concern.response_due_on == D(2026, 11, 27)
        assert AuditEvent.objects.filter(action="calendar.day_added", actor=admin, channel="web").exists()
        assert AuditEvent.objects.get(action="case.deadlines_recomputed", case=complaint).actor == admin
        assert "Deadlines moved. Christmas Eve closure (24 December 2026) is no longer a working day" in (
            complaint.timeline.latest("occurred_at").body
        )
        text = page_text(client.get(response.url))
        assert "Thursday 24 December 2026 is no longer a working day: Christmas Eve closure." in text
        assert "1 open case's deadlines moved." in text

    def test_a_day_that_no_open_deadline_spans_says_none_moved(self, client, admin, concern):
        client.force_login(admin)
        response = client.post(CALENDAR, closure(), follow=True)
        assert "No open case's deadlines moved." in page_text(response)

    def test_each_open_case_moved_is_counted(self, client, admin, division, caseworker, complaint):
        make_case(kind=Kind.COMPLAINT, division=division, actor=caseworker, received_on=D(2026, 11, 19))
        client.force_login(admin)
        response = client.post(CALENDAR, closure(), follow=True)
        assert "2 open cases' deadlines moved." in page_text(response)

    @pytest.mark.parametrize(
        ("change", "field", "says"),
        [
            (on("day", D(2026, 12, 26)), "day", "Saturday 26 December 2026 is a weekend day"),
            (on("day", D(2026, 12, 25)), "day", "25 December 2026 is already not a working day: Christmas Day."),
            (date_parts("day", "", "", ""), "day", "Enter the date."),
            (date_parts("day", "30", "2", "2026"), "day", "The date must be a real date."),
            ({"name": ""}, "name", "Enter the day's name."),
            ({"name": "N" * 121}, "name", "Name must be 120 characters or fewer."),
            ({"reason": "  "}, "reason", "Enter the reason for the change."),
            ({"kind": "holiday"}, "kind", "Choose a bank holiday or a trust closure day."),
        ],
    )
    def test_bad_input_is_refused_naming_the_field_and_keeping_what_was_typed(
        self, client, admin, complaint, change, field, says
    ):
        client.force_login(admin)
        before = (NonWorkingDay.objects.count(), AuditEvent.objects.count())
        response = client.post(CALENDAR, closure(**change) | {"reason": change.get("reason", SCRIPT)})
        assert_refused(response, says=says, kept=[SCRIPT] if "reason" not in change else [])
        assert f'<a href="#id_{field}' in response.content.decode()
        assert (NonWorkingDay.objects.count(), AuditEvent.objects.count()) == before
        complaint.refresh_from_db()
        assert complaint.response_due_on == D(2026, 12, 29)


class TestRemovingADay:
    def test_removing_a_bank_holiday_asks_why_and_moves_open_deadlines_back(self, client, admin, complaint):
        day = NonWorkingDay.objects.get(date=BOXING_DAY_OBSERVED)
        client.force_login(admin)
        page = client.get(remove_url(day))
        assert page.status_code == 200
        assert "Make Monday 28 December 2026 a working day again?" in page_text(page)

        response = client.post(remove_url(day), {"reason": "Entered twice: the trust works that day"})

        assert response.status_code == 302
        assert response.url == f"{CALENDAR}?year=2026"
        assert not NonWorkingDay.objects.filter(date=BOXING_DAY_OBSERVED).exists()
        complaint.refresh_from_db()
        assert complaint.response_due_on == D(2026, 12, 28)
        event = AuditEvent.objects.get(action="calendar.day_removed")
        assert (event.actor, event.channel, event.context["reason"]) == (
            admin,
            "web",
            "Entered twice: the trust works that day",
        )
        assert "is a working day again" in complaint.timeline.latest("occurred_at").body
        text = page_text(client.get(response.url))
        assert "Monday 28 December 2026 is a working day again (it was Boxing Day (observed))." in text
        assert "1 open case's deadlines moved." in text

    def test_removing_a_day_without_a_reason_is_refused_and_the_day_kept(self, client, admin, complaint):
        day = NonWorkingDay.objects.get(date=BOXING_DAY_OBSERVED)
        client.force_login(admin)
        response = client.post(remove_url(day), {"reason": "   "})
        assert_refused(response, says="Enter the reason for the change.")
        assert '<a href="#id_reason">' in response.content.decode()
        assert NonWorkingDay.objects.filter(pk=day.pk).exists()
        complaint.refresh_from_db()
        assert complaint.response_due_on == D(2026, 12, 29)

    def test_a_day_that_does_not_exist_is_404(self, client, admin):
        client.force_login(admin)
        assert client.get(reverse("deadlines:remove_day", kwargs={"day_id": 999_999})).status_code == 404


class TestOnlyAdministrators:
    @pytest.mark.parametrize("role", [officer, coordinator, divisional_manager, auditor])
    def test_every_other_role_gets_403_for_the_page_and_each_change(self, client, division, role, complaint):
        day = NonWorkingDay.objects.get(date=BOXING_DAY_OBSERVED)
        client.force_login(role(divisions=[division]))
        before = (NonWorkingDay.objects.count(), AuditEvent.objects.count())
        assert client.get(CALENDAR).status_code == 403
        assert client.post(CALENDAR, closure()).status_code == 403
        assert client.get(remove_url(day)).status_code == 403
        assert client.post(remove_url(day), {"reason": "Not mine to change"}).status_code == 403
        assert (NonWorkingDay.objects.count(), AuditEvent.objects.count()) == before
        complaint.refresh_from_db()
        assert complaint.response_due_on == D(2026, 12, 29)

    def test_the_403_comes_before_the_day_is_looked_up(self, client):
        client.force_login(officer())
        assert client.get(reverse("deadlines:remove_day", kwargs={"day_id": 999_999})).status_code == 403

    def test_signing_in_is_required(self, client):
        day = NonWorkingDay.objects.get(date=BOXING_DAY_OBSERVED)
        for url in (CALENDAR, remove_url(day)):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith("/sign-in/?next=")

"""The daily report on Monday 23 November 2026: each section's cases exactly, who may see what, and its date."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from palsdesk.accounts.tests.factories import auditor, coordinator, divisional_manager, officer, volunteer
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import problems
from palsdesk.deadlines import services as deadline_services
from palsdesk.deadlines.models import HoldReason
from palsdesk.organisation.tests.factories import DivisionFactory, SiteFactory
from palsdesk.reporting import selectors

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = D(2026, 11, 23)
URL = "/reports/daily/"


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 30, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def medicine():
    return DivisionFactory(name="Medicine")


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def riverside():
    return SiteFactory(name="Riverside Hospital")


@pytest.fixture
def northgate():
    return SiteFactory(name="Northgate General")


@pytest.fixture
def caseworker():
    return officer()


@pytest.fixture
def cases(medicine, surgery, riverside, northgate, caseworker):
    """A week of work, each case named for where it belongs on Monday 23 November's report."""

    def case(name, kind, received_on, division, site=None, **values):
        return make_case(
            kind=kind,
            received_on=received_on,
            division=division,
            site=site,
            summary=name.replace("_", " "),
            actor=caseworker,
            **values,
        )

    made = {
        # Complaints: acknowledgement 3 working days after receipt, response 25 working days after.
        "late_acknowledgement": case("late_acknowledgement", Kind.COMPLAINT, D(2026, 11, 16), medicine, riverside),
        "acknowledgement_today": case("acknowledgement_today", Kind.COMPLAINT, D(2026, 11, 18), surgery, northgate),
        "acknowledged": case("acknowledged", Kind.COMPLAINT, D(2026, 11, 16), medicine, riverside),
        "friday_complaint": case("friday_complaint", Kind.COMPLAINT, D(2026, 11, 20), medicine, riverside),
        "late_complaint_response": case("late_complaint_response", Kind.COMPLAINT, D(2026, 10, 16), surgery, northgate),
        # PALS concerns: a response 5 working days after receipt, and no acknowledgement clock.
        "saturday_concern": case("saturday_concern", Kind.PALS_CONCERN, D(2026, 11, 21), surgery),
        "monday_concern": case("monday_concern", Kind.PALS_CONCERN, MONDAY, medicine, northgate),
        "thursday_concern": case("thursday_concern", Kind.PALS_CONCERN, D(2026, 11, 19), surgery, riverside),
        "late_concern": case("late_concern", Kind.PALS_CONCERN, D(2026, 11, 9), medicine, riverside),
        "concern_due_today": case("concern_due_today", Kind.PALS_CONCERN, D(2026, 11, 16), surgery, northgate),
        "resolved_concern": case("resolved_concern", Kind.PALS_CONCERN, D(2026, 11, 9), medicine, riverside),
        "held_concern": case("held_concern", Kind.PALS_CONCERN, D(2026, 11, 9), surgery, riverside),
        # A member of staff complaining: restricted to the officer who logged it.
        "restricted": case(
            "restricted", Kind.PALS_CONCERN, D(2026, 11, 20), medicine, riverside, is_staff_complainant=True
        ),
    }
    case_services.move_case(made["acknowledged"], to=Status.ACKNOWLEDGED, on=D(2026, 11, 18), actor=caseworker)
    case_services.move_case(
        made["late_complaint_response"], to=Status.ACKNOWLEDGED, on=D(2026, 10, 19), actor=caseworker
    )
    case_services.move_case(made["resolved_concern"], to=Status.RESOLVED, on=D(2026, 11, 20), actor=caseworker)
    deadline_services.put_on_hold(
        made["held_concern"],
        reason=HoldReason.objects.get(code="awaiting-consent"),
        started_on=D(2026, 11, 13),
        actor=caseworker,
    )
    return {name: case.reference for name, case in made.items()}


def listed(response, section: str, case_list: str) -> set[str]:
    """The references in one list of the page (its tables, one per division)."""
    html = response.content.decode()
    tables = re.findall(rf'<table [^>]*data-list="{section}-{case_list}">(.*?)</table>', html, re.S)
    return set(re.findall(r'href="/cases/([A-Z]{3}-\d{4}-\d{5})/"', "".join(tables)))


def names(cases: dict, *wanted: str) -> set[str]:
    return {cases[name] for name in wanted}


def report_for(user, on=MONDAY) -> dict:
    report = selectors.daily_report(user, on=on)
    return {section.key: section for section in report.sections}


class TestEverySectionOnMonday:
    def test_new_cases_are_those_received_since_the_last_working_day_so_fridays_and_the_weekends(self, client, cases):
        client.force_login(coordinator())
        response = client.get(URL)
        assert listed(response, "new", "new") == names(cases, "friday_complaint", "saturday_concern", "monday_concern")
        assert "Received from Friday 20 November 2026 to Monday 23 November 2026" in response.content.decode()

    def test_acknowledgements_are_split_into_overdue_and_due_today(self, client, cases):
        client.force_login(coordinator())
        response = client.get(URL)
        assert listed(response, "acknowledgements", "overdue") == names(cases, "late_acknowledgement")
        assert listed(response, "acknowledgements", "due_today") == names(cases, "acknowledgement_today")

    def test_responses_are_those_overdue_and_those_due_in_the_next_5_working_days_held_ones_left_out(
        self, client, cases
    ):
        client.force_login(coordinator())
        response = client.get(URL)
        assert listed(response, "responses", "overdue") == names(cases, "late_concern", "late_complaint_response")
        # Monday 30 November is the fifth working day: a concern received today is due then, and is listed.
        assert listed(response, "responses", "due_soon") == names(
            cases, "concern_due_today", "thursday_concern", "saturday_concern", "monday_concern"
        )
        assert "due by Monday 30 November 2026" in response.content.decode()

    def test_cases_on_hold_are_listed_with_the_reason_they_are_held(self, client, cases):
        client.force_login(coordinator())
        response = client.get(URL)
        assert listed(response, "on_hold", "on_hold") == names(cases, "held_concern")
        assert "Awaiting the patient&#x27;s consent" in response.content.decode()

    def test_each_section_is_counted_by_division_and_by_site(self, cases, medicine, surgery):
        responses = report_for(coordinator())["responses"]
        assert [(t.name, t.counts) for t in responses.by_division] == [("Medicine", (1, 1)), ("Surgery", (1, 3))]
        assert [(t.name, t.counts) for t in responses.by_site] == [
            ("Northgate General", (1, 2)),
            ("Riverside Hospital", (1, 1)),
            ("No site recorded", (0, 1)),
        ]
        assert responses.totals == (2, 4)

    def test_the_counts_at_the_top_say_how_many_are_in_each_list(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        glance = dict(
            (label, int(number))
            for number, label in re.findall(
                r'app-count-card__number">(\d+)</span>\s*<a href="#[\w-]+">([^<]+)</a>', html
            )
        )
        assert glance == {
            "new since Friday": 3,
            "acknowledgements overdue": 1,
            "acknowledgements due today": 1,
            "responses overdue": 2,
            "responses due by Monday 30 November": 4,
            "on hold": 1,
        }


class TestWhoSeesWhat:
    def test_a_divisional_manager_sees_only_their_divisions_cases(self, client, cases, surgery):
        client.force_login(divisional_manager(divisions=[surgery]))
        response = client.get(URL)
        assert response.status_code == 200
        assert listed(response, "new", "new") == names(cases, "saturday_concern")
        assert listed(response, "acknowledgements", "overdue") == set()
        assert listed(response, "acknowledgements", "due_today") == names(cases, "acknowledgement_today")
        assert listed(response, "responses", "overdue") == names(cases, "late_complaint_response")
        assert listed(response, "responses", "due_soon") == names(
            cases, "concern_due_today", "thursday_concern", "saturday_concern"
        )
        assert "Medicine" not in response.content.decode()

    def test_a_restricted_case_is_left_out_for_anyone_not_named_on_it(self, client, cases, caseworker):
        client.force_login(coordinator())
        response = client.get(URL)
        assert cases["restricted"] not in response.content.decode()
        assert report_for(coordinator())["new"].total == 3

        client.force_login(caseworker)
        assert cases["restricted"] in listed(client.get(URL), "new", "new")

    @pytest.mark.parametrize("role", [coordinator, officer, auditor])
    def test_trust_wide_roles_may_open_it(self, client, role):
        client.force_login(role())
        assert client.get(URL).status_code == 200

    def test_a_volunteer_is_refused(self, client):
        client.force_login(volunteer())
        assert client.get(URL).status_code == 403

    def test_it_needs_a_signed_in_user(self, client):
        response = client.get(URL)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    def test_the_navigation_offers_it_to_those_who_may_see_it_and_not_to_volunteers(self, client):
        # The menu's "Reports" leads to the reports index, which links the daily report.
        client.force_login(coordinator())
        assert 'href="/reports/"' in client.get("/").content.decode()
        assert f'href="{URL}"' in client.get("/reports/").content.decode()
        client.force_login(volunteer())
        assert 'href="/reports/"' not in client.get("/").content.decode()
        assert client.get("/reports/").status_code == 403


class TestAnotherDay:
    def test_the_report_as_on_a_friday_covers_thursday_and_friday(self, client, cases):
        client.force_login(coordinator())
        response = client.get(URL, {"date": "2026-11-20"})
        html = response.content.decode()
        assert "Friday 20 November 2026" in html
        assert "worked out from the cases as they stand today" in html
        assert listed(response, "new", "new") == names(cases, "thursday_concern", "friday_complaint")
        # On Friday, Monday's late acknowledgement (due Thursday 19th) was already late.
        assert listed(response, "acknowledgements", "overdue") == names(cases, "late_acknowledgement")

    @pytest.mark.parametrize(
        ("date", "says"),
        [
            ("2026-02-30", "Enter a real date as year, month and day, like 2026-11-20."),
            ("23/11/2026", "Enter a real date as year, month and day, like 2026-11-20."),
            ("1999-12-31", "Enter a date from 2010 to 2045"),
        ],
    )
    def test_a_bad_date_is_explained_in_the_error_summary(self, client, cases, date, says):
        client.force_login(coordinator())
        response = client.get(URL, {"date": date})
        assert response.status_code == 200
        assert any(says in problem for problem in problems(response)), problems(response)
        assert 'class="nhsuk-error-message"' in response.content.decode()
        assert listed(response, "new", "new") == set()

    def test_an_empty_date_means_today(self, client, cases):
        client.force_login(coordinator())
        response = client.get(URL, {"date": ""})
        assert "Monday 23 November 2026" in response.content.decode()
        assert not problems(response)


class TestOnPaper:
    def test_the_page_links_its_print_styles_and_a_print_button_that_needs_no_inline_script(self, client, cases):
        client.force_login(coordinator())
        html = client.get(URL).content.decode()
        assert 'href="/static/reporting/print.css"' in html
        assert '<script src="/static/reporting/print.js" defer></script>' in html
        assert re.search(r"<button[^>]*data-print-report hidden>Print this report</button>", html)
        # Every script on the page is a file: the Content-Security-Policy allows no inline script.
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)

    def test_a_long_list_shows_the_earliest_due_whatever_their_division_and_says_how_many_more_there_are(
        self, client, cases, monkeypatch
    ):
        monkeypatch.setattr(selectors, "ROWS_SHOWN", 2)
        client.force_login(coordinator())
        response = client.get(URL)
        # Due Monday 23rd (Surgery) and Thursday 26th (Surgery), before Medicine's concern due on the 30th.
        assert listed(response, "responses", "due_soon") == names(cases, "concern_due_today", "thursday_concern")
        assert "And 2 more" in response.content.decode()

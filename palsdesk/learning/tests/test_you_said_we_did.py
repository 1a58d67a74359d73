"""The "you said, we did" list and its exports for the trust's website hold no personal data: only words the
co-ordinator wrote for the public and approved, checked for names, NHS numbers and the like, never the case's text."""

import csv
import datetime
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from palsdesk.cases.models import Kind
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import assert_refused, date_parts, page_text
from palsdesk.coding.models import TaxonomyKind
from palsdesk.coding.tests.factories import code
from palsdesk.learning import selectors, services
from palsdesk.learning.models import PlanScope, PublicWording
from palsdesk.learning.tests.factories import finish, make_action, make_plan, publish
from palsdesk.people.models import PartyRole
from palsdesk.people.services import add_person_to_case
from palsdesk.people.tests.factories import person_details

pytestmark = pytest.mark.django_db

LIST = reverse("learning:you_said_we_did")
CSV = reverse("learning:export_csv")
HTML = reverse("learning:export_html")

# What the case holds, and must never reach the website.
PATIENT = {"first_name": "Philippa", "last_name": "Quartermaine", "nhs_number": "9434765919"}
REPRESENTATIVE = {"first_name": "Bartholomew", "last_name": "Fennimore-Blythe", "nhs_number": "4010232137"}
PLANTED = [
    "Philippa",
    "Quartermaine",
    "Bartholomew",
    "Fennimore-Blythe",
    "9434765919",
    "943 476 5919",
    "4010232137",
    "401 023 2137",
    "01632 960123",
    "philippa@example.org",
    "14/02/1948",
]
YOU_SAID = "You told us that letters about going home arrived late and were hard to read."
WE_DID = "Every ward now uses a discharge checklist, and letters are written in plain English."


@pytest.fixture
def complaint(lead, medicine):
    case = make_case(
        kind=Kind.COMPLAINT,
        division=medicine,
        actor=lead,
        summary="Philippa Quartermaine (NHS 943 476 5919) waited for her discharge letter",
        account=(
            "Philippa Quartermaine, born 14/02/1948, NHS number 9434765919, phone 01632 960123, "
            "email philippa@example.org. Her son Bartholomew Fennimore-Blythe (4010232137) complained for her."
        ),
        complainant=person_details(
            **PATIENT, phone="01632 960123", email="philippa@example.org", date_of_birth=datetime.date(1948, 2, 14)
        ),
        complainant_is_patient=True,
    )
    join(case, person_details(**REPRESENTATIVE), actor=lead)
    return case


@pytest.fixture
def published(lead, complaint):
    """An action on the complaint's plan, its internal words full of the case's details, its public words not."""
    plan = make_plan(
        lead, scope=PlanScope.CASE, case=complaint, title="Quartermaine complaint: discharge letters (9434765919)"
    )
    action = make_action(
        plan,
        actor=lead,
        description="Tell Philippa Quartermaine (943 476 5919) and Bartholomew Fennimore-Blythe what changed",
        cases=[complaint],
        subjects=[code(TaxonomyKind.SUBJECT, "communications")],
    )
    return publish(action, actor=lead, you_said=YOU_SAID, we_did=WE_DID)


def join(case, details, *, actor) -> None:
    """Someone joins the case as a representative."""
    with transaction.atomic():
        add_person_to_case(
            case, details=details, roles=[PartyRole.REPRESENTATIVE], relationship_to_patient="child", actor=actor
        )


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


class TestTheExportHoldsNoPersonalData:
    def test_the_csv_holds_the_approved_words_and_nothing_of_the_case(self, client, lead, published):
        client.force_login(lead)

        response = client.get(CSV)

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="you-said-we-did.csv"'
        assert csv_rows(response) == [
            ["You said", "We did", "Done in", "Division", "Themes"],
            [YOU_SAID, WE_DID, "November 2026", "Medicine", "Communications"],
        ]
        exported = response.content.decode()
        for planted in [*PLANTED, published.plan.case.reference]:
            assert planted not in exported, planted

    def test_the_html_snippet_holds_the_approved_words_and_nothing_of_the_case(self, client, lead, published):
        client.force_login(lead)

        response = client.get(HTML)

        html = response.content.decode()
        assert response["Content-Disposition"] == 'attachment; filename="you-said-we-did.html"'
        assert html.lstrip().startswith('<section class="you-said-we-did">')
        assert YOU_SAID in html and WE_DID in html
        assert "<script" not in html and "<style" not in html
        for planted in [*PLANTED, published.plan.case.reference]:
            assert planted not in html, planted

    def test_words_not_yet_approved_are_not_exported(self, client, lead, medicine):
        action = finish(make_action(make_plan(lead, division=medicine), actor=lead), actor=lead)
        services.write_public_wording(action, actor=lead, you_said="Draft words", we_did="Not yet approved")
        client.force_login(lead)

        assert csv_rows(client.get(CSV)) == [["You said", "We did", "Done in", "Division", "Themes"]]
        assert "Draft words" not in client.get(HTML).content.decode()

    def test_a_theme_in_the_teams_own_words_is_never_exported(self, client, lead):
        plan = make_plan(lead, scope=PlanScope.THEME, theme="Complaints from the Quartermaine family")
        publish(make_action(plan, actor=lead), actor=lead, you_said=YOU_SAID, we_did=WE_DID)
        client.force_login(lead)

        assert "Quartermaine" not in client.get(CSV).content.decode()

    def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_plain(self, client, lead, medicine):
        action = make_action(make_plan(lead, division=medicine), actor=lead)
        publish(action, actor=lead, you_said="=HYPERLINK(1)", we_did="+1 more nurse")
        client.force_login(lead)

        (row,) = csv_rows(client.get(CSV))[1:]

        assert row[:2] == ["'=HYPERLINK(1)", "'+1 more nurse"]

    def test_words_that_name_someone_added_to_a_case_after_approval_are_held_back(
        self, client, lead, complaint, published
    ):
        # The approved words say "plain English"; someone called English joins the case after they were approved.
        join(complaint, person_details(first_name="Nell", last_name="English"), actor=lead)
        client.force_login(lead)

        exported = client.get(CSV).content.decode()
        page = page_text(client.get(LIST))

        assert WE_DID not in exported
        assert WE_DID not in page
        assert "Held back" in page and f"Action {published.pk}" in page


class TestApprovalRefusesPersonalData:
    @pytest.fixture
    def action(self, lead, complaint):
        plan = make_plan(lead, scope=PlanScope.CASE, case=complaint)
        return finish(make_action(plan, actor=lead), actor=lead)

    @pytest.mark.parametrize(
        "you_said",
        [
            "Philippa told us her letter was late.",
            "Mr Fennimore-Blythe told us the letter was late.",
            "The patient with NHS number 943 476 5919 waited.",
            "The patient with NHS number 4010232137 waited.",
        ],
    )
    def test_approving_words_with_a_name_or_nhs_number_on_the_web_is_refused(self, client, lead, action, you_said):
        client.force_login(lead)
        client.post(
            reverse("learning:write_wording", kwargs={"action_id": action.pk}), {"you_said": you_said, "we_did": WE_DID}
        )

        response = client.post(reverse("learning:approve_wording", kwargs={"action_id": action.pk}))

        assert_refused(response, says="This cannot be published: it contains", kept=[you_said])
        assert not PublicWording.objects.get().is_approved
        assert csv_rows(client.get(CSV))[1:] == []

    def test_approved_words_go_on_the_list(self, client, lead, action):
        client.force_login(lead)
        client.post(
            reverse("learning:write_wording", kwargs={"action_id": action.pk}), {"you_said": YOU_SAID, "we_did": WE_DID}
        )

        response = client.post(reverse("learning:approve_wording", kwargs={"action_id": action.pk}))

        assert response.status_code == 302
        assert WE_DID in page_text(client.get(LIST))


class TestTheList:
    def test_the_list_filters_by_the_period_and_division(self, client, lead, medicine, surgery, time_machine):
        time_machine.move_to(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC))
        september = make_action(make_plan(lead, division=medicine), actor=lead)
        publish(september, actor=lead, you_said="September said", we_did="September did")
        time_machine.move_to(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))
        november = make_action(make_plan(lead, division=surgery), actor=lead)
        publish(november, actor=lead, you_said="November said", we_did="November did")
        client.force_login(lead)

        autumn = page_text(client.get(LIST, {**date_parts("completed_from", 1, 10, 2026)}))
        medicine_only = page_text(client.get(LIST, {"division": "MED"}))
        exported = client.get(CSV, {**date_parts("completed_from", 1, 10, 2026)}).content.decode()

        assert "November did" in autumn and "September did" not in autumn
        assert "September did" in medicine_only and "November did" not in medicine_only
        assert "November did" in exported and "September did" not in exported

    def test_a_period_that_ends_before_it_starts_is_refused(self, client, lead):
        client.force_login(lead)

        response = client.get(
            LIST, {**date_parts("completed_from", 2, 11, 2026), **date_parts("completed_to", 1, 11, 2026)}
        )

        assert_refused(response, says="The end of the period must be on or after its start.")

    def test_the_coordinator_is_told_of_done_actions_without_approved_words(self, client, lead, medicine):
        finish(make_action(make_plan(lead, division=medicine), actor=lead), actor=lead)
        client.force_login(lead)

        assert "1 completed action has no approved words yet" in page_text(client.get(LIST))

    def test_a_divisional_manager_sees_their_divisions_entries_and_cannot_export(
        self, client, lead, medicine, surgery, medicine_manager
    ):
        publish(
            make_action(make_plan(lead, division=medicine), actor=lead), actor=lead, you_said="M said", we_did="M did"
        )
        publish(
            make_action(make_plan(lead, division=surgery), actor=lead), actor=lead, you_said="S said", we_did="S did"
        )
        client.force_login(medicine_manager)

        text = page_text(client.get(LIST))

        assert "M did" in text and "S did" not in text
        assert client.get(CSV).status_code == 403
        assert client.get(HTML).status_code == 403

    def test_the_list_and_export_read_the_database_a_fixed_number_of_times(self, client, lead, medicine, capsys):
        def add(count):
            for number in range(count):
                case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
                action = make_action(make_plan(lead, scope=PlanScope.CASE, case=case), actor=lead, cases=[case])
                action.subjects.add(code(TaxonomyKind.SUBJECT, "communications"))
                publish(action, actor=lead, you_said=f"Said {number}", we_did=f"Did {number}")

        def queries(url) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            return len(captured)

        client.force_login(lead)
        add(2)
        few = {url: queries(url) for url in (LIST, CSV, HTML)}
        add(6)
        many = {url: queries(url) for url in (LIST, CSV, HTML)}

        assert many == few
        with capsys.disabled():
            print(f"\n'you said, we did' queries with 2 entries and with 8: {few}")


class TestChangesMadeForTheBoardReport:
    def test_it_lists_what_was_done_in_the_period_with_the_cases_and_themes_behind_it(
        self, lead, medicine, surgery, complaint, time_machine
    ):
        time_machine.move_to(datetime.datetime(2026, 9, 30, 9, tzinfo=datetime.UTC))
        plan = make_plan(lead, scope=PlanScope.CASE, case=complaint, title="Discharge letters")
        concern = make_case(kind=Kind.PALS_CONCERN, division=medicine, actor=lead)
        in_period = make_action(
            plan,
            actor=lead,
            description="Checklist on every ward",
            cases=[concern],
            subjects=[code(TaxonomyKind.SUBJECT, "communications")],
        )
        before_period = make_action(plan, actor=lead, description="Done in September")
        finish(before_period, actor=lead)
        surgery_action = make_action(make_plan(lead, division=surgery), actor=lead, description="Theatre list")
        not_done = make_action(plan, actor=lead, description="Still open")
        time_machine.move_to(datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))
        publish(in_period, actor=lead, you_said=YOU_SAID, we_did=WE_DID)
        finish(surgery_action, actor=lead, on=datetime.date(2026, 10, 1))

        october_to_december = selectors.Period(datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
        changes = selectors.changes_made(october_to_december)
        medicine_only = selectors.changes_made((datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)), medicine)

        assert [change.description for change in changes] == ["Theatre list", "Checklist on every ward"]
        (change,) = medicine_only
        assert change.division == "Medicine"
        assert change.plan_title == "Discharge letters"
        assert change.case_references == sorted([complaint.reference, concern.reference])
        assert change.themes == ["Communications"]
        assert (change.you_said, change.we_did) == (YOU_SAID, WE_DID)
        assert change.completed_on == datetime.date(2026, 11, 20)
        assert not_done.description not in [c.description for c in changes]

    def test_words_not_approved_are_not_given(self, lead, medicine):
        action = finish(make_action(make_plan(lead, division=medicine), actor=lead), actor=lead)
        services.write_public_wording(action, actor=lead, you_said="Draft", we_did="Draft")

        (change,) = selectors.changes_made((datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)))

        assert (change.you_said, change.we_did) == ("", "")

    def test_it_reads_the_database_a_fixed_number_of_times(self, lead, medicine, django_assert_num_queries):
        for _ in range(4):
            case = make_case(kind=Kind.COMPLAINT, division=medicine, actor=lead)
            action = make_action(make_plan(lead, scope=PlanScope.CASE, case=case), actor=lead, cases=[case])
            action.subjects.add(code(TaxonomyKind.SUBJECT, "communications"))
            finish(action, actor=lead)

        with django_assert_num_queries(4):  # the actions with their plans, then their cases, subjects, local subjects
            changes = selectors.changes_made((datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)), medicine)

        assert len(changes) == 4

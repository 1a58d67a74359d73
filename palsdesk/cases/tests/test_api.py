"""The cases API (/api/v1/cases/): logging, reading, listing, moving, assigning and noting cases as JSON."""

import datetime
import json
from collections import deque
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import (
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services, workflow
from palsdesk.cases.models import Case, Kind, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding.tests.factories import code_for_closing
from palsdesk.organisation.tests.factories import DivisionFactory, ServiceFactory, SiteFactory
from palsdesk.people.models import CaseParty, CommunicationNeed, PartyRole, Person
from palsdesk.people.tests.factories import person_details, valid_nhs_number
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

# Saturday 21 November 2026, mid-morning in London.
NOW = datetime.datetime(2026, 11, 21, 10, 30, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()
TOMORROW = TODAY + datetime.timedelta(days=1)
# A Monday, so the working-day clocks are easy to read.
EARLIER = datetime.date(2026, 11, 2)

CASES_URL = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW):
        yield


@pytest.fixture
def division():
    return DivisionFactory(code="MED", name="Medicine")


@pytest.fixture
def other_division():
    return DivisionFactory(code="SURG", name="Surgery")


@pytest.fixture
def pals_officer(division):
    return officer(divisions=[division])


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case: Case, action: str = "") -> str:
    return f"{CASES_URL}{case.reference}/{action + '/' if action else ''}"


def payload(division, /, **overrides) -> dict:
    values = {
        "kind": "complaint",
        "received_on": EARLIER.isoformat(),
        "channel": "email",
        "division": division.code,
        "summary": "Discharged without the medicines the ward promised",
        "account": "My father was sent home on Friday evening without his tablets.",
        "patient": {"first_name": "Arthur", "last_name": "Dent", "nhs_number": valid_nhs_number(1)},
        "complainant": {"first_name": "Tricia", "last_name": "Dent", "relationship_to_patient": "child"},
    }
    return values | overrides


def saved_rows() -> dict[str, int]:
    """Row counts of everything logging or changing a case writes, to prove a refusal saved nothing."""
    return {
        "cases": Case.objects.count(),
        "people": Person.objects.count(),
        "parties": CaseParty.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "audit": AuditEvent.objects.exclude(action="case.viewed").count(),
    }


def post(client: APIClient, address: str, body):
    return client.post(address, body, format="json")


def path_to(kind: Kind, status: Status) -> list[workflow.Transition]:
    """The shortest run of pathway moves that takes a new case of this kind to the status."""
    start = workflow.INITIAL_STATUS[kind]
    routes = {start: []}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for step in workflow.moves_from(kind, here):
            if step.guard == "time_limit_declined":
                continue  # only for a complaint made too late and not taken on: its own tests set that up
            if step.target not in routes:
                routes[step.target] = [*routes[here], step]
                queue.append(step.target)
    return routes[status]


def case_in_status(kind: Kind, status: Status, *, division, actor) -> Case:
    case = make_case(kind=kind, division=division, actor=actor, received_on=EARLIER)
    if kind == Kind.COMPLAINT and status in (Status.RESPONSE_SENT, Status.CLOSED):
        code_for_closing(case, actor=actor)  # ready to close
    for step in path_to(kind, status):
        if step.guard == "response_signed_off":
            sign_off_response(case)
        case = services.move_case(case, to=step.target, reason="Set up for the test", actor=actor)
    case.refresh_from_db()
    assert case.status == status
    return case


# Logging a case -----------------------------------------------------------------------------------------------


def test_an_officer_logs_a_complaint_and_gets_201_with_the_case(pals_officer, division):
    response = post(api(pals_officer), CASES_URL, payload(division))

    assert response.status_code == 201, response.json()
    body = response.json()
    case = Case.objects.get()
    assert body["reference"] == case.reference
    assert body["reference"].startswith("COM-2026-")
    assert body["kind"] == "complaint"
    assert body["status"] == "received"
    assert body["received_on"] == "2026-11-02"
    assert body["division"] == "MED"
    assert body["summary"] == "Discharged without the medicines the ward promised"
    assert body["account"] == "My father was sent home on Friday evening without his tablets."
    # Regulation 13(2): acknowledge within 3 working days of receipt.
    assert body["acknowledgement_due_on"] == "2026-11-05"
    roles = {(p["role"], p["name"]) for p in body["people"]}
    assert roles == {("patient", "Arthur Dent"), ("representative", "Tricia Dent")}
    assert {t["to"] for t in body["allowed_transitions"]} == {"acknowledged", "withdrawn"}


def test_logging_a_case_through_the_api_is_audited_with_channel_api(pals_officer, division):
    response = post(api(pals_officer), CASES_URL, payload(division))

    event = AuditEvent.objects.get(action="case.opened")
    assert response.status_code == 201
    assert event.channel == AuditEvent.Channel.API
    assert event.actor == pals_officer
    assert event.target_label == response.json()["reference"]


def test_a_complainant_who_is_the_patient_is_given_once_with_both_roles(pals_officer, division):
    body = payload(
        division,
        kind="pals_concern",
        patient=None,
        complainant={"last_name": "Prefect", "is_patient": True, "communication_needs": ["large-print"]},
    )
    del body["patient"]

    response = post(api(pals_officer), CASES_URL, body)

    assert response.status_code == 201, response.json()
    people = response.json()["people"]
    assert sorted(p["role"] for p in people) == ["complainant", "patient"]
    assert all(p["communication_needs"] == ["large-print"] for p in people)
    assert Person.objects.count() == 1


def test_a_case_may_be_logged_without_anyone_on_it(pals_officer, division):
    body = payload(division, kind="enquiry")
    del body["patient"], body["complainant"]

    response = post(api(pals_officer), CASES_URL, body)

    assert response.status_code == 201, response.json()
    assert response.json()["people"] == []


def test_a_staff_complainant_restricts_the_new_case_to_its_creator(pals_officer, division):
    response = post(api(pals_officer), CASES_URL, payload(division, is_staff_complainant=True))

    assert response.status_code == 201
    assert response.json()["is_restricted"] is True
    assert list(Case.objects.get().named_users.all()) == [pals_officer]


@pytest.mark.parametrize("kind", ["pals_concern", "compliment", "enquiry"])
def test_a_volunteer_may_log_a_pals_case(division, kind):
    response = post(api(volunteer()), CASES_URL, payload(division, kind=kind))

    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == kind


@pytest.mark.parametrize("kind", ["complaint", "mp_letter"])
def test_a_volunteer_gets_403_for_logging_a_complaint(division, kind):
    before = saved_rows()

    response = post(api(volunteer()), CASES_URL, payload(division, kind=kind))

    assert response.status_code == 403
    assert "cannot log" in response.json()["detail"]
    assert saved_rows() == before


@pytest.mark.parametrize("make_user", [auditor, divisional_manager], ids=["auditor", "divisional_manager"])
def test_a_role_that_does_not_log_cases_gets_403_for_logging_one(division, make_user):
    before = saved_rows()

    response = post(api(make_user(divisions=[division])), CASES_URL, payload(division, kind="pals_concern"))

    assert response.status_code == 403
    assert saved_rows() == before


def test_html_and_script_in_text_are_stored_as_typed_and_returned_as_plain_json_strings(pals_officer, division):
    summary = "<b>Rude</b> nurse <script>alert('x')</script>"
    account = '<img src=x onerror="alert(1)"> & <a href="javascript:void(0)">link</a>'
    body = payload(division, summary=summary, account=account)
    body["patient"]["last_name"] = "<i>O'Brien</i>"

    response = post(api(pals_officer), CASES_URL, body)

    assert response.status_code == 201, response.json()
    assert response["Content-Type"] == "application/json"
    case = Case.objects.get()
    assert (case.summary, case.account) == (summary, account)
    assert response.json()["summary"] == summary
    assert response.json()["account"] == account
    assert Person.objects.filter(last_name="<i>O'Brien</i>").exists()
    assert api(pals_officer).get(url(case)).json()["summary"] == summary


# Logging a case: bad input answers 400 per field and saves nothing ----------------------------------------------


def assert_refused(response, before: dict) -> dict:
    assert response.status_code == 400, (response.status_code, response.content)
    assert response["Content-Type"] == "application/json"
    assert saved_rows() == before
    return response.json()


@pytest.mark.parametrize("field", ["kind", "received_on", "channel", "division", "summary"])
def test_logging_a_case_without_a_required_field_answers_400_naming_it(pals_officer, division, field):
    body = payload(division)
    del body[field]
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert errors == {field: ["This field is required."]}


def test_logging_an_empty_case_names_every_missing_field(pals_officer):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, {}), before)

    assert set(errors) == {"kind", "received_on", "channel", "division", "summary"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", 5),
        ("kind", "grumble"),
        ("channel", "carrier_pigeon"),
        ("received_on", "yesterday"),
        ("received_on", 20261121),
        ("received_on", "2026-02-30"),
        ("summary", ["list"]),
        ("summary", {"text": "an object"}),
        ("summary", None),
        ("summary", "   "),
        ("summary", "Null\x00byte"),
        ("is_safeguarding", "banana"),
        ("is_safeguarding", None),
        ("patient", "a string"),
        ("patient", ["a", "list"]),
        ("complainant", 7),
        ("division", ["MED"]),
        ("division", {"code": "MED"}),
        ("division", None),
        ("site", 12),
        ("event_on", "last Tuesday"),
        ("case_officer", "nobody-by-that-name"),
    ],
)
def test_a_field_of_the_wrong_type_or_value_answers_400_naming_it(pals_officer, division, field, value):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, **{field: value})), before)

    assert list(errors) == [field]
    assert all(isinstance(message, str) for message in _messages(errors[field]))


def _messages(errors) -> list:
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _messages(value)]
    return list(errors)


@pytest.mark.parametrize("body", [["a", "list"], "a string", 42, None])
def test_a_body_that_is_not_an_object_answers_400(pals_officer, body):
    before = saved_rows()

    errors = assert_refused(
        api(pals_officer).post(CASES_URL, json.dumps(body), content_type="application/json"), before
    )

    assert errors


def test_malformed_json_answers_400(pals_officer):
    before = saved_rows()

    errors = assert_refused(
        api(pals_officer).post(CASES_URL, '{"kind": "complaint",', content_type="application/json"), before
    )

    assert "JSON parse error" in errors["detail"]


def test_a_body_nested_too_deeply_answers_400_not_500(pals_officer):
    before = saved_rows()
    body = '{"summary": ' + '{"a": ' * 5000 + "1" + "}" * 5001

    errors = assert_refused(api(pals_officer).post(CASES_URL, body, content_type="application/json"), before)

    assert errors == {"detail": "JSON parse error - the body is nested too deeply."}


def test_a_form_encoded_body_answers_415(pals_officer, division):
    before = saved_rows()

    response = api(pals_officer).post(
        CASES_URL, "kind=complaint&patient=Arthur", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert saved_rows() == before


@pytest.mark.parametrize(
    ("nhs_number", "message"),
    [
        ("1234567890", "check digit does not match"),
        ("123456789", "must be 10 digits; this has 9"),
        ("12345678901", "must be 10 digits; this has 11"),
        ("943-476-59X9", "only digits"),
    ],
)
@pytest.mark.parametrize("person", ["patient", "complainant"])
def test_an_invalid_nhs_number_answers_400_on_that_persons_field(pals_officer, division, person, nhs_number, message):
    body = payload(division)
    body[person]["nhs_number"] = nhs_number
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert list(errors) == [person]
    assert message in errors[person]["nhs_number"][0]


def test_an_nhs_number_typed_with_spaces_is_stored_as_ten_digits(pals_officer, division):
    digits = valid_nhs_number(7)
    body = payload(division)
    body["patient"]["nhs_number"] = f"{digits[:3]} {digits[3:6]} {digits[6:]}"

    response = post(api(pals_officer), CASES_URL, body)

    assert response.status_code == 201, response.json()
    assert Person.objects.get(last_name="Dent", first_name="Arthur").nhs_number == digits


def test_a_received_date_in_the_future_answers_400(pals_officer, division):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, received_on=str(TOMORROW))), before)

    assert errors == {"received_on": ["The received date must be today or in the past."]}


def test_a_received_date_before_the_calendar_answers_400(pals_officer, division):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, received_on="1999-12-31")), before)

    assert "on or after" in errors["received_on"][0]


@pytest.mark.parametrize(
    ("field", "length", "limit"),
    [("summary", 10_000, 300), ("account", 25_000, 20_000), ("outcome_wanted", 6_000, 5_000)],
)
def test_text_over_its_limit_answers_400_with_a_length_message(pals_officer, division, field, length, limit):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, **{field: "x" * length})), before)

    assert errors == {field: [f"Must be {limit:,} characters or fewer; this has {length:,}."]}


def test_text_at_its_limit_is_accepted(pals_officer, division):
    response = post(api(pals_officer), CASES_URL, payload(division, summary="s" * 300, account="a" * 20_000))

    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("body_change", "where"),
    [
        ({"acount": "A misspelt account"}, ["acount"]),
        ({"patient": {"last_name": "Dent", "nhs_numbr": "9434765919"}}, ["patient", "nhs_numbr"]),
        ({"complainant": {"last_name": "Dent", "is_the_patient": True}}, ["complainant", "is_the_patient"]),
    ],
)
def test_an_unknown_field_answers_400_naming_it(pals_officer, division, body_change, where):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, **body_change)), before)

    for name in where:
        errors = errors[name]
    assert f"'{where[-1]}' is not a field here" in errors[0]


def test_an_unknown_division_code_answers_400(pals_officer, division):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, division="NOPE")), before)

    assert errors == {"division": ["There is no division in use with the code 'NOPE'."]}


def test_a_division_no_longer_in_use_answers_400(pals_officer, division):
    DivisionFactory(code="OLD", disabled_on=TODAY)
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, division="OLD")), before)

    assert list(errors) == ["division"]


def test_a_service_belonging_to_another_division_answers_400(pals_officer, division, other_division):
    ServiceFactory(code="THEATRES", name="Theatres", division=other_division)
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, service="THEATRES")), before)

    assert errors == {
        "service": [
            "Theatres is run by Surgery, not Medicine. Choose a service in the case's division, or change the division."
        ]
    }


def test_a_site_and_a_service_of_the_division_are_recorded(pals_officer, division):
    SiteFactory(code="RZZ01")
    ServiceFactory(code="CARDIO", division=division)

    response = post(api(pals_officer), CASES_URL, payload(division, site="RZZ01", service="CARDIO"))

    assert response.status_code == 201, response.json()
    assert (response.json()["site"], response.json()["service"]) == ("RZZ01", "CARDIO")


def test_a_communication_need_no_longer_in_use_answers_400(pals_officer, division):
    CommunicationNeed.objects.filter(code="braille").update(disabled_on=TODAY)
    body = payload(division)
    body["patient"]["communication_needs"] = ["braille"]
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert errors == {
        "patient": {"communication_needs": ["There is no communication need in use with the code 'braille'."]}
    }


# The test process started on the real date; a day after it is "later than when the server started".
STARTED_ON = datetime.date.today()


def test_reference_data_retired_after_the_server_started_is_refused(pals_officer, division):
    retired_on = STARTED_ON + datetime.timedelta(days=1)
    CommunicationNeed.objects.filter(code="braille").update(disabled_on=retired_on)
    body = payload(division, received_on=str(retired_on))
    body["patient"]["communication_needs"] = ["braille"]

    with time_machine.travel(
        datetime.datetime.combine(retired_on, datetime.time(12), tzinfo=ZoneInfo("Europe/London"))
    ):
        response = post(api(pals_officer), CASES_URL, body)

    assert response.status_code == 400, response.json()
    assert list(response.json()["patient"]) == ["communication_needs"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("division", ["MED"], "Give the division's code as text."),
        ("division", 7, "Give the division's code as text."),
        ("service", {"code": "X"}, "Give the service's code as text."),
    ],
)
def test_a_code_that_is_not_text_is_refused_as_such(pals_officer, division, field, value, message):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, **{field: value})), before)

    assert errors == {field: [message]}


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"event_on": "2026-11-10"}, "event_on"),  # after the received date
        ({"event_on": "2026-10-01", "became_aware_on": "2026-09-01"}, "became_aware_on"),
        ({"became_aware_on": str(TOMORROW)}, "became_aware_on"),
    ],
)
def test_dates_that_contradict_each_other_answer_400(pals_officer, division, changes, where):
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, **changes)), before)

    assert list(errors) == [where]


@pytest.mark.parametrize(
    ("person_changes", "field", "message"),
    [
        ({"date_of_birth": str(TOMORROW)}, "date_of_birth", "Date of birth must be today or in the past."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"last_name": ""}, "last_name", "This field may not be blank."),
        ({"title": "T" * 21}, "title", "Must be 20 characters or fewer; this has 21."),
        ({"communication_needs": ["telepathy"]}, "communication_needs", None),
        ({"communication_needs": "braille"}, "communication_needs", None),
    ],
)
def test_bad_details_of_a_person_answer_400_on_that_persons_field(
    pals_officer, division, person_changes, field, message
):
    body = payload(division)
    body["patient"] |= person_changes
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert list(errors) == ["patient"]
    assert list(errors["patient"]) == [field]
    if message:
        assert errors["patient"][field] == [message]


def test_a_complainant_who_is_the_patient_with_a_separate_patient_answers_400(pals_officer, division):
    body = payload(division, complainant={"last_name": "Dent", "is_patient": True})
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert list(errors) == ["patient"]


def test_a_complainant_who_is_the_patient_with_a_relationship_answers_400(pals_officer, division):
    body = payload(division, complainant={"last_name": "Dent", "is_patient": True, "relationship_to_patient": "child"})
    del body["patient"]
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert list(errors["complainant"]) == ["relationship_to_patient"]


def test_a_volunteer_cannot_be_named_as_case_officer_when_logging(pals_officer, division):
    helper = volunteer()
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, payload(division, case_officer=helper.username)), before)

    assert "cannot be a case officer" in errors["case_officer"][0]


def test_a_problem_found_after_the_case_row_is_written_leaves_nothing_behind(pals_officer, division):
    # The patient's details are checked after the case itself is saved; the whole log must roll back.
    body = payload(division)
    body["complainant"]["date_of_birth"] = str(TOMORROW)
    before = saved_rows()

    errors = assert_refused(post(api(pals_officer), CASES_URL, body), before)

    assert list(errors) == ["complainant"]
    assert post(api(pals_officer), CASES_URL, payload(division)).json()["reference"] == "COM-2026-00001"


# Reading a case ---------------------------------------------------------------------------------------------------


def test_opening_a_case_returns_its_details(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=EARLIER, actor=pals_officer)

    response = api(pals_officer).get(url(case))

    assert response.status_code == 200
    body = response.json()
    assert {
        "reference": body["reference"],
        "kind": body["kind"],
        "status": body["status"],
        "received_on": body["received_on"],
        "division": body["division"],
        "summary": body["summary"],
    } == {
        "reference": case.reference,
        "kind": "complaint",
        "status": "received",
        "received_on": "2026-11-02",
        "division": "MED",
        "summary": "Waited four hours for pain relief on the ward",
    }
    assert body["version"] == 1
    assert body["escalated_to"] is None


def test_opening_a_case_writes_a_case_viewed_audit_event_with_channel_api(pals_officer, division):
    case = make_case(division=division)

    api(pals_officer).get(url(case))

    event = AuditEvent.objects.get(action="case.viewed")
    assert (event.channel, event.actor, event.case_id, event.target_id) == (
        AuditEvent.Channel.API,
        pals_officer,
        case.pk,
        str(case.pk),
    )


def test_a_refused_case_view_is_not_audited_as_viewed(division, other_division):
    case = make_case(division=other_division)

    response = api(divisional_manager(divisions=[division])).get(url(case))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="case.viewed").exists()


def test_an_unknown_reference_answers_404(pals_officer):
    assert api(pals_officer).get(f"{CASES_URL}COM-2026-99999/").status_code == 404


def test_the_case_offers_only_the_moves_its_reader_may_make(division):
    case = make_case(kind=Kind.COMPLAINT, division=division)
    services.move_case(case, to=Status.ACKNOWLEDGED, actor=officer())

    as_manager = api(divisional_manager(divisions=[division])).get(url(case)).json()
    as_auditor = api(auditor()).get(url(case)).json()

    assert [t["to"] for t in as_manager["allowed_transitions"]] == ["under_investigation"]
    assert as_auditor["allowed_transitions"] == []


# Who may see and change what ----------------------------------------------------------------------------------------

ENDPOINTS = {
    "detail": ("get", "", None),
    "transitions": ("post", "transitions", {"to": "acknowledged"}),
    "notes": ("post", "notes", {"body": "Rang the ward"}),
    "timeline": ("get", "timeline", None),
    "assignment": ("post", "assignment", {"investigating_manager": None}),
}


def call(client: APIClient, case: Case, endpoint: str):
    method, action, body = ENDPOINTS[endpoint]
    if method == "get":
        return client.get(url(case, action))
    return client.post(url(case, action), body, format="json")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_divisional_manager_gets_404_for_another_divisions_case(division, other_division, endpoint):
    case = make_case(kind=Kind.COMPLAINT, division=other_division)
    before = saved_rows()

    response = call(api(divisional_manager(divisions=[division])), case, endpoint)

    assert response.status_code == 404
    assert saved_rows() == before
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.RECEIVED, 1)


def test_a_divisional_manager_sees_a_case_of_another_division_they_investigate(division, other_division):
    manager = divisional_manager(divisions=[division])
    case = make_case(kind=Kind.COMPLAINT, division=other_division)
    services.assign_case(case, investigating_manager=manager, actor=officer())

    assert api(manager).get(url(case)).status_code == 200
    assert [c["reference"] for c in api(manager).get(CASES_URL).json()["results"]] == [case.reference]


def test_a_divisional_manager_may_add_a_note_but_gets_403_for_moves_and_assignment_they_do_not_make(division):
    manager = divisional_manager(divisions=[division])
    case = make_case(kind=Kind.COMPLAINT, division=division)
    client = api(manager)

    assert client.post(url(case, "notes"), {"body": "Ward manager contacted"}, format="json").status_code == 201
    before = saved_rows()
    assert client.post(url(case, "transitions"), {"to": "acknowledged"}, format="json").status_code == 403
    assert client.post(url(case, "assignment"), {"case_officer": manager.username}, format="json").status_code == 403
    assert saved_rows() == before


def test_a_divisional_manager_may_start_the_investigation_of_their_divisions_complaint(division, other_division):
    manager = divisional_manager(divisions=[division])
    case = case_in_status(Kind.COMPLAINT, Status.ACKNOWLEDGED, division=division, actor=officer())
    elsewhere = case_in_status(Kind.COMPLAINT, Status.ACKNOWLEDGED, division=other_division, actor=officer())

    mine = api(manager).post(url(case, "transitions"), {"to": "under_investigation"}, format="json")
    theirs = api(manager).post(url(elsewhere, "transitions"), {"to": "under_investigation"}, format="json")

    assert mine.status_code == 200
    assert mine.json()["status"] == "under_investigation"
    assert theirs.status_code == 404


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("make_user", [coordinator, officer, auditor], ids=["coordinator", "officer", "auditor"])
def test_a_restricted_case_is_404_for_everyone_not_named_on_it(division, endpoint, make_user):
    case = make_case(kind=Kind.COMPLAINT, division=division, is_staff_complainant=True)
    before = saved_rows()

    response = call(api(make_user(divisions=[division])), case, endpoint)

    assert response.status_code == 404
    assert saved_rows() == before


def test_a_restricted_case_is_seen_by_its_creator_and_its_case_officer_only(division):
    creator, case_officer = officer(), officer()
    case = make_case(division=division, actor=creator, case_officer=case_officer, is_staff_complainant=True)
    make_case(division=division)

    for user in (creator, case_officer):
        assert api(user).get(url(case)).status_code == 200
        assert case.reference in [c["reference"] for c in api(user).get(CASES_URL).json()["results"]]
    listed = [c["reference"] for c in api(coordinator()).get(CASES_URL).json()["results"]]
    assert case.reference not in listed
    assert len(listed) == 1


def test_a_volunteer_sees_only_the_cases_they_logged(division):
    helper = volunteer()
    theirs = make_case(division=division, actor=helper)
    other = make_case(division=division)

    client = api(helper)

    assert [c["reference"] for c in client.get(CASES_URL).json()["results"]] == [theirs.reference]
    assert client.get(url(theirs)).status_code == 200
    assert client.get(url(other)).status_code == 404


def test_a_volunteer_gets_403_for_moving_their_own_concern(division):
    helper = volunteer()
    case = make_case(division=division, actor=helper)
    before = saved_rows()

    response = api(helper).post(url(case, "transitions"), {"to": "resolved"}, format="json")

    assert response.status_code == 403
    assert saved_rows() == before


def test_an_auditor_can_read_cases(division, other_division):
    case = make_case(division=division)
    make_case(division=other_division)
    client = api(auditor())

    assert client.get(url(case)).status_code == 200
    assert client.get(url(case, "timeline")).status_code == 200
    assert len(client.get(CASES_URL).json()["results"]) == 2


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("transitions", {"to": "acknowledged"}),
        ("transitions", {"to": "withdrawn", "reason": "Complainant rang to withdraw"}),
        ("notes", {"body": "An auditor's note"}),
        ("assignment", {"case_officer": "__officer__"}),
    ],
)
def test_an_auditor_gets_403_on_writes(division, action, body):
    case = make_case(kind=Kind.COMPLAINT, division=division)
    if body.get("case_officer") == "__officer__":
        body = {"case_officer": officer().username}
    before = saved_rows()

    response = api(auditor()).post(url(case, action), body, format="json")

    assert response.status_code == 403
    assert "Auditor" in response.json()["detail"]
    assert saved_rows() == before
    case.refresh_from_db()
    assert (case.status, case.version, case.case_officer) == (Status.RECEIVED, 1, None)


def test_an_auditor_gets_403_for_logging_a_case(division):
    before = saved_rows()

    response = post(api(auditor()), CASES_URL, payload(division))

    assert response.status_code == 403
    assert saved_rows() == before


# Listing cases ------------------------------------------------------------------------------------------------------


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [case["reference"] for case in response.json()["results"]]


def test_the_list_holds_only_the_cases_visible_to_the_user(division, other_division):
    manager = divisional_manager(divisions=[division])
    mine = make_case(division=division)
    elsewhere = make_case(division=other_division)

    listed = references(api(manager).get(CASES_URL))

    assert listed == [mine.reference]
    assert elsewhere.reference not in references(api(manager).get(CASES_URL, {"division": "SURG"}))


def test_the_list_is_newest_received_first_and_pages_by_cursor(pals_officer, division):
    made = [make_case(division=division, received_on=EARLIER + datetime.timedelta(days=n)) for n in range(5)]
    client = api(pals_officer)

    first = client.get(CASES_URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    seen = [c["reference"] for page in (first, second, third) for c in page["results"]]
    assert seen == [case.reference for case in reversed(made)]
    assert first["previous"] is None
    assert third["next"] is None
    assert "cursor=" in first["next"]


def test_a_tampered_cursor_is_refused_not_a_500(pals_officer):
    response = api(pals_officer).get(CASES_URL, {"cursor": "not-a-cursor"})

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid cursor"}


@pytest.fixture
def mixed_cases(division, other_division, pals_officer):
    """One case of each interesting shape, by name."""
    colleague = officer(username="jsmith")
    cases = {
        "complaint_mine": make_case(kind=Kind.COMPLAINT, division=division, case_officer=pals_officer),
        "complaint_theirs": make_case(kind=Kind.COMPLAINT, division=other_division, case_officer=colleague),
        "concern_unassigned": make_case(kind=Kind.PALS_CONCERN, division=division),
        "enquiry_resolved": make_case(kind=Kind.ENQUIRY, division=other_division, case_officer=colleague),
    }
    services.move_case(cases["complaint_theirs"], to=Status.ACKNOWLEDGED, actor=colleague)
    services.move_case(cases["enquiry_resolved"], to=Status.RESOLVED, actor=colleague)
    return {name: case.reference for name, case in cases.items()}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "complaint"}, {"complaint_mine", "complaint_theirs"}),
        ({"kind": "enquiry"}, {"enquiry_resolved"}),
        ({"status": "open"}, {"complaint_mine", "complaint_theirs", "concern_unassigned"}),
        ({"status": "acknowledged"}, {"complaint_theirs"}),
        ({"status": "resolved"}, {"enquiry_resolved"}),
        ({"division": "MED"}, {"complaint_mine", "concern_unassigned"}),
        ({"division": "SURG"}, {"complaint_theirs", "enquiry_resolved"}),
        ({"assignee": "me"}, {"complaint_mine"}),
        ({"assignee": "unassigned"}, {"concern_unassigned"}),
        ({"assignee": "jsmith"}, {"complaint_theirs", "enquiry_resolved"}),
        ({"assignee": "nobody"}, set()),
        ({"kind": "complaint", "status": "open", "division": "SURG"}, {"complaint_theirs"}),
    ],
)
def test_the_list_filters_by_kind_status_division_and_assignee(pals_officer, mixed_cases, query, expected):
    listed = references(api(pals_officer).get(CASES_URL, query))

    assert sorted(listed) == sorted(mixed_cases[name] for name in expected)


@pytest.mark.parametrize("query", [{"kind": "grumble"}, {"status": "finished"}])
def test_an_unknown_filter_value_answers_400(pals_officer, query):
    response = api(pals_officer).get(CASES_URL, query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_the_list_filters_stay_within_what_the_user_may_see(division, other_division, mixed_cases):
    manager = divisional_manager(divisions=[division])

    assert references(api(manager).get(CASES_URL, {"assignee": "jsmith"})) == []
    assert references(api(manager).get(CASES_URL, {"kind": "enquiry"})) == []


def test_the_number_of_queries_for_the_list_does_not_grow_with_the_number_of_cases(division):
    user = coordinator()
    site, service = SiteFactory(), ServiceFactory(division=division)
    client = api(user)

    def add_cases(count: int) -> None:
        for _ in range(count):
            case = make_case(kind=Kind.COMPLAINT, division=division, site=site, service=service, case_officer=officer())
            services.assign_case(case, investigating_manager=divisional_manager(), actor=user)

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CASES_URL)
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    add_cases(3)
    with_3, listed_3 = queries_for_the_list()
    add_cases(12)
    with_15, listed_15 = queries_for_the_list()

    assert (listed_3, listed_15) == (3, 15)
    assert with_15 == with_3


# Moving a case along its pathway ----------------------------------------------------------------------------------


def move(client: APIClient, case: Case, to: str, **extra):
    return client.post(url(case, "transitions"), {"to": to, **extra}, format="json")


def test_a_complaint_moves_along_its_whole_pathway_through_the_api(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=EARLIER)
    code_for_closing(case)
    client = api(pals_officer)

    for status in ["acknowledged", "under_investigation", "response_in_review", "response_sent", "closed"]:
        if status == "response_sent":
            sign_off_response(case)
        response = move(client, case, status)
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == status

    body = response.json()
    assert (body["acknowledged_on"], body["responded_on"], body["closed_on"]) == (str(TODAY),) * 3
    assert body["next_due_on"] is None
    assert body["version"] == 7  # the coding, then five moves
    assert body["allowed_transitions"] == [
        {"to": "under_investigation", "name": "reopen", "label": "Reopen after the response", "needs_reason": True}
    ]
    actions = AuditEvent.objects.filter(case=case, channel="api").values_list("action", flat=True)
    assert set(actions) == {
        "case.acknowledge",
        "case.start_investigation",
        "case.submit_draft",
        "case.send_response",
        "case.close",
    }
    assert case.timeline.filter(kind=TimelineEntry.EntryKind.STATUS_CHANGE).count() == 5


def test_a_move_may_be_dated_in_the_past(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=EARLIER)

    response = move(api(pals_officer), case, "acknowledged", on="2026-11-04")

    assert response.status_code == 200
    assert response.json()["acknowledged_on"] == "2026-11-04"


def test_reopening_a_closed_complaint_needs_a_reason(pals_officer, division):
    case = case_in_status(Kind.COMPLAINT, Status.CLOSED, division=division, actor=pals_officer)
    client = api(pals_officer)
    before = saved_rows()

    refused = move(client, case, "under_investigation")
    blank = move(client, case, "under_investigation", reason="   ")

    assert refused.status_code == blank.status_code == 400
    assert refused.json() == blank.json() == {"reason": ["Enter a reason."]}
    assert saved_rows() == before

    reopened = move(client, case, "under_investigation", reason="Complainant raised new questions")

    assert reopened.status_code == 200, reopened.json()
    body = reopened.json()
    assert (body["status"], body["reopened_count"], body["closed_on"], body["responded_on"]) == (
        "under_investigation",
        1,
        None,
        None,
    )
    entry = case.timeline.filter(kind=TimelineEntry.EntryKind.STATUS_CHANGE).first()
    assert entry.body.endswith("Reason: Complainant raised new questions")


def test_a_complaint_is_withdrawn_with_a_reason(pals_officer, division):
    case = case_in_status(Kind.COMPLAINT, Status.UNDER_INVESTIGATION, division=division, actor=pals_officer)
    client = api(pals_officer)

    assert move(client, case, "withdrawn").json() == {"reason": ["Enter a reason."]}
    response = move(client, case, "withdrawn", reason="Complainant no longer wishes to proceed")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["closed_on"]) == ("withdrawn", str(TODAY))
    assert response.json()["allowed_transitions"] == []


def test_a_pals_concern_escalates_to_a_complaint_that_keeps_its_received_date(pals_officer, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=EARLIER, account="The full story")
    client = api(pals_officer)

    response = move(client, concern, "escalated", reason="Wants a formal investigation")

    assert response.status_code == 200, response.json()
    complaint = Case.objects.get(kind=Kind.COMPLAINT)
    assert response.json()["status"] == "escalated"
    assert response.json()["escalated_to"] == complaint.reference
    detail = client.get(url(concern)).json()
    assert detail["escalated_to"] == complaint.reference
    opened = client.get(url(complaint)).json()
    assert (opened["received_on"], opened["escalated_from"], opened["status"]) == (
        "2026-11-02",
        concern.reference,
        "received",
    )
    # Regulation 13(2): the complaint was made on escalation (Saturday 21 November), so its clocks run from then.
    assert (opened["complaint_made_on"], opened["acknowledgement_due_on"]) == ("2026-11-21", "2026-11-25")
    assert opened["account"] == "The full story"
    assert [p["role"] for p in opened["people"]] == [p["role"] for p in detail["people"]]


def test_escalating_without_a_reason_answers_400_and_opens_no_complaint(pals_officer, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division)
    before = saved_rows()

    response = move(api(pals_officer), concern, "escalated")

    assert response.status_code == 400
    assert response.json() == {"reason": ["Enter a reason."]}
    assert saved_rows() == before
    concern.refresh_from_db()
    assert concern.status == Status.OPEN


@pytest.mark.parametrize("on", [str(TOMORROW), str(EARLIER - datetime.timedelta(days=1))])
def test_escalating_dated_in_the_future_or_before_receipt_answers_400(pals_officer, division, on):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=EARLIER)
    before = saved_rows()

    response = move(api(pals_officer), concern, "escalated", reason="Wants a formal investigation", on=on)

    assert response.status_code == 400
    assert list(response.json()) == ["on"]
    assert saved_rows() == before


@pytest.mark.parametrize("on", [str(TODAY), "2026-11-10"])
def test_an_escalation_is_recorded_on_the_day_it_was_agreed(pals_officer, division, on):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=EARLIER)

    response = move(api(pals_officer), concern, "escalated", reason="Wants a formal investigation", on=on)

    assert response.status_code == 200
    assert response.json()["closed_on"] == on


def test_a_volunteer_gets_403_for_escalating_their_concern(division):
    helper = volunteer()
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=helper)
    before = saved_rows()

    response = move(api(helper), concern, "escalated", reason="Wants a formal complaint")

    assert response.status_code == 403
    assert saved_rows() == before


def _every_kind_and_status():
    return [(kind, status) for kind in Kind for status in workflow.statuses_of(kind)]


@pytest.mark.parametrize(
    ("kind", "status"), _every_kind_and_status(), ids=[f"{k.value}-{s.value}" for k, s in _every_kind_and_status()]
)
def test_every_move_outside_the_pathway_is_refused_naming_the_status_and_the_allowed_moves(division, kind, status):
    actor = coordinator()
    case = case_in_status(kind, status, division=division, actor=actor)
    allowed = workflow.moves_from(kind, status)
    client = api(actor)
    before = saved_rows()

    for target in set(Status) - {legal.target for legal in allowed}:
        response = move(client, case, target.value, reason="Trying an illegal move")

        assert response.status_code == 400, (target, response.content)
        message = response.json()["detail"]
        assert f"is '{status.label}' cannot move to '{target.label}'" in message
        for legal in allowed:
            assert f"{legal.target.label} ({legal.target.value})" in message
        if not allowed:
            assert "nothing can move it on" in message
    assert saved_rows() == before
    case.refresh_from_db()
    assert case.status == status


def _every_legal_move():
    return [
        (kind, source, t)
        for kind in Kind
        for t in workflow.PATHWAYS[kind]
        if t.guard != "time_limit_declined"
        for source in sorted(t.sources)
    ]


@pytest.mark.parametrize(
    ("kind", "source", "transition"),
    _every_legal_move(),
    ids=[f"{k.value}-{s.value}-{t.name}" for k, s, t in _every_legal_move()],
)
def test_every_move_in_the_pathway_is_made_through_the_api(division, kind, source, transition):
    actor = coordinator()
    case = case_in_status(kind, source, division=division, actor=actor)
    if transition.guard == "response_signed_off":
        sign_off_response(case)

    response = move(api(actor), case, transition.target.value, reason="Moving on", version=case.version)

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == transition.target.value
    assert response.json()["version"] == case.version + 1


def test_an_unknown_status_answers_400_listing_the_statuses(pals_officer, division):
    case = make_case(division=division)

    response = move(api(pals_officer), case, "finished")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("'finished' is not a status. Use one of: received, open,")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "to"),
        ({"to": ""}, "to"),
        ({"to": ["resolved"]}, "to"),
        ({"to": "resolved", "on": str(TOMORROW)}, "on"),
        ({"to": "resolved", "on": "2026-10-01"}, "on"),  # before the case was received
        ({"to": "resolved", "on": "soon"}, "on"),
        ({"to": "resolved", "version": "latest"}, "version"),
        ({"to": "resolved", "version": 0}, "version"),
        ({"to": "resolved", "reason": "r" * 2001}, "reason"),
        ({"to": "resolved", "resaon": "misspelt"}, "resaon"),
    ],
)
def test_bad_input_to_a_move_answers_400_naming_the_field(pals_officer, division, body, field):
    case = make_case(division=division, received_on=EARLIER)
    before = saved_rows()

    response = api(pals_officer).post(url(case, "transitions"), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert saved_rows() == before
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.OPEN, 1)


def test_a_move_with_a_stale_version_answers_409_and_changes_nothing(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division)
    client = api(pals_officer)
    read_version = client.get(url(case)).json()["version"]
    services.move_case(case, to=Status.ACKNOWLEDGED, actor=officer(first_name="Pat", last_name="Jones"))
    before = saved_rows()

    response = move(client, case, "withdrawn", reason="Complainant withdrew", version=read_version)

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Pat Jones changed this case at")
    assert "Your change has not been saved" in response.json()["detail"]
    assert saved_rows() == before
    case.refresh_from_db()
    assert (case.status, case.version) == (Status.ACKNOWLEDGED, 2)


def test_a_move_with_the_current_version_is_made(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division)

    response = move(api(pals_officer), case, "acknowledged", version=1)

    assert response.status_code == 200
    assert response.json()["version"] == 2


# Notes and the timeline ------------------------------------------------------------------------------------------


def test_a_note_is_added_to_the_timeline(pals_officer, division):
    case = make_case(division=division)
    body = "Rang the ward <b>sister</b>; <script>alert(1)</script> she will call back"

    response = api(pals_officer).post(url(case, "notes"), {"body": body}, format="json")

    assert response.status_code == 201
    assert response.json()["body"] == body
    assert response.json()["kind"] == "note"
    assert response.json()["created_by"] == pals_officer.username
    assert case.timeline.get(kind=TimelineEntry.EntryKind.NOTE).body == body
    assert AuditEvent.objects.get(action="case.note_added").channel == AuditEvent.Channel.API


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"body": ""}, "This field may not be blank."),
        ({"body": "   "}, "This field may not be blank."),
        ({"body": "n" * 25_000}, "Must be 20,000 characters or fewer; this has 25,000."),
        ({"body": None}, "This field may not be null."),
        ({"body": ["a list"]}, "Not a valid string."),
        ({}, "This field is required."),
    ],
)
def test_a_bad_note_answers_400(pals_officer, division, body, message):
    case = make_case(division=division)
    before = saved_rows()

    response = api(pals_officer).post(url(case, "notes"), body, format="json")

    assert response.status_code == 400
    assert response.json() == {"body": [message]}
    assert saved_rows() == before


def test_the_timeline_lists_entries_newest_first_by_cursor(pals_officer, division):
    case = make_case(division=division)
    for number in range(3):
        with time_machine.travel(NOW + datetime.timedelta(minutes=number + 1)):
            services.add_note(case, body=f"Note {number}", actor=pals_officer)
    client = api(pals_officer)

    pages = [client.get(url(case, "timeline"), {"page_size": 2}).json()]
    while pages[-1]["next"]:
        pages.append(client.get(pages[-1]["next"]).json())

    bodies = [entry["body"] for page in pages for entry in page["results"]]
    assert bodies[:3] == ["Note 2", "Note 1", "Note 0"]
    assert len(bodies) == case.timeline.count() == 5
    assert all(len(page["results"]) <= 2 for page in pages)


# Assignment -----------------------------------------------------------------------------------------------------------


def assign(client: APIClient, case: Case, **body):
    return client.post(url(case, "assignment"), body, format="json")


def test_a_case_officer_and_investigating_manager_are_assigned(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division)
    colleague, manager = officer(), divisional_manager(divisions=[division])

    response = assign(
        api(pals_officer), case, case_officer=colleague.username, investigating_manager=manager.username, version=1
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["case_officer"], response.json()["investigating_manager"]) == (
        colleague.username,
        manager.username,
    )
    assert response.json()["version"] == 2
    assert AuditEvent.objects.get(action="case.assigned").channel == AuditEvent.Channel.API


def test_reassigning_needs_a_reason(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division, case_officer=pals_officer)
    cover = officer()
    client = api(pals_officer)
    before = saved_rows()

    refused = assign(client, case, case_officer=cover.username)

    assert refused.status_code == 400
    assert refused.json() == {"reason": ["Give a reason for the reassignment, such as cover for annual leave."]}
    assert saved_rows() == before
    accepted = assign(client, case, case_officer=cover.username, reason="Cover for annual leave")
    assert accepted.status_code == 200
    assert accepted.json()["case_officer"] == cover.username


@pytest.mark.parametrize(
    ("make_body", "field", "message"),
    [
        (
            lambda: {"case_officer": "no-such-user"},
            "case_officer",
            "no active account with the username 'no-such-user'",
        ),
        (lambda: {"case_officer": volunteer().username}, "case_officer", "cannot be a case officer"),
        (lambda: {"case_officer": auditor().username}, "case_officer", "cannot be a case officer"),
        (lambda: {"case_officer": officer(is_active=False).username}, "case_officer", "no active account"),
        (lambda: {"investigating_manager": volunteer().username}, "investigating_manager", "cannot investigate"),
        (lambda: {"case_officer": 42}, "case_officer", "Give the username as text."),
        (lambda: {"case_officer": ["a", "list"]}, "case_officer", "Give the username as text."),
        (lambda: {"reason": "r" * 2001}, "reason", "Must be 2,000 characters or fewer; this has 2,001."),
        (lambda: {"case_oficer": "typo"}, "case_oficer", "is not a field here"),
    ],
)
def test_bad_input_to_an_assignment_answers_400_naming_the_field(pals_officer, division, make_body, field, message):
    case = make_case(kind=Kind.COMPLAINT, division=division)
    body = make_body()
    before = saved_rows()

    response = assign(api(pals_officer), case, **body)

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert saved_rows() == before
    case.refresh_from_db()
    assert (case.case_officer, case.version) == (None, 1)


def test_an_assignment_with_a_stale_version_answers_409(pals_officer, division):
    case = make_case(kind=Kind.COMPLAINT, division=division)
    services.move_case(case, to=Status.ACKNOWLEDGED, actor=pals_officer)
    before = saved_rows()

    response = assign(api(pals_officer), case, case_officer=pals_officer.username, version=1)

    assert response.status_code == 409
    assert "after you opened it" in response.json()["detail"]
    assert saved_rows() == before


def test_assigning_someone_to_a_restricted_case_lets_them_see_it(division):
    creator, colleague = coordinator(), officer()
    case = make_case(division=division, actor=creator, is_staff_complainant=True)
    assert api(colleague).get(url(case)).status_code == 404

    response = assign(api(creator), case, case_officer=colleague.username)

    assert response.status_code == 200
    assert api(colleague).get(url(case)).status_code == 200


# People on the case -------------------------------------------------------------------------------------------------


def test_the_case_shows_its_people_with_their_nhs_numbers(pals_officer, division):
    digits = valid_nhs_number(3)
    case = make_case(
        division=division,
        complainant=person_details(nhs_number=digits, last_name="Beeblebrox"),
        complainant_is_patient=True,
    )

    people = api(pals_officer).get(url(case)).json()["people"]

    assert {(p["role"], p["nhs_number"], p["is_main_contact"]) for p in people} == {
        (PartyRole.PATIENT, digits, False),
        (PartyRole.COMPLAINANT, digits, True),
    }

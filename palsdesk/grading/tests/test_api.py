"""Grading through the API: grading and regrading a case, its history, its grade in case and list, the scheme."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import (
    administrator,
    approver,
    auditor,
    coordinator,
    divisional_manager,
    officer,
    volunteer,
)
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Case, Kind, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.grading import services
from palsdesk.grading.models import CaseGrading, GradingScheme
from palsdesk.grading.tests.factories import grade, levels_scheme
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC)  # Friday 20 November 2026
RECEIVED_ON = D(2026, 11, 2)  # a Monday: the complaint's response is due 25 working days later, 7 December
CASES_URL = "/api/v1/cases/"
SCHEME_URL = "/api/v1/reference/grading-scheme/"


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def grader(division):
    return coordinator(divisions=[division])


@pytest.fixture
def complaint(division):
    return make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def grading_url(case: Case) -> str:
    return f"{CASES_URL}{case.reference}/grading/"


def grade_through_api(user, case: Case, body):
    return api(user).post(grading_url(case), body, format="json")


def saved(case: Case) -> dict:
    """Everything grading writes, to prove a refusal saved nothing."""
    case.refresh_from_db()
    return {
        "case": (case.grade_id, case.response_due_on, case.response_target_working_days, case.version),
        "gradings": CaseGrading.objects.count(),
        "timeline": TimelineEntry.objects.count(),
        "audit": AuditEvent.objects.exclude(action="case.viewed").count(),
    }


def due_after(working_days: int) -> str:
    return str(working_day_calendar().add_working_days(RECEIVED_ON, working_days))


# Grading a case ------------------------------------------------------------------------------------------------------


def test_a_coordinator_grades_a_complaint_by_consequence_and_likelihood_and_gets_the_case_back(grader, complaint):
    response = grade_through_api(
        grader, complaint, {"consequence": 4, "likelihood": 3, "rationale": "Delayed diagnosis", "version": 1}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["grade"] == {
        "code": "high",
        "name": "High",
        "score": 12,
        "consequence": 4,
        "likelihood": 3,
        "colour": "orange",
        "sign_off_level": "executive",
        "graded_by": grader.username,
        "graded_at": "2026-11-20T11:00:00Z",
    }
    # The high grade's target is 60 working days; the statutory clocks stay where they were.
    assert (body["response_due_on"], body["acknowledgement_due_on"], body["long_stop_on"]) == (
        due_after(60),
        "2026-11-05",
        "2027-05-01",
    )
    assert body["version"] == 2
    event = AuditEvent.objects.get(action="case.graded", case=complaint)
    assert (event.channel, event.actor, event.context["rationale"]) == (
        AuditEvent.Channel.API,
        grader,
        "Delayed diagnosis",
    )
    assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.GRADING).exists()


def test_an_administrator_grades_an_mp_letter(division):
    letter = make_case(kind=Kind.MP_LETTER, division=division, received_on=RECEIVED_ON)

    response = grade_through_api(administrator(), letter, {"consequence": 2, "likelihood": 3, "rationale": "Distress"})

    assert response.status_code == 201, response.json()
    assert (response.json()["grade"]["code"], response.json()["response_due_on"]) == ("moderate", due_after(40))


def test_regrading_keeps_the_history_and_the_case_shows_the_latest_grading(grader, complaint):
    first = grade_through_api(grader, complaint, {"consequence": 2, "likelihood": 2, "rationale": "One issue"})
    assert first.status_code == 201
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        regraded = grade_through_api(
            grader, complaint, {"consequence": 3, "likelihood": 4, "rationale": "Records show harm"}
        )

    assert regraded.status_code == 201
    assert (regraded.json()["grade"]["code"], regraded.json()["grade"]["graded_at"]) == (
        "high",
        "2026-11-20T13:00:00Z",
    )
    history = api(auditor()).get(grading_url(complaint))
    assert history.status_code == 200
    assert [(g["code"], g["score"], g["rationale"], g["graded_by"]) for g in history.json()] == [
        ("moderate", 4, "One issue", grader.username),
        ("high", 12, "Records show harm", grader.username),
    ]
    assert history.json()[0]["scheme"] == "NPSA risk matrix (consequence × likelihood)"
    assert api(grader).get(f"{CASES_URL}{complaint.reference}/").json()["grade"]["code"] == "high"


def test_an_ungraded_case_has_no_grade_and_an_empty_history(grader, complaint):
    assert api(grader).get(f"{CASES_URL}{complaint.reference}/").json()["grade"] is None
    assert api(grader).get(grading_url(complaint)).json() == []


def test_under_a_scheme_of_named_levels_the_grade_is_given_by_its_code(grader, complaint):
    levels_scheme()

    response = grade_through_api(grader, complaint, {"grade": "level-2", "rationale": "Several departments"})

    assert response.status_code == 201, response.json()
    assert {key: response.json()["grade"][key] for key in ("code", "score", "consequence", "likelihood")} == {
        "code": "level-2",
        "score": None,
        "consequence": None,
        "likelihood": None,
    }
    assert response.json()["response_due_on"] == due_after(40)


def test_a_grade_given_with_the_matrix_must_agree_with_the_score(grader, complaint):
    agreeing = grade_through_api(
        grader, complaint, {"consequence": 4, "likelihood": 3, "grade": "high", "rationale": "Agreed"}
    )
    assert agreeing.status_code == 201
    before = saved(complaint)

    response = grade_through_api(
        grader, complaint, {"consequence": 4, "likelihood": 3, "grade": "low", "rationale": "x"}
    )

    assert response.status_code == 400
    assert response.json() == {
        "grade": [
            "In NPSA risk matrix (consequence × likelihood) the grade follows from consequence and likelihood: "
            "a score of 12 is high."
        ]
    }
    assert saved(complaint) == before


# Bad input: 400 per field, nothing saved ---------------------------------------------------------------------------

MISSING = object()
GOOD = {"consequence": 3, "likelihood": 2, "rationale": "Poor communication about discharge"}

BAD_INPUT = [
    # (changes to a body the endpoint accepts, the field named in the refusal, a part of its message)
    ({"consequence": 0}, "consequence", "must be from 1 (negligible) to 5 (catastrophic)"),
    ({"consequence": 6}, "consequence", "must be from 1 (negligible) to 5 (catastrophic)"),
    ({"likelihood": 0}, "likelihood", "must be from 1 (rare) to 5 (almost certain)"),
    ({"likelihood": 6}, "likelihood", "must be from 1 (rare) to 5 (almost certain)"),
    ({"consequence": 10**30}, "consequence", "must be from 1"),
    ({"consequence": MISSING}, "consequence", "Choose the consequence"),
    ({"likelihood": None}, "likelihood", "Choose the likelihood"),
    ({"consequence": "major"}, "consequence", "A valid integer is required."),
    ({"consequence": 2.5}, "consequence", "A valid integer is required."),
    ({"consequence": True}, "consequence", "A valid integer is required."),
    ({"likelihood": [3]}, "likelihood", "A valid integer is required."),
    ({"rationale": MISSING}, "rationale", "This field is required."),
    ({"rationale": "   "}, "rationale", "may not be blank"),
    ({"rationale": "r" * 5_001}, "rationale", "Must be 5,000 characters or fewer; this has 5,001."),
    ({"rationale": {"text": "why"}}, "rationale", "Not a valid string."),
    ({"grade": "catastrophic"}, "grade", "There is no grade 'catastrophic' in NPSA risk matrix"),
    ({"grade": 3}, "grade", "Give the code as text."),
    ({"version": 0}, "version", "greater than or equal to 1"),
    ({"version": "latest"}, "version", "A valid integer is required."),
    ({"score": 6}, "score", "'score' is not a field here. Known fields: consequence, grade, likelihood, rationale"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"), BAD_INPUT, ids=[f"{f}-{i}" for i, (_, f, _) in enumerate(BAD_INPUT)]
)
def test_bad_input_to_grading_answers_400_naming_the_field_and_saves_nothing(
    grader, complaint, changes, field, message
):
    body = {name: value for name, value in (GOOD | changes).items() if value is not MISSING}
    before = saved(complaint)

    response = grade_through_api(grader, complaint, body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert saved(complaint) == before


@pytest.mark.parametrize("body", [["a", "list"], "a string", 42, None], ids=["list", "string", "number", "null"])
def test_a_body_that_is_not_an_object_answers_400(grader, complaint, body):
    before = saved(complaint)

    response = grade_through_api(grader, complaint, body)

    assert response.status_code == 400
    assert saved(complaint) == before


def test_under_a_scheme_of_named_levels_consequence_and_likelihood_are_refused(grader, complaint):
    levels_scheme()
    before = saved(complaint)

    response = grade_through_api(grader, complaint, {"grade": "level-1", "consequence": 2, "rationale": "x"})

    assert response.status_code == 400
    assert response.json() == {
        "consequence": ["Levels 1 to 3 grades by named levels, without consequence and likelihood."]
    }
    assert saved(complaint) == before


def test_a_grade_of_another_scheme_is_refused_by_code_within_the_scheme_in_use(grader, complaint):
    levels_scheme()
    before = saved(complaint)

    response = grade_through_api(grader, complaint, {"grade": "high", "rationale": "x"})

    assert response.status_code == 400
    assert response.json() == {
        "grade": [
            "There is no grade 'high' in Levels 1 to 3, the scheme in use. Its grades: level-1, level-2, level-3."
        ]
    }
    assert saved(complaint) == before


@pytest.mark.parametrize("kind", [Kind.PALS_CONCERN, Kind.COMPLIMENT, Kind.ENQUIRY])
def test_only_complaints_and_mp_letters_are_graded(grader, division, kind):
    case = make_case(kind=kind, division=division)
    before = saved(case)

    response = grade_through_api(grader, case, GOOD)

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Only complaints and MP letters are graded")
    assert saved(case) == before


def test_a_finished_complaint_is_not_graded(grader, complaint):
    case_services.move_case(complaint, to=Status.WITHDRAWN, reason="No longer wanted", actor=grader)
    before = saved(complaint)

    response = grade_through_api(grader, complaint, GOOD)

    assert response.status_code == 400
    assert response.json() == {"detail": f"{complaint.reference} is finished: reopen it before grading it again."}
    assert saved(complaint) == before


def test_without_a_scheme_in_use_nothing_is_graded(grader, complaint):
    GradingScheme.objects.update(is_current=False)
    before = saved(complaint)

    response = grade_through_api(grader, complaint, GOOD)

    assert response.status_code == 400
    assert response.json() == {"detail": "No grading scheme is in use: an administrator must choose one in the admin."}
    assert saved(complaint) == before


# Who may grade, and see gradings --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_user", [officer, divisional_manager, approver, auditor], ids=["officer", "manager", "approver", "auditor"]
)
def test_a_role_that_does_not_grade_gets_403_and_nothing_is_saved(division, complaint, make_user):
    before = saved(complaint)

    response = grade_through_api(make_user(divisions=[division]), complaint, GOOD)

    assert response.status_code == 403
    assert "this role cannot grade cases" in response.json()["detail"]
    assert saved(complaint) == before


def test_another_divisions_case_answers_404_to_a_divisional_manager(complaint):
    services.grade_case(complaint, consequence=1, likelihood=1, rationale="Minor", actor=coordinator())
    manager = divisional_manager(divisions=[DivisionFactory()])
    before = saved(complaint)

    assert api(manager).get(grading_url(complaint)).status_code == 404
    assert grade_through_api(manager, complaint, GOOD).status_code == 404
    assert saved(complaint) == before


def test_a_divisional_manager_reads_the_grading_of_their_divisions_case(division, complaint):
    services.grade_case(complaint, consequence=1, likelihood=1, rationale="Minor", actor=coordinator())

    response = api(divisional_manager(divisions=[division])).get(grading_url(complaint))

    assert response.status_code == 200
    assert [g["code"] for g in response.json()] == ["low"]


def test_a_restricted_case_answers_404_to_a_coordinator_not_named_on_it(division):
    case = make_case(kind=Kind.COMPLAINT, division=division, is_staff_complainant=True)
    before = saved(case)

    assert grade_through_api(coordinator(), case, GOOD).status_code == 404
    assert api(coordinator()).get(grading_url(case)).status_code == 404
    assert saved(case) == before


def test_grading_with_a_stale_version_answers_409_and_saves_nothing(grader, complaint):
    read_version = complaint.version
    case_services.assign_case(complaint, case_officer=officer(), actor=officer(first_name="Pat", last_name="Jones"))
    before = saved(complaint)

    response = grade_through_api(grader, complaint, GOOD | {"version": read_version})

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Pat Jones changed this case at")
    assert saved(complaint) == before


# The case list --------------------------------------------------------------------------------------------------------


def test_the_case_list_shows_each_cases_grade_as_a_tag(grader, division, complaint):
    ungraded = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON)
    services.grade_case(complaint, consequence=5, likelihood=4, rationale="Serious harm", actor=grader)

    listed = {row["reference"]: row for row in api(grader).get(CASES_URL).json()["results"]}

    assert listed[complaint.reference]["grade"] == {"code": "extreme", "name": "Extreme", "colour": "red"}
    assert listed[ungraded.reference]["grade"] is None


def test_the_number_of_queries_for_the_list_does_not_grow_with_graded_cases(grader, division):
    client = api(grader)

    def add_graded_cases(count: int) -> None:
        for number in range(count):
            case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON)
            services.grade_case(case, consequence=1 + number % 5, likelihood=2, rationale="Graded", actor=grader)

    def queries_for_the_list() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CASES_URL)
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    add_graded_cases(2)
    with_few, listed_few = queries_for_the_list()
    add_graded_cases(8)
    with_many, listed_many = queries_for_the_list()

    assert (listed_few, listed_many) == (2, 10)
    assert with_many == with_few


# The scheme in use (/api/v1/reference/grading-scheme/) --------------------------------------------------------------


def test_the_scheme_in_use_is_read_with_its_levels_grades_targets_and_sign_off():
    response = api(officer()).get(SCHEME_URL)

    assert response.status_code == 200
    scheme = response.json()
    assert (scheme["name"], scheme["kind"]) == ("NPSA risk matrix (consequence × likelihood)", "matrix")
    assert scheme["source"].startswith("National Patient Safety Agency")
    assert [level["name"] for level in scheme["consequence_levels"]] == [
        "Negligible",
        "Minor",
        "Moderate",
        "Major",
        "Catastrophic",
    ]
    assert scheme["likelihood_levels"][0] == {
        "level": 1,
        "name": "Rare",
        "descriptor": "Not expected to happen or recur for years.",
    }
    assert [
        (g["code"], g["band"], g["colour"], g["response_working_days"], g["sign_off_level"]) for g in scheme["grades"]
    ] == [
        ("low", "1–3", "green", 25, "coordinator"),
        ("moderate", "4–6", "yellow", 40, "director"),
        ("high", "8–12", "orange", 60, "executive"),
        ("extreme", "15–25", "red", 60, "chief_executive"),
    ]
    assert scheme["grades"][3]["sign_off_level_label"] == "Chief executive"


def test_the_scheme_prints_its_matrix_almost_certain_first():
    matrix = api(officer()).get(SCHEME_URL).json()["matrix"]

    assert [len(row) for row in matrix] == [5] * 5
    assert matrix[0][0] == {"consequence": 1, "likelihood": 5, "score": 5, "grade": "moderate"}
    assert matrix[0][4] == {"consequence": 5, "likelihood": 5, "score": 25, "grade": "extreme"}
    assert matrix[4][0] == {"consequence": 1, "likelihood": 1, "score": 1, "grade": "low"}


def test_a_scheme_of_named_levels_has_grades_and_no_matrix():
    levels_scheme()

    scheme = api(officer()).get(SCHEME_URL).json()

    assert (scheme["kind"], scheme["matrix"], scheme["consequence_levels"]) == ("levels", [], [])
    assert [(g["code"], g["band"], g["min_score"]) for g in scheme["grades"]] == [
        ("level-1", "", None),
        ("level-2", "", None),
        ("level-3", "", None),
    ]


def test_with_no_scheme_in_use_the_scheme_answers_404_saying_so():
    GradingScheme.objects.update(is_current=False)

    response = api(officer()).get(SCHEME_URL)

    assert response.status_code == 404
    assert response.json() == {"detail": "No grading scheme is in use: an administrator must choose one in the admin."}


@pytest.mark.parametrize("make_user", [volunteer, auditor, divisional_manager, approver])
def test_every_role_reads_the_scheme(make_user):
    assert api(make_user()).get(SCHEME_URL).status_code == 200


def test_the_scheme_is_not_read_without_signing_in():
    assert APIClient().get(SCHEME_URL).status_code == 401


def test_the_scheme_is_read_in_the_same_number_of_queries_however_many_grades():
    client = api(officer())

    def queries_for_the_scheme() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(SCHEME_URL).status_code == 200
        return len(queries)

    with_four_grades = queries_for_the_scheme()
    scheme = levels_scheme()
    for order in range(4, 12):
        scheme.grades.create(
            code=f"level-{order}",
            name=f"Level {order}",
            order=order,
            response_working_days=20,
            sign_off_level="director",
        )

    assert queries_for_the_scheme() == with_four_grades


def test_the_scheme_cannot_be_changed_through_the_api():
    assert api(administrator()).post(SCHEME_URL, {"name": "Mine"}, format="json").status_code == 405
    assert grade("high").response_working_days == 60

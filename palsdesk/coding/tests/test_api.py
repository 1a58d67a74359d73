"""Coding through the API: issues by code in the case's collection year, outcomes, closing, and the reference lists."""

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
from palsdesk.cases.models import Case, Kind, Outcome, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.coding import loading
from palsdesk.coding.models import CaseIssue, Code, LocalSubject, Taxonomy, TaxonomyKind
from palsdesk.coding.tests.factories import YEAR, add_coded_issue, code, codes_of, local_subject, write_year
from palsdesk.deadlines.models import HoldReason
from palsdesk.organisation.tests.factories import DivisionFactory, ServiceFactory, SiteFactory
from palsdesk.people.models import CommunicationNeed
from palsdesk.responses.tests.factories import sign_off_response

pytestmark = pytest.mark.django_db

D = datetime.date
NOW = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=datetime.UTC)  # Friday 20 November 2026
# Received in collection year 2026-27; only the 2025-26 lists are loaded, so the case is coded with those.
RECEIVED_ON = D(2026, 11, 2)
CASES_URL = "/api/v1/cases/"
REFERENCE_URL = "/api/v1/reference/"
# A complete issue of a complaint, by code.
ISSUE = {"subject": "communications", "service_area": "acute-outpatient", "professions": ["medical"]}
MISSING = object()


@pytest.fixture(autouse=True)
def _friday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def complaint(division, caseworker):
    return make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON, actor=caseworker)


@pytest.fixture
def investigator(division):
    return divisional_manager(divisions=[division])


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def case_url(case: Case, action: str = "") -> str:
    return f"{CASES_URL}{case.reference}/{action + '/' if action else ''}"


def issues_url(case: Case) -> str:
    return case_url(case, "issues")


def issue_url(case: Case, issue: CaseIssue | int, action: str = "") -> str:
    issue_id = issue if isinstance(issue, int) else issue.pk
    return f"{issues_url(case)}{issue_id}/{action + '/' if action else ''}"


def add(user, case: Case, body):
    return api(user).post(issues_url(case), body, format="json")


def without_missing(body: dict) -> dict:
    return {name: value for name, value in body.items() if value is not MISSING}


def saved(case: Case) -> dict:
    """Everything coding writes, to prove a refusal saved nothing."""
    case.refresh_from_db()
    issues = CaseIssue.objects.filter(case=case).prefetch_related("professions").order_by("order")
    return {
        "case": (case.version, case.outcome),
        "issues": [
            (
                issue.pk,
                issue.order,
                issue.description,
                issue.subject_id,
                issue.local_subject_id,
                issue.clinical_subcategory_id,
                issue.service_area_id,
                sorted(profession.pk for profession in issue.professions.all()),
                issue.hcat_category_id,
                issue.hcat_severity,
                issue.hcat_harm,
                issue.outcome,
                issue.not_investigated_reason,
            )
            for issue in issues
        ],
        "timeline": TimelineEntry.objects.count(),
        "audit": AuditEvent.objects.exclude(action="case.viewed").count(),
    }


def codes(entries: list[dict]) -> list[str]:
    return [entry["code"] for entry in entries]


# What a case shows ----------------------------------------------------------------------------------------------------


def test_a_new_complaint_shows_its_collection_year_no_issues_no_outcome_and_what_closing_needs(caseworker, complaint):
    body = api(caseworker).get(case_url(complaint)).json()

    assert (body["collection_year"], body["issues"], body["outcome"]) == (YEAR, [], None)
    assert body["closing_gaps"] == ["Add at least one issue."]


@pytest.mark.parametrize("kind", [Kind.MP_LETTER, Kind.PALS_CONCERN, Kind.COMPLIMENT, Kind.ENQUIRY])
def test_a_case_whose_closing_does_not_depend_on_coding_has_no_closing_gaps(caseworker, division, kind):
    case = make_case(kind=kind, division=division)

    assert api(caseworker).get(case_url(case)).json()["closing_gaps"] == []


def test_a_finished_complaint_has_no_closing_gaps(caseworker, complaint):
    case_services.move_case(complaint, to=Status.WITHDRAWN, reason="No longer wanted", actor=caseworker)

    assert api(caseworker).get(case_url(complaint)).json()["closing_gaps"] == []


# Adding an issue ------------------------------------------------------------------------------------------------------


def test_a_caseworker_adds_an_issue_by_code_and_gets_the_case_back_with_it(caseworker, complaint):
    response = add(
        caseworker,
        complaint,
        ISSUE
        | {
            "description": "Nobody explained the scan results",
            "professions": ["medical", "nursing-midwifery-health-visiting"],
            "version": 1,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    issue = CaseIssue.objects.get(case=complaint)
    assert body["issues"] == [
        {
            "id": issue.pk,
            "order": 1,
            "description": "Nobody explained the scan results",
            "collection_year": YEAR,
            "subject": {"code": "communications", "label": "Communications"},
            "clinical_subcategory": None,
            "local_subject": None,
            "service_area": {"code": "acute-outpatient", "label": "Acute services: outpatient"},
            "professions": [
                {"code": "medical", "label": "Medical (including hospital doctors and surgeons)"},
                {"code": "nursing-midwifery-health-visiting", "label": "Nursing, midwifery and health visiting"},
            ],
            "hcat_category": None,
            "hcat_severity": None,
            "hcat_harm": None,
            "outcome": None,
            "not_investigated_reason": "",
        }
    ]
    assert (body["version"], body["outcome"]) == (2, None)
    assert body["closing_gaps"] == ["Issue 1 (Communications): no outcome."]
    event = AuditEvent.objects.get(action="case.issue_added", case=complaint)
    assert (event.channel, event.actor) == (AuditEvent.Channel.API, caseworker)
    assert complaint.timeline.filter(kind=TimelineEntry.EntryKind.CODING).exists()


def test_clinical_treatment_is_coded_with_its_sub_category(caseworker, complaint):
    response = add(
        caseworker, complaint, ISSUE | {"subject": "clinical-treatment", "clinical_subcategory": "surgical-group"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["issues"][0]["clinical_subcategory"] == {"code": "surgical-group", "label": "Surgical group"}


def test_a_local_subject_given_by_its_id_brings_its_national_subject(caseworker, complaint):
    letters = local_subject("Discharge letters", national="communications")
    body = ISSUE | {"local_subject": letters.pk}
    del body["subject"]

    response = add(caseworker, complaint, body)

    assert response.status_code == 201, response.json()
    issue = response.json()["issues"][0]
    assert (issue["subject"]["code"], issue["local_subject"]) == (
        "communications",
        {"id": letters.pk, "name": "Discharge letters"},
    )


def test_hcat_coding_is_recorded_with_its_severity_and_harm(caseworker, complaint):
    response = add(caseworker, complaint, ISSUE | {"hcat_category": "safety", "hcat_severity": 3, "hcat_harm": 4})

    assert response.status_code == 201, response.json()
    issue = response.json()["issues"][0]
    assert (issue["hcat_category"], issue["hcat_severity"], issue["hcat_harm"]) == (
        {"code": "safety", "label": "Safety"},
        3,
        4,
    )


def test_an_issue_added_with_its_outcome_gives_the_case_its_outcome(caseworker, complaint):
    response = add(caseworker, complaint, ISSUE | {"outcome": "upheld"})

    assert response.status_code == 201, response.json()
    assert (response.json()["issues"][0]["outcome"], response.json()["outcome"]) == ("upheld", "upheld")
    assert response.json()["closing_gaps"] == []


def test_a_pals_concern_is_coded_by_subject_and_service_area_only(caseworker, division):
    concern = make_case(kind=Kind.PALS_CONCERN, division=division)

    response = add(caseworker, concern, {"subject": "appointments", "service_area": "maternity"})

    assert response.status_code == 201, response.json()
    assert response.json()["issues"][0]["professions"] == []


def test_the_issues_are_listed_in_order_with_their_codes(caseworker, complaint):
    add_coded_issue(complaint, actor=caseworker)
    add_coded_issue(complaint, actor=caseworker, subject="waiting-times", outcome=Outcome.NOT_UPHELD)

    response = api(auditor()).get(issues_url(complaint))

    assert response.status_code == 200
    assert [(i["order"], i["subject"]["code"], i["outcome"]) for i in response.json()] == [
        (1, "communications", None),
        (2, "waiting-times", "not_upheld"),
    ]


# Codes are looked up in the lists of the case's collection year -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"subject": "grumbles"},
            "subject",
            f"There is no subject with the code 'grumbles' in the KO41a lists for {YEAR}.",
        ),
        (
            {"subject": "clinical-treatment", "clinical_subcategory": "podiatry"},
            "clinical_subcategory",
            f"There is no clinical treatment sub-category with the code 'podiatry' in the KO41a lists for {YEAR}.",
        ),
        (
            {"service_area": "medical"},  # a profession's code, not a service area's
            "service_area",
            f"There is no service area with the code 'medical' in the KO41a lists for {YEAR}.",
        ),
        (
            {"professions": ["medical", "astronaut"]},
            "professions",
            f"There is no profession with the code 'astronaut' in the KO41a lists for {YEAR}.",
        ),
        (
            {"hcat_category": "rudeness", "hcat_severity": 2},
            "hcat_category",
            "There is no HCAT category with the code 'rudeness' in HCAT 2016.",
        ),
    ],
)
def test_an_unknown_code_answers_400_naming_the_field_and_the_year(caseworker, complaint, changes, field, message):
    before = saved(complaint)

    response = add(caseworker, complaint, ISSUE | changes)

    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert saved(complaint) == before


def _with_virtual_wards(document: dict) -> None:
    codes_of(document, "subject").append({"code": "virtual-wards", "label": "Virtual wards", "confidence": "U"})


def test_a_code_of_another_years_list_answers_400_naming_the_year_the_case_is_coded_with(
    caseworker, division, tmp_path
):
    loading.load_files([write_year(tmp_path, "2026-27", change=_with_virtual_wards)])
    last_year = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2025, 11, 3))
    this_year = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON)
    before = saved(last_year)

    refused = add(caseworker, last_year, ISSUE | {"subject": "virtual-wards"})

    assert refused.status_code == 400
    assert refused.json() == {
        "subject": ["There is no subject with the code 'virtual-wards' in the KO41a lists for 2025-26."]
    }
    assert saved(last_year) == before
    accepted = add(caseworker, this_year, ISSUE | {"subject": "virtual-wards"})
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["collection_year"] == "2026-27"
    assert accepted.json()["issues"][0]["collection_year"] == "2026-27"
    assert Code.objects.get(pk=CaseIssue.objects.get(case=this_year).subject_id).taxonomy.collection_year == "2026-27"


def test_an_issue_keeps_its_year_when_a_later_years_lists_arrive(caseworker, complaint, tmp_path):
    old = add_coded_issue(complaint, actor=caseworker)  # coded with 2025-26, the nearest list then
    loading.load_files([write_year(tmp_path, "2026-27")])

    changed = api(caseworker).patch(issue_url(complaint, old), {"service_area": "maternity"}, format="json")
    added = add(caseworker, complaint, ISSUE | {"subject": "waiting-times"})

    assert changed.status_code == 200, changed.json()
    assert added.status_code == 201, added.json()
    issues = added.json()["issues"]
    assert [(i["subject"]["code"], i["service_area"]["code"], i["collection_year"]) for i in issues] == [
        ("communications", "maternity", YEAR),
        ("waiting-times", "acute-outpatient", "2026-27"),
    ]
    assert added.json()["collection_year"] == "2026-27"


def test_with_no_lists_loaded_a_code_answers_400_saying_so(caseworker, complaint):
    # A code's parent is protected, so the children go first.
    Code.objects.filter(parent__isnull=False).delete()
    Code.objects.all().delete()
    Taxonomy.objects.all().delete()
    before = saved(complaint)

    response = add(caseworker, complaint, ISSUE | {"hcat_category": "safety", "hcat_severity": 1})

    assert response.status_code == 400
    assert response.json()["subject"] == [
        "No KO41a lists are loaded, so there is no subject to choose: an administrator must load them "
        "(manage.py load_taxonomies)."
    ]
    assert set(response.json()) == {"subject", "service_area", "professions", "hcat_category"}
    assert saved(complaint) == before
    assert api(caseworker).get(case_url(complaint)).json()["collection_year"] is None


def test_a_code_no_longer_in_use_is_refused_but_an_issue_keeps_one_it_has(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker, service_area="ambulance")
    Code.objects.filter(taxonomy__kind=TaxonomyKind.SERVICE_AREA, code="ambulance").update(disabled_on=D(2026, 11, 1))
    before = saved(complaint)

    refused = add(caseworker, complaint, ISSUE | {"service_area": "ambulance"})

    assert refused.status_code == 400
    assert refused.json() == {
        "service_area": ["'Ambulance services' is no longer in use. Choose another service area."]
    }
    assert saved(complaint) == before
    kept = api(caseworker).patch(
        issue_url(complaint, issue), {"service_area": "ambulance", "description": "Late home"}, format="json"
    )
    assert kept.status_code == 200, kept.json()
    assert kept.json()["issues"][0]["service_area"]["code"] == "ambulance"


# Bad input: 400 per field, nothing saved ------------------------------------------------------------------------------

BAD_ISSUES = [
    # (changes to a complete complaint issue, the field named in the refusal, a part of its message)
    ({"subject": MISSING}, "subject", "Choose the subject."),
    ({"subject": None}, "subject", "Choose the subject."),
    ({"subject": 5}, "subject", "Give the subject's code as text."),
    ({"subject": ["communications"]}, "subject", "Give the subject's code as text."),
    ({"service_area": MISSING}, "service_area", "Choose the service area."),
    ({"service_area": {"code": "maternity"}}, "service_area", "Give the service area's code as text."),
    ({"professions": MISSING}, "professions", "Choose at least one profession."),
    ({"professions": []}, "professions", "Choose at least one profession."),
    ({"professions": "medical"}, "professions", "Give a list of profession codes."),
    ({"professions": None}, "professions", "may not be null"),
    ({"professions": [7]}, "professions", "Give each profession's code as text."),
    ({"professions": ["medical"] * 21}, "professions", "Give at most 20 codes; this has 21."),
    ({"clinical_subcategory": "surgical-group"}, "clinical_subcategory", "Only clinical treatment has a sub-category"),
    ({"subject": "clinical-treatment"}, "clinical_subcategory", "Choose the clinical treatment sub-category."),
    ({"hcat_category": "safety", "hcat_severity": 4}, "hcat_severity", "runs from 1 (low) to 3 (high)"),
    ({"hcat_category": "safety", "hcat_severity": 0}, "hcat_severity", "remove the HCAT category instead"),
    ({"hcat_category": "safety"}, "hcat_severity", "Give the HCAT severity, from 1 (low) to 3 (high)."),
    ({"hcat_category": "safety", "hcat_severity": "high"}, "hcat_severity", "A valid integer is required."),
    ({"hcat_category": "safety", "hcat_severity": 2, "hcat_harm": 6}, "hcat_harm", "runs from 0 (no harm reported)"),
    ({"hcat_category": "safety", "hcat_severity": 2, "hcat_harm": -1}, "hcat_harm", "runs from 0 (no harm reported)"),
    ({"hcat_severity": 2}, "hcat_severity", "Choose the HCAT category this severity is for."),
    ({"hcat_harm": 1}, "hcat_harm", "Choose the HCAT category before the harm."),
    ({"hcat_category": 3, "hcat_severity": 1}, "hcat_category", "Give the HCAT category's code as text."),
    (
        {"outcome": "sort_of"},
        "outcome",
        '"sort_of" is not one of: upheld, partially_upheld, not_upheld, not_investigated.',
    ),
    ({"outcome": "not_investigated"}, "not_investigated_reason", "Say why this issue was not investigated."),
    (
        {"outcome": "upheld", "not_investigated_reason": "Legal claim"},
        "not_investigated_reason",
        "Only an issue that was not investigated has a reason for it.",
    ),
    ({"description": "d" * 2_001}, "description", "Must be 2,000 characters or fewer; this has 2,001."),
    ({"description": ["a", "list"]}, "description", "Not a valid string."),
    ({"local_subject": 999_999}, "local_subject", "There is no local subject with the id 999999."),
    ({"local_subject": "discharge letters"}, "local_subject", "Give the local subject's id as a whole number."),
    ({"local_subject": True}, "local_subject", "Give the local subject's id as a whole number."),
    ({"version": 0}, "version", "greater than or equal to 1"),
    ({"version": "latest"}, "version", "A valid integer is required."),
    ({"subjet": "communications"}, "subjet", "'subjet' is not a field here. Known fields: clinical_subcategory,"),
]


@pytest.mark.parametrize(
    ("changes", "field", "message"), BAD_ISSUES, ids=[f"{f}-{i}" for i, (_, f, _) in enumerate(BAD_ISSUES)]
)
def test_bad_input_to_a_new_issue_answers_400_naming_the_field_and_saves_nothing(
    caseworker, complaint, changes, field, message
):
    before = saved(complaint)

    response = add(caseworker, complaint, without_missing(ISSUE | changes))

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field], response.json()
    assert message in response.json()[field][0]
    assert saved(complaint) == before


def test_an_empty_issue_names_every_field_a_complaint_needs(caseworker, complaint):
    before = saved(complaint)

    response = add(caseworker, complaint, {})

    assert response.status_code == 400
    assert response.json() == {
        "subject": ["Choose the subject."],
        "service_area": ["Choose the service area."],
        "professions": ["Choose at least one profession."],
    }
    assert saved(complaint) == before


@pytest.mark.parametrize("body", [["a", "list"], "a string", 42, None], ids=["list", "string", "number", "null"])
def test_a_body_that_is_not_an_object_answers_400(caseworker, complaint, body):
    before = saved(complaint)

    response = add(caseworker, complaint, body)

    assert response.status_code == 400
    assert saved(complaint) == before


@pytest.mark.parametrize("kind", [Kind.COMPLIMENT, Kind.PALS_CONCERN, Kind.ENQUIRY])
def test_an_outcome_on_a_case_that_has_none_answers_400(caseworker, division, kind):
    case = make_case(kind=kind, division=division)
    before = saved(case)

    response = add(caseworker, case, ISSUE | {"outcome": "upheld"})

    assert response.status_code == 400
    assert list(response.json()) == ["outcome"]
    assert "has no outcome: outcomes are for complaints and MP letters" in response.json()["outcome"][0]
    assert saved(case) == before


def test_a_local_subject_that_disagrees_with_the_subject_answers_400(caseworker, complaint):
    letters = local_subject("Discharge letters", national="communications")
    before = saved(complaint)

    response = add(caseworker, complaint, ISSUE | {"subject": "waiting-times", "local_subject": letters.pk})

    assert response.status_code == 400
    assert list(response.json()) == ["local_subject"]
    assert "comes under 'Communications', not 'Waiting times'" in response.json()["local_subject"][0]
    assert saved(complaint) == before


def test_a_local_subject_no_longer_in_use_answers_400(caseworker, complaint):
    letters = local_subject("Discharge letters", national="communications")
    LocalSubject.objects.filter(pk=letters.pk).update(disabled_on=D(2026, 1, 1))
    before = saved(complaint)

    response = add(caseworker, complaint, ISSUE | {"local_subject": letters.pk})

    assert response.status_code == 400
    assert response.json() == {"local_subject": ["'Discharge letters' is no longer in use. Choose another."]}
    assert saved(complaint) == before


# Changing an issue ----------------------------------------------------------------------------------------------------


def change(user, case: Case, issue: CaseIssue, body):
    return api(user).patch(issue_url(case, issue), body, format="json")


def test_a_caseworker_changes_an_issues_codes_and_fields_left_out_keep_their_values(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker, description="Scan results")

    response = change(caseworker, complaint, issue, {"service_area": "maternity", "version": 2})

    assert response.status_code == 200, response.json()
    changed = response.json()["issues"][0]
    assert (changed["subject"]["code"], changed["service_area"]["code"], codes(changed["professions"])) == (
        "communications",
        "maternity",
        ["medical"],
    )
    assert changed["description"] == "Scan results"
    assert response.json()["version"] == 3
    assert AuditEvent.objects.get(action="case.issue_changed").channel == AuditEvent.Channel.API


def test_a_new_subject_of_clinical_treatment_needs_its_sub_category(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker)
    before = saved(complaint)

    refused = change(caseworker, complaint, issue, {"subject": "clinical-treatment"})

    assert refused.status_code == 400
    assert refused.json() == {"clinical_subcategory": ["Choose the clinical treatment sub-category."]}
    assert saved(complaint) == before
    accepted = change(
        caseworker, complaint, issue, {"subject": "clinical-treatment", "clinical_subcategory": "medical-group"}
    )
    assert accepted.status_code == 200, accepted.json()


def test_an_outcome_is_cleared_with_null_and_the_case_loses_its_outcome(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker, outcome=Outcome.UPHELD)

    response = change(caseworker, complaint, issue, {"outcome": None})

    assert response.status_code == 200, response.json()
    assert (response.json()["issues"][0]["outcome"], response.json()["outcome"]) == (None, None)
    assert response.json()["closing_gaps"] == ["Issue 1 (Communications): no outcome."]


def test_a_change_that_changes_nothing_keeps_the_version(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker)
    before = saved(complaint)

    response = change(caseworker, complaint, issue, {"subject": "communications"})

    assert response.status_code == 200
    assert saved(complaint) == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"subject": None}, "subject", "Choose the subject."),
        ({"service_area": None}, "service_area", "Choose the service area."),
        ({"professions": []}, "professions", "Choose at least one profession."),
        (
            {"subject": "grumbles"},
            "subject",
            f"There is no subject with the code 'grumbles' in the KO41a lists for {YEAR}.",
        ),
        ({"hcat_category": "safety", "hcat_severity": 5}, "hcat_severity", "runs from 1 (low) to 3 (high)"),
        ({"clinical_subcategory": "surgical-group"}, "clinical_subcategory", "Only clinical treatment has"),
        ({"order": 3}, "order", "'order' is not a field here."),
        ({"version": -1}, "version", "greater than or equal to 1"),
    ],
)
def test_bad_input_to_a_change_answers_400_naming_the_field_and_saves_nothing(
    caseworker, complaint, body, field, message
):
    issue = add_coded_issue(complaint, actor=caseworker)
    before = saved(complaint)

    response = change(caseworker, complaint, issue, body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert saved(complaint) == before


# Recording outcomes ---------------------------------------------------------------------------------------------------


def record(user, case: Case, issue: CaseIssue, body):
    return api(user).post(issue_url(case, issue, "outcome"), body, format="json")


def test_an_investigator_records_each_issues_outcome_and_the_case_outcome_follows(investigator, complaint):
    first = add_coded_issue(complaint)
    second = add_coded_issue(complaint, subject="waiting-times")

    upheld = record(investigator, complaint, first, {"outcome": "upheld", "version": 3})
    not_upheld = record(investigator, complaint, second, {"outcome": "not_upheld", "version": 4})

    assert upheld.status_code == 200, upheld.json()
    assert upheld.json()["outcome"] is None  # the second issue has no outcome yet
    assert not_upheld.status_code == 200, not_upheld.json()
    assert [i["outcome"] for i in not_upheld.json()["issues"]] == ["upheld", "not_upheld"]
    assert (not_upheld.json()["outcome"], not_upheld.json()["version"]) == ("partially_upheld", 5)
    event = AuditEvent.objects.filter(action="case.issue_outcome_recorded").first()
    assert (event.channel, event.actor) == (AuditEvent.Channel.API, investigator)
    assert event.changes["case_outcome"] == ["", "partially_upheld"]


def test_an_issue_not_investigated_says_why_and_does_not_count(investigator, complaint):
    first = add_coded_issue(complaint, outcome=Outcome.NOT_UPHELD)
    second = add_coded_issue(complaint, subject="waiting-times")
    before = saved(complaint)

    refused = record(investigator, complaint, second, {"outcome": "not_investigated"})
    assert refused.status_code == 400
    assert refused.json() == {"not_investigated_reason": ["Say why this issue was not investigated."]}
    assert saved(complaint) == before

    response = record(
        investigator,
        complaint,
        second,
        {"outcome": "not_investigated", "not_investigated_reason": "Subject to a legal claim"},
    )

    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "not_upheld"
    assert response.json()["issues"][1]["not_investigated_reason"] == "Subject to a legal claim"
    assert first.pk == response.json()["issues"][0]["id"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "outcome", "This field is required."),
        ({"outcome": None}, "outcome", "This field may not be null."),
        ({"outcome": "sort_of"}, "outcome", '"sort_of" is not one of: upheld, partially_upheld,'),
        ({"outcome": 5}, "outcome", '"5" is not one of'),
        ({"outcome": "upheld", "not_investigated_reason": "x"}, "not_investigated_reason", "Only an issue that was"),
        (
            {"outcome": "not_investigated", "not_investigated_reason": "r" * 2_001},
            "not_investigated_reason",
            "Must be 2,000 characters or fewer; this has 2,001.",
        ),
        ({"outcome": "upheld", "reason": "typo"}, "reason", "'reason' is not a field here."),
    ],
)
def test_bad_input_to_an_outcome_answers_400_naming_the_field_and_saves_nothing(
    investigator, complaint, body, field, message
):
    issue = add_coded_issue(complaint)
    before = saved(complaint)

    response = record(investigator, complaint, issue, body)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert message in response.json()[field][0]
    assert saved(complaint) == before


def test_an_outcome_on_a_compliments_issue_answers_400(caseworker, division):
    compliment = make_case(kind=Kind.COMPLIMENT, division=division)
    issue = add_coded_issue(compliment, actor=caseworker, professions=())
    before = saved(compliment)

    response = record(caseworker, compliment, issue, {"outcome": "upheld"})

    assert response.status_code == 400
    assert response.json() == {"outcome": ["A compliment has no outcome: outcomes are for complaints and MP letters."]}
    assert saved(compliment) == before


# Removing an issue ----------------------------------------------------------------------------------------------------


def test_removing_an_issue_renumbers_the_rest_and_derives_the_outcome_again(caseworker, complaint):
    first = add_coded_issue(complaint, actor=caseworker, outcome=Outcome.NOT_UPHELD)
    add_coded_issue(complaint, actor=caseworker, subject="waiting-times", outcome=Outcome.UPHELD)
    complaint.refresh_from_db()
    assert complaint.outcome == Outcome.PARTIALLY_UPHELD

    response = api(caseworker).delete(issue_url(complaint, first) + f"?version={complaint.version}")

    assert response.status_code == 200, response.json()
    assert [(i["order"], i["subject"]["code"]) for i in response.json()["issues"]] == [(1, "waiting-times")]
    assert (response.json()["outcome"], response.json()["version"]) == ("upheld", complaint.version + 1)
    assert AuditEvent.objects.get(action="case.issue_removed").channel == AuditEvent.Channel.API


def test_the_version_for_a_removal_may_be_sent_in_the_body(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker)

    response = api(caseworker).delete(issue_url(complaint, issue), {"version": 2}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["issues"] == []


@pytest.mark.parametrize(
    ("query", "body", "field"),
    [("?version=latest", None, "version"), ("?version=0", None, "version"), ("", {"versoin": 2}, "versoin")],
)
def test_bad_input_to_a_removal_answers_400_and_removes_nothing(caseworker, complaint, query, body, field):
    issue = add_coded_issue(complaint, actor=caseworker)
    before = saved(complaint)

    response = api(caseworker).delete(issue_url(complaint, issue) + query, body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert saved(complaint) == before


def test_a_closed_complaints_coding_is_corrected_but_never_left_with_a_gap(caseworker, complaint):
    issue = add_coded_issue(complaint, actor=caseworker, outcome=Outcome.UPHELD)
    for status in (
        Status.ACKNOWLEDGED,
        Status.UNDER_INVESTIGATION,
        Status.RESPONSE_IN_REVIEW,
        Status.RESPONSE_SENT,
        Status.CLOSED,
    ):
        if status == Status.RESPONSE_SENT:
            sign_off_response(complaint)
        case_services.move_case(complaint, to=status, actor=caseworker)
    before = saved(complaint)

    removal = api(caseworker).delete(issue_url(complaint, issue))
    outcome_cleared = change(caseworker, complaint, issue, {"outcome": None})

    for refused in (removal, outcome_cleared):
        assert refused.status_code == 400
        assert refused.json()["detail"].startswith(
            f"{complaint.reference} is closed, so its coding can be corrected but not left incomplete."
        )
    assert saved(complaint) == before
    corrected = record(caseworker, complaint, issue, {"outcome": "not_upheld"})
    assert corrected.status_code == 200, corrected.json()
    assert (corrected.json()["status"], corrected.json()["outcome"]) == ("closed", "not_upheld")


# Who may see and change an issue --------------------------------------------------------------------------------------

WRITES = {
    "add": lambda case, issue: ("post", issues_url(case), ISSUE),
    "change": lambda case, issue: ("patch", issue_url(case, issue), {"service_area": "maternity"}),
    "outcome": lambda case, issue: ("post", issue_url(case, issue, "outcome"), {"outcome": "upheld"}),
    "remove": lambda case, issue: ("delete", issue_url(case, issue), None),
}
READS = {
    "detail": lambda case, issue: ("get", case_url(case), None),
    "issues": lambda case, issue: ("get", issues_url(case), None),
}


def call(user, endpoint, case: Case, issue):
    method, address, body = {**WRITES, **READS}[endpoint](case, issue)
    return getattr(api(user), method)(address, body, format="json")


@pytest.mark.parametrize("endpoint", [*WRITES, *READS])
def test_another_divisions_case_answers_404_to_a_divisional_manager(complaint, endpoint):
    issue = add_coded_issue(complaint)
    before = saved(complaint)

    response = call(divisional_manager(divisions=[DivisionFactory()]), endpoint, complaint, issue)

    assert response.status_code == 404
    assert saved(complaint) == before


@pytest.mark.parametrize("endpoint", [*WRITES, *READS])
def test_a_restricted_case_answers_404_to_a_coordinator_not_named_on_it(division, endpoint):
    case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON, is_staff_complainant=True)
    issue = add_coded_issue(case)
    before = saved(case)

    response = call(coordinator(), endpoint, case, issue)

    assert response.status_code == 404
    assert saved(case) == before


@pytest.mark.parametrize("endpoint", ["change", "outcome", "remove"])
def test_an_issue_of_another_case_answers_404(caseworker, complaint, division, endpoint):
    elsewhere = add_coded_issue(make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON))
    before = saved(elsewhere.case)

    response = call(caseworker, endpoint, complaint, elsewhere)

    assert response.status_code == 404
    assert response.json() == {"detail": f"{complaint.reference} has no issue with the id {elsewhere.pk}."}
    assert saved(elsewhere.case) == before


@pytest.mark.parametrize("issue_id", [999_999, 10**30])
def test_an_unknown_issue_answers_404_not_500(caseworker, complaint, issue_id):
    response = api(caseworker).patch(issue_url(complaint, issue_id), {}, format="json")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("make_user", "allowed"),
    [
        (auditor, set()),
        (approver, set()),
        # Investigators find each issue upheld or not; they do not code.
        (divisional_manager, {"outcome"}),
        (officer, set(WRITES)),
        (coordinator, set(WRITES)),
        (administrator, set(WRITES)),
    ],
    ids=["auditor", "approver", "divisional_manager", "officer", "coordinator", "administrator"],
)
@pytest.mark.parametrize("endpoint", WRITES)
def test_each_role_codes_and_records_outcomes_as_its_permissions_say(division, complaint, make_user, allowed, endpoint):
    issue = add_coded_issue(complaint)
    before = saved(complaint)

    response = call(make_user(divisions=[division]), endpoint, complaint, issue)

    if endpoint in allowed:
        assert response.status_code in (200, 201), response.json()
    else:
        assert response.status_code == 403
        assert "this role cannot" in response.json()["detail"]
        assert saved(complaint) == before


@pytest.mark.parametrize("make_user", [auditor, approver, divisional_manager])
def test_every_role_that_sees_the_case_reads_its_issues(division, complaint, make_user):
    add_coded_issue(complaint)

    response = api(make_user(divisions=[division])).get(issues_url(complaint))

    assert response.status_code == 200
    assert len(response.json()) == 1


def test_a_volunteer_cannot_code_the_concern_they_logged(division):
    helper = volunteer()
    concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=helper)
    before = saved(concern)

    response = add(helper, concern, {"subject": "appointments", "service_area": "maternity"})

    assert response.status_code == 403
    assert saved(concern) == before


@pytest.mark.parametrize("endpoint", WRITES)
def test_each_coding_write_answers_409_for_a_stale_version_and_saves_nothing(caseworker, complaint, endpoint):
    issue = add_coded_issue(complaint)
    read_version = complaint.version + 1
    case_services.assign_case(complaint, case_officer=officer(), actor=officer(first_name="Pat", last_name="Jones"))
    before = saved(complaint)
    method, address, body = WRITES[endpoint](complaint, issue)
    if method == "delete":
        address += f"?version={read_version}"
    else:
        body = body | {"version": read_version}

    response = getattr(api(caseworker), method)(address, body, format="json")

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Pat Jones changed this case at")
    assert saved(complaint) == before


# Closing needs complete coding, end to end through the API ------------------------------------------------------------


def test_closing_is_refused_with_every_gap_until_the_issues_are_coded_and_their_outcomes_recorded(
    caseworker, investigator, complaint
):
    officer_client, investigator_client = api(caseworker), api(investigator)
    version = 1

    def move(to: str):
        nonlocal version
        response = officer_client.post(
            case_url(complaint, "transitions"), {"to": to, "version": version}, format="json"
        )
        if response.status_code == 200:
            version = response.json()["version"]
        return response

    for status in ("acknowledged", "under_investigation", "response_in_review", "response_sent"):
        if status == "response_sent":
            sign_off_response(complaint)
        assert move(status).status_code == 200
    case = officer_client.get(case_url(complaint)).json()
    assert case["closing_gaps"] == ["Add at least one issue."]
    assert "closed" not in [move["to"] for move in case["allowed_transitions"]]

    refused = move("closed")
    assert refused.status_code == 400
    assert refused.json() == {
        "detail": "Before closing, add the complaint's issues, each with subject, service area, profession and outcome."
    }

    first = officer_client.post(issues_url(complaint), ISSUE | {"version": version}, format="json")
    assert first.status_code == 201, first.json()
    second = officer_client.post(
        issues_url(complaint),
        {
            "subject": "clinical-treatment",
            "clinical_subcategory": "surgical-group",
            "service_area": "acute-inpatient",
            "professions": ["medical", "nursing-midwifery-health-visiting"],
            "version": first.json()["version"],
        },
        format="json",
    )
    assert second.status_code == 201, second.json()
    version = second.json()["version"]
    gaps = ["Issue 1 (Communications): no outcome.", "Issue 2 (Clinical treatment): no outcome."]
    assert second.json()["closing_gaps"] == gaps

    refused = move("closed")
    assert refused.status_code == 400
    assert refused.json() == {"detail": "Before closing, complete each issue. " + " ".join(gaps)}

    for issue, outcome in zip(second.json()["issues"], ("upheld", "not_upheld"), strict=True):
        recorded = investigator_client.post(
            issue_url(complaint, issue["id"], "outcome"), {"outcome": outcome, "version": version}, format="json"
        )
        assert recorded.status_code == 200, recorded.json()
        version = recorded.json()["version"]
    assert recorded.json()["closing_gaps"] == []
    assert recorded.json()["outcome"] == "partially_upheld"

    closed = move("closed")

    assert closed.status_code == 200, closed.json()
    assert (closed.json()["status"], closed.json()["outcome"], closed.json()["closing_gaps"]) == (
        "closed",
        "partially_upheld",
        [],
    )
    assert Case.objects.get(pk=complaint.pk).status == Status.CLOSED


# What it costs to read ------------------------------------------------------------------------------------------------


def test_the_case_shows_its_issues_in_the_same_number_of_queries_however_many(caseworker, complaint):
    client = api(caseworker)

    def queries_for_the_case() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(case_url(complaint))
        assert response.status_code == 200
        return len(queries)

    add_coded_issue(complaint, actor=caseworker)
    with_one = queries_for_the_case()
    for subject in ("waiting-times", "appointments", "trust-administration", "consent"):
        add_coded_issue(complaint, actor=caseworker, subject=subject, professions=("medical", "support-staff"))

    assert queries_for_the_case() == with_one
    assert len(client.get(issues_url(complaint)).json()) == 5


def test_the_case_list_shows_each_cases_outcome_in_the_same_number_of_queries_however_many(caseworker, division):
    client = api(caseworker)

    def add_coded_cases(count: int) -> None:
        for _ in range(count):
            case = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON, actor=caseworker)
            add_coded_issue(case, actor=caseworker, outcome=Outcome.UPHELD)
            add_coded_issue(case, actor=caseworker, subject="waiting-times")

    def queries_for_the_list() -> tuple[int, list]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CASES_URL)
        assert response.status_code == 200
        return len(queries), [row["outcome"] for row in response.json()["results"]]

    add_coded_cases(2)
    with_few, outcomes_few = queries_for_the_list()
    add_coded_cases(8)
    with_many, outcomes_many = queries_for_the_list()

    assert (outcomes_few, outcomes_many) == ([None] * 2, [None] * 10)
    assert with_many == with_few
    upheld = make_case(kind=Kind.COMPLAINT, division=division, received_on=RECEIVED_ON, actor=caseworker)
    add_coded_issue(upheld, actor=caseworker, outcome=Outcome.UPHELD)
    assert client.get(CASES_URL).json()["results"][0]["outcome"] == "upheld"


# The reference lists (/api/v1/reference/) -----------------------------------------------------------------------------

LISTS = [
    "taxonomies",
    "local-subjects",
    "grading-scheme",
    "divisions",
    "sites",
    "services",
    "hold-reasons",
    "communication-needs",
]


def test_the_reference_index_says_where_each_list_is_and_each_answers():
    client = api(officer())

    index = client.get(REFERENCE_URL)

    assert index.status_code == 200
    assert sorted(index.json().values()) == sorted(f"http://testserver{REFERENCE_URL}{name}/" for name in LISTS)
    for address in index.json().values():
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize("make_user", [volunteer, auditor, approver, divisional_manager, officer])
@pytest.mark.parametrize("name", ["", *LISTS])
def test_every_role_that_uses_the_api_reads_the_reference_lists(make_user, name):
    assert api(make_user()).get(f"{REFERENCE_URL}{name + '/' if name else ''}").status_code == 200


@pytest.mark.parametrize("name", ["", *LISTS, "taxonomies/subject/2025-26/codes"])
def test_the_reference_lists_are_not_read_without_signing_in(name):
    assert APIClient().get(f"{REFERENCE_URL}{name + '/' if name else ''}").status_code == 401


@pytest.mark.parametrize("name", ["divisions", "taxonomies", "taxonomies/subject/2025-26/codes", "local-subjects"])
def test_the_reference_lists_cannot_be_changed_through_the_api(name):
    response = api(administrator()).post(f"{REFERENCE_URL}{name}/", {"code": "NEW", "name": "New"}, format="json")

    assert response.status_code == 405


def test_the_taxonomies_say_their_year_source_and_confidence_and_where_their_codes_are():
    client = api(officer())

    response = client.get(f"{REFERENCE_URL}taxonomies/", {"kind": "subject", "collection_year": YEAR})

    assert response.status_code == 200
    (subjects,) = response.json()["results"]
    assert (subjects["kind"], subjects["kind_label"], subjects["collection_year"], subjects["confidence"]) == (
        "subject",
        "KO41a subject area",
        YEAR,
        "P",
    )
    assert subjects["source"].startswith("NHS Digital, Data on Written Complaints in the NHS")
    assert (subjects["loaded_from"], subjects["codes_in_use"]) == ("ko41a-2025-26.json", 22)
    assert subjects["codes"] == f"http://testserver{REFERENCE_URL}taxonomies/subject/{YEAR}/codes/"
    assert client.get(subjects["codes"]).json()["count"] == 22
    every_list = client.get(f"{REFERENCE_URL}taxonomies/").json()
    assert every_list["count"] == 8
    assert {
        t["kind"] for t in client.get(f"{REFERENCE_URL}taxonomies/", {"collection_year": "2016"}).json()["results"]
    } == {
        "hcat_domain",
        "hcat_category",
    }


@pytest.mark.parametrize("query", [{"kind": "grumbles"}, {"collection_year": "2025-2026-27"}])
def test_a_bad_taxonomy_filter_answers_400_naming_it(query):
    response = api(officer()).get(f"{REFERENCE_URL}taxonomies/", query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


def test_a_lists_codes_come_in_the_lists_order_with_their_confidence_and_parent():
    client = api(officer())

    subjects = client.get(f"{REFERENCE_URL}taxonomies/subject/{YEAR}/codes/").json()["results"]
    categories = client.get(f"{REFERENCE_URL}taxonomies/hcat_category/2016/codes/").json()["results"]

    assert codes(subjects)[:4] == [
        "access-to-treatment-or-drugs",
        "admissions-discharges-transfers",
        "appointments",
        "clinical-treatment",
    ]
    assert codes(subjects)[-1] == "other"
    assert categories[0] == {
        "code": "quality",
        "label": "Quality",
        "order": 1,
        "confidence": "C",
        "parent": "clinical",
        "age_from_years": None,
        "age_to_years": None,
        "disabled_on": None,
    }


def test_a_code_no_longer_in_use_is_listed_only_when_asked_for():
    Code.objects.filter(taxonomy__kind=TaxonomyKind.SERVICE_AREA, code="ambulance").update(disabled_on=D(2026, 11, 1))
    client = api(officer())
    address = f"{REFERENCE_URL}taxonomies/service_area/{YEAR}/codes/"

    in_use = client.get(address).json()
    every = client.get(address, {"include_disabled": "true"}).json()

    assert "ambulance" not in codes(in_use["results"])
    assert (in_use["count"], every["count"]) == (11, 12)
    assert next(c for c in every["results"] if c["code"] == "ambulance")["disabled_on"] == "2026-11-01"


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("taxonomies/subject/2031-32/codes/", f"No 'subject' list is loaded for 2031-32. Years loaded: {YEAR}."),
        ("taxonomies/grumbles/2025-26/codes/", "No 'grumbles' list is loaded for 2025-26."),
    ],
)
def test_the_codes_of_a_list_not_loaded_answer_404_saying_which_years_are(address, message):
    response = api(officer()).get(f"{REFERENCE_URL}{address}")

    assert response.status_code == 404
    assert response.json() == {"detail": message}


def test_local_subjects_show_their_national_subject_and_only_those_in_use_unless_asked():
    letters = local_subject("Discharge letters", national="communications")
    retired = local_subject("Car parking charges", national="facilities-services")
    LocalSubject.objects.filter(pk=retired.pk).update(disabled_on=D(2026, 6, 1))
    client = api(officer())

    in_use = client.get(f"{REFERENCE_URL}local-subjects/").json()["results"]
    every = client.get(f"{REFERENCE_URL}local-subjects/", {"include_disabled": True}).json()["results"]

    assert in_use == [
        {
            "id": letters.pk,
            "name": "Discharge letters",
            "national_subject": {"code": "communications", "label": "Communications"},
            "disabled_on": None,
        }
    ]
    assert [(s["name"], s["disabled_on"]) for s in every] == [
        ("Car parking charges", "2026-06-01"),
        ("Discharge letters", None),
    ]


def _retired(name: str):
    """Make one entry of the list, retired since 1 June 2026, and return its code."""
    retired_on = D(2026, 6, 1)
    if name == "divisions":
        return DivisionFactory(code="OLD", disabled_on=retired_on).code
    if name == "sites":
        return SiteFactory(code="RZZ99", disabled_on=retired_on).code
    if name == "services":
        return ServiceFactory(code="OLD-SVC", disabled_on=retired_on).code
    if name == "hold-reasons":
        return HoldReason.objects.create(code="awaiting-fax", name="Awaiting a fax", disabled_on=retired_on).code
    return CommunicationNeed.objects.create(code="teletext", name="Teletext", disabled_on=retired_on).code


TRUST_LISTS = ["divisions", "sites", "services", "hold-reasons", "communication-needs"]


@pytest.mark.parametrize("name", TRUST_LISTS)
def test_the_trusts_lists_show_entries_in_use_unless_asked_for_all(name):
    retired = _retired(name)
    client = api(officer())

    in_use = client.get(f"{REFERENCE_URL}{name}/").json()
    every = client.get(f"{REFERENCE_URL}{name}/", {"include_disabled": "true"}).json()

    assert retired not in codes(in_use["results"])
    assert every["count"] == in_use["count"] + 1
    assert next(entry for entry in every["results"] if entry["code"] == retired)["disabled_on"] == "2026-06-01"


@pytest.mark.parametrize("name", [*TRUST_LISTS, "local-subjects", "taxonomies/subject/2025-26/codes"])
def test_include_disabled_must_be_true_or_false(name):
    response = api(officer()).get(f"{REFERENCE_URL}{name}/", {"include_disabled": "maybe"})

    assert response.status_code == 400
    assert response.json() == {"include_disabled": ["Must be a valid boolean."]}


def test_a_service_shows_the_division_that_runs_it(division):
    ServiceFactory(code="CARDIO", name="Cardiology", specialty="Cardiology", division=division)

    services = api(officer()).get(f"{REFERENCE_URL}services/").json()["results"]

    assert services == [
        {
            "code": "CARDIO",
            "name": "Cardiology",
            "specialty": "Cardiology",
            "division": division.code,
            "disabled_on": None,
        }
    ]


def test_a_long_list_comes_a_page_at_a_time():
    client = api(officer())
    needs = CommunicationNeed.objects.active().count()

    first = client.get(f"{REFERENCE_URL}communication-needs/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == needs > 4
    assert len(first["results"]) == len(second["results"]) == 2
    assert not set(codes(first["results"])) & set(codes(second["results"]))


def _grow(name: str, number: int, tmp_path) -> None:
    """Add entries to the list, so that its query count can be compared as it grows."""
    for index in range(number):
        suffix = f"{number}{index}"
        if name == "divisions":
            DivisionFactory()
        elif name == "sites":
            SiteFactory()
        elif name == "services":
            ServiceFactory()
        elif name == "hold-reasons":
            HoldReason.objects.create(code=f"reason-{suffix}", name=f"Reason {suffix}")
        elif name == "communication-needs":
            CommunicationNeed.objects.create(code=f"need-{suffix}", name=f"Need {suffix}")
        elif name == "local-subjects":
            local_subject(f"Local subject {suffix}", national="communications")
        elif name == "taxonomies/subject/2025-26/codes":
            code(TaxonomyKind.SUBJECT, "other").taxonomy.codes.create(code=f"extra-{suffix}", label=f"Extra {suffix}")
    if name == "taxonomies":
        loading.load_files([write_year(tmp_path, f"20{27 + number}-{28 + number}")])


@pytest.mark.parametrize("name", [*TRUST_LISTS, "local-subjects", "taxonomies", "taxonomies/subject/2025-26/codes"])
def test_a_reference_list_is_read_in_the_same_number_of_queries_however_long(name, tmp_path):
    client = api(officer())

    def queries_for_the_list() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{REFERENCE_URL}{name}/")
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    _grow(name, 1, tmp_path)
    with_few, listed_few = queries_for_the_list()
    _grow(name, 6, tmp_path)
    with_many, listed_many = queries_for_the_list()

    assert listed_many > listed_few
    assert with_many == with_few

"""The final response through the API: the same services and permissions as the pages, as JSON."""

import pytest
from rest_framework.test import APIClient

from palsdesk.accounts.tests.factories import coordinator, officer
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.correspondence.models import CorrespondenceEntry
from palsdesk.responses import services
from palsdesk.responses.models import FinalResponse, ResponseVersion
from palsdesk.responses.tests.conftest import RECEIVED_ON
from palsdesk.responses.tests.factories import DRAFT_MEETING_REGULATION_14, PARAGRAPH_OF

pytestmark = pytest.mark.django_db

ALL_FOUR = {element.value: number for element, number in PARAGRAPH_OF.items()}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case, path: str = "") -> str:
    return f"/api/v1/cases/{case.reference}/response/{path}"


def test_a_complaint_goes_from_draft_to_sent_through_the_api(complaint, investigator, lead, signer):
    writer, reviewer, approver_ = api(investigator), api(lead), api(signer)

    started = writer.get(url(complaint)).json()
    assert (started["state"], started["may"]["write"], started["latest_version"]) == ("not_started", True, None)

    first = writer.post(
        url(complaint, "versions/"),
        {"html": "<p>Dear Mrs Okafor,</p><p>We looked at the records of your mother's care.</p>", "based_on": 0},
        format="json",
    )
    assert first.status_code == 201, first.json()
    assert first.json()["number"] == 1
    submitted = writer.post(url(complaint, "submission/"), {"version": complaint.version}, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "in_review"

    returned = reviewer.post(url(complaint, "return/"), {"comments": "Add what we found."}, format="json")
    assert returned.json()["state"] == "returned"
    assert returned.json()["returned"]["comments"] == "Add what we found."

    second = writer.post(
        url(complaint, "versions/"),
        {
            "html": "Dear Mrs Okafor,\n\nWe looked at the records of your mother's care, and found the delay.",
            "based_on": 1,
        },
        format="json",
    )
    assert second.status_code == 201, second.json()
    third = writer.post(
        url(complaint, "versions/"), {"html": DRAFT_MEETING_REGULATION_14, "based_on": 2}, format="json"
    )
    assert third.status_code == 201
    writer.post(url(complaint, "submission/"), {}, format="json")

    diff = writer.get(url(complaint, "diff/"), {"from": 1, "to": 2}).json()
    assert (diff["from_version"], diff["to_version"], diff["is_same"]) == (1, 2, False)
    assert diff["paragraphs"] == [
        [{"change": "same", "text": "Dear Mrs Okafor,"}],
        [
            {"change": "same", "text": "We looked at the records of your mother's"},
            {"change": "removed", "text": "care."},
            {"change": "added", "text": "care, and found the delay."},
        ],
    ]

    versions = writer.get(url(complaint, "versions/")).json()
    assert [version["number"] for version in versions["results"]] == [3, 2, 1]

    checked = approver_.post(url(complaint, "regulation-14/"), {**ALL_FOUR, "ombudsman": None}, format="json")
    assert checked.status_code == 200, checked.json()
    refused = approver_.post(url(complaint, "sign-off/"), {}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["ombudsman"]
    approver_.post(url(complaint, "regulation-14/"), {"ombudsman": 5}, format="json")
    signed = approver_.post(url(complaint, "sign-off/"), {"signed_as": "Chief Nurse"}, format="json")
    assert signed.status_code == 200, signed.json()
    assert (signed.json()["state"], signed.json()["signed_off_version"]) == ("signed_off", 3)

    complaint.refresh_from_db()
    sent = reviewer.post(url(complaint, "sending/"), {"method": "email", "version": complaint.version}, format="json")
    assert sent.status_code == 200, sent.json()
    assert (sent.json()["state"], sent.json()["sent_method"]) == ("sent", "email")
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONSE_SENT
    assert CorrespondenceEntry.objects.get(case=complaint).attachments.count() == 2


@pytest.mark.parametrize("make_user", [coordinator, officer])
def test_a_user_without_the_approver_role_cannot_sign_off_or_check(complaint, investigator, make_user):
    services.save_draft(complaint, actor=investigator, draft=DRAFT_MEETING_REGULATION_14)
    services.submit_for_review(complaint, actor=investigator)
    client = api(make_user())

    assert client.post(url(complaint, "regulation-14/"), ALL_FOUR, format="json").status_code == 403
    assert client.post(url(complaint, "sign-off/"), {}, format="json").status_code == 403
    assert not FinalResponse.objects.get().is_signed_off


def test_someone_from_another_division_gets_404_and_an_mp_letter_has_no_response(complaint, outsider, medicine, lead):
    client = api(outsider)
    for path in ("", "versions/", "diff/", "regulation-14/"):
        assert client.get(url(complaint, path)).status_code == 404, path
    assert client.post(url(complaint, "versions/"), {"html": "x"}, format="json").status_code == 404
    letter = make_case(kind=Kind.MP_LETTER, division=medicine, actor=lead, received_on=RECEIVED_ON)
    assert api(lead).get(url(letter)).status_code == 404


def test_a_stale_draft_or_case_version_answers_409(complaint, investigator, lead):
    services.save_draft(complaint, actor=lead, draft="Someone else's words")
    client = api(investigator)
    stale = client.post(url(complaint, "versions/"), {"html": "Mine", "based_on": 0}, format="json")
    assert stale.status_code == 409
    assert "saved version 1 of the draft" in stale.json()["detail"]
    assert (
        client.post(url(complaint, "submission/"), {"version": complaint.version - 1}, format="json").status_code == 409
    )
    assert ResponseVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "html"),
        ({"html": ["x"]}, "html"),
        ({"html": "x", "colour": "red"}, "colour"),
        ({"html": "<p> </p>"}, "html"),
        ({"html": "x", "based_on": -1}, "based_on"),
    ],
)
def test_bad_drafts_answer_400_naming_the_field(complaint, investigator, body, field):
    response = api(investigator).post(url(complaint, "versions/"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ResponseVersion.objects.exists()


def test_a_diff_of_versions_that_do_not_exist_answers_400(complaint, investigator):
    services.save_draft(complaint, actor=investigator, draft="One")
    client = api(investigator)
    assert client.get(url(complaint, "diff/")).json() == {
        "from": ["There is only one version, so there is nothing to compare yet."]
    }
    services.save_draft(complaint, actor=investigator, draft="Two")
    response = client.get(url(complaint, "diff/"), {"to": "9"})
    assert (response.status_code, response.json()) == (400, {"to": ["Give a version from 1 to 2."]})


def test_the_standard_paragraphs_are_listed_for_drafting(investigator):
    body = api(investigator).get("/api/v1/standard-paragraphs/").json()
    assert [paragraph["purpose"] for paragraph in body["results"]] == ["apology", "ombudsman", "advocacy", "meeting"]

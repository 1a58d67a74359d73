"""API tokens: made by `manage.py create_api_token`, sent as `Authorization: Token <token>`, stored only as a hash."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from palsdesk.accounts.models import ApiToken
from palsdesk.accounts.services import revoke_api_token
from palsdesk.accounts.tests.factories import PASSWORD, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases.models import Case
from palsdesk.cases.tests.factories import make_case
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

CASES_URL = "/api/v1/cases/"


def create_token(username: str, *args: str) -> str:
    out = StringIO()
    call_command("create_api_token", username, *args, stdout=out)
    return out.getvalue().strip()


def with_token(token: str, **kwargs) -> APIClient:
    client = APIClient(**kwargs)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def new_case_body(division) -> dict:
    return {
        "kind": "pals_concern",
        "received_on": "2026-11-20",
        "channel": "phone",
        "division": division.code,
        "summary": "Car park barrier kept the ticket",
    }


def test_the_command_prints_a_token_that_authenticates_api_calls():
    user = officer()
    case = make_case()

    token = create_token(user.username)
    response = with_token(token).get(CASES_URL)

    assert response.status_code == 200
    assert [c["reference"] for c in response.json()["results"]] == [case.reference]


def test_only_a_hash_of_the_token_is_stored():
    user = officer()

    token = create_token(user.username, "--name", "reporting export")

    stored = ApiToken.objects.get(user=user)
    assert stored.token_hash != token
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.name == "reporting export"
    # Only a short prefix, to tell tokens apart in the admin, is kept in the clear.
    assert stored.prefix == token[:8]
    assert len(token) >= 40
    assert token not in {stored.token_hash, stored.prefix, stored.name}


def test_each_token_is_different_and_making_one_is_audited():
    user = officer()

    first, second = create_token(user.username), create_token(user.username)

    assert first != second
    assert AuditEvent.objects.filter(action="api_token.created").count() == 2


def test_the_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        create_token("nobody")
    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_inactive_user():
    user = officer(is_active=False)

    with pytest.raises(CommandError, match="not active"):
        create_token(user.username)
    assert not ApiToken.objects.exists()


def test_a_call_with_a_token_records_when_it_was_last_used():
    user = officer()
    token = create_token(user.username)

    with_token(token).get(CASES_URL)

    assert ApiToken.objects.get(user=user).last_used_at is not None


def assert_401(response) -> None:
    assert response.status_code == 401, response.status_code
    assert "Location" not in response
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"]


def test_a_wrong_token_answers_401():
    create_token(officer().username)

    assert_401(with_token("not-the-token").get(CASES_URL))


def test_a_revoked_token_answers_401():
    user = officer()
    token = create_token(user.username)
    revoke_api_token(ApiToken.objects.get(user=user), actor=None)

    response = with_token(token).get(CASES_URL)

    assert_401(response)
    assert response.json() == {"detail": "The token is not valid, or has been revoked."}


def test_the_token_of_a_user_made_inactive_answers_401():
    user = officer()
    token = create_token(user.username)
    user.is_active = False
    user.save()

    assert_401(with_token(token).get(CASES_URL))


@pytest.mark.parametrize("header", ["Token", "Token two parts", "token"])
def test_a_malformed_authorization_header_answers_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    assert_401(client.get(CASES_URL))


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", CASES_URL),
        ("get", f"{CASES_URL}PAL-2026-00001/"),
        ("get", f"{CASES_URL}PAL-2026-00001/timeline/"),
        ("post", CASES_URL),
        ("post", f"{CASES_URL}PAL-2026-00001/transitions/"),
        ("post", f"{CASES_URL}PAL-2026-00001/notes/"),
        ("post", f"{CASES_URL}PAL-2026-00001/assignment/"),
        ("get", "/api/v1/"),
    ],
)
def test_no_credentials_answers_401_not_a_redirect_to_the_sign_in_page(method, address):
    division = DivisionFactory()
    make_case(division=division)
    before = Case.objects.count()

    # A plain Django client, as a browser or script without credentials would call.
    response = getattr(Client(), method)(address, new_case_body(division), content_type="application/json")

    assert_401(response)
    assert Case.objects.count() == before


@pytest.mark.parametrize("address", ["/api/schema/", "/api/docs/"])
def test_the_schema_and_docs_answer_401_without_credentials_not_a_redirect(address):
    response = Client().get(address)

    assert response.status_code == 401
    assert "Location" not in response


def test_a_bearer_header_is_not_taken_for_a_token():
    token = create_token(officer().username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert_401(client.get(CASES_URL))


def test_a_token_gives_its_user_the_same_permissions_as_the_web_pages():
    medicine, surgery = DivisionFactory(), DivisionFactory()
    manager = divisional_manager(divisions=[medicine])
    theirs = make_case(division=medicine)
    elsewhere = make_case(division=surgery)
    client = with_token(create_token(manager.username))

    assert [c["reference"] for c in client.get(CASES_URL).json()["results"]] == [theirs.reference]
    assert client.get(f"{CASES_URL}{elsewhere.reference}/").status_code == 404
    assert client.post(CASES_URL, new_case_body(medicine), format="json").status_code == 403


def test_a_write_with_a_token_needs_no_csrf_token_and_is_audited_as_the_tokens_user():
    division = DivisionFactory()
    user = officer()
    client = with_token(create_token(user.username), enforce_csrf_checks=True)

    response = client.post(CASES_URL, new_case_body(division), format="json")

    assert response.status_code == 201, response.json()
    event = AuditEvent.objects.get(action="case.opened")
    assert (event.actor, event.channel) == (user, AuditEvent.Channel.API)


def test_a_signed_in_browser_session_must_send_the_csrf_token_to_write():
    division = DivisionFactory()
    user = officer()
    client = APIClient(enforce_csrf_checks=True)
    client.login(username=user.username, password=PASSWORD)

    assert client.get(CASES_URL).status_code == 200
    response = client.post(CASES_URL, new_case_body(division), format="json")

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Case.objects.exists()

"""Two people with the same case open: the second to save, from a page read before the first saved, is refused."""

import pytest
import time_machine

from palsdesk.accounts.tests.factories import divisional_manager, officer
from palsdesk.cases import selectors
from palsdesk.cases.models import Case, Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import NOW, assert_refused, case_url, form_defaults, on, problems, rows
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def first(division):
    return officer(divisions=[division], first_name="Florence", last_name="Nightingale")


@pytest.fixture
def second(division):
    return officer(divisions=[division], first_name="Mary", last_name="Seacole")


@pytest.fixture
def case(division, first):
    return make_case(kind=Kind.COMPLAINT, division=division, case_officer=first, summary="Lost property on Ward 3")


def _opened(client, user, case, url_name) -> dict[str, str]:
    """Sign in and open the page: what the form there would post, including the version it was read at."""
    client.force_login(user)
    url = case_url(case, url_name)
    page = client.get(case_url(case) if url_name != "edit" else url)
    return {name: values[0] for name, values in form_defaults(page, url).items()}


STALE = "Florence Nightingale changed this case at 10:30 on 21 November 2026, after you opened it."


class TestTheSecondChangeIsRefused:
    def test_a_stale_assignment_is_refused_saying_who_changed_the_case(self, client, case, first, second):
        cover = officer(first_name="Edith", last_name="Cavell")
        seconds_form = _opened(client, second, case, "assign")
        firsts_form = _opened(client, first, case, "assign")
        assert seconds_form["version"] == firsts_form["version"] == "1"
        client.post(case_url(case, "assign"), firsts_form | {"case_officer": cover.pk, "reason": "Leave cover"})

        client.force_login(second)
        before = rows()
        response = client.post(
            case_url(case, "assign"), seconds_form | {"case_officer": second.pk, "reason": "Taking it on myself"}
        )

        assert_refused(response, says=STALE, kept=["Taking it on myself"], before=before, at_field=False)
        case.refresh_from_db()
        assert case.case_officer == cover
        assert f'<option value="{second.pk}" selected>' in response.content.decode()

    def test_a_stale_move_is_refused_saying_who_moved_the_case_even_when_the_move_is_gone(
        self, client, case, first, second
    ):
        seconds_form = _opened(client, second, case, "move")
        firsts_form = _opened(client, first, case, "move")
        client.post(case_url(case, "move"), firsts_form | {"move": "acknowledge", "acknowledgement_method": "letter"})

        client.force_login(second)
        before = rows()
        response = client.post(
            case_url(case, "move"), seconds_form | {"move": "acknowledge", "acknowledgement_method": "letter"}
        )

        assert_refused(response, says=STALE, before=before, at_field=False)
        assert not any("not possible" in message for message in problems(response))
        case.refresh_from_db()
        assert (case.status, case.version) == (Status.ACKNOWLEDGED, 2)

    def test_a_stale_withdrawal_is_refused_and_keeps_the_reason_typed(self, client, case, first, second):
        seconds_form = _opened(client, second, case, "move")
        firsts_form = _opened(client, first, case, "move")
        client.post(case_url(case, "move"), firsts_form | {"move": "acknowledge", "acknowledgement_method": "letter"})

        client.force_login(second)
        before = rows()
        response = client.post(
            case_url(case, "move"), seconds_form | {"move": "withdraw", "reason": "Rang to say stop, <b>please</b>"}
        )

        assert_refused(
            response,
            says=STALE,
            kept=["Rang to say stop, <b>please</b>"],
            before=before,
            at_field=False,
        )
        case.refresh_from_db()
        assert case.status == Status.ACKNOWLEDGED

    def test_a_stale_edit_of_the_details_is_refused_and_keeps_what_was_typed(self, client, case, first, second):
        seconds_form = _opened(client, second, case, "edit")
        firsts_form = _opened(client, first, case, "edit")
        client.post(case_url(case, "edit"), firsts_form | {"summary": "Lost hearing aids on Ward 3"})

        client.force_login(second)
        before = rows()
        response = client.post(
            case_url(case, "edit"), seconds_form | {"summary": "Lost glasses", "account": "Left in the day room"}
        )

        assert_refused(
            response,
            says=STALE,
            kept=["Lost glasses", "Left in the day room"],
            before=before,
            at_field=False,
        )
        case.refresh_from_db()
        assert (case.summary, case.account, case.version) == ("Lost hearing aids on Ward 3", "", 2)

    def test_after_a_refusal_saving_again_on_purpose_goes_through(self, client, case, first, second):
        seconds_form = _opened(client, second, case, "edit")
        firsts_form = _opened(client, first, case, "edit")
        client.post(case_url(case, "edit"), firsts_form | {"summary": "Lost hearing aids on Ward 3"})
        client.force_login(second)
        refused = client.post(case_url(case, "edit"), seconds_form | {"summary": "Lost glasses"})

        again = {name: values[0] for name, values in form_defaults(refused, "").items()}
        assert again["version"] == "2"
        assert again["summary"] == "Lost glasses"
        response = client.post(case_url(case, "edit"), again)

        assert response.status_code == 302
        case.refresh_from_db()
        assert case.summary == "Lost glasses"

    def test_a_move_from_a_page_read_before_an_edit_of_the_details_is_refused(self, client, case, first, second):
        seconds_form = _opened(client, second, case, "move")
        client.force_login(first)
        client.post(
            case_url(case, "edit"),
            {"version": 1, "summary": "New", "channel": "phone", "division": case.division_id}
            | on("received_on", case.received_on),
        )
        client.force_login(second)
        response = client.post(
            case_url(case, "move"), seconds_form | {"move": "acknowledge", "acknowledgement_method": "letter"}
        )
        assert_refused(response, says=STALE, at_field=False)
        assert Case.objects.get().status == Status.RECEIVED

    def test_an_edit_landing_between_the_check_and_the_save_is_refused_by_the_service(
        self, client, case, first, second, monkeypatch
    ):
        """The form checks the version on the case as read; the service checks it again under a row lock."""
        as_read = Case.objects.get(pk=case.pk)
        client.force_login(first)
        client.post(case_url(case, "move"), {"version": 1, "move": "acknowledge", "acknowledgement_method": "letter"})
        monkeypatch.setattr(selectors, "visible_case", lambda user, reference: as_read)

        client.force_login(second)
        before = rows()
        response = client.post(case_url(case, "move"), {"version": 1, "move": "withdraw", "reason": "Stop"})

        assert_refused(response, says=STALE, kept=["Stop"], before=before, at_field=False)
        assert Case.objects.get().status == Status.ACKNOWLEDGED

    def test_someone_from_another_division_gets_404_not_who_changed_the_case(self, client, case, first):
        firsts_form = _opened(client, first, case, "move")
        client.post(case_url(case, "move"), firsts_form | {"move": "acknowledge", "acknowledgement_method": "letter"})
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        for name in ("move", "assign", "edit"):
            response = client.post(case_url(case, name), {"version": 1, "move": "acknowledge", "summary": "x"})
            assert response.status_code == 404, name
            assert "Florence Nightingale" not in response.content.decode()

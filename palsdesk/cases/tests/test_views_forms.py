"""Bad input to every case form: the NHS.UK error summary names the field, what was typed is kept, nothing is saved."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from palsdesk.accounts.tests.factories import divisional_manager, officer, volunteer
from palsdesk.cases.models import Case, Kind, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import (
    NOW,
    SCRIPT,
    TEN_THOUSAND,
    TODAY,
    assert_refused,
    case_url,
    date_parts,
    on,
    problems,
    rows,
)
from palsdesk.organisation.tests.factories import DivisionFactory, ServiceFactory
from palsdesk.people.tests.factories import valid_nhs_number

pytestmark = pytest.mark.django_db

TWENTY_THOUSAND = "B" * 20_000
TOMORROW = datetime.date(2026, 11, 22)
# Fields whose value is chosen from a list: a value not on the list cannot be shown again as typed.
CHOSEN = {"kind", "channel", "raised_by", "relationship_to_patient", "division", "site", "service", "version"}
CHOSEN |= {"move", "case_officer", "investigating_manager", "direction"}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(division, caseworker):
    return make_case(
        kind=Kind.COMPLAINT,
        division=division,
        actor=caseworker,
        case_officer=caseworker,
        received_on=datetime.date(2026, 11, 2),
    )


def typed(change: dict) -> list[str]:
    return [value for name, value in change.items() if name not in CHOSEN and isinstance(value, str) and value]


def too_long(field: str, name: str, limit: int):
    return pytest.param({field: TEN_THOUSAND}, f"{name} must be {limit:,} characters or fewer", id=f"{field}-too-long")


def refuse(client, url, data, says, *, change):
    before = rows()
    response = client.post(url, data)
    assert_refused(response, says=says, kept=typed(change), before=before)
    return response


class TestLogCaseForm:
    @pytest.fixture
    def form(self, division):
        """What was typed apart from the mistake under test; the summary has HTML in it, to see it kept as text."""
        return {
            "kind": Kind.PALS_CONCERN,
            "channel": "phone",
            **on("received_on", TODAY),
            "raised_by": "representative",
            "relationship_to_patient": "spouse",
            "first_name": "Mary",
            "last_name": "Seacole",
            "summary": SCRIPT,
            "division": str(division.pk),
        }

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"kind": ""}, "Choose what kind of case it is.", id="no-kind"),
            pytest.param({"kind": "grumble"}, "Choose a kind of case from the list.", id="unknown-kind"),
            pytest.param({"channel": ""}, "Choose how it reached us.", id="no-channel"),
            pytest.param({"channel": "pigeon"}, "Choose how it reached us from the list.", id="unknown-channel"),
            pytest.param({"raised_by": ""}, "Say who is raising it.", id="no-raised-by"),
            pytest.param({"division": ""}, "Choose the division.", id="no-division"),
            pytest.param({"division": "abc"}, "Choose a division from the list.", id="division-not-a-number"),
            pytest.param({"division": "999999"}, "Choose a division from the list.", id="division-unknown"),
            pytest.param({"summary": "   "}, "Enter a summary of what it is about.", id="no-summary"),
            pytest.param(
                {"kind": Kind.COMPLAINT, "first_name": "", "last_name": ""},
                "Enter the last name of the person raising it",
                id="complaint-without-a-name",
            ),
            pytest.param(
                {"relationship_to_patient": ""}, "Choose how the person raising it is related", id="no-relationship"
            ),
            pytest.param({"email": "mary at example"}, "Enter an email address in the correct format", id="email"),
            pytest.param(date_parts("received_on", "", "", ""), "Enter the received date.", id="no-date"),
            pytest.param(
                date_parts("received_on", "tw", "11", "2026"), "The received date must be written in numbers", id="ab"
            ),
            pytest.param(
                date_parts("received_on", "31", "2", "2026"), "The received date must be a real date.", id="31-2"
            ),
            pytest.param(
                date_parts("received_on", "3", "11", "26"), "The year of the received date must have 4 digits", id="yy"
            ),
            pytest.param(date_parts("received_on", "3", "", "2026"), "The received date must include a month", id="m"),
            pytest.param(on("received_on", TOMORROW), "The received date must be today or in the past.", id="future"),
            pytest.param(
                on("received_on", datetime.date(2009, 12, 31)), "The received date must be on or after", id="too-old"
            ),
            pytest.param(
                {"patient_last_name": "Seacole", "patient_nhs_number": "485 777 3456"},
                "That is not a valid NHS number",
                id="nhs-check-digit",
            ),
            pytest.param(
                {"patient_last_name": "Seacole", "patient_nhs_number": "12345"},
                "NHS number must be 10 digits",
                id="nhs-short",
            ),
            pytest.param(
                {"patient_last_name": "Seacole", "patient_nhs_number": "ABC DEF GHIJ"},
                "NHS number must contain only digits",
                id="nhs-letters",
            ),
            pytest.param(
                {"raised_by": "patient", "relationship_to_patient": "", "patient_last_name": "Other"},
                "leave the patient's name empty",
                id="patient-twice",
            ),
            too_long("first_name", "First name", 100),
            too_long("last_name", "Last name", 100),
            too_long("phone", "Phone number", 40),
            too_long("email", "Email address", 254),
            too_long("patient_first_name", "Patient's first name", 100),
            too_long("patient_last_name", "Patient's last name", 100),
            too_long("patient_nhs_number", "Patient's NHS number", 20),
            too_long("summary", "Summary", 300),
            too_long("outcome_wanted", "What they would like to happen", 5_000),
            pytest.param({"account": TWENTY_THOUSAND + "!"}, "What happened must be 20,000 characters", id="account"),
        ],
    )
    def test_the_log_form_refuses_bad_input_and_keeps_what_was_typed(self, client, caseworker, form, change, says):
        client.force_login(caseworker)
        response = refuse(client, reverse("cases:log"), form | change, says, change=change)
        if "summary" not in change:
            assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in response.content.decode()
        assert "Error: Log a case" in response.content.decode()

    def test_the_error_summary_links_to_each_field(self, client, caseworker, form):
        client.force_login(caseworker)
        response = client.post(reverse("cases:log"), form | {"kind": "", "summary": "", **on("received_on", TOMORROW)})
        html = response.content.decode()
        assert '<a href="#id_kind_0">Choose what kind of case it is.</a>' in html
        assert '<a href="#id_summary">Enter a summary of what it is about.</a>' in html
        assert 'id="id_received_on_0"' in html

    @pytest.mark.parametrize("account", [TEN_THOUSAND, TWENTY_THOUSAND])
    def test_the_account_of_what_happened_takes_up_to_20000_characters(self, client, caseworker, form, account):
        client.force_login(caseworker)
        response = client.post(reverse("cases:log"), form | {"account": account, "outcome_wanted": "C" * 5_000})
        assert response.status_code == 302, problems(response)
        assert len(Case.objects.get().account) == len(account)

    def test_html_typed_into_the_log_form_is_saved_as_typed_and_shown_as_text(self, client, caseworker, form):
        client.force_login(caseworker)
        response = client.post(reverse("cases:log"), form | {"account": "<i>Nurse</i> said <script>x()</script>"})
        case = Case.objects.get()
        assert case.summary == SCRIPT
        html = client.get(response.url).content.decode()
        assert "&lt;i&gt;Nurse&lt;/i&gt; said &lt;script&gt;x()&lt;/script&gt;" in html
        assert "<script>x()" not in html

    def test_a_service_from_another_division_is_refused(self, client, caseworker, form):
        client.force_login(caseworker)
        service = ServiceFactory()
        refuse(client, reverse("cases:log"), form | {"service": service.pk}, "is run by", change={})

    def test_the_patients_nhs_number_is_stored_as_ten_digits(self, client, caseworker, form):
        client.force_login(caseworker)
        number = valid_nhs_number(3)
        client.post(
            reverse("cases:log"),
            form | {"patient_last_name": "Seacole", "patient_nhs_number": f"{number[:3]}-{number[3:6]}-{number[6:]}"},
        )
        assert Case.objects.get().parties.get(role="patient").person.nhs_number == number


class TestNoteForm:
    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"body": ""}, "Enter the note.", id="empty"),
            pytest.param({"body": " \n "}, "Enter the note.", id="blank"),
            pytest.param({"body": "Rang\x00 twice"}, "Note cannot contain a null character.", id="null"),
            pytest.param({"body": SCRIPT + TWENTY_THOUSAND}, "Note must be 20,000 characters or fewer", id="long"),
        ],
    )
    def test_a_bad_note_is_refused_and_kept(self, client, case, caseworker, change, says):
        client.force_login(caseworker)
        refuse(client, case_url(case, "add_note"), change, says, change=change)

    def test_a_note_of_10000_characters_is_saved(self, client, case, caseworker):
        client.force_login(caseworker)
        assert client.post(case_url(case, "add_note"), {"body": TEN_THOUSAND}).status_code == 302
        assert case.timeline.filter(kind=TimelineEntry.EntryKind.NOTE).get().body == TEN_THOUSAND

    def test_a_divisional_manager_elsewhere_cannot_add_a_note(self, client, case):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        assert client.post(case_url(case, "add_note"), {"body": "x"}).status_code == 404


class TestCallOrEmailForm:
    @pytest.fixture
    def form(self):
        return {"channel": "call", "direction": "in", "contact": SCRIPT, "body": "Rang about parking"}

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"body": ""}, "Enter what was said.", id="no-body"),
            pytest.param({"channel": ""}, "Choose phone call or email.", id="no-channel"),
            pytest.param({"channel": "fax"}, "Choose phone call or email.", id="fax"),
            pytest.param({"direction": "sideways"}, "Choose inbound or outbound.", id="direction"),
            pytest.param({"direction": ""}, "Say whether it was inbound or outbound.", id="no-direction"),
            too_long("contact", "With whom", 200),
            pytest.param({"body": TWENTY_THOUSAND + "!"}, "What was said must be 20,000 characters", id="long-body"),
        ],
    )
    def test_a_bad_call_or_email_is_refused_and_kept(self, client, case, caseworker, form, change, says):
        client.force_login(caseworker)
        response = refuse(client, case_url(case, "log_contact"), form | change, says, change=change)
        if "contact" not in change:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
        assert '<details class="nhsuk-details" open>' in response.content.decode()

    def test_a_call_of_10000_characters_is_saved(self, client, case, caseworker, form):
        client.force_login(caseworker)
        assert client.post(case_url(case, "log_contact"), form | {"body": TEN_THOUSAND}).status_code == 302


class TestMoveForm:
    def test_a_reason_with_html_is_kept_as_text_when_the_move_is_refused(self, client, case, caseworker):
        client.force_login(caseworker)
        change = {"reason": SCRIPT, **on("on", TOMORROW)}
        refuse(
            client,
            case_url(case, "move"),
            {"version": 1, "move": "withdraw"} | change,
            "The date must be today or in the past.",
            change=change,
        )

    def test_a_reason_of_10000_characters_is_refused_naming_the_limit(self, client, case, caseworker):
        client.force_login(caseworker)
        change = {"reason": TEN_THOUSAND}
        refuse(
            client,
            case_url(case, "move"),
            {"version": 1, "move": "withdraw"} | change,
            "Reason must be 2,000 characters or fewer",
            change=change,
        )


class TestAssignmentForm:
    @pytest.fixture
    def form(self, case):
        return {"version": case.version, "case_officer": case.case_officer_id, "reason": SCRIPT}

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"case_officer": "abc"}, "Choose a case officer from the list.", id="officer-not-a-number"),
            pytest.param({"investigating_manager": "999999"}, "Choose an investigating manager", id="unknown"),
            too_long("reason", "Reason for the change", 2_000),
        ],
    )
    def test_a_bad_assignment_is_refused_and_kept(self, client, case, caseworker, form, change, says):
        client.force_login(caseworker)
        response = refuse(client, case_url(case, "assign"), form | change, says, change=change)
        if "reason" not in change:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()

    def test_someone_whose_role_cannot_be_a_case_officer_is_refused(self, client, case, caseworker, form):
        client.force_login(caseworker)
        change = {"case_officer": volunteer().pk}
        refuse(client, case_url(case, "assign"), form | change, "Choose a case officer from the list.", change={})

    def test_replacing_the_case_officer_needs_a_reason(self, client, case, caseworker, form):
        client.force_login(caseworker)
        change = {"case_officer": officer().pk, "reason": ""}
        refuse(client, case_url(case, "assign"), form | change, "Give a reason for the reassignment", change={})

    def test_a_divisional_manager_cannot_assign(self, client, case, division):
        client.force_login(divisional_manager(divisions=[division]))
        assert client.post(case_url(case, "assign"), {"version": 1, "case_officer": ""}).status_code == 403


class TestLinkForm:
    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"other": "", "reason": SCRIPT}, "Enter the reference of the related case.", id="none"),
            pytest.param({"other": "PAL-2026-04242", "reason": SCRIPT}, "There is no case PAL-2026-04242", id="none"),
            pytest.param({"other": "<b>x</b>", "reason": SCRIPT}, "There is no case <B>X</B>", id="html"),
            too_long("other", "Reference of the related case", 20),
            pytest.param({"other": "PAL-1", "reason": TEN_THOUSAND}, "How they are related must be 300", id="long"),
        ],
    )
    def test_a_bad_link_is_refused_and_kept(self, client, case, caseworker, change, says):
        client.force_login(caseworker)
        response = refuse(client, case_url(case, "link"), change, says, change=change)
        assert "<B>X</B>" not in response.content.decode()

    def test_cases_already_linked_are_not_linked_twice(self, client, case, caseworker):
        other = make_case(division=case.division)
        client.force_login(caseworker)
        client.post(case_url(case, "link"), {"other": other.reference})
        refuse(client, case_url(other, "link"), {"other": case.reference}, "are already linked", change={})

    def test_a_link_shows_on_both_cases(self, client, case, caseworker):
        other = make_case(division=case.division)
        client.force_login(caseworker)
        response = client.post(case_url(case, "link"), {"other": other.reference.lower(), "reason": "Same ward"})
        assert response.status_code == 302
        assert f"{other.reference}</a>: Same ward" in client.get(case_url(case)).content.decode()
        assert f"{case.reference}</a>: Same ward" in client.get(case_url(other)).content.decode()


class TestEditDetailsForm:
    @pytest.fixture
    def form(self, case):
        return {
            "version": case.version,
            "channel": "letter",
            **on("received_on", case.received_on),
            "summary": SCRIPT,
            "account": "",
            "outcome_wanted": "",
            "division": case.division_id,
        }

    @pytest.mark.parametrize(
        ("change", "says"),
        [
            pytest.param({"summary": ""}, "Enter a summary of what it is about.", id="no-summary"),
            pytest.param({"channel": ""}, "Choose how it reached us.", id="no-channel"),
            pytest.param({"channel": "pigeon"}, "Choose how it reached us from the list.", id="unknown-channel"),
            pytest.param({"division": ""}, "Choose the division.", id="no-division"),
            pytest.param({"site": "x"}, "Choose a site from the list.", id="site"),
            pytest.param(date_parts("received_on", "", "", ""), "Enter the received date.", id="no-date"),
            pytest.param(date_parts("received_on", "2", "Nov", "2026"), "must be written in numbers", id="letters"),
            pytest.param(date_parts("received_on", "31", "2", "2026"), "The received date must be a real date", id="3"),
            pytest.param(date_parts("received_on", "2", "11", "26"), "must have 4 digits", id="two-digit-year"),
            pytest.param(on("received_on", TOMORROW), "The received date must be today or in the past.", id="fut"),
            pytest.param(on("event_on", TOMORROW), "The date of the event must be today or in the past.", id="ev"),
            pytest.param(
                on("event_on", datetime.date(2026, 11, 10)),
                "The date of the event must be on or before the received date.",
                id="event-after-received",
            ),
            pytest.param(
                on("event_on", datetime.date(2026, 10, 10)) | on("became_aware_on", datetime.date(2026, 10, 1)),
                "The date they became aware must be on or after the date of the event.",
                id="aware-before-event",
            ),
            pytest.param({"version": ""}, "Reload the case", id="no-version"),
            too_long("summary", "Summary", 300),
            too_long("outcome_wanted", "What they would like to happen", 5_000),
            pytest.param({"account": TWENTY_THOUSAND + "!"}, "What happened must be 20,000 characters", id="account"),
        ],
    )
    def test_bad_details_are_refused_and_kept(self, client, case, caseworker, form, change, says):
        client.force_login(caseworker)
        before = rows()
        response = client.post(case_url(case, "edit"), form | change)
        assert_refused(response, says=says, kept=typed(change), before=before, at_field="version" not in change)
        if "summary" not in change:
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
        case.refresh_from_db()
        assert (case.version, case.channel) == (1, "phone")

    def test_the_account_takes_20000_characters_and_the_summary_is_shown_as_text(self, client, case, caseworker, form):
        client.force_login(caseworker)
        response = client.post(case_url(case, "edit"), form | {"account": TWENTY_THOUSAND})
        assert response.status_code == 302, problems(response)
        case.refresh_from_db()
        assert (case.summary, len(case.account), case.version) == (SCRIPT, 20_000, 2)
        html = client.get(case_url(case)).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert(1)" not in html
        assert "Changed: " in html

    def test_a_service_from_another_division_is_refused(self, client, case, caseworker, form):
        client.force_login(caseworker)
        refuse(client, case_url(case, "edit"), form | {"service": ServiceFactory().pk}, "is run by", change={})

    def test_the_form_opens_with_the_case_as_it_is(self, client, case, caseworker):
        client.force_login(caseworker)
        html = client.get(case_url(case, "edit")).content.decode()
        assert 'name="received_on_0" type="text" inputmode="numeric" value="2"' in html
        assert f'value="{case.summary}"' in html
        assert 'name="version" value="1"' in html

"""The clocks on the case page: each state and how its date was worked out, and every action that changes them."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from palsdesk.accounts.tests.factories import auditor, coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import AcknowledgementMethod, Kind, ResponseDueBasis, Status, TimelineEntry
from palsdesk.cases.tests.factories import make_case
from palsdesk.cases.tests.pages import (
    NOW,
    SCRIPT,
    TODAY,
    assert_refused,
    case_url,
    clock_rows,
    date_parts,
    due_cells,
    on,
    problems,
    rows,
    text_of,
)
from palsdesk.deadlines import services
from palsdesk.deadlines.models import ClockHold, HoldReason, ResponseDateChange, TimeLimitDecision
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
# A Monday: acknowledgement due Thursday 5 November, response (25 working days) Monday 7 December,
# long-stop Saturday 1 May 2027.
RECEIVED_ON = D(2026, 11, 2)
TOMORROW = D(2026, 11, 22)
STALE = "changed this case at 10:30 on 21 November 2026, after you opened it."


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def complaint(division, caseworker):
    return make_case(
        kind=Kind.COMPLAINT, division=division, actor=caseworker, case_officer=caseworker, received_on=RECEIVED_ON
    )


@pytest.fixture
def lead(division):
    """A complaints co-ordinator: the role that decides on complaints made after the time limit."""
    return coordinator(divisions=[division])


@pytest.fixture
def awaiting_consent():
    return HoldReason.objects.get(code="awaiting-consent")


def clocks_on_page(client, case) -> dict[str, str]:
    return clock_rows(client.get(case_url(case)))


def posted(client, case, name: str, data: dict):
    """Post one of the case page's clock forms, carrying the version the page was read at."""
    case.refresh_from_db()
    return client.post(case_url(case, name), {"version": case.version, **data})


def last_entry(case) -> TimelineEntry:
    return case.timeline.order_by("-occurred_at", "-id").first()


def assert_saved(response, case, *, action: str, actor, says: str) -> None:
    """The change redirected to the clocks, left its web audit event, and says so on the timeline."""
    assert response.status_code == 302, problems(response)
    assert response.url == case_url(case) + "#clocks"
    event = AuditEvent.objects.filter(action=action, case=case).latest("id")
    assert (event.actor, event.channel) == (actor, "web")
    assert says in last_entry(case).body


class TestTheClocksShowStateAndExplanation:
    def test_a_new_complaint_shows_each_clock_with_its_date_state_and_how_the_date_was_worked_out(
        self, client, complaint, caseworker
    ):
        client.force_login(caseworker)
        clocks = clocks_on_page(client, complaint)

        assert list(clocks) == ["acknowledgement", "response", "long_stop"]
        assert "Thu 5 Nov 2026 Overdue" in clocks["acknowledgement"]
        assert (
            "3 working days after the day of receipt, Monday 2 November 2026 (regulation 13)."
            in clocks["acknowledgement"]
        )
        assert "Mon 7 Dec 2026 On track" in clocks["response"]
        assert (
            "25 working days from receipt on Monday 2 November 2026: the trust's target for a complaint."
            in clocks["response"]
        )
        assert "Sat 1 May 2027 On track" in clocks["long_stop"]
        assert (
            "The 6 months beginning with the day of receipt, Monday 2 November 2026 (regulation 14)."
            in clocks["long_stop"]
        )

    def test_each_state_is_a_coloured_nhs_tag(self, client, complaint, caseworker):
        client.force_login(caseworker)
        html = client.get(case_url(complaint)).content.decode()
        assert '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>' in html
        assert '<strong class="nhsuk-tag nhsuk-tag--green">On track</strong>' in html

    def test_an_acknowledgement_due_within_three_working_days_is_due_soon(self, client, division, caseworker):
        received_friday = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 11, 20))
        client.force_login(caseworker)
        assert "Wed 25 Nov 2026 Due soon" in clocks_on_page(client, received_friday)["acknowledgement"]
        assert '<strong class="nhsuk-tag nhsuk-tag--yellow">Due soon</strong>' in (
            client.get(case_url(received_friday)).content.decode()
        )

    def test_a_deadline_falling_today_is_due_today(self, client, division, caseworker):
        # The 6 months beginning with Friday 22 May end on Saturday 21 November: a long-stop can fall on any day.
        case = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 5, 22))
        client.force_login(caseworker)
        html = client.get(case_url(case)).content.decode()
        assert "Sat 21 Nov 2026 Due today" in clock_rows(client.get(case_url(case)))["long_stop"]
        assert '<strong class="nhsuk-tag nhsuk-tag--orange">Due today</strong>' in html

    @pytest.mark.parametrize(
        ("acknowledged_on", "state"), [(D(2026, 11, 4), "Met"), (D(2026, 11, 5), "Met"), (D(2026, 11, 9), "Met late")]
    )
    def test_an_acknowledgement_sent_is_met_or_met_late_with_the_day_and_how_it_was_sent(
        self, client, complaint, caseworker, acknowledged_on, state
    ):
        case_services.move_case(
            complaint,
            to=Status.ACKNOWLEDGED,
            on=acknowledged_on,
            acknowledgement_method=AcknowledgementMethod.EMAIL,
            actor=caseworker,
        )
        client.force_login(caseworker)
        row = clocks_on_page(client, complaint)["acknowledgement"]
        assert f"Thu 5 Nov 2026 Met {acknowledged_on:%-d %b %Y}: email {state}" in row

    def test_a_held_response_clock_is_on_hold_and_says_the_date_moves_when_the_hold_ends(
        self, client, complaint, caseworker, awaiting_consent
    ):
        services.put_on_hold(complaint, reason=awaiting_consent, started_on=D(2026, 11, 16), actor=caseworker)
        client.force_login(caseworker)
        row = clocks_on_page(client, complaint)["response"]
        assert "On hold" in row
        assert "On hold since Monday 16 November 2026: the date moves on when the hold ends." in row
        html = client.get(case_url(complaint)).content.decode()
        assert '<strong class="nhsuk-tag nhsuk-tag--blue">On hold</strong>' in html
        assert "Awaiting the patient&#x27;s consent</strong>: from 16 Nov 2026, still on hold." in html

    def test_an_agreed_date_is_explained_by_who_agreed_it_and_listed_in_the_history(
        self, client, complaint, caseworker
    ):
        services.agree_response_date(
            complaint,
            due_on=D(2026, 12, 18),
            agreed_with="Mrs Okafor, by phone",
            agreed_on=D(2026, 11, 4),
            actor=caseworker,
        )
        client.force_login(caseworker)
        response = client.get(case_url(complaint))
        row = clock_rows(response)["response"]
        assert "Fri 18 Dec 2026" in row
        assert "Agreed with Mrs Okafor, by phone on Wednesday 4 November 2026." in row
        assert "Response date history" in response.content.decode()
        assert "Agreed from 7 Dec 2026 to 18 Dec 2026, with Mrs Okafor, by phone on 4 Nov 2026." in text_of(
            response.content.decode()
        )

    def test_a_pals_concern_has_only_its_response_clock(self, client, division, caseworker):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, received_on=D(2026, 11, 16))
        client.force_login(caseworker)
        clocks = clocks_on_page(client, concern)
        assert list(clocks) == ["response"]
        assert "Mon 23 Nov 2026 Due soon" in clocks["response"]


class TestRecordingTheAcknowledgement:
    def test_the_acknowledgement_is_recorded_with_how_and_when_it_was_sent(self, client, complaint, caseworker):
        client.force_login(caseworker)
        response = posted(
            client,
            complaint,
            "move",
            {"move": "acknowledge", "acknowledgement_method": "phone", **on("on", D(2026, 11, 4))},
        )
        assert response.status_code == 302, problems(response)
        complaint.refresh_from_db()
        assert (complaint.acknowledged_on, complaint.acknowledgement_method) == (D(2026, 11, 4), "phone")
        event = AuditEvent.objects.get(action="case.acknowledge", case=complaint)
        assert event.changes["acknowledgement_method"] == ["", "phone"]
        assert "Record the acknowledgement: Received → Acknowledged." in last_entry(complaint).body
        row = clocks_on_page(client, complaint)["acknowledgement"]
        assert "Met 4 Nov 2026: phone call (confirmed in writing) Met" in row

    def test_the_method_is_offered_under_the_acknowledgement_and_revealed_when_it_is_chosen(
        self, client, complaint, caseworker
    ):
        client.force_login(caseworker)
        html = client.get(case_url(complaint)).content.decode()
        assert 'data-aria-controls="conditional-move_move_0"' in html
        assert 'id="conditional-move_move_0"' in html
        assert 'name="acknowledgement_method" type="radio" value="in_person"' in html

    def test_an_acknowledgement_without_its_method_is_refused_and_keeps_the_date(self, client, complaint, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = posted(client, complaint, "move", {"move": "acknowledge", **date_parts("on", "4", "11", "2026")})
        assert_refused(
            response, says="Choose how the acknowledgement was sent: letter, email, phone or in person.", before=before
        )
        html = response.content.decode()
        assert '<a href="#move_acknowledgement_method_0">' in html
        assert 'name="on_0" type="text" inputmode="numeric" value="4"' in html

    def test_a_method_is_not_recorded_for_another_move(self, client, division, caseworker):
        concern = make_case(kind=Kind.PALS_CONCERN, division=division, actor=caseworker)
        client.force_login(caseworker)
        html = client.get(case_url(concern)).content.decode()
        assert "acknowledgement_method" not in html
        response = posted(client, concern, "move", {"move": "resolve", "acknowledgement_method": "letter"})
        assert response.status_code == 302
        concern.refresh_from_db()
        assert (concern.status, concern.acknowledgement_method) == (Status.RESOLVED, "")


class TestAgreeingTheResponseDate:
    def test_the_date_agreed_at_the_offer_to_discuss_becomes_the_response_date(self, client, complaint, caseworker):
        client.force_login(caseworker)
        response = posted(
            client,
            complaint,
            "agree_response_date",
            {**on("due_on", D(2026, 12, 18)), "agreed_with": "Mrs Okafor, by phone", **on("agreed_on", D(2026, 11, 4))},
        )
        assert_saved(
            response,
            complaint,
            action="case.response_date_agreed",
            actor=caseworker,
            says="Response date agreed to 18 December 2026 with Mrs Okafor, by phone on 4 November 2026",
        )
        complaint.refresh_from_db()
        assert (complaint.response_due_on, complaint.response_due_basis) == (D(2026, 12, 18), ResponseDueBasis.AGREED)
        assert "Response date agreed: 18 December 2026." in client.get(response.url).content.decode()

    def test_once_agreed_the_page_offers_an_extension_instead(self, client, complaint, caseworker):
        client.force_login(caseworker)
        assert "Agree the response date" in client.get(case_url(complaint)).content.decode()
        services.agree_response_date(
            complaint, due_on=D(2026, 12, 18), agreed_with="Mrs Okafor", agreed_on=TODAY, actor=caseworker
        )
        html = client.get(case_url(complaint)).content.decode()
        assert "Agree the response date" not in html
        assert "Record an extension" in html

    def test_missing_and_impossible_answers_are_refused_together_naming_each_field(self, client, complaint, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = posted(
            client,
            complaint,
            "agree_response_date",
            {**on("due_on", D(2026, 11, 3)), "agreed_with": "", **on("agreed_on", D(2026, 11, 4)), "reason": SCRIPT},
        )
        assert_refused(response, says="Enter who agreed it, and how.", kept=[SCRIPT], before=before)
        assert "The response date must be on or after the day it was agreed." in problems(response)
        html = response.content.decode()
        assert '<a href="#agree_agreed_with">Enter who agreed it, and how.</a>' in html
        assert '<a href="#agree_due_on_0">The response date must be on or after the day it was agreed.</a>' in html
        assert '<details class="nhsuk-details" open>' in html

    def test_a_date_agreed_after_the_one_it_replaces_must_be_marked_late_with_a_reason(
        self, client, division, caseworker
    ):
        # Received 1 September: the target response date, 6 October, has passed.
        late = make_case(kind=Kind.COMPLAINT, division=division, received_on=D(2026, 9, 1))
        client.force_login(caseworker)
        agreement = {
            **on("due_on", D(2026, 12, 11)),
            "agreed_with": "Mr Adeyemi, by email",
            **on("agreed_on", D(2026, 11, 19)),
        }
        before = rows()
        response = posted(client, late, "agree_response_date", agreement)
        assert_refused(
            response, says="Mark it as agreed late and give the reason.", kept=["Mr Adeyemi, by email"], before=before
        )

        response = posted(
            client,
            late,
            "agree_response_date",
            agreement | {"is_late": "on", "late_reason": "The investigating manager was off sick"},
        )
        assert_saved(
            response,
            late,
            action="case.response_date_agreed",
            actor=caseworker,
            says="Agreed late: The investigating manager was off sick",
        )
        assert ResponseDateChange.objects.get(case=late).is_late
        page = text_of(client.get(case_url(late)).content.decode())
        assert "(agreed late: The investigating manager was off sick)" in page


class TestExtensions:
    @pytest.fixture
    def agreed(self, complaint, caseworker):
        return services.agree_response_date(
            complaint, due_on=D(2026, 12, 18), agreed_with="Mrs Okafor", agreed_on=D(2026, 11, 4), actor=caseworker
        )

    def test_an_extension_moves_the_response_date_and_is_kept_in_the_history(self, client, agreed, caseworker):
        client.force_login(caseworker)
        response = posted(
            client,
            agreed,
            "agree_extension",
            {
                **on("due_on", D(2027, 1, 8)),
                "reason": "Waiting for the ward manager's statement",
                "agreed_with": "Mrs Okafor, by email",
                **on("agreed_on", D(2026, 11, 19)),
            },
        )
        assert_saved(
            response,
            agreed,
            action="case.response_date_extended",
            actor=caseworker,
            says="Response date extended to 8 January 2027",
        )
        agreed.refresh_from_db()
        assert (agreed.response_due_on, agreed.response_due_basis) == (D(2027, 1, 8), ResponseDueBasis.EXTENDED)
        page = client.get(case_url(agreed))
        assert (
            "An extension agreed with Mrs Okafor, by email on Thursday 19 November 2026."
            in (clock_rows(page)["response"])
        )
        history = text_of(page.content.decode())
        assert "Agreed from 7 Dec 2026 to 18 Dec 2026" in history
        assert "Extended from 18 Dec 2026 to 8 Jan 2027" in history
        assert "Waiting for the ward manager's statement" in history

    def test_an_extension_to_an_earlier_date_without_a_reason_is_refused_and_keeps_what_was_typed(
        self, client, agreed, caseworker
    ):
        client.force_login(caseworker)
        before = rows()
        response = posted(
            client,
            agreed,
            "agree_extension",
            {
                **date_parts("due_on", "10", "12", "2026"),
                "reason": "",
                "agreed_with": "Mrs Okafor, <b>by phone</b>",
                **on("agreed_on", TODAY),
            },
        )
        assert_refused(
            response,
            says="An extension must move the response date later than 18 December 2026.",
            kept=["Mrs Okafor, <b>by phone</b>"],
            before=before,
        )
        assert "Enter the reason for the extension." in problems(response)
        assert 'name="due_on_0" type="text" inputmode="numeric" value="10"' in response.content.decode()

    def test_a_date_typed_wrongly_is_refused_by_the_form(self, client, agreed, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = posted(
            client,
            agreed,
            "agree_extension",
            {**date_parts("due_on", "31", "2", "2027"), "reason": "Statement", "agreed_with": "Mrs Okafor"},
        )
        assert_refused(response, says="The new response date must be a real date.", before=before)


class TestHolds:
    def test_putting_the_response_clock_on_hold_stops_it_and_lists_the_hold(
        self, client, complaint, caseworker, awaiting_consent
    ):
        client.force_login(caseworker)
        response = posted(
            client,
            complaint,
            "put_on_hold",
            {"reason": awaiting_consent.pk, **on("started_on", D(2026, 11, 16)), "note": "Form sent to the patient"},
        )
        assert_saved(
            response,
            complaint,
            action="case.put_on_hold",
            actor=caseworker,
            says="Response clock on hold from 16 November 2026: Awaiting the patient's consent.",
        )
        complaint.refresh_from_db()
        assert complaint.on_hold_since == D(2026, 11, 16)
        html = client.get(case_url(complaint)).content.decode()
        assert "Form sent to the patient" in html
        assert "Take the response clock off hold" in html
        assert "Put the response clock on hold" not in html

    def test_a_hold_without_a_reason_or_dated_tomorrow_is_refused_and_keeps_the_note(
        self, client, complaint, caseworker
    ):
        client.force_login(caseworker)
        before = rows()
        response = posted(
            client, complaint, "put_on_hold", {"reason": "", **on("started_on", TOMORROW), "note": SCRIPT}
        )
        assert_refused(response, says="Choose why the clock is held.", kept=[SCRIPT], before=before)
        assert "The date the hold started must be today or in the past." in problems(response)
        assert not ClockHold.objects.exists()

    def test_a_reason_the_trust_no_longer_allows_is_refused(self, client, complaint, caseworker, awaiting_consent):
        awaiting_consent.disabled_on = D(2026, 11, 1)
        awaiting_consent.save()
        client.force_login(caseworker)
        response = posted(client, complaint, "put_on_hold", {"reason": awaiting_consent.pk, **on("started_on", TODAY)})
        assert_refused(response, says="Choose why the clock is held from the list.")

    def test_ending_a_hold_moves_the_target_date_on_by_the_working_days_held(
        self, client, complaint, caseworker, awaiting_consent
    ):
        services.put_on_hold(complaint, reason=awaiting_consent, started_on=D(2026, 11, 16), actor=caseworker)
        client.force_login(caseworker)
        response = posted(client, complaint, "release_hold", on("ended_on", D(2026, 11, 20)))
        assert_saved(
            response,
            complaint,
            action="case.hold_released",
            actor=caseworker,
            says="Hold ended on 20 November 2026 after 4 working days. The response is now due 11 December 2026.",
        )
        complaint.refresh_from_db()
        assert (complaint.on_hold_since, complaint.response_due_on) == (None, D(2026, 12, 11))
        assert "Hold ended. The response is now due 11 December 2026." in client.get(response.url).content.decode()
        row = clocks_on_page(client, complaint)["response"]
        assert "25 working days, plus 4 working days on hold, from receipt on Monday 2 November 2026" in row

    def test_a_hold_cannot_end_before_it_started(self, client, complaint, caseworker, awaiting_consent):
        services.put_on_hold(complaint, reason=awaiting_consent, started_on=D(2026, 11, 16), actor=caseworker)
        client.force_login(caseworker)
        before = rows()
        response = posted(client, complaint, "release_hold", on("ended_on", D(2026, 11, 13)))
        assert_refused(response, says="The hold cannot end before it started, on 16 November 2026.", before=before)
        complaint.refresh_from_db()
        assert complaint.on_hold_since == D(2026, 11, 16)


class TestTheDelayLetter:
    @pytest.fixture
    def past_the_long_stop(self, division, caseworker):
        # Received 1 May: the 6 months ended on 31 October with no response.
        return make_case(
            kind=Kind.COMPLAINT, division=division, received_on=D(2026, 5, 1), actor=caseworker, case_officer=caseworker
        )

    def test_an_owed_delay_letter_is_called_out_on_the_case_page(self, client, past_the_long_stop, caseworker):
        client.force_login(caseworker)
        html = client.get(case_url(past_the_long_stop)).content.decode()
        assert "A delay letter is owed (regulation 14)" in html
        assert "The 6-month long-stop passed on 31 October 2026 without a response." in html

    def test_recording_the_delay_letter_clears_the_callout_and_explains_the_long_stop(
        self, client, past_the_long_stop, caseworker
    ):
        client.force_login(caseworker)
        response = posted(client, past_the_long_stop, "record_delay_letter", on("sent_on", D(2026, 11, 20)))
        assert_saved(
            response,
            past_the_long_stop,
            action="case.delay_letter_sent",
            actor=caseworker,
            says="Delay letter sent on 20 November 2026 (regulation 14)",
        )
        page = client.get(case_url(past_the_long_stop))
        assert "A delay letter is owed" not in page.content.decode()
        assert (
            "Delay letter sent Friday 20 November 2026; respond as soon as practicable."
            in (clock_rows(page)["long_stop"])
        )

    def test_a_delay_letter_without_a_date_is_refused(self, client, past_the_long_stop, caseworker):
        client.force_login(caseworker)
        before = rows()
        response = posted(client, past_the_long_stop, "record_delay_letter", date_parts("sent_on", "", "", ""))
        assert_refused(response, says="Enter the date the letter was sent.", before=before)
        assert '<a href="#delay_sent_on_0">Enter the date the letter was sent.</a>' in response.content.decode()

    def test_no_callout_while_the_long_stop_is_still_to_come(self, client, complaint, caseworker):
        client.force_login(caseworker)
        assert "A delay letter is owed" not in client.get(case_url(complaint)).content.decode()


class TestTheTimeLimitDecision:
    @pytest.fixture
    def out_of_time(self, division, caseworker):
        # The event was on 1 June 2025: the last day to complain was 1 June 2026.
        return make_case(
            kind=Kind.COMPLAINT,
            division=division,
            actor=caseworker,
            case_officer=caseworker,
            received_on=RECEIVED_ON,
            event_on=D(2025, 6, 1),
        )

    def decide(self, client, case, **answers):
        return posted(
            client,
            case,
            "record_time_limit_decision",
            {
                "has_good_reasons": "yes",
                "can_investigate_fairly": "yes",
                "rationale": "In hospital for most of the year; records are kept",
                **on("decided_on", D(2026, 11, 20)),
                **answers,
            },
        )

    def test_a_complaint_made_after_the_time_limit_says_so_and_that_no_decision_is_recorded(
        self, client, out_of_time, lead
    ):
        client.force_login(lead)
        html = client.get(case_url(out_of_time)).content.decode()
        assert "Made after the 12-month time limit" in html
        assert "The last day to complain was 1 June 2026" in html
        assert "No decision is recorded yet." in html
        assert "Record the decision" in html

    def test_a_coordinator_takes_it_on_and_the_page_shows_who_decided_and_why(self, client, out_of_time, lead):
        client.force_login(lead)
        response = self.decide(client, out_of_time)
        assert_saved(
            response,
            out_of_time,
            action="case.time_limit_decided",
            actor=lead,
            says="Decided on 20 November 2026: taken on despite the time limit (regulation 12).",
        )
        decision = TimeLimitDecision.objects.get(case=out_of_time)
        assert decision.is_accepted
        page = text_of(client.get(case_url(out_of_time)).content.decode())
        assert f"Taken on despite the time limit: decided by {lead} on 20 November 2026." in page
        assert "In hospital for most of the year; records are kept" in page
        assert "Change the decision" in page

    def test_a_no_to_either_question_declines_it(self, client, out_of_time, lead):
        client.force_login(lead)
        assert self.decide(client, out_of_time, can_investigate_fairly="no").status_code == 302
        page = text_of(client.get(case_url(out_of_time)).content.decode())
        assert "Not taken on: decided by" in page
        assert "Can still be investigated effectively and fairly: no." in page

    def test_a_decision_without_answers_is_refused_naming_each_question_and_keeps_the_reasons(
        self, client, out_of_time, lead
    ):
        client.force_login(lead)
        before = rows()
        response = self.decide(client, out_of_time, has_good_reasons="", can_investigate_fairly="", rationale=SCRIPT)
        assert_refused(
            response,
            says="Say whether they had good reasons for not complaining in time.",
            kept=[SCRIPT],
            before=before,
        )
        assert "Say whether it can still be investigated effectively and fairly." in problems(response)
        assert '<a href="#time_limit_has_good_reasons_0">' in response.content.decode()

    def test_a_case_officer_is_not_offered_the_decision_and_gets_403_for_it(self, client, out_of_time, caseworker):
        client.force_login(caseworker)
        html = client.get(case_url(out_of_time)).content.decode()
        assert "Made after the 12-month time limit" in html
        assert "Record the decision" not in html
        before = rows()
        assert self.decide(client, out_of_time).status_code == 403
        assert rows() == before

    def test_a_complaint_made_in_time_has_no_time_limit_callout(self, client, complaint, lead):
        client.force_login(lead)
        assert "12-month time limit" not in client.get(case_url(complaint)).content.decode()


def _clock_actions(case, reason: HoldReason) -> list[tuple[str, dict]]:
    """Each clock form as the page would post it, with valid answers."""
    return [
        ("agree_response_date", {**on("due_on", D(2026, 12, 18)), "agreed_with": "Mrs O", **on("agreed_on", TODAY)}),
        (
            "agree_extension",
            {**on("due_on", D(2027, 1, 8)), "reason": "Statement", "agreed_with": "Mrs O", **on("agreed_on", TODAY)},
        ),
        ("put_on_hold", {"reason": reason.pk, **on("started_on", TODAY)}),
        ("release_hold", on("ended_on", TODAY)),
        ("record_delay_letter", on("sent_on", TODAY)),
        (
            "record_time_limit_decision",
            {"has_good_reasons": "yes", "can_investigate_fairly": "yes", "rationale": "R", **on("decided_on", TODAY)},
        ),
    ]


class TestWhoMayChangeTheClocks:
    @pytest.fixture
    def case(self, division, caseworker):
        return make_case(kind=Kind.COMPLAINT, division=division, actor=caseworker, received_on=RECEIVED_ON)

    def test_someone_from_another_division_gets_404_for_every_clock_action(self, client, case, awaiting_consent):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        before = rows()
        for name, data in _clock_actions(case, awaiting_consent):
            response = client.post(case_url(case, name), {"version": case.version, **data})
            assert response.status_code == 404, name
        assert rows() == before

    @pytest.mark.parametrize("role", [auditor, divisional_manager])
    def test_a_role_that_cannot_move_cases_gets_403_for_every_clock_action(
        self, client, case, division, awaiting_consent, role
    ):
        client.force_login(role(divisions=[division]))
        before = rows()
        for name, data in _clock_actions(case, awaiting_consent):
            response = client.post(case_url(case, name), {"version": case.version, **data})
            assert response.status_code == 403, name
        assert rows() == before

    def test_the_403_comes_before_the_input_is_read(self, client, case, division):
        client.force_login(auditor())
        assert client.post(case_url(case, "put_on_hold"), {"version": "nonsense"}).status_code == 403

    def test_an_auditor_is_offered_no_clock_forms(self, client, case):
        client.force_login(auditor())
        html = client.get(case_url(case)).content.decode()
        assert "Clocks" in html
        assert "Agree the response date" not in html
        assert "Put the response clock on hold" not in html

    def test_a_finished_case_offers_no_clock_forms(self, client, case, caseworker):
        case_services.move_case(case, to=Status.WITHDRAWN, reason="No longer wanted", actor=caseworker)
        client.force_login(caseworker)
        html = client.get(case_url(case)).content.decode()
        assert "Stopped" in clock_rows(client.get(case_url(case)))["response"]
        assert "Agree the response date" not in html
        assert "Put the response clock on hold" not in html

    def test_only_get_and_post_of_the_right_kind_are_answered(self, client, case, caseworker):
        client.force_login(caseworker)
        assert client.get(case_url(case, "put_on_hold")).status_code == 405


class TestStaleClockForms:
    """A clock form read before someone else changed the case is refused, saying who, and keeps what was typed."""

    @pytest.fixture
    def case(self, division, caseworker):
        return make_case(
            kind=Kind.COMPLAINT,
            division=division,
            actor=caseworker,
            case_officer=caseworker,
            received_on=D(2026, 5, 1),  # past the long-stop, so the delay letter form is offered
            event_on=D(2025, 1, 2),  # made after the time limit, so the decision form is offered
        )

    @pytest.mark.parametrize(
        ("name", "form_data"),
        [
            ("agree_response_date", {**on("due_on", D(2026, 12, 18)), "agreed_with": "Mrs Stale"}),
            ("agree_extension", {**on("due_on", D(2027, 1, 8)), "reason": "Mrs Stale's statement"}),
            ("put_on_hold", {"note": "Mrs Stale's consent form"}),
            ("release_hold", on("ended_on", D(2026, 11, 20))),
            ("record_delay_letter", on("sent_on", D(2026, 11, 20))),
            (
                "record_time_limit_decision",
                {"has_good_reasons": "yes", "can_investigate_fairly": "yes", "rationale": "Mrs Stale was ill"},
            ),
        ],
    )
    def test_a_stale_clock_form_is_refused_saying_who_changed_the_case(
        self, client, case, caseworker, lead, awaiting_consent, name, form_data
    ):
        read_at = case.version
        first = officer(first_name="Florence", last_name="Nightingale")
        case_services.assign_case(case, case_officer=first, reason="Leave cover", actor=first)

        client.force_login(lead)
        before = rows()
        data = {"reason": awaiting_consent.pk, **on("started_on", TODAY), **on("agreed_on", TODAY)}
        data |= on("decided_on", TODAY) | form_data
        response = client.post(case_url(case, name), {"version": read_at, **data})

        typed = [value for value in form_data.values() if "Stale" in str(value)]
        assert_refused(response, says=f"Florence Nightingale {STALE}", kept=typed, before=before, at_field=False)
        html = response.content.decode()
        assert f'name="version" value="{read_at + 1}"' in html


class TestDeadlinesInTheLists:
    """My work and the case list show each case's next deadline in red, amber or green, and filter by it."""

    @pytest.fixture
    def cases(self, division, caseworker, awaiting_consent) -> dict[str, object]:
        def mine(kind, received_on):
            return make_case(
                kind=kind, division=division, actor=caseworker, case_officer=caseworker, received_on=received_on
            )

        held = mine(Kind.PALS_CONCERN, D(2026, 11, 16))
        services.put_on_hold(held, reason=awaiting_consent, started_on=D(2026, 11, 18), actor=caseworker)
        finished = mine(Kind.PALS_CONCERN, D(2026, 11, 2))
        case_services.move_case(finished, to=Status.RESOLVED, actor=caseworker)
        made = {
            "overdue": mine(Kind.COMPLAINT, D(2026, 11, 2)),  # acknowledgement was due Thursday 5 November
            "due soon": mine(Kind.COMPLAINT, D(2026, 11, 20)),  # acknowledgement due Wednesday 25 November
            "on track": mine(Kind.PALS_CONCERN, D(2026, 11, 20)),  # response due Friday 27 November
            "on hold": held,
            "finished": finished,
        }
        return {name: case.reference for name, case in made.items()}

    def listed(self, client, **filters):
        response = client.get(reverse("cases:list"), filters)
        assert response.status_code == 200
        return response

    def test_my_work_shows_each_next_deadline_with_its_state(self, client, cases, caseworker):
        client.force_login(caseworker)
        response = client.get(reverse("cases:my_work"))
        due = due_cells(response)
        assert due[cases["overdue"]] == "5 Nov 2026 Overdue"
        assert due[cases["due soon"]] == "25 Nov 2026 Due soon"
        assert due[cases["on track"]] == "27 Nov 2026 On track"
        assert due[cases["on hold"]] == "On hold"
        assert cases["finished"] not in due
        html = response.content.decode()
        for colour, label in [("red", "Overdue"), ("yellow", "Due soon"), ("green", "On track"), ("blue", "On hold")]:
            assert f'<strong class="nhsuk-tag nhsuk-tag--{colour}">{label}</strong>' in html

    def test_the_case_list_shows_the_same_states_and_a_dash_when_nothing_is_due(self, client, cases, caseworker):
        client.force_login(caseworker)
        due = due_cells(self.listed(client))
        assert due[cases["overdue"]] == "5 Nov 2026 Overdue"
        assert due[cases["on track"]] == "27 Nov 2026 On track"
        assert due[cases["finished"]] == "–"

    @pytest.mark.parametrize(
        ("filters", "expected"),
        [
            ({"due": "overdue"}, ["overdue"]),
            ({"due": "within", "within": "3"}, ["due soon"]),
            ({"due": "within", "within": "5"}, ["due soon", "on track"]),
            ({"due": "within"}, ["due soon", "on track"]),  # 5 working days when none is given
            ({"due": "on_hold"}, ["on hold"]),
            ({"due": "today"}, []),  # a Saturday: nothing falls due
        ],
    )
    def test_each_due_filter_lists_exactly_its_cases_soonest_first(self, client, cases, caseworker, filters, expected):
        client.force_login(caseworker)
        response = self.listed(client, **filters)
        assert list(due_cells(response)) == [cases[name] for name in expected]
        if expected:
            assert "soonest deadline first" in response.content.decode()

    def test_due_today_lists_the_cases_due_on_that_day(self, client, cases, caseworker):
        with time_machine.travel(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=datetime.UTC), tick=False):
            client.force_login(caseworker)  # a session from Saturday has expired by Wednesday
            response = self.listed(client, due="today")
        assert list(due_cells(response)) == [cases["due soon"]]
        assert due_cells(response)[cases["due soon"]] == "25 Nov 2026 Due today"

    def test_without_a_due_filter_every_case_is_listed_newest_first(self, client, cases, caseworker):
        client.force_login(caseworker)
        response = self.listed(client)
        assert set(due_cells(response)) == set(cases.values())
        assert "newest first" in response.content.decode()

    @pytest.mark.parametrize(
        ("within", "says"),
        [
            ("0", "The working days must be 1 or more."),
            ("61", "The working days must be 60 or fewer."),
            ("five", "Enter the working days as a whole number, like 5."),
        ],
    )
    def test_a_wrong_number_of_working_days_is_refused_and_kept(self, client, cases, caseworker, within, says):
        client.force_login(caseworker)
        response = self.listed(client, due="within", within=within)
        assert says in problems(response)
        assert f'name="within" type="text" value="{within}"' in response.content.decode()

    def test_a_due_filter_never_shows_another_divisions_cases(self, client, cases):
        client.force_login(divisional_manager(divisions=[DivisionFactory()]))
        for due in ("overdue", "today", "within", "on_hold"):
            response = self.listed(client, due=due)
            assert due_cells(response) == {}, due
            assert "No cases match." in response.content.decode()

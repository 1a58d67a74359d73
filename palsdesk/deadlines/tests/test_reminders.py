"""The deadline reminders on Monday 23 November 2026: who gets which cases, once a day, and what a failure does."""

import datetime
import re
import smtplib
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from palsdesk.accounts.tests.factories import coordinator, divisional_manager, officer
from palsdesk.audit.models import AuditEvent
from palsdesk.cases import services as case_services
from palsdesk.cases.models import Kind, Status
from palsdesk.cases.tests.factories import make_case
from palsdesk.deadlines import reminders
from palsdesk.deadlines.models import ReminderSent
from palsdesk.organisation.tests.factories import DivisionFactory

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY = D(2026, 11, 23)


@pytest.fixture(autouse=True)
def _monday_morning():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 7, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def surgery():
    return DivisionFactory(name="Surgery")


@pytest.fixture
def alice(surgery):
    return officer(username="alice", first_name="Alice", email="alice@nhs.example", divisions=[surgery])


@pytest.fixture
def mo(surgery):
    return divisional_manager(username="mo", first_name="Mo", email="mo@nhs.example", divisions=[surgery])


@pytest.fixture
def cases(surgery, alice, mo):
    """Alice's and Mo's cases, each named for whether it is overdue, due soon, or not yet pressing."""

    def case(name, kind, received_on, **values):
        return make_case(kind=kind, received_on=received_on, division=surgery, summary=name, actor=alice, **values)

    made = {
        # Acknowledgement due Thursday 19 November: overdue. Mo investigates it.
        "late_acknowledgement": case("late_acknowledgement", Kind.COMPLAINT, D(2026, 11, 16), case_officer=alice),
        # PALS concerns are due 5 working days after receipt.
        "due_today": case("due_today", Kind.PALS_CONCERN, D(2026, 11, 16), case_officer=alice),
        "due_thursday": case("due_thursday", Kind.PALS_CONCERN, D(2026, 11, 19), case_officer=alice),
        # Friday 27th is 4 working days away: not yet due soon (3 working days).
        "due_friday": case("due_friday", Kind.PALS_CONCERN, D(2026, 11, 20), case_officer=alice),
        "nobodys": case("nobodys", Kind.PALS_CONCERN, D(2026, 11, 9)),
        "resolved": case("resolved", Kind.PALS_CONCERN, D(2026, 11, 9), case_officer=alice),
    }
    case_services.assign_case(made["late_acknowledgement"], investigating_manager=mo, actor=alice)
    case_services.move_case(made["resolved"], to=Status.RESOLVED, on=D(2026, 11, 13), actor=alice)
    return {name: c.reference for name, c in made.items()}


def send(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("send_deadline_reminders", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def emailed() -> dict[str, set[str]]:
    """Each address in the outbox, with the case references in their email."""
    found: dict[str, set[str]] = {}
    for message in mail.outbox:
        (address,) = message.to
        assert address not in found, f"{address} was emailed twice"
        found[address] = set(re.findall(r"\b[A-Z]{3}-\d{4}-\d{5}\b", message.body))
    return found


def only_message_to(address: str):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


class TestWhoGetsWhat:
    def test_each_officer_and_investigator_gets_one_digest_of_their_overdue_and_due_soon_cases(self, cases):
        send()
        assert emailed() == {
            "alice@nhs.example": {cases["late_acknowledgement"], cases["due_today"], cases["due_thursday"]},
            "mo@nhs.example": {cases["late_acknowledgement"]},
        }

    def test_the_digest_names_each_pressing_clock_its_state_and_links_to_the_case(self, cases, settings):
        settings.PALSDESK_BASE_URL = "https://pals.example.nhs.uk"
        send()
        message = only_message_to("alice@nhs.example")
        assert message.subject == "PALS Desk: 1 overdue and 2 due soon on Monday 23 November"
        body = message.body
        late = body[body.index(cases["late_acknowledgement"]) :]
        assert "You are the case officer." in late
        assert "- Acknowledgement: overdue, was due Thursday 19 November 2026" in late
        assert f"https://pals.example.nhs.uk/cases/{cases['late_acknowledgement']}/" in late
        assert "- Response: due today, due Monday 23 November 2026" in body
        assert "- Response: due soon, due Thursday 26 November 2026" in body
        assert body.index("OVERDUE (1)") < body.index(cases["late_acknowledgement"]) < body.index("DUE SOON (2)")
        assert "https://pals.example.nhs.uk/\n" in body
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        assert f'href="https://pals.example.nhs.uk/cases/{cases["due_today"]}/"' in html
        assert "You are the investigating manager." in only_message_to("mo@nhs.example").body

    def test_a_restricted_case_reaches_only_the_assignees_named_on_it(self, cases, alice, mo, surgery):
        restricted = make_case(
            kind=Kind.COMPLAINT, received_on=D(2026, 11, 16), division=surgery, actor=alice, case_officer=alice
        )
        case_services.assign_case(restricted, investigating_manager=mo, actor=alice)
        # Restricted afterwards to someone else: Alice and Mo are still assigned, but no longer named.
        case_services.restrict_case(restricted, named_users=[officer()], actor=coordinator())
        send()
        assert restricted.reference not in emailed()["alice@nhs.example"]
        assert restricted.reference not in emailed()["mo@nhs.example"]

    def test_someone_named_on_a_restricted_case_gets_it(self, cases, alice, surgery):
        restricted = make_case(
            kind=Kind.PALS_CONCERN,
            received_on=D(2026, 11, 16),
            division=surgery,
            actor=alice,
            case_officer=alice,
            is_staff_complainant=True,
        )
        assert restricted.is_restricted
        send()
        assert restricted.reference in emailed()["alice@nhs.example"]

    def test_an_inactive_assignee_gets_nothing(self, cases, mo):
        mo.is_active = False
        mo.save()
        send()
        assert "mo@nhs.example" not in emailed()

    def test_someone_without_an_email_address_is_skipped_and_reported(self, cases, surgery):
        no_email = officer(username="noemail", email="")
        make_case(received_on=D(2026, 11, 9), division=surgery, case_officer=no_email)
        out, err = send()
        assert "Skipped noemail: no email address (1 case)" in err
        assert "no email address 1" in out
        assert set(emailed()) == {"alice@nhs.example", "mo@nhs.example"}
        assert not ReminderSent.objects.filter(recipient=no_email).exists()


class TestOnceADay:
    def test_nothing_is_sent_twice_on_the_same_day(self, cases, alice):
        out, _ = send()
        assert "Deadline reminders for Monday 23 November 2026: sent 2, already sent 0" in out
        assert len(mail.outbox) == 2

        out, _ = send()
        assert len(mail.outbox) == 2
        assert "sent 0, already sent 2" in out
        assert ReminderSent.objects.get(recipient=alice, sent_on=MONDAY).case_count == 3

    def test_each_digest_sent_is_on_the_audit_trail_with_its_cases(self, cases, alice):
        send()
        event = AuditEvent.objects.get(action="deadlines.reminder_sent", context__recipient="alice")
        assert event.actor is None
        assert set(event.context["cases"]) == {
            cases["late_acknowledgement"],
            cases["due_today"],
            cases["due_thursday"],
        }

    def test_the_next_working_day_brings_a_new_digest(self, cases):
        send()
        with time_machine.travel(datetime.datetime(2026, 11, 24, 7, 0, tzinfo=datetime.UTC), tick=False):
            out, _ = send()
        assert "Tuesday 24 November 2026: sent 2" in out
        assert len(mail.outbox) == 4

    def test_a_second_run_racing_the_first_sends_nothing_to_those_already_recorded(self, cases, alice):
        # Another run recorded Alice after this one had read who was already sent.
        digest = next(d for d in reminders.digests_for(MONDAY) if d.recipient == alice)
        ReminderSent.objects.create(recipient=alice, sent_on=MONDAY, case_count=3)
        assert reminders.send_digest(digest) is False
        assert mail.outbox == []


class TestDryRun:
    def test_a_dry_run_says_who_would_get_what_and_sends_and_records_nothing(self, cases):
        out, _ = send("--dry-run")
        assert f"Would send alice <alice@nhs.example> 3 cases: {cases['late_acknowledgement']}" in out
        assert f"Would send mo <mo@nhs.example> 1 case: {cases['late_acknowledgement']}" in out
        assert "Dry run: deadline reminders for Monday 23 November 2026: would send 2" in out
        assert mail.outbox == []
        assert not ReminderSent.objects.exists()
        assert not AuditEvent.objects.filter(action="deadlines.reminder_sent").exists()


class TestFailures:
    def test_a_failing_send_for_one_recipient_does_not_stop_the_others(self, cases, alice, mo, monkeypatch):
        real_send = EmailBackend.send_messages

        def refuse_alice(backend, messages):
            if any("alice@nhs.example" in m.to for m in messages):
                raise smtplib.SMTPRecipientsRefused({"alice@nhs.example": (550, b"Mailbox unavailable")})
            return real_send(backend, messages)

        monkeypatch.setattr(EmailBackend, "send_messages", refuse_alice)
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError, match="1 digest could not be sent"):
            call_command("send_deadline_reminders", stdout=out, stderr=err)
        assert "Could not send to alice <alice@nhs.example>: SMTPRecipientsRefused" in err.getvalue()
        assert "sent 1, already sent 0, no email address 0, failed 1" in out.getvalue()
        assert set(emailed()) == {"mo@nhs.example"}
        assert not ReminderSent.objects.filter(recipient=alice).exists()
        assert not AuditEvent.objects.filter(action="deadlines.reminder_sent", context__recipient="alice").exists()

        monkeypatch.setattr(EmailBackend, "send_messages", real_send)
        out, _ = send()
        assert "sent 1, already sent 1" in out
        assert set(emailed()) == {"mo@nhs.example", "alice@nhs.example"}


class TestWhichDay:
    def test_nothing_is_sent_on_a_weekend(self, cases):
        with time_machine.travel(datetime.datetime(2026, 11, 21, 7, 0, tzinfo=datetime.UTC), tick=False):
            out, _ = send()
        assert "Saturday 21 November 2026 is not a working day, so no reminders were sent." in out
        assert mail.outbox == []

    def test_nothing_is_sent_on_a_bank_holiday_unless_asked(self, cases):
        out, _ = send("--date", "2026-12-25")
        assert "Friday 25 December 2026 is not a working day" in out
        assert mail.outbox == []
        out, _ = send("--date", "2026-12-25", "--even-on-non-working-day")
        assert "sent 2" in out
        assert ReminderSent.objects.filter(sent_on=D(2026, 12, 25)).count() == 2

    def test_the_date_option_sends_as_on_that_day(self, cases):
        # On Friday 20 November, Thursday's concern was 4 working days away and Alice's acknowledgement late.
        send("--date", "2026-11-20")
        assert emailed()["alice@nhs.example"] == {cases["late_acknowledgement"], cases["due_today"]}
        assert ReminderSent.objects.filter(sent_on=D(2026, 11, 20)).count() == 2

    @pytest.mark.parametrize("date", ["23/11/2026", "2026-02-30", "tomorrow"])
    def test_a_date_that_is_not_year_month_day_is_refused(self, date):
        with pytest.raises(CommandError, match="is not a date like 2026-11-23"):
            send("--date", date)

    def test_a_date_outside_the_calendar_is_refused(self):
        with pytest.raises(CommandError, match="outside the working-day calendar"):
            send("--date", "2050-01-03", "--even-on-non-working-day")


def test_choosing_who_gets_which_cases_does_not_grow_with_the_number_of_cases(cases, alice, mo, surgery, capsys):
    def add(count: int) -> None:
        for _ in range(count):
            late = make_case(kind=Kind.COMPLAINT, received_on=D(2026, 11, 16), division=surgery, case_officer=alice)
            case_services.assign_case(late, investigating_manager=mo, actor=alice)
            make_case(received_on=D(2026, 11, 19), division=surgery, case_officer=alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            found = reminders.cases_by_recipient(MONDAY)
        assert {user.username for user, _ in found} == {"alice", "mo"}
        return len(captured)

    add(2)
    few = queries()
    add(10)
    many = queries()
    assert len(dict((user.username, cases) for user, cases in reminders.cases_by_recipient(MONDAY))["alice"]) == 27
    assert many == few
    with capsys.disabled():
        print(f"\ncases_by_recipient: {few} queries with 7 of Alice's cases due, {many} with 27")

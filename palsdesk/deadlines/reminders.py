"""Deadline reminders: once a day, each case officer and investigating manager gets one email listing their
open cases that are overdue or due soon, with the clocks that make them so.

A digest is recorded as ReminderSent in the same transaction as its sending, so a second run on the same
day sends nothing to anyone who already has theirs, and a send that fails records nothing (the next run
tries again). The command `send_deadline_reminders` runs it; docs/how-to/schedule-deadline-reminders.md
says how to schedule it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from palsdesk.accounts.models import User
from palsdesk.audit import services as audit
from palsdesk.cases.models import OPEN_STATUSES, Case
from palsdesk.cases.selectors import cases_visible_to
from palsdesk.deadlines import clocks
from palsdesk.deadlines import selectors as deadlines
from palsdesk.deadlines.models import ReminderSent

# A clock in one of these states is what the reminder is for; met, held and on-track clocks are left out.
PRESSING = (clocks.State.OVERDUE, clocks.State.DUE_TODAY, clocks.State.DUE_SOON)


class DigestNotSent(Exception):
    """The email backend accepted nothing, without raising an error of its own."""


@dataclass(frozen=True)
class DueCase:
    case: Case
    roles: tuple[str, ...]
    clocks: tuple[clocks.Clock, ...]
    url: str
    is_delay_letter_owed: bool

    def is_overdue(self, on: datetime.date) -> bool:
        return self.case.is_overdue(on)


@dataclass(frozen=True)
class Digest:
    recipient: User
    on: datetime.date
    due_soon_by: datetime.date
    cases: tuple[DueCase, ...]

    @property
    def overdue(self) -> list[DueCase]:
        return [due for due in self.cases if due.is_overdue(self.on)]

    @property
    def due_soon(self) -> list[DueCase]:
        return [due for due in self.cases if not due.is_overdue(self.on)]

    @property
    def subject(self) -> str:
        # No patient or case details in the subject line: it shows in notifications and mail logs.
        parts = []
        if self.overdue:
            parts.append(f"{len(self.overdue)} overdue")
        if self.due_soon:
            parts.append(f"{len(self.due_soon)} due soon")
        return f"PALS Desk: {' and '.join(parts)} on {self.on:%A} {self.on.day} {self.on:%B}"

    def message(self, *, connection=None) -> EmailMultiAlternatives:
        context = {
            "digest": self,
            "recipient": self.recipient,
            "my_work_url": absolute_url(reverse("cases:my_work")),
        }
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=render_to_string("deadlines/email/digest.txt", context),
            to=[self.recipient.email],
            connection=connection,
        )
        message.attach_alternative(render_to_string("deadlines/email/digest.html", context), "text/html")
        return message


@dataclass
class Run:
    """What one run did, or in a dry run would do."""

    on: datetime.date
    is_dry_run: bool
    sent: list[Digest] = field(default_factory=list)
    already_sent: list[Digest] = field(default_factory=list)
    without_email: list[Digest] = field(default_factory=list)
    failed: list[tuple[Digest, str]] = field(default_factory=list)


def absolute_url(path: str) -> str:
    return f"{settings.PALSDESK_BASE_URL.rstrip('/')}{path}"


def _role_names(case: Case, user: User) -> tuple[str, ...]:
    roles = []
    if case.case_officer_id == user.pk:
        roles.append("case officer")
    if case.investigating_manager_id == user.pk:
        roles.append("investigating manager")
    return tuple(roles)


def cases_by_recipient(on: datetime.date) -> list[tuple[User, list[Case]]]:
    """Each active officer or investigator with open cases overdue or due soon on that day, soonest first.

    A case is listed for a person only if they may see it (cases_visible_to), so a restricted case
    reaches only the assignees named on it. One query for the cases, then one per person, however
    many cases there are.
    """
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    pressing = (deadlines.overdue(open_cases, today=on) | deadlines.due_soon(open_cases, today=on)).filter(
        Q(case_officer__is_active=True) | Q(investigating_manager__is_active=True)
    )
    assigned: dict[int, tuple[User, list[Case]]] = {}
    cases = pressing.select_related("case_officer", "investigating_manager", "grade").prefetch_related(
        "response_date_changes"
    )
    for case in cases.order_by("next_due_on", "reference"):
        for user in {case.case_officer, case.investigating_manager} - {None}:
            if user.is_active:
                assigned.setdefault(user.pk, (user, []))[1].append(case)
    found = []
    for user, cases in sorted(assigned.values(), key=lambda entry: entry[0].get_username()):
        visible = set(cases_visible_to(user).filter(pk__in=[case.pk for case in cases]).values_list("pk", flat=True))
        if shown := [case for case in cases if case.pk in visible]:
            found.append((user, shown))
    return found


def digests_for(on: datetime.date) -> list[Digest]:
    """One digest for each person cases_by_recipient finds, with the clocks that make each case pressing.

    Raises OutsideCalendar for a day the working-day calendar cannot count.
    """
    calendars = deadlines.current_calendars()
    due_soon_by = calendars.trust.add_working_days(on, clocks.DUE_SOON_WORKING_DAYS)
    clocks_by_case: dict[int, tuple[clocks.Clock, ...]] = {}
    digests = []
    for user, cases in cases_by_recipient(on):
        shown = []
        for case in cases:
            if case.pk not in clocks_by_case:
                clocks_by_case[case.pk] = tuple(
                    clock
                    for clock in deadlines.clocks_of(case, today=on, calendars=calendars)
                    if clock.state in PRESSING
                )
            shown.append(
                DueCase(
                    case=case,
                    roles=_role_names(case, user),
                    clocks=clocks_by_case[case.pk],
                    url=absolute_url(reverse("cases:detail", kwargs={"reference": case.reference})),
                    is_delay_letter_owed=clocks.delay_letter_owed(case, today=on),
                )
            )
        digests.append(Digest(recipient=user, on=on, due_soon_by=due_soon_by, cases=tuple(shown)))
    return digests


def send_digest(digest: Digest, *, connection=None) -> bool:
    """Email the digest and record it in one transaction. False if it had already been sent that day.

    If the email cannot be sent, the error propagates and nothing is recorded, so a later run retries.
    """
    with transaction.atomic():
        try:
            # The unique constraint one_reminder_a_day decides between two runs at once.
            with transaction.atomic():
                record = ReminderSent.objects.create(
                    recipient=digest.recipient, sent_on=digest.on, case_count=len(digest.cases)
                )
        except IntegrityError:
            return False
        audit.record(
            actor=None,
            action="deadlines.reminder_sent",
            target=record,
            context={
                "recipient": digest.recipient.get_username(),
                "on": digest.on,
                "cases": [due.case.reference for due in digest.cases],
            },
        )
        if digest.message(connection=connection).send() != 1:
            raise DigestNotSent(f"The email backend did not accept the message to {digest.recipient.email}.")
    return True


def send_reminders(on: datetime.date, *, dry_run: bool = False) -> Run:
    """Send the day's digests: each person at most once a day; a failure for one does not stop the others."""
    run = Run(on=on, is_dry_run=dry_run)
    digests = digests_for(on)
    already = set(ReminderSent.objects.filter(sent_on=on).values_list("recipient_id", flat=True))
    connection = None if dry_run else get_connection()
    for digest in digests:
        if digest.recipient.pk in already:
            run.already_sent.append(digest)
        elif not digest.recipient.email:
            run.without_email.append(digest)
        elif dry_run:
            run.sent.append(digest)
        else:
            # Whatever the backend raises (SMTP, DNS, a timeout) is reported; the others' emails still go.
            try:
                is_new = send_digest(digest, connection=connection)
            except Exception as error:
                run.failed.append((digest, f"{type(error).__name__}: {error}"))
            else:
                (run.sent if is_new else run.already_sent).append(digest)
    return run

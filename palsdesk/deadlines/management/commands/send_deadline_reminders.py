"""Email each case officer and investigating manager a digest of their overdue and due-soon cases, once a day.

Schedule it for each working-day morning: docs/how-to/schedule-deadline-reminders.md.
"""

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from palsdesk.core.dates import weekday_date
from palsdesk.deadlines import reminders
from palsdesk.deadlines.selectors import working_day_calendar
from palsdesk.deadlines.working_days import OutsideCalendar


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-11-23 (year-month-day).") from None


def _cases(count: int) -> str:
    return f"{count} case{'s' if count != 1 else ''}"


class Command(BaseCommand):
    help = (
        "Email each officer and investigator one digest of their open cases that are overdue or due soon. "
        "Sends nothing twice to anyone on the same day; skips days that are not working days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would get which cases; send and record nothing."
        )
        parser.add_argument(
            "--date",
            type=_date,
            help="Send as on this day (YYYY-MM-DD) instead of today in Europe/London: for tests and catching up.",
        )
        parser.add_argument(
            "--even-on-non-working-day",
            action="store_true",
            help="Send even on a weekend, bank holiday or trust closure day (skipped by default).",
        )

    def handle(self, *args, dry_run: bool, date: datetime.date | None, even_on_non_working_day: bool, **options):
        on = date or timezone.localdate()
        try:
            is_working_day = working_day_calendar().is_working_day(on)
            if not is_working_day and not even_on_non_working_day:
                self.stdout.write(
                    f"{weekday_date(on)} is not a working day, so no reminders were sent. "
                    "Use --even-on-non-working-day to send them anyway."
                )
                return
            run = reminders.send_reminders(on, dry_run=dry_run)
        except OutsideCalendar as error:
            raise CommandError(str(error)) from None

        for digest in run.sent:
            verb = "Would send" if dry_run else "Sent"
            self.stdout.write(
                f"{verb} {digest.recipient.get_username()} <{digest.recipient.email}> "
                f"{_cases(len(digest.cases))}: {', '.join(due.case.reference for due in digest.cases)}"
            )
        for digest in run.without_email:
            self.stderr.write(
                f"Skipped {digest.recipient.get_username()}: no email address "
                f"({_cases(len(digest.cases))}). Add one to their account."
            )
        for digest, error in run.failed:
            self.stderr.write(
                f"Could not send to {digest.recipient.get_username()} <{digest.recipient.email}>: {error}"
            )

        summary = [
            f"{'would send' if dry_run else 'sent'} {len(run.sent)}",
            f"already sent {len(run.already_sent)}",
            f"no email address {len(run.without_email)}",
        ]
        if not dry_run:
            summary.append(f"failed {len(run.failed)}")
        self.stdout.write(
            f"{'Dry run: deadline' if dry_run else 'Deadline'} reminders for {weekday_date(on)}: {', '.join(summary)}."
        )
        if run.failed:
            # A non-zero exit, so that cron's mail or systemd's status shows it; the others were sent.
            raise CommandError(
                f"{len(run.failed)} digest{'s' if len(run.failed) != 1 else ''} could not be sent. "
                "Run the command again later: it sends only to those still waiting."
            )

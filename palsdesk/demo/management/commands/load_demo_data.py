"""Load a fictional trust, its staff and eighteen months of cases, for trying PALS Desk out (`make run` calls it)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from palsdesk.cases.models import Kind
from palsdesk.demo import builder, content
from palsdesk.demo.plans import showcase_case_count

_PLURAL = {
    Kind.PALS_CONCERN: "PALS concerns",
    Kind.COMPLAINT: "complaints",
    Kind.COMPLIMENT: "compliments",
    Kind.ENQUIRY: "enquiries",
    Kind.MP_LETTER: "MP letters",
}


class Command(BaseCommand):
    help = (
        "Load the demo trust with a dozen staff accounts (one shared, published password) and about 300 cases. "
        "Does nothing if the demo is already loaded. Refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=builder.DEFAULT_SEED,
            help="Another seed gives other (equally believable) cases.",
        )
        parser.add_argument("--cases", type=int, default=builder.DEFAULT_CASE_COUNT, help="How many cases to load.")
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off. Never on a system with real patients."
        )

    def handle(self, *args, seed: int, cases: int, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a live system. The demo creates staff accounts, including an "
                "administrator, whose shared password is published in PALS Desk's source code: anyone could sign "
                "in with them. Use --force only on a throwaway database."
            )
        if cases < showcase_case_count():
            raise CommandError(
                f"--cases must be at least {showcase_case_count()}: the demo's own stories need that many."
            )
        started = time.perf_counter()
        try:
            load = builder.load_demo_data(seed=seed, case_count=cases)
        except builder.DemoCannotLoad as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started

        if load.is_new:
            by_kind = ", ".join(f"{load.cases_by_kind[kind]} {_PLURAL[kind]}" for kind in Kind)
            self.stdout.write(f"Loaded {sum(load.cases_by_kind.values())} cases in {seconds:.1f} s: {by_kind}.")
        else:
            self.stdout.write(
                f"The demo data is already loaded (trust {content.TRUST_ODS_CODE}), so nothing was changed. "
                "To start afresh, use an empty database (with the default SQLite one, delete db.sqlite3)."
            )
        self._write_logins(load.logins)

    def _write_logins(self, logins: list[builder.DemoLogin]) -> None:
        if not logins:
            return
        self.stdout.write(
            f"\nDemo users at {content.TRUST_NAME}. The password for every one is: {content.DEMO_PASSWORD}\n"
        )
        rows = [("Username", "Name", "Role", "Divisions")]
        rows += [(login.username, login.name, login.role, ", ".join(login.divisions) or "–") for login in logins]
        username_width, name_width, role_width = (max(len(row[column]) for row in rows) for column in range(3))
        for username, name, role, divisions in rows:
            self.stdout.write(
                f"  {username:<{username_width}}  {name:<{name_width}}  {role:<{role_width}}  {divisions}"
            )

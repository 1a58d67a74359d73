"""Fill an empty database with a generated trust and N cases over ten years, for scale work and the benchmark."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from palsdesk.cases.models import Kind
from palsdesk.demo import content, generate


class Command(BaseCommand):
    help = (
        "Generate a trust, its staff and --cases cases received over the ten years to today, reproducibly from "
        "--seed, into an empty migrated database (PostgreSQL for large sizes: a million takes minutes). Every "
        "account shares the demo's published password, so it refuses to run with DEBUG off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases, such as 100000 or 1000000.")
        parser.add_argument(
            "--seed", type=int, default=generate.DEFAULT_SEED, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=None,
            help="The last day cases are received, as YYYY-MM-DD (today if left out).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Generate even with DEBUG off. Never on a system with real patients."
        )

    def handle(self, *args, cases: int, seed: int, until, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like a live system. The generated staff accounts, an administrator "
                "among them, share a password published in PALS Desk's source code. Use --force only on a "
                "throwaway database."
            )
        try:
            made = generate.generate_cases(cases=cases, seed=seed, until=until, progress=self.stdout.write)
        except generate.GeneratorCannotRun as error:
            raise CommandError(str(error)) from None
        by_kind = ", ".join(f"{made.cases_by_kind[kind]:,} {Kind(kind).label.lower()}" for kind in Kind)
        self.stdout.write(f"Generated {sum(made.cases_by_kind.values()):,} cases in {made.seconds:,.1f} s: {by_kind}.")
        for label, count in sorted(made.rows.items()):
            self.stdout.write(f"  {label}: {count:,} rows")
        self.stdout.write(
            f"Staff usernames are officer001, coordinator01, dm.med1, volunteer01, approver, admin and auditor; "
            f"the password for every one is: {content.DEMO_PASSWORD}"
        )

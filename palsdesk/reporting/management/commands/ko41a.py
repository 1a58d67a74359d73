"""Print the trust's KO41a return for a financial year or quarter, as CSV in the return's layout or as JSON."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from palsdesk.reporting.returns import export, ko41a, selectors


class Command(BaseCommand):
    help = (
        "Print the KO41a return (written complaints) of the whole trust for a financial year, or one quarter of it: "
        "CSV in the return's layout (a row for each box, a column for the organisation and each site) or JSON with "
        "the collection's checks. Failed checks are also written to standard error, and the command exits with 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="The financial year, like 2025-26.")
        parser.add_argument("--quarter", help="1 to 4 for one quarter; leave out for the whole year.")
        parser.add_argument("--format", choices=["csv", "json"], default="csv", dest="file_format")

    def handle(self, *args, year, quarter, file_format, **options):
        today = timezone.localdate()
        try:
            year = ko41a.parse_year(year, today=today)
            quarter = ko41a.parse_quarter(quarter, year=year, today=today)
        except ko41a.BadPeriod as bad:
            raise CommandError(f"--{bad.field}: {bad.message}") from None
        the_return = selectors.ko41a_return(year=year, quarter=quarter)
        if file_format == "json":
            self.stdout.write(json.dumps(export.as_data(the_return), cls=DjangoJSONEncoder, indent=2))
        else:
            self.stdout.write(export.as_csv(the_return), ending="")
        for failed in the_return.failures:
            failure = failed.failure
            where = f" ({failure.column})" if failure.column else ""
            cases = f" Cases: {', '.join(failed.references)}" if failed.references else ""
            more = f" and {failed.more} more" if failed.references and failed.more else ""
            self.stderr.write(f"Fails: {failed.title}{where}. {failure.message}{cases}{more}.")
        if the_return.failures:
            raise CommandError(f"The return fails {len(the_return.failures)} of the collection's checks.")
